"""Autograd Jacobians dh_t/dh_k of a tanh or sigmoid RNN against the explicit product of W diag(sigma'(h)) factors, and the notes' footnote form s_t = sigma(W s_{t-1} + ...) (Dobriban 2019, Stat 991 notes)."""

from __future__ import annotations

import numpy as np
import torch

from experiments.lib.common import generator
from experiments.lib.vanilla_rnn import dphi, forward, phi


def _relative(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """max |a - b| / max |b| per batch member."""
    return (a - b).abs().amax((-2, -1)) / b.abs().amax((-2, -1))


def run(
    *,
    seed: int,
    device: torch.device | str = "cpu",
    activation: str,
    n: int,
    lag: list[int],
    spectral_norm: float,
    sigma_in: float,
    n_seeds: int,
) -> dict[str, np.ndarray]:
    """For every lag l (k = T - l, T = max lag): the relative error of the product formula J_T ... J_{k+1},
    J_i = W diag(sigma'(h_{i-1})) (numerator layout), against torch.func.jacrev of the unrolled map h_k -> h_T; the same for the
    footnote's state s = sigma(h) against the conjugation identity ds_T/ds_k = diag(sigma'(h_T)) dh_T/dh_k diag(sigma'(h_k))^-1;
    and the relative difference between ds_T/ds_k and dh_T/dh_k, which the footnote's 'equivalent' would make zero."""
    device = torch.device("cpu")  # float64 exactness check: the CPU is the reference
    dt = torch.float64
    gen = generator(seed, device)
    steps = int(max(lag))
    w = torch.randn(n_seeds, n, n, generator=gen, dtype=dt)
    w = spectral_norm * w / torch.linalg.matrix_norm(w, ord=2)[:, None, None]
    drive = sigma_in * torch.randn(n_seeds, steps, n, generator=gen, dtype=dt)
    h0 = torch.randn(n_seeds, n, generator=gen, dtype=dt)
    h = forward(activation, w, drive, h0)  # (S, T+1, n)

    def unroll_h(hk, wm, xs):  # one seed: h_k -> h_T through the remaining drive
        for x in xs:
            hk = wm @ phi(activation, hk) + x
        return hk

    def unroll_s(sk, wm, xs):  # footnote form: s_t = sigma(W s_{t-1} + drive_t), s = sigma(h)
        for x in xs:
            sk = phi(activation, wm @ sk + x)
        return sk

    product_error, footnote_error, difference = [], [], []
    for ell in lag:
        k = steps - ell
        xs = drive[:, k:]
        auto_h = torch.func.vmap(torch.func.jacrev(unroll_h), in_dims=(0, 0, 0))(h[:, k], w, xs)
        s_k = phi(activation, h[:, k])
        auto_s = torch.func.vmap(torch.func.jacrev(unroll_s), in_dims=(0, 0, 0))(s_k, w, xs)
        p = torch.eye(n, dtype=dt).expand(n_seeds, n, n)
        for i in range(steps, k, -1):  # latest factor on the left: J_T J_{T-1} ... J_{k+1}
            p = p @ (w * dphi(activation, h[:, i - 1])[:, None, :])
        conj = dphi(activation, h[:, steps])[:, :, None] * p / dphi(activation, h[:, k])[:, None, :]
        product_error.append(_relative(auto_h, p))
        footnote_error.append(_relative(auto_s, conj))
        difference.append(torch.linalg.matrix_norm(auto_s - auto_h) / torch.linalg.matrix_norm(auto_h))
    return {
        "lag": np.asarray(lag, dtype=float),
        "product_error": torch.stack(product_error, 1).numpy(),
        "footnote_error": torch.stack(footnote_error, 1).numpy(),
        "footnote_difference": torch.stack(difference, 1).numpy(),
    }
