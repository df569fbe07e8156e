"""Min-norm and ridge least squares on isotropic Gaussian designs, swept over the number of features or of samples with trials batched as a tensor dimension: the double-descent curves of Belkin, Hsu & Xu (2020, Thm 1), Hastie et al. (2022, Thm 1) and Dobriban & Wager (2018) (Scaman 2023, Mathematics of Deep Learning slides)."""

from __future__ import annotations

import numpy as np
import torch

from experiments.lib.checkpoint import Checkpoint, Pieces
from experiments.lib.common import Progress, generator, normal
from experiments.lib.linear_solvers import expected_error_given_design, minnorm_solve, ridge_solve


def _check_grid(name: str, values, lo: int) -> list[int]:
    grid = [int(v) for v in values]
    if not grid or min(grid) < lo or any(float(v) != int(v) for v in values):
        raise ValueError(f"{name} must be a non-empty list of integers >= {lo}, got {values}")
    return grid


def run(*, seed: int, device: torch.device | str = "cpu", sweep: str, n: int = 0, p: list[int] | int = 0, D: int = 0,
        gamma: list[float] | None = None, n_samples: list[int] | None = None, r2: float, sigma2: float | list[float],
        ridge: str = "none", n_seeds: int, checkpoint: str | None = None) -> dict[str, np.ndarray]:
    """One run of a least-squares sweep, every trial an independent design, signal and noise (float64).

    sweep = "features" (B1): n samples of D isotropic features, the learner uses the first p of them (grid p),
    equal-energy signal beta_j = +-sqrt(r2/D); risk = E (y - x_T^T beta_hat)^2 = ||beta_T - beta_hat||^2 + ||beta_(T^c)||^2 + sigma2,
    exact given the fit (no test sampling).
    sweep = "ratio" (B2, B6): p = round(gamma n) for the grid gamma (gamma n must be an integer), beta ~ N(0, r2/p I),
    min-norm (ridge "none") or ridge at lam* = gamma sigma2/r2 ("optimal"); excess_risk = ||beta_hat - beta||^2.
    sweep = "samples" (B7): p fixed (D = p), the grid is n_samples and the series sigma2 (aligned lists), risk with noise.

    The metric compared (risk, excess_risk) is each trial's risk averaged exactly over its signal and noise given its
    design (linear_solvers.expected_error_given_design): the same expectation as the realised risk, which is kept as
    <metric>_sampled, with the signal and noise variance removed (a Rao-Blackwellised Monte Carlo over designs).
    With ``checkpoint`` each grid point is kept as it is done (with the generator's state after it), and a rerun of the
    same parameters computes only the rest, bit for bit as one uninterrupted run.
    """
    device = torch.device(device)
    dt = torch.float64
    gen = generator(seed, device)
    S = n_seeds
    pieces = Pieces(Checkpoint(checkpoint, {"seed": seed, "sweep": sweep, "n": n, "p": p, "D": D, "gamma": gamma,
                                            "n_samples": n_samples, "r2": r2, "sigma2": sigma2, "ridge": ridge,
                                            "n_seeds": n_seeds, "device": str(device)}), rng=gen, device=device)
    if ridge not in ("none", "optimal"):
        raise ValueError(f"ridge must be 'none' or 'optimal', got {ridge!r}")
    if sweep == "features":
        grid = _check_grid("p", p, 1)
        if max(grid) > D:
            raise ValueError(f"p up to {max(grid)} exceeds D = {D}")
        x = normal((S, n, D), gen, dt, device)
        signs = torch.randint(0, 2, (S, D), generator=gen, device=device).to(dt) * 2 - 1
        beta = signs * (r2 / D) ** 0.5
        y = torch.einsum("snd,sd->sn", x, beta) + sigma2**0.5 * normal((S, n), gen, dt, device)
        risk, sampled = [], []
        progress = Progress(len(grid), f"least_squares[features, n={n}]")
        def features_point(k: int):  # one batched SVD over the trials per p; the columns beyond p are simply not used
            # one SVD per point gives both the fit and the singular values the exact average needs
            fit, s = minnorm_solve(x[:, :, :k], y, with_singular_values=True)
            # The omitted features act on y as independent noise of variance ||beta_(T^c)||^2 = r2 (D - p)/D.
            omitted = r2 * (D - k) / D
            return (expected_error_given_design(s, k, r2 / D, sigma2 + omitted) + omitted + sigma2,
                    (fit - beta[:, :k]).pow(2).sum(1) + beta[:, k:].pow(2).sum(1) + sigma2)

        for k in grid:
            r, smp = pieces(k, lambda: features_point(k))
            risk.append(r)
            sampled.append(smp)
            progress.update(1)
        progress.close()
        pieces.finish()
        return {"p": np.asarray(grid, dtype=float), "risk": torch.stack(risk, 1).cpu().numpy(),
                "risk_sampled": torch.stack(sampled, 1).cpu().numpy()}
    if sweep == "ratio":
        ratios = [float(v) for v in (gamma or [])]
        grid = [int(round(v * n)) for v in ratios]
        if not grid or any(abs(k - v * n) > 1e-9 * n or k < 1 for k, v in zip(grid, ratios)):
            raise ValueError(f"gamma * n must be positive integers, got gamma = {gamma}, n = {n}")
        out, sampled = [], []
        progress = Progress(len(grid), f"least_squares[ratio, n={n}, ridge={ridge}]")
        def ratio_point(k: int):
            x = normal((S, n, k), gen, dt, device)
            beta = (r2 / k) ** 0.5 * normal((S, k), gen, dt, device)
            y = torch.einsum("snk,sk->sn", x, beta) + sigma2**0.5 * normal((S, n), gen, dt, device)
            penalty = torch.full((S,), (k / n) * sigma2 / r2, dtype=dt, device=device)
            fit, s = minnorm_solve(x, y, True) if ridge == "none" else ridge_solve(x, y, penalty, True)
            return (expected_error_given_design(s, k, r2 / k, sigma2, 0.0 if ridge == "none" else n * penalty),
                    (fit - beta).pow(2).sum(1))

        for k in grid:
            r, smp = pieces(k, lambda: ratio_point(k))
            out.append(r)
            sampled.append(smp)
            progress.update(1)
        progress.close()
        pieces.finish()
        return {"gamma": np.asarray(ratios), "excess_risk": torch.stack(out, 1).cpu().numpy(),
                "excess_risk_sampled": torch.stack(sampled, 1).cpu().numpy()}
    if sweep == "samples":
        grid = _check_grid("n_samples", n_samples or [], 1)
        noise = [float(v) for v in sigma2] if isinstance(sigma2, (list, tuple)) else [float(sigma2)] * len(grid)
        if len(noise) != len(grid):
            raise ValueError("sigma2 must be one value or a list as long as n_samples")
        k = int(p)
        out, sampled = [], []
        progress = Progress(len(grid), f"least_squares[samples, p={k}]")
        def samples_point(m: int, s2: float):
            x = normal((S, m, k), gen, dt, device)
            beta = (r2 / k) ** 0.5 * normal((S, k), gen, dt, device)
            y = torch.einsum("snk,sk->sn", x, beta) + s2**0.5 * normal((S, m), gen, dt, device)
            fit, s = minnorm_solve(x, y, with_singular_values=True)
            return expected_error_given_design(s, k, r2 / k, s2) + s2, (fit - beta).pow(2).sum(1) + s2

        for i, (m, s2) in enumerate(zip(grid, noise)):
            r, smp = pieces(i, lambda: samples_point(m, s2))
            out.append(r)
            sampled.append(smp)
            progress.update(1)
        progress.close()
        pieces.finish()
        return {"n_samples": np.asarray(grid, dtype=float), "sigma2": np.asarray(noise), "risk": torch.stack(out, 1).cpu().numpy(),
                "risk_sampled": torch.stack(sampled, 1).cpu().numpy()}
    raise ValueError(f"sweep must be 'features', 'ratio' or 'samples', got {sweep!r}")
