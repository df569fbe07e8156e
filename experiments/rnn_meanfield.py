"""Per-step growth rate of ||J_l v|| along a trajectory of h_t = g W0 phi(h_{t-1}) + xi_t, for a grid of gains and input strengths in one batched product per step (Chen, Pennington & Schoenholz 2018, §3; Molgedey, Schuchhardt & Schuster 1992)."""

from __future__ import annotations

import math

import numpy as np
import torch

from experiments.lib.common import Progress, flush_subnormals, generator
from experiments.lib.vanilla_rnn import dphi, phi


def level_crossing(x: np.ndarray, y: np.ndarray, level: float) -> float:
    """First x where y (increasing) reaches `level`, linear between grid points; NaN when it never does."""
    above = np.flatnonzero(y >= level)
    if above.size == 0 or above[0] == 0:
        return math.nan
    j = above[0]
    return float(x[j - 1] + (level - y[j - 1]) * (x[j] - x[j - 1]) / (y[j] - y[j - 1]))


def run(
    *,
    seed: int,
    device: torch.device | str = "cpu",
    activation: str,
    n: int,
    g: list[float],
    sigma_in: list[float],
    crit_sigma_in: list[float],
    crit_level: float,
    burn_in: int,
    steps: int,
    n_seeds: int,
    dtype: str = "float32",
) -> dict[str, np.ndarray]:
    """rate[s, i] = (1/steps) log ||J_{B+steps} ... J_{B+1} v|| / ||v|| at gain g[i] and input sigma_in[i] (aligned lists).

    One W0_ij ~ N(0, 1/n) per seed, scaled by every gain: the gains and input strengths of a seed are
    the columns of one (n x n) @ (n x columns) product per step, forward state and tangent together.
    The tangent v_t = g W0 diag(phi'(h_{t-1})) v_{t-1} is renormalised every step and its log growth summed.
    g_crit[s, j]: where the rate of series crit_sigma_in[j] first reaches crit_level, interpolated linearly in g.
    """
    device = torch.device(device)
    tdtype = getattr(torch, dtype)
    gains = np.asarray(g, dtype=float)
    inputs = np.asarray(sigma_in, dtype=float)
    if gains.shape != inputs.shape or gains.ndim != 1:
        raise ValueError("g and sigma_in must be equal-length lists")
    gen = generator(seed, device)
    S, C = n_seeds, len(gains)
    w0 = torch.randn(S, n, n, generator=gen, dtype=tdtype, device=device) / math.sqrt(n)
    gain = torch.as_tensor(gains, dtype=tdtype, device=device).view(1, 1, C)
    drive_scale = torch.as_tensor(inputs, dtype=tdtype, device=device).view(1, 1, C)
    h = torch.randn(S, n, C, generator=gen, dtype=tdtype, device=device)  # q_0 = 1: away from the h = 0 fixed point
    v = torch.randn(S, n, C, generator=gen, dtype=tdtype, device=device)
    v = v / v.norm(dim=1, keepdim=True)
    total = torch.zeros(S, C, dtype=torch.float64, device=device)
    progress = Progress(burn_in + steps, f"rnn_meanfield[{activation}, n={n}]")
    with flush_subnormals():  # no input, g < 1: the state decays through float32 subnormals (10x slower on CPUs)
        for t in range(burn_in + steps):
            slope = dphi(activation, h)
            both = torch.cat([phi(activation, h), slope * v], dim=2)  # (S, n, 2C)
            out = torch.bmm(w0, both)
            h = gain * out[..., :C] + drive_scale * torch.randn(S, n, C, generator=gen, dtype=tdtype, device=device)
            v = gain * out[..., C:]
            size = v.norm(dim=1)
            v = v / size[:, None, :]
            if t >= burn_in:
                total += size.double().log()
            progress.update(1)
    progress.close()
    rate = (total / steps).cpu().numpy()
    crit = np.full((S, len(crit_sigma_in)), math.nan)
    for j, s_in in enumerate(crit_sigma_in):
        cols = np.flatnonzero(np.isclose(inputs, s_in))
        cols = cols[np.argsort(gains[cols])]
        for s in range(S):
            crit[s, j] = level_crossing(gains[cols], rate[s, cols], crit_level)
    return {"g": gains, "sigma_in": inputs, "rate": rate, "crit_sigma_in": np.asarray(crit_sigma_in, dtype=float), "g_crit": crit}
