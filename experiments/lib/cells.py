"""Tanh RNN, GRU and LSTM cells with weights stacked over an ensemble dimension E (one forward/backward trains E independent networks), following exactly the equations, gate order, two bias vectors and U(-1/sqrt(h), 1/sqrt(h)) initialisation of PyTorch's nn.RNN / nn.GRU / nn.LSTM (Hochreiter & Schmidhuber 1997; Cho et al. 2014)."""

from __future__ import annotations

import math

import torch

MODELS = ("rnn", "gru", "lstm")
GATES = {"rnn": 1, "gru": 3, "lstm": 4}  # PyTorch row blocks: RNN (one), GRU (r, z, n), LSTM (i, f, g, o)
PARAM_NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh", "out_weight", "out_bias")


def check_model(model: str) -> None:
    if model not in GATES:
        raise ValueError(f"unknown model {model!r}; valid: {', '.join(MODELS)}")


def init_params(
    model: str, ensemble: int, input_size: int, hidden: int, gen: torch.Generator, dtype=torch.float32, device="cpu"
) -> dict[str, torch.Tensor]:
    """PyTorch's default init for every member: all recurrent weights and biases U(-1/sqrt(h), 1/sqrt(h)); the
    read-out nn.Linear(h, 1) likewise (kaiming_uniform(a=sqrt 5) has the same bound 1/sqrt(fan_in) = 1/sqrt(h)).
    Shapes: weight_ih (E, G h, in), weight_hh (E, G h, h), bias_ih / bias_hh (E, G h), out_weight (E, h), out_bias (E,)."""
    check_model(model)
    gh = GATES[model] * hidden
    bound = 1.0 / math.sqrt(hidden)
    shapes = {
        "weight_ih": (ensemble, gh, input_size),
        "weight_hh": (ensemble, gh, hidden),
        "bias_ih": (ensemble, gh),
        "bias_hh": (ensemble, gh),
        "out_weight": (ensemble, hidden),
        "out_bias": (ensemble,),
    }
    return {
        name: torch.empty(shape, dtype=dtype, device=device).uniform_(-bound, bound, generator=gen).requires_grad_()
        for name, shape in shapes.items()
    }


