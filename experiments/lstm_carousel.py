"""Jacobians of the LSTM cell state across lags: the constant-error carousel dc_t/dc_(t-1) = diag(f_t) and its log-slope log sigma(b_f) (Dobriban 2019, Stat 991 notes; Hochreiter & Schmidhuber 1997; Gers, Schmidhuber & Cummins 2000), and the default-init LSTM against a tanh RNN."""

from __future__ import annotations

import math

import numpy as np
import torch

from experiments.lib.common import Progress, generator, ols_slope


def lstm_states(w_ih, w_hh, b, xs):
    """PyTorch's LSTM recurrence (gate order i, f, g, o) for a batch of weight sets: w_ih (B, 4H, X), w_hh (B, 4H, H),
    b (B, 4H) = b_ih + b_hh, xs (B, T, X); returns the gate pre-activations z_t (B, T, 4H), and c_t, h_t (B, T + 1, H)."""
    batch, steps, _ = xs.shape
    hidden = w_hh.shape[-1]
    proj = torch.einsum("bgx,btx->btg", w_ih, xs) + b[:, None, :]
    h = xs.new_zeros(batch, hidden)
    c = xs.new_zeros(batch, hidden)
    zs, cs, hs = [], [c], [h]
    for t in range(steps):
        z = proj[:, t] + torch.einsum("bgh,bh->bg", w_hh, h)
        i, f, g, o = z.chunk(4, dim=-1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
        zs.append(z)
        cs.append(c)
        hs.append(h)
    return torch.stack(zs, 1), torch.stack(cs, 1), torch.stack(hs, 1)


def lstm_step_jacobian(w_hh, z, c_prev, c_new):
    """d(h_t, c_t)/d(h_(t-1), c_(t-1)) as a (B, 2H, 2H) matrix, state ordered (h, c), from the gate values of step t."""
    i, f, g, o = (a for a in z.chunk(4, dim=-1))
    si, sf, tg, so = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
    w_i, w_f, w_g, w_o = w_hh.chunk(4, dim=1)  # (B, H, H) each: rows of one gate
    dc_dh = (c_prev * sf * (1 - sf))[..., None] * w_f + (tg * si * (1 - si))[..., None] * w_i + (si * (1 - tg**2))[..., None] * w_g
    dc_dc = torch.diag_embed(sf)
    tc = torch.tanh(c_new)
    dh_dc_new = so * (1 - tc**2)
    dh_dh = (tc * so * (1 - so))[..., None] * w_o + dh_dc_new[..., None] * dc_dh
    dh_dc = dh_dc_new[..., None] * dc_dc
    top = torch.cat([dh_dh, dh_dc], dim=-1)
    bottom = torch.cat([dc_dh, dc_dc], dim=-1)
    return torch.cat([top, bottom], dim=-2)


def log_norms_by_lag(step_jacobian, steps: int, lags: list[int], block: slice | None = None) -> torch.Tensor:
    """log ||dS_T/dS_(T-l)||_2 for each l, by right-multiplying the step Jacobians from the last step backwards;
    step_jacobian(t) gives dS_(t+1)/dS_t, formed when needed (storing all of them would take T times the memory);
    `block` picks the rows and columns of one state part (e.g. c) of the product."""
    product = None
    want, out = set(lags), {}
    for ell in range(1, max(lags) + 1):
        factor = step_jacobian(steps - ell)
        product = factor if product is None else product @ factor
        if ell in want:
            m = product if block is None else product[..., block, block]
            out[ell] = torch.linalg.matrix_norm(m, ord=2).log()
    return torch.stack([out[ell] for ell in lags], -1)


def run(
    *,
    seed: int,
    device: torch.device | str = "cpu",
    hidden: int,
    input_size: int,
    lag: list[int],
    b_f: list[float],
    weight_scale: float,
    ratio_lag: list[int],
    n_seeds: int,
) -> dict[str, np.ndarray]:
    """slope[s, j]: OLS slope over `lag` of log ||dc_T/dc_(T-l)||_2 (the full Jacobian, gates not held fixed) for an LSTM
    with all weights and biases U(-weight_scale, weight_scale) except the forget bias b_ih + b_hh = b_f[j]; inputs N(0, I).
    slope_direct: the same for the direct path prod diag(f_i), gates held fixed.
    log10_ratio_default[s, k]: log10 of ||d(h,c)_T/d(h,c)_(T-l)|| of a default-init torch.nn.LSTM over ||dh_T/dh_(T-l)|| of a
    default-init torch.nn.RNN (tanh) of the same size on the same inputs, l = ratio_lag[k] (skipped when ratio_lag is empty); log10_ratio_bias1 with the
    LSTM's forget bias set to 1 (b_ih = 1, b_hh = 0) as Jozefowicz, Zaremba & Sutskever (2015) recommend."""
    dt = torch.float64  # products of up to 1000 Jacobians: float64 on any device
    device = torch.device(device)
    gen = generator(seed, device)
    H, X, F, S = hidden, input_size, len(b_f), n_seeds
    steps = max(lag + ratio_lag)
    progress = Progress(max(lag), f"lstm_carousel[H={H}]")

    def uniform(*shape, bound):
        return (torch.rand(*shape, generator=gen, dtype=dt, device=device) * 2 - 1) * bound

    # --- small weights, forget bias swept: one batch of S * F weight sets
    w_ih = uniform(S, 1, 4 * H, X, bound=weight_scale).expand(S, F, 4 * H, X).reshape(S * F, 4 * H, X)
    w_hh = uniform(S, 1, 4 * H, H, bound=weight_scale).expand(S, F, 4 * H, H).reshape(S * F, 4 * H, H)
    bias = uniform(S, 1, 4 * H, bound=weight_scale).expand(S, F, 4 * H).clone()
    bias[..., H:2 * H] = torch.as_tensor(b_f, dtype=dt, device=device)[None, :, None]
    xs = torch.randn(S, 1, steps, X, generator=gen, dtype=dt, device=device).expand(S, F, steps, X).reshape(S * F, steps, X)
    z, c, _ = lstm_states(w_ih, w_hh, bias.reshape(S * F, 4 * H), xs)

    def small_weight_step(t):
        progress.update(1)
        return lstm_step_jacobian(w_hh, z[:, t], c[:, t], c[:, t + 1])

    cell = slice(H, 2 * H)
    log_norm = log_norms_by_lag(small_weight_step, steps, lag, cell).reshape(S, F, len(lag))
    slope = ols_slope(np.asarray(lag, dtype=float), log_norm)
    # The direct path with the gates held fixed: prod diag(f_i), whose norm is the largest per-unit product of forget gates.
    log_f = torch.nn.functional.logsigmoid(z[..., H:2 * H])  # (S F, T, H)
    from_end = log_f.flip(1).cumsum(1)  # [:, l - 1] = sum of the last l steps
    direct = torch.stack([from_end[:, ell - 1].amax(-1) for ell in lag], -1).reshape(S, F, len(lag))
    slope_direct = ols_slope(np.asarray(lag, dtype=float), direct)

    # --- default init: torch.nn.LSTM / torch.nn.RNN modules, seeded from the run's generator
    ratios = {"default": [], "bias1": []}
    for s in range(S if ratio_lag else 0):
        torch.manual_seed(int(torch.randint(0, 2**31 - 1, (1,), generator=gen, device=device)))
        lstm = torch.nn.LSTM(X, H).double().to(device)
        rnn = torch.nn.RNN(X, H, nonlinearity="tanh").double().to(device)
        x = torch.randn(1, steps, X, generator=gen, dtype=dt, device=device)
        w_ih_, w_hh_ = lstm.weight_ih_l0.detach()[None], lstm.weight_hh_l0.detach()[None]
        b_sum = (lstm.bias_ih_l0 + lstm.bias_hh_l0).detach()[None]
        b_one = b_sum.clone()
        b_one[:, H:2 * H] = 1.0 + 0 * lstm.bias_ih_l0.detach()[H:2 * H]  # b_ih = 1, b_hh = 0
        # RNN: h_t = tanh(W_ih x_t + b_ih + W_hh h_(t-1) + b_hh), dh_t/dh_(t-1) = diag(1 - h_t^2) W_hh
        h_rnn = rnn(x.transpose(0, 1))[0][:, 0].detach()  # (T, H)
        w_rnn = rnn.weight_hh_l0.detach()
        # step t -> t + 1 uses h_(t+1) (0-based rows of h_rnn are h_1 .. h_T)
        log_rnn = log_norms_by_lag(lambda t: ((1 - h_rnn[t] ** 2)[:, None] * w_rnn)[None], steps, ratio_lag)
        for key, b_use in (("default", b_sum), ("bias1", b_one)):
            z1, c1, _ = lstm_states(w_ih_, w_hh_, b_use, x)
            log_lstm = log_norms_by_lag(lambda t: lstm_step_jacobian(w_hh_, z1[:, t], c1[:, t], c1[:, t + 1]), steps, ratio_lag)
            ratios[key].append((log_lstm - log_rnn)[0] / math.log(10))
    progress.close()
    return {
        "lag": np.asarray(lag, dtype=float),
        "b_f": np.asarray(b_f, dtype=float),
        "log_norm_b0": log_norm[:, 0].cpu().numpy(),
        "slope": slope.cpu().numpy(),
        "slope_direct": slope_direct.cpu().numpy(),
        **({"ratio_lag": np.asarray(ratio_lag, dtype=float),
            "log10_ratio_default": torch.stack(ratios["default"]).cpu().numpy(),
            "log10_ratio_bias1": torch.stack(ratios["bias1"]).cpu().numpy()} if ratio_lag else {}),
    }
