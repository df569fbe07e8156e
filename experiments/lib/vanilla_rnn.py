"""Vanilla RNN pieces shared by the gradient experiments: activations with their derivatives, weights with a prescribed top singular value, and the forward pass h_t = W sigma(h_{t-1}) + xi_t (Dobriban 2019, Stat 991 notes, §3.3.2, the recursion of item 2)."""

from __future__ import annotations

import torch

ACTIVATIONS = ("tanh", "sigmoid")


def phi(name: str, h: torch.Tensor) -> torch.Tensor:
    if name == "tanh":
        return torch.tanh(h)
    if name == "sigmoid":
        return torch.sigmoid(h)
    raise ValueError(f"unknown activation {name!r}; valid: {', '.join(ACTIVATIONS)}")


def dphi(name: str, h: torch.Tensor) -> torch.Tensor:
    if name == "tanh":
        return 1 - torch.tanh(h) ** 2
    if name == "sigmoid":
        s = torch.sigmoid(h)
        return s * (1 - s)
    raise ValueError(f"unknown activation {name!r}; valid: {', '.join(ACTIVATIONS)}")


def unit_spectral_norm_weights(gen: torch.Generator, batch: int, n: int, dtype, device) -> torch.Tensor:
    """Gaussian n x n matrices divided by their largest singular value, so that lambda1 * W0 has top singular value lambda1 exactly."""
    w = torch.randn(batch, n, n, generator=gen, dtype=dtype, device=device)
    return w / torch.linalg.matrix_norm(w, ord=2)[:, None, None]


def forward(name: str, w: torch.Tensor, drive: torch.Tensor, h0: torch.Tensor | None = None) -> torch.Tensor:
    """States h_1..h_T of h_t = W sigma(h_{t-1}) + drive_t for a batch: w (B, n, n), drive (B, T, n); returns (B, T + 1, n) with h_0 first."""
    batch, steps, n = drive.shape
    h = torch.zeros(batch, n, dtype=drive.dtype, device=drive.device) if h0 is None else h0
    states = [h]
    for t in range(steps):
        h = torch.einsum("bij,bj->bi", w, phi(name, h)) + drive[:, t]
        states.append(h)
    return torch.stack(states, 1)