class _Recurrence(torch.autograd.Function):
    """The recurrent loop with hand-written backpropagation through time (the same equations; one autograd node
    instead of ~20 per step, and no tensor of all steps' gate inputs).

    Step t multiplies z_t = [1, x_t, h_{t-1}] (bias, input, state) by augmented weights w (E, 1 + in + h, G'), so
    the biases and the input projection ride in the one recurrent bmm; for the GRU G' = 4h with columns
    [r, z, n_x, n_h] (n_x = b_in + W_in x and n_h = b_hn + W_hn h must stay apart), else G' = G h.
    Members are sorted by horizon, longest first, and right-aligned so all end at step T: at step t only the first
    counts[t] members are active (a leading-dim view of every tensor), and a member starts from h = c = 0.
    Inputs: zx (T, E, B, 1 + in) the [1, x_t] part, w; keep=False (no gradient wanted) stores nothing for the
    backward pass.  Output: h_T (E, B, h)."""

    @staticmethod
    def forward(ctx, model, counts, zx, w, keep):
        steps, ens, batch, k0 = zx.shape
        hidden = w.shape[1] - k0
        z = zx.new_zeros(steps, ens, batch, k0 + hidden)
        z[..., :k0] = zx
        c = zx.new_zeros(0, batch, hidden)
        saved = []
        h = None
        for t in range(steps):
            n = counts[t]
            zt = z[t, :n]
            a = torch.bmm(zt, w[:n])
            if model == "rnn":
                h = a.tanh_()
                if keep:
                    saved.append(h)
            elif model == "lstm":
                if c.shape[0] < n:  # members whose sequence starts now join with c = 0
                    c = torch.cat([c, c.new_zeros(n - c.shape[0], batch, hidden)])
                a[..., : 2 * hidden].sigmoid_()
                a[..., 2 * hidden : 3 * hidden].tanh_()
                a[..., 3 * hidden :].sigmoid_()
                i, f, g, o = a.chunk(4, -1)
                c_prev = c
                c = torch.addcmul(f * c, i, g)
                tc = torch.tanh(c)
                h = o * tc
                if keep:
                    saved.append((c_prev, a, tc))
            else:
                rz = a[..., : 2 * hidden].sigmoid()
                r, u = rz.chunk(2, -1)
                hn = a[..., 3 * hidden :]
                nn_ = torch.tanh(torch.addcmul(a[..., 2 * hidden : 3 * hidden], r, hn))
                h = torch.addcmul(nn_, u, zt[..., k0:] - nn_)
                if keep:
                    saved.append((rz, hn, nn_))
            if t + 1 < steps:
                z[t + 1, :n, :, k0:] = h
        ctx.model, ctx.counts, ctx.saved, ctx.k0 = model, counts, saved, k0
        ctx.save_for_backward(z, w)
        return h

    @staticmethod
    def backward(ctx, dh):
        z, w = ctx.saved_tensors
        model, counts, saved, k0 = ctx.model, ctx.counts, ctx.saved, ctx.k0
        hidden = w.shape[1] - k0
        w_h = w[:, k0:, :].transpose(1, 2).contiguous()  # (E, G', h)
        dw = torch.zeros_like(w)
        dh = dh.contiguous()
        dc = torch.zeros_like(dh)
        for t in range(len(counts) - 1, -1, -1):
            n = counts[t]
            dh = dh[:n]
            zt = z[t, :n]
            if model == "rnn":
                h = saved[t]
                da = dh * (1 - h * h)
                dh = torch.bmm(da, w_h[:n])
            elif model == "lstm":
                c_prev, act, tc = saved[t]
                dc = dc[:n]
                i, f, g, o = act.chunk(4, -1)
                dc = torch.addcmul(dc, dh * o, 1 - tc * tc)
                da = torch.cat([dc * g, dc * c_prev, dc * i, dh * tc], -1)
                deriv = act * (1 - act)
                deriv[..., 2 * hidden : 3 * hidden] = 1 - g * g
                da = da * deriv
                dh = torch.bmm(da, w_h[:n])
                dc = dc * f
            else:
                rz, hn, nn_ = saved[t]
                r, u = rz.chunk(2, -1)
                dn = dh * (1 - u) * (1 - nn_ * nn_)  # at tanh's input
                drz = torch.cat([dn * hn, dh * (zt[..., k0:] - nn_)], -1) * rz * (1 - rz)
                da = torch.cat([drz, dn, dn * r], -1)
                dh = torch.baddbmm(dh * u, da, w_h[:n])
            dw[:n].baddbmm_(zt.transpose(1, 2), da)
        return None, None, None, dw, None


def _augmented_weights(model: str, p: dict[str, torch.Tensor]) -> torch.Tensor:
    """[b; W_ih^T; W_hh^T] (E, 1 + in + h, G'), built by autograd-tracked ops so gradients reach the parameters."""
    w_ih, w_hh = p["weight_ih"].transpose(1, 2), p["weight_hh"].transpose(1, 2)
    b_ih, b_hh = p["bias_ih"][:, None, :], p["bias_hh"][:, None, :]
    if model != "gru":
        return torch.cat([b_ih + b_hh, w_ih, w_hh], 1)
    hidden = w_hh.shape[1]
    rz = torch.cat([b_ih[..., : 2 * hidden] + b_hh[..., : 2 * hidden], w_ih[..., : 2 * hidden], w_hh[..., : 2 * hidden]], 1)
    n_x = torch.cat([b_ih[..., 2 * hidden :], w_ih[..., 2 * hidden :], torch.zeros_like(w_hh[..., 2 * hidden :])], 1)
    n_h = torch.cat([b_hh[..., 2 * hidden :], torch.zeros_like(w_ih[..., 2 * hidden :]), w_hh[..., 2 * hidden :]], 1)
    return torch.cat([rz, n_x, n_h], 2)


