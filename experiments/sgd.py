"""SGD and GD on the isotropic quadratic and the cosine objective, batched over horizons and seeds (Lelarge, Vie & Scaman 2024, ENS Deep Learning notes, §3.4)."""

from __future__ import annotations

import math

import numpy as np
import torch

from experiments.lib.common import Progress, generator, normal

OBJECTIVES = ("quadratic", "cosine")


def gradient(objective: str, theta: torch.Tensor, beta: float | None) -> torch.Tensor:
    if objective == "quadratic":  # L = beta/2 ||theta||^2
        return beta * theta
    if objective == "cosine":  # L = sum_i theta_i^2/2 + 3 cos theta_i
        return theta - 3.0 * torch.sin(theta)
    raise ValueError(f"unknown objective {objective!r}; valid: {', '.join(OBJECTIVES)}")


def run(
    *,
    seed: int,
    device: torch.device | str = "cpu",
    objective: str,
    d: int,
    sigma2: float,
    T: list[int],
    eta: list[float],
    n_seeds: int,
    beta: float | None = None,
    theta0_sq: float | None = None,
    theta0: float | None = None,
    burn_in: int = 0,
    dtype: str = "float64",
) -> dict[str, np.ndarray]:
    """Run SGD once per (horizon row, seed): row r takes T[r] steps at constant step eta[r].

    The gradient oracle adds Gaussian noise N(0, sigma2/d I), i.e. total variance sigma2.
    Returns per (seed, row): A = mean and M = min of ||grad L(theta_t)||^2 over
    burn_in <= t < T[r] (t = 0 is the start point).  Rows are independent trajectories
    stacked in one tensor; a row stops being updated once its horizon is reached.
    """
    device = torch.device(device)
    tdtype = getattr(torch, dtype)
    horizons = np.asarray(T, dtype=np.int64)
    steps = np.asarray(eta, dtype=float)
    if horizons.shape != steps.shape or horizons.ndim != 1:
        raise ValueError(f"T and eta must be lists of equal length, got {horizons.shape} and {steps.shape}")
    if np.any(horizons <= burn_in):
        raise ValueError(f"every horizon must exceed burn_in={burn_in}")
    if objective == "quadratic":
        if beta is None or theta0_sq is None:
            raise ValueError("the quadratic objective needs beta and theta0_sq")
        start = math.sqrt(theta0_sq / d)
    elif objective == "cosine":
        if theta0 is None:
            raise ValueError("the cosine objective needs theta0")
        start = float(theta0)
    else:
        raise ValueError(f"unknown objective {objective!r}; valid: {', '.join(OBJECTIVES)}")

    gen = generator(seed, device)
    # Longest horizon first, so that the rows still running at step t are a prefix [:k].
    order = np.argsort(-horizons, kind="stable")
    h_sorted = horizons[order]
    eta_t = torch.as_tensor(steps[order], dtype=tdtype, device=device).view(-1, 1, 1)
    rows = len(horizons)
    theta = torch.full((rows, n_seeds, d), start, dtype=tdtype, device=device)
    total = torch.zeros(rows, n_seeds, dtype=tdtype, device=device)
    minimum = torch.full((rows, n_seeds), math.inf, dtype=tdtype, device=device)
    noise_scale = math.sqrt(sigma2 / d)

    t_max = int(h_sorted[0])
    active_counts = np.searchsorted(-h_sorted, -np.arange(t_max), side="left")  # rows with T > t
    progress = Progress(t_max, f"sgd[{objective}]")
    chunk = max(t_max // 100, 1)
    for step in range(t_max):
        k = int(active_counts[step])
        th = theta[:k]
        grad = gradient(objective, th, beta)
        if step >= burn_in:
            sq = grad.square().sum(-1)
            total[:k] += sq
            torch.minimum(minimum[:k], sq, out=minimum[:k])
        if sigma2 > 0:
            grad = grad + noise_scale * normal(th.shape, gen, tdtype, device)  # float32 draws: most of the run's time
        th.sub_(eta_t[:k] * grad)
        if step % chunk == chunk - 1:
            progress.update(chunk)
    progress.close()

    inverse = np.argsort(order)
    counts = torch.as_tensor(h_sorted - burn_in, dtype=tdtype, device=device).view(-1, 1)
    average = (total / counts).T.cpu().numpy()[:, inverse]
    smallest = minimum.T.cpu().numpy()[:, inverse]
    return {"T": horizons.astype(float), "eta": steps, "A": average, "M": smallest}
