"""The spectrum of X^T X for P = alpha N Gaussian examples of variance 1/N (Advani & Saxe's normalisation), designs batched over seeds: the empirical spectral distribution, the fraction of zero eigenvalues and the extreme eigenvalues, for the Marchenko-Pastur law (Marchenko & Pastur 1967; Dobriban 2019, Stat 991 notes §7.10)."""

from __future__ import annotations

import math

import numpy as np
import torch

from experiments.lib.common import Progress, generator

ZERO = 1e-9  # eigvalsh returns the rank deficit's zeros as +-1e-15 (times the scale): below ZERO * the largest is 0


def spectrum(gen, S: int, N: int, alpha: float, device) -> torch.Tensor:
    """The sorted eigenvalues (S, N) of X^T X, zeros thresholded to exactly 0."""
    P = int(round(alpha * N))
    if P < 1 or abs(P - alpha * N) > 1e-9 * N:
        raise ValueError(f"alpha * N must be a positive integer, got alpha = {alpha}, N = {N}")
    x = torch.randn(S, P, N, generator=gen, dtype=torch.float64, device=device) / math.sqrt(N)
    lam = torch.linalg.eigvalsh(x.transpose(1, 2) @ x)
    return torch.where(lam < ZERO * lam[:, -1:], torch.zeros_like(lam), lam)


def run(*, seed: int, device: torch.device | str = "cpu", sweep: str, N: int, alpha: float | list[float], n_seeds: int,
        x: list[float] | None = None) -> dict[str, np.ndarray]:
    """sweep "cdf": one alpha; ecdf (seeds, grid x) is the fraction of the N eigenvalues at most x.
    sweep "edges": alpha is the grid; per seed and alpha the largest eigenvalue (top), the smallest non-zero one
    (bottom) and the fraction of exact zeros after thresholding (zero_fraction)."""
    device = torch.device(device)
    gen = generator(seed, device)
    if sweep == "cdf":
        grid = torch.as_tensor([float(v) for v in x or []], dtype=torch.float64, device=device)
        lam = spectrum(gen, n_seeds, N, float(alpha), device)
        ecdf = (lam[:, None, :] <= grid[None, :, None]).to(torch.float64).mean(2)
        return {"x": grid.cpu().numpy(), "ecdf": ecdf.cpu().numpy()}
    if sweep != "edges":
        raise ValueError(f"sweep must be 'cdf' or 'edges', got {sweep!r}")
    alphas = [float(v) for v in alpha]
    top, bottom, zeros = [], [], []
    progress = Progress(len(alphas), f"ntk_marchenko_pastur[edges, N={N}]")
    for a in alphas:
        lam = spectrum(gen, n_seeds, N, a, device)
        top.append(lam[:, -1])
        bottom.append(torch.where(lam > 0, lam, torch.full_like(lam, math.inf)).amin(1))
        zeros.append((lam == 0).to(torch.float64).mean(1))
        progress.update(1)
    progress.close()
    return {"alpha": np.asarray(alphas), "top": torch.stack(top, 1).cpu().numpy(),
            "bottom": torch.stack(bottom, 1).cpu().numpy(), "zero_fraction": torch.stack(zeros, 1).cpu().numpy()}
