"""Exact norms of the RNN Jacobian products dh_T/dh_{T-l} and the lag decomposition of dE_T/dW, batched over seeds and top singular values (Dobriban 2019, Stat 991 notes, §3.3.2; Pascanu, Mikolov & Bengio 2013, §2.1)."""

from __future__ import annotations

import math

import numpy as np
import torch

from experiments.lib.common import Progress, generator
from experiments.lib.vanilla_rnn import dphi, forward, phi, unit_spectral_norm_weights


def unique_in_order(values) -> list:
    return list(dict.fromkeys(values))


def products_and_tails(activation: str, w: torch.Tensor, h: torch.Tensor, a: torch.Tensor, cuts: set[int]):
    """For a batch of weights w (B, n, n), states h (B, T+1, n) and loss vectors a (B, n), E_T = a . h_T:
    log ||dh_T/dh_(T-l)||_2 at every l in cuts, from P_l = P_(l-1) W diag(sigma'(h_(T-l))) (explicit products, SVD), and
    ||sum_(l' > cut) C_l'||_F, where C_l = delta_(T-l) sigma(h_(T-l-1))^T, delta_(T-l) = P_l^T a, is the lag-l term of dE_T/dW."""
    steps = h.shape[1] - 1
    act, slope = phi(activation, h), dphi(activation, h)
    log_norm: dict[int, torch.Tensor] = {}
    deltas = [a]  # delta_{T-l} = P_l^T a for l = 0 .. T-1
    p = torch.eye(w.shape[-1], dtype=w.dtype, device=w.device).expand_as(w)
    progress = Progress(steps - 1, f"rnn_jacobian[{activation}, n={w.shape[-1]}]")
    for ell in range(1, steps):
        p = torch.bmm(p, w) * slope[:, steps - ell, None, :]
        deltas.append(torch.einsum("bij,bi->bj", p, a))
        if ell in cuts:
            log_norm[ell] = torch.linalg.svdvals(p)[:, 0].log()
        progress.update(1)
    progress.close()
    # Suffix sums over l of C_l give the tails.
    delta = torch.stack(deltas, 1)  # (B, T, n), index l
    inputs = torch.stack([act[:, steps - ell - 1] for ell in range(steps)], 1)  # sigma(h_{T-l-1})
    tail = {cut: torch.linalg.matrix_norm(torch.einsum("bli,blj->bij", delta[:, cut + 1:], inputs[:, cut + 1:])) for cut in cuts}
    return log_norm, tail


def run(
    *,
    seed: int,
    device: torch.device | str = "cpu",
    activation: str,
    n: int,
    lag: list[int],
    lambda1: list[float],
    sigma_in: float,
    n_seeds: int,
    dtype: str = "float64",
) -> dict[str, np.ndarray]:
    """For every (lambda1, lag) grid point: log ||dh_T/dh_{T-lag}||_2 and the normalised share of dE_T/dW carried by lags > lag.

    W = lambda1 W0 with W0 Gaussian of unit spectral norm (one W0 per seed, shared by the
    lambda1 values), drive xi_t ~ N(0, sigma_in^2 I), h_0 = 0, sequence length T = max lag + 1,
    loss E_T = a . h_T with a random unit a.  The Jacobian products are formed explicitly,
    P_l = P_{l-1} W diag(sigma'(h_{T-l})), and their spectral norms taken by SVD, so that the
    bound is compared with exact norms rather than a power-iteration lower estimate.
    tail_share = ||sum_{l' > lag} C_l'||_F / (||a|| max_k ||sigma(h_k)||) where
    C_l = delta_{T-l} sigma(h_{T-l-1})^T is the lag-l term of dE_T/dW.
    """
    device = torch.device(device)
    tdtype = getattr(torch, dtype)
    lags = np.asarray(lag, dtype=np.int64)
    lams = np.asarray(lambda1, dtype=float)
    if lags.shape != lams.shape or lags.ndim != 1 or np.any(lags < 1):
        raise ValueError("lag and lambda1 must be equal-length lists with lag >= 1")
    levels = unique_in_order(lams.tolist())
    steps = int(lags.max()) + 1  # T
    gen = generator(seed, device)
    S, K = n_seeds, len(levels)
    w0 = unit_spectral_norm_weights(gen, S, n, tdtype, device)
    scale = torch.as_tensor(levels, dtype=tdtype, device=device)
    w = (scale.view(1, K, 1, 1) * w0[:, None]).reshape(S * K, n, n)
    drive = sigma_in * torch.randn(S, 1, steps, n, generator=gen, dtype=tdtype, device=device).expand(S, K, steps, n)
    a = torch.randn(S, 1, n, generator=gen, dtype=tdtype, device=device).expand(S, K, n).reshape(S * K, n)
    a = a / a.norm(dim=-1, keepdim=True)
    h = forward(activation, w, drive.reshape(S * K, steps, n))  # (B, T+1, n): h_0 .. h_T

    wanted = set(lags.tolist())
    log_norm, tail_norm = products_and_tails(activation, w, h, a, wanted)
    normaliser = a.norm(dim=-1) * phi(activation, h)[:, :steps].norm(dim=-1).max(-1).values
    tail = {cut: value / normaliser for cut, value in tail_norm.items()}

    index = {v: i for i, v in enumerate(levels)}
    cols = [index[v] for v in lams.tolist()]

    def grid(values: dict[int, torch.Tensor]) -> np.ndarray:
        out = torch.stack([values[int(l_)].view(S, K)[:, k] for l_, k in zip(lags, cols)], 1)
        return out.cpu().numpy()

    # The per-step decay rate actually measured (OLS of log norm on lag, lag >= 10), for the tightness gap.
    fitted = np.zeros((S, len(lags)))
    ln = grid(log_norm)
    for v in levels:
        m = (lams == v) & (lags >= min(10, lags.max()))
        if m.sum() >= 2:
            x = lags[m] - lags[m].mean()
            rate = ((ln[:, m] - ln[:, m].mean(1, keepdims=True)) * x).sum(1) / (x * x).sum()
            fitted[:, lams == v] = rate[:, None]
    return {
        "lag": lags.astype(float),
        "lambda1": lams,
        "log_norm": ln,
        "tail_share": grid(tail),
        "fitted_rate": fitted,
        "T": np.asarray(float(steps)),
    }