def forward(model: str, p: dict[str, torch.Tensor], x: torch.Tensor, lengths: list[int] | None = None) -> torch.Tensor:
    """Hidden state of every member after its own sequence: x (E, B, T, in), member e reading x[e, :, :lengths[e]]
    (default all T steps) from h_0 = c_0 = 0; returns (E, B, h), as nn.RNN/GRU/LSTM's h_n for those inputs.

    One loop over max(lengths) steps serves members of different horizons: each member's sequence is right-aligned
    to end at the last step and it sits idle (not computed) before its first step.
    """
    check_model(model)
    ens, batch, steps, _ = x.shape
    lengths = [steps] * ens if lengths is None else [int(v) for v in lengths]
    if len(lengths) != ens or min(lengths) < 1 or max(lengths) > steps:
        raise ValueError(f"lengths needs {ens} entries in 1..{steps}, got {lengths}")
    t_max = max(lengths)
    order = sorted(range(ens), key=lambda e: -lengths[e])
    p_in = {k: p[k] for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
    if order != list(range(ens)):
        idx = torch.tensor(order, device=x.device)
        x = x[idx]
        p_in = {k: v[idx] for k, v in p_in.items()}
    lens = [lengths[e] for e in order]
    x = x[:, :, :t_max]
    if min(lengths) < t_max:  # right-align: member e's step s goes to t_max - lengths[e] + s
        src = torch.arange(t_max, device=x.device)[None, :] - (t_max - torch.tensor(lens, device=x.device))[:, None]
        x = x.gather(2, src.clamp(min=0)[:, None, :, None].expand(-1, batch, -1, x.shape[-1]))
    zx = torch.cat([x.new_ones(t_max, ens, batch, 1), x.permute(2, 0, 1, 3)], -1)  # (T, E, B, 1 + in)
    counts = [sum(1 for v in lens if v >= t_max - t) for t in range(t_max)]
    w = _augmented_weights(model, p_in)
    h = _Recurrence.apply(model, counts, zx, w, torch.is_grad_enabled() and w.requires_grad)
    if order != list(range(ens)):
        inverse = [0] * ens
        for pos, e in enumerate(order):
            inverse[e] = pos
        h = h[torch.tensor(inverse, device=x.device)]
    return h


def readout(p: dict[str, torch.Tensor], h: torch.Tensor) -> torch.Tensor:
    """Linear read-out y = w . h + b per member: h (E, B, h) -> (E, B)."""
    return torch.baddbmm(p["out_bias"][:, None, None], h, p["out_weight"][:, :, None]).squeeze(-1)


def clip_per_member(params: list[torch.Tensor], max_norm: float) -> torch.Tensor:
    """clip_grad_norm_ separately for every ensemble member: member e's gradient (its slice [e] of every tensor) is
    scaled by min(1, max_norm / (||g_e|| + 1e-6)), as torch.nn.utils.clip_grad_norm_ does for one network.
    Returns the per-member norms before clipping, shape (E,)."""
    grads = [q.grad for q in params if q.grad is not None]
    sq = sum(g.reshape(g.shape[0], -1).pow(2).sum(1) for g in grads)
    norms = sq.sqrt()
    coef = (max_norm / (norms + 1e-6)).clamp(max=1.0)
    for g in grads:
        g.mul_(coef.view(-1, *([1] * (g.dim() - 1))))
    return norms


def member_into_torch(model: str, p: dict[str, torch.Tensor], e: int, module: torch.nn.Module) -> None:
    """Copy member e's recurrent weights into a one-layer torch nn.RNN / nn.GRU / nn.LSTM (for tests)."""
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(module, f"{name}_l0").copy_(p[name][e])
