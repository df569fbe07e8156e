"""The four-neuron softplus multiplication gate xy ~ [s(l(x+y)) + s(-l(x+y)) - s(l(x-y)) - s(-l(x-y))]/(4 l^2 s''(0)) and its max error on [-1, 1]^2 over a sweep of input scales l (Dobriban 2019, Stat 991 notes §7.11; Lin, Tegmark & Rolnick 2017, J. Stat. Phys., §3 and Fig. 2)."""

from __future__ import annotations

import numpy as np
import torch

SOFTPLUS_CURVATURE = 0.25  # s''(0) = sigmoid'(0) = 1/4


def gate(x: torch.Tensor, y: torch.Tensor, lam: torch.Tensor) -> torch.Tensor:
    """The gate as a one-hidden-layer net: four softplus units with input weights +-lam(1, 1), +-lam(1, -1)."""
    s = torch.nn.functional.softplus
    plus, minus = lam * (x + y), lam * (x - y)
    return (s(plus) + s(-plus) - s(minus) - s(-minus)) / (4 * lam**2 * SOFTPLUS_CURVATURE)


def run(*, seed: int, device: torch.device | str = "cpu", lam: list[float], n_grid: int = 201, dtype: str = "float64",
        n_seeds: int = 1) -> dict:
    """max over an n_grid x n_grid grid of [-1, 1]^2 (corners included, where the leading error term peaks) of
    |gate - xy|, for every lam (batched as a leading axis).  float64: in float32 the four terms of size log 2
    cancel to ~lam^2, and rounding floors the error near 1e-3 for lam below 1/32."""
    device, tdtype = torch.device(device), getattr(torch, dtype)
    axis = torch.linspace(-1, 1, n_grid, dtype=tdtype, device=device)
    x, y = torch.meshgrid(axis, axis, indexing="ij")
    lams = torch.as_tensor(lam, dtype=tdtype, device=device).view(-1, 1, 1)
    err = (gate(x[None], y[None], lams) - x * y).abs().amax(dim=(1, 2))
    return {"lam": np.asarray(lam, dtype=float), "max_error": err.double().cpu().numpy()[None, :]}
