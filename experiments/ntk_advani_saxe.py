"""Gradient descent on Advani & Saxe's linear student (2017, Sec. 2): P = alpha N Gaussian examples of variance 1/N, a Gaussian teacher with label noise, GD in the original coordinates, with designs batched over seeds and draws of (teacher, start, noise) as a tensor dimension (Dobriban 2019, Stat 991 notes §7.10)."""

from __future__ import annotations

import math

import numpy as np
import torch

from experiments.lib.common import Progress, generator

ZERO = 1e-9  # eigenvalues of X^T X below ZERO * the largest are the rank deficit's zeros (eigh returns +-1e-15 there)


def _design(gen, S: int, N: int, alpha: float, device) -> tuple[torch.Tensor, int]:
    P = int(round(alpha * N))
    if P < 1 or abs(P - alpha * N) > 1e-9 * N:
        raise ValueError(f"alpha * N must be a positive integer, got alpha = {alpha}, N = {N}")
    return torch.randn(S, P, N, generator=gen, dtype=torch.float64, device=device) / math.sqrt(N), P


def _spectrum(a: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Eigenvalues (zeros thresholded to exactly 0) and eigenvectors of the symmetric (S, N, N) batch."""
    lam, vec = torch.linalg.eigh(a)
    lam = torch.where(lam < ZERO * lam.amax(dim=1, keepdim=True), torch.zeros_like(lam), lam)
    return lam, vec


def _steps(times: list[float], eta: float) -> list[int]:
    steps = [int(round(v / eta)) for v in times]
    if any(k < 1 or abs(k * eta - v) > 1e-9 * max(v, 1.0) for k, v in zip(steps, times)):
        raise ValueError(f"every time must be a positive multiple of eta = {eta}, got {times}")
    return steps


def fixed_design_curves(lam: torch.Tensor, P: int, eta: float, steps: list[int], sw2: float, s02: float,
                        se2: float) -> tuple[torch.Tensor, torch.Tensor]:
    """The expected test and training errors after each number of steps given the design's spectrum (S, N): the mean
    over teacher, start and noise, mode by mode, of (1 - eta lambda)^k decays; zero modes stay frozen.  A
    Rao-Blackwellisation: the same expectation as the Monte Carlo over draws, with their variance removed."""
    N = lam.shape[1]
    k = torch.as_tensor(steps, dtype=lam.dtype, device=lam.device)
    pos = lam > 0
    d = (1 - eta * lam)[:, None, :] ** k[None, :, None]  # (S, T, N)
    safe = torch.where(pos, lam, torch.ones_like(lam))[:, None, :]
    per_mode = torch.where(pos[:, None, :], (sw2 + s02) * d**2 + se2 / safe * (1 - d) ** 2,
                           torch.full_like(d, sw2 + s02))
    test = per_mode.sum(2) / N + se2
    fit = torch.where(pos[:, None, :], (lam[:, None, :] * (sw2 + s02) + se2) * d**2, torch.zeros_like(d))
    train = (fit.sum(2) + se2 * max(P - N, 0)) / P
    return test, train


def run(*, seed: int, device: torch.device | str = "cpu", sweep: str, N: int, alpha: float | list[float], eta: float | list[float],
        sw2: float = 1.0, s02: float, se2: float, n_seeds: int, snr: list[float] | None = None, t: list[float] | None = None, T: float = 1.0,
        draws: int = 0, N_exact: int = 0, compare_every: float = 0.0) -> dict[str, np.ndarray]:
    """sweep "dynamics" (F1): per seed one design, teacher, start and noise; GD at each step size of the grid eta up to
    time T against the exact gradient-flow solution of the modes at the multiples of compare_every (one time grid
    for every step size; 0: at every step), z_i(t) = z_i(inf) + (z_i(0) - z_i(inf)) exp(-lambda_i
    t) with zero modes frozen; rel_error = max over steps of ||w_k - w_flow(k eta)|| / ||w(0) - w_flow(inf)||.

    sweep "curves" (F2, F3): per seed one design of N parameters; draws independent (teacher, start, noise) trained by
    GD at step eta; at the times t the Monte-Carlo test error ||wbar - w||^2/N + se2 and training error
    ||y - X w||^2/P averaged over draws (eg_mc, etrain_mc), the same expectations given the design from its spectrum
    (eg_fixed_x, etrain_fixed_x) and their ratios; with N_exact > 0 also the expectations given S other designs of
    N_exact parameters (eg_exact, etrain_exact), a Monte Carlo over designs only, for the Marchenko-Pastur limit.

    sweep "stopping" (F6): snr is a list of signal-to-noise ratios sw2/se2 (sw2 unused); per seed one design of N_exact parameters,
    its expected test error at every step up to time T, and t_star, the time of its minimum (censored when the minimum
    is the last step: the error was still falling at T).

    sweep "ridge" (F5): snr and alpha are aligned lists of cells; per seed and cell one design of N_exact parameters;
    excess_ratio is (min over steps up to T of the expected test error of GD from 0) - se2 over the expected excess
    error of ridge at the Bayes penalty se2/sw2, both given the design (sigma_0 = 0)."""
    device = torch.device(device)
    gen = generator(seed, device)
    S, dt = n_seeds, torch.float64
    if sweep == "dynamics":
        etas = [float(v) for v in eta]
        x, P = _design(gen, S, N, alpha, device)
        wbar = math.sqrt(sw2) * torch.randn(S, N, generator=gen, dtype=dt, device=device)
        w0 = math.sqrt(s02) * torch.randn(S, N, generator=gen, dtype=dt, device=device)
        y = torch.einsum("spn,sn->sp", x, wbar) + math.sqrt(se2) * torch.randn(S, P, generator=gen, dtype=dt, device=device)
        a, b = x.transpose(1, 2) @ x, torch.einsum("spn,sp->sn", x, y)
        lam, vec = _spectrum(a)
        z0, s = (torch.einsum("snk,sn->sk", vec, v) for v in (w0, b))
        zinf = torch.where(lam > 0, s / torch.where(lam > 0, lam, torch.ones_like(lam)), z0)  # zero modes frozen
        gap0 = torch.linalg.vector_norm(z0 - zinf, dim=1)
        errors = []
        progress = Progress(len(etas), f"ntk_advani_saxe[dynamics, alpha={alpha}]")
        for step in etas:
            w, worst = w0[:, :, None].clone(), torch.zeros(S, dtype=dt, device=device)
            every = max(1, int(round(compare_every / step)))  # compared on one time grid for every step size
            for k in range(1, int(round(T / step)) + 1):
                w = w + step * (b[:, :, None] - torch.bmm(a, w))
                if k % every == 0:
                    flow = torch.bmm(vec, (zinf + (z0 - zinf) * torch.exp(-lam * k * step))[:, :, None])
                    worst = torch.maximum(worst, torch.linalg.vector_norm((w - flow)[:, :, 0], dim=1))
            errors.append(worst / gap0)
            progress.update(1)
        progress.close()
        return {"eta": np.asarray(etas), "rel_error": torch.stack(errors, 1).cpu().numpy()}
    if sweep == "stopping":
        # F6: the time of the minimum of each design's expected test error, per signal-to-noise ratio sw2/se2 of the
        # grid snr (se2 fixed); one design per seed serves every ratio.
        snrs = [float(v) for v in snr or []]
        step = float(eta)
        steps = list(range(1, int(round(T / step)) + 1))
        x, P = _design(gen, S, int(N_exact), alpha, device)
        lam, _ = _spectrum(x.transpose(1, 2) @ x)
        best = []
        for snr in snrs:
            test, _ = fixed_design_curves(lam, P, step, steps, snr * se2, s02, se2)
            best.append(step * (1 + test.argmin(dim=1)).to(dt))
        return {"snr": np.asarray(snrs), "t_star": torch.stack(best, 1).cpu().numpy(),
                "t_star__censored": torch.stack(best, 1).cpu().numpy() >= step * steps[-1]}
    if sweep == "ridge":
        # F5: per cell (snr_j, alpha_j) and design, the best early-stopped GD against ridge at the Bayes penalty, both as
        # expectations given the design; sigma_0 = 0 (GD starts at 0, ridge's shrinkage target).
        ratios, cells = [], list(zip([float(v) for v in snr or []], [float(v) for v in alpha]))
        step = float(eta)
        steps = list(range(1, int(round(T / step)) + 1))
        for ratio, a in cells:
            x, P = _design(gen, S, int(N_exact), a, device)
            lam, _ = _spectrum(x.transpose(1, 2) @ x)
            signal = ratio * se2
            early, _ = fixed_design_curves(lam, P, step, steps, signal, 0.0, se2)
            penalty = se2 / signal  # the posterior mean's ridge: the Bayes estimator given the design
            shrink = penalty / (lam + penalty)
            ridge = (signal * shrink**2 + se2 * lam / (lam + penalty) ** 2).mean(1)  # excess over se2; zero modes: signal
            ratios.append((early.amin(1) - se2) / ridge)
        return {"snr": np.asarray([c[0] for c in cells]), "alpha": np.asarray([c[1] for c in cells]),
                "excess_ratio": torch.stack(ratios, 1).cpu().numpy()}
    if sweep != "curves":
        raise ValueError(f"sweep must be 'dynamics', 'curves', 'stopping' or 'ridge', got {sweep!r}")
    times = [float(v) for v in (t or [])]
    step = float(eta)
    steps = _steps(times, step)
    out: dict[str, np.ndarray] = {"t": np.asarray(times)}
    if draws > 0:
        x, P = _design(gen, S, N, alpha, device)
        R = int(draws)
        wbar = math.sqrt(sw2) * torch.randn(S, N, R, generator=gen, dtype=dt, device=device)
        w = math.sqrt(s02) * torch.randn(S, N, R, generator=gen, dtype=dt, device=device)
        y = x @ wbar + math.sqrt(se2) * torch.randn(S, P, R, generator=gen, dtype=dt, device=device)
        a, b = x.transpose(1, 2) @ x, x.transpose(1, 2) @ y
        record = dict(zip(steps, range(len(steps))))
        test = torch.zeros(S, len(steps), dtype=dt, device=device)
        train = torch.zeros_like(test)
        progress = Progress(max(steps), f"ntk_advani_saxe[curves, alpha={alpha}]")
        for k in range(1, max(steps) + 1):
            w = w + step * (b - a @ w)
            if k in record:
                j = record[k]
                test[:, j] = (wbar - w).pow(2).sum(1).mean(1) / N + se2
                train[:, j] = (y - x @ w).pow(2).sum(1).mean(1) / P
            progress.update(1)
        progress.close()
        lam, _ = _spectrum(a)
        exact_test, exact_train = fixed_design_curves(lam, P, step, steps, sw2, s02, se2)
        out.update(eg_mc=test.cpu().numpy(), etrain_mc=train.cpu().numpy(), eg_fixed_x=exact_test.cpu().numpy(),
                   etrain_fixed_x=exact_train.cpu().numpy(), eg_mc_ratio=(test / exact_test).cpu().numpy(),
                   etrain_mc_ratio=(train / exact_train).cpu().numpy())
    if N_exact > 0:
        x, P = _design(gen, S, N_exact, alpha, device)
        lam, _ = _spectrum(x.transpose(1, 2) @ x)
        exact_test, exact_train = fixed_design_curves(lam, P, step, steps, sw2, s02, se2)
        out.update(eg_exact=exact_test.cpu().numpy(), etrain_exact=exact_train.cpu().numpy())
    return out
