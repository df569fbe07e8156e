"""Min-norm (X^+ y) and ridge least-squares solutions of a batch of designs through the SVD, shared by the double-descent and implicit-regularisation experiments (Scaman 2023, Mathematics of Deep Learning slides, 'But... Double descent!')."""

from __future__ import annotations

import torch


def minnorm_solve(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """X^+ y for a batch (B, n, p), (B, n): through the SVD, singular values below n p eps |s_max| treated as 0 (pinv's rule)."""
    u, s, vh = torch.linalg.svd(x, full_matrices=False)
    cutoff = s[:, :1] * max(x.shape[-2:]) * torch.finfo(x.dtype).eps
    inv = torch.where(s > cutoff, 1 / s, torch.zeros_like(s))
    return torch.einsum("bkp,bk->bp", vh, inv * torch.einsum("bnk,bn->bk", u, y))


def ridge_solve(x: torch.Tensor, y: torch.Tensor, penalty: torch.Tensor) -> torch.Tensor:
    """argmin (1/n)||y - X b||^2 + lam ||b||^2 = V diag(s/(s^2 + n lam)) U^T y, per batch member (penalty (B,))."""
    u, s, vh = torch.linalg.svd(x, full_matrices=False)
    shrink = s / (s**2 + x.shape[-2] * penalty[:, None])
    return torch.einsum("bkp,bk->bp", vh, shrink * torch.einsum("bnk,bn->bk", u, y))
