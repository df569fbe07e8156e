"""Breakpoints of ReLU networks at He initialisation along a segment, counted exactly, for a fixed total number of neurons split over different depths (Dobriban 2019, Stat 991 notes §7.12; Hanin & Rolnick 2019, ICML, 'Complexity of linear regions in deep networks', Thm 3 and Fig. 2)."""

from __future__ import annotations

import math

import numpy as np
import torch

from experiments.lib.common import generator
from experiments.lib.piecewise import breakpoints


def he_layers(sizes: list[int], sigma_b2: float, gen, device) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Hidden layers with W ~ N(0, 2/fan_in), b ~ N(0, sigma_b2)."""
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        w = torch.randn(fan_out, fan_in, generator=gen, dtype=torch.float64, device=device) * math.sqrt(2 / fan_in)
        b = torch.randn(fan_out, generator=gen, dtype=torch.float64, device=device) * math.sqrt(sigma_b2)
        layers.append((w, b))
    return layers


def run(*, seed: int, device: torch.device | str = "cpu", n_total: list[int], depth: list[int], d_in: int,
        sigma_b2: float, n_seeds: int) -> dict:
    """Per (seed, grid point): a fresh net with n_total/depth units in each of `depth` hidden layers, and the exact number
    of breakpoints along the segment from u = (1, ..., 1) to v = (1, -1, 1, -1, ...) in R^d_in (d_in even: |u|^2 = |v|^2 =
    d_in and u.v = 0, a segment that keeps away from the origin, where a bias-free net has a kink of every unit)."""
    if len(n_total) != len(depth):
        raise ValueError("n_total and depth must be aligned lists")
    device = torch.device(device)
    gen = generator(seed, device)
    if d_in % 2:
        raise ValueError("d_in must be even (u and v orthogonal)")
    u = torch.ones(d_in, dtype=torch.float64, device=device)
    v = u.clone()
    v[1::2] = -1
    counts = np.zeros((n_seeds, len(depth)))
    for s in range(n_seeds):
        for j, (total, d) in enumerate(zip(n_total, depth)):
            if total % d:
                raise ValueError(f"n_total {total} is not a multiple of depth {d}")
            layers = he_layers([d_in] + [total // d] * d, sigma_b2, gen, device)
            counts[s, j] = len(breakpoints(layers, u, v))
    return {"depth": np.asarray(depth, dtype=float), "n_total": np.asarray(n_total, dtype=float), "breakpoints": counts}
