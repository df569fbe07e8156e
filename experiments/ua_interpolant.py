"""The piecewise-linear interpolant of sin(2 pi x) on k equispaced knots of [-1, 1], built as a width-k one-hidden-layer ReLU net C relu(A x + b), and its sup error, for every k of the sweep (Massias 2025, Deep learning 1/2, universal approximation theorem; Leshno et al. 1993, Thm 1, constructively)."""

from __future__ import annotations

import math

import numpy as np
import torch

LO, HI = -1.0, 1.0


def target(x: torch.Tensor) -> torch.Tensor:
    return torch.sin(2 * math.pi * x)


def target_slope(x: torch.Tensor) -> torch.Tensor:
    return 2 * math.pi * torch.cos(2 * math.pi * x)


def target_curvature(x: torch.Tensor) -> torch.Tensor:
    return -4 * math.pi**2 * torch.sin(2 * math.pi * x)


def interpolant_weights(knots: torch.Tensor, values: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(A, b, C) of C relu(A x + b) with len(knots) units: a constant unit relu(0 x + 1) carries f(x_0), unit j >= 1 is
    relu(x - x_(j-1)) with the slope change at that knot (the first one the first slope)."""
    slopes = (values[1:] - values[:-1]) / (knots[1:] - knots[:-1])
    changes = torch.cat([slopes[:1], slopes[1:] - slopes[:-1]])
    one = torch.ones(1, dtype=knots.dtype, device=knots.device)
    a = torch.cat([0 * one, torch.ones_like(changes)])
    b = torch.cat([one, -knots[:-1]])
    c = torch.cat([values[:1], changes])
    return a, b, c


def forward(a: torch.Tensor, b: torch.Tensor, c: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return torch.relu(x[:, None] * a[None, :] + b[None, :]) @ c


def sup_error(knots: torch.Tensor, a, b, c, probes: int, newton: int = 4) -> torch.Tensor:
    """max over [-1, 1] of |f - g|: on every interval the error f - g has g affine, so its interior maxima solve
    f'(x) = slope; each interval's best of `probes` points is polished by Newton steps on f'(x) - slope = 0
    (quadratic convergence: the sup is then exact to rounding, where a dense grid alone would miss the peak by
    O(1/probes^2) relatively)."""
    left, right = knots[:-1], knots[1:]
    frac = torch.linspace(0, 1, probes, dtype=knots.dtype, device=knots.device)
    pts = left[:, None] + (right - left)[:, None] * frac[None, :]
    err = (target(pts.reshape(-1)) - forward(a, b, c, pts.reshape(-1))).reshape(pts.shape).abs()
    best = pts.gather(1, err.argmax(1, keepdim=True)).squeeze(1)
    slope = (forward(a, b, c, right) - forward(a, b, c, left)) / (right - left)
    for _ in range(newton):
        step = (target_slope(best) - slope) / target_curvature(best)
        best = torch.where(target_curvature(best).abs() > 0, best - step, best).clamp(left, right)
    polished = (target(best) - forward(a, b, c, best)).abs()
    return torch.maximum(polished, err.max(1).values).max()


def run(*, seed: int, device: torch.device | str = "cpu", k: list[int], probes: int = 17, n_seeds: int = 1) -> dict:
    """For each number of knots k: the sup error of the constructed net and its largest residual at the knots."""
    device = torch.device(device)
    sup, residual = [], []
    for kk in k:
        knots = torch.linspace(LO, HI, int(kk), dtype=torch.float64, device=device)
        a, b, c = interpolant_weights(knots, target(knots))
        sup.append(float(sup_error(knots, a, b, c, probes)))
        residual.append(float((forward(a, b, c, knots) - target(knots)).abs().max()))
    return {"k": np.asarray(k, dtype=float), "sup_error": np.asarray(sup)[None, :],
            "knot_residual": np.asarray(residual)[None, :]}
