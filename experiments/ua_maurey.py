"""Maurey's sampling argument made concrete: f_n(x) = (1/n) sum_k cos(w_k . x), w_k ~ N(0, I_p), approximates exp(-|x|^2/2) = E cos(w . x) on [-1, 1]^p, and its mean-square error under the uniform probability is measured over a sweep of n (Dobriban 2019, Stat 991 notes, Theorem 7.2; Barron 1993, IEEE Trans. Inf. Theory, Thm 1 and its Maurey-Jones lemma)."""

from __future__ import annotations

import numpy as np
import torch

from experiments.lib.common import generator


def run(*, seed: int, device: torch.device | str = "cpu", p: int, n: list[int], n_points: int, n_seeds: int,
        chunk: int = 4) -> dict:
    """Per seed: fresh frequencies w_1..w_N (N = max n) and fresh test points x ~ U[-1, 1]^p; f_n for every n of the
    sweep is a prefix mean of the same N cosines (one matmul and a cumulative sum), and the MSE over the test points is
    an unbiased estimate of the L2(mu) error.  Returns MSE and n * MSE (seeds, n)."""
    device = torch.device(device)
    gen = generator(seed, device)
    ns = torch.as_tensor(n, dtype=torch.long, device=device)
    big = int(ns.max())
    out = []
    for start in range(0, n_seeds, chunk):
        s = min(chunk, n_seeds - start)
        w = torch.randn(s, big, p, generator=gen, dtype=torch.float64, device=device)
        x = 2 * torch.rand(s, n_points, p, generator=gen, dtype=torch.float64, device=device) - 1
        target = torch.exp(-0.5 * (x * x).sum(-1))  # (s, points)
        partial = torch.cos(torch.einsum("spd,snd->spn", x, w)).cumsum(-1)  # (s, points, N)
        approx = partial[..., ns - 1] / ns.to(torch.float64)  # (s, points, len(n))
        out.append(((approx - target[..., None]) ** 2).mean(1))
    mse = torch.cat(out).cpu().numpy()
    return {"n": np.asarray(n, dtype=float), "mse": mse, "n_mse": mse * np.asarray(n, dtype=float)[None, :]}
