"""Exact breakpoints of a ReLU network along a segment: every point where some hidden unit changes sign, found layer by layer (between two consecutive breakpoints of the earlier layers, a unit's pre-activation is affine, so it changes sign at most once there and its root is the linear interpolation)."""

from __future__ import annotations

import torch


def hidden_preactivations(layers: list[tuple[torch.Tensor, torch.Tensor]], x: torch.Tensor, upto: int) -> torch.Tensor:
    """Pre-activations of hidden layer `upto` (0-based) at the points x (points, in); weights (out, in), biases (out,)."""
    h = x
    for i, (w, b) in enumerate(layers[: upto + 1]):
        z = h @ w.T + b
        if i == upto:
            return z
        h = torch.relu(z)
    raise ValueError("upto beyond the layers")


def breakpoints(layers: list[tuple[torch.Tensor, torch.Tensor]], start: torch.Tensor, end: torch.Tensor) -> torch.Tensor:
    """Sorted t in (0, 1) at which a hidden unit of the ReLU net (its hidden layers `layers`; the linear output layer
    adds none) changes sign along x(t) = start + t (end - start).  A unit that touches 0 without changing sign is not a
    breakpoint (its relu is then smooth along the segment)."""
    ts = torch.tensor([0.0, 1.0], dtype=start.dtype, device=start.device)
    for layer in range(len(layers)):
        z = hidden_preactivations(layers, start + ts[:, None] * (end - start), layer)  # (points, units)
        left, right = z[:-1], z[1:]
        crossing = (left * right) < 0
        i, _ = crossing.nonzero(as_tuple=True)
        zl, zr = left[crossing], right[crossing]
        roots = ts[i] + (ts[i + 1] - ts[i]) * zl / (zl - zr)
        ts = torch.sort(torch.cat([ts, roots])).values
    return ts[1:-1]
