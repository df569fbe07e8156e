"""Min-norm (X^+ y) and ridge least-squares solutions of a batch of designs through the SVD, shared by the double-descent and implicit-regularisation experiments (Scaman 2023, Mathematics of Deep Learning slides, 'But... Double descent!')."""

from __future__ import annotations

import torch


def minnorm_solve(x: torch.Tensor, y: torch.Tensor, with_singular_values: bool = False):
    """X^+ y for a batch (B, n, p), (B, n): through the SVD, singular values below n p eps |s_max| treated as 0 (pinv's rule).
    With with_singular_values, (X^+ y, s): a caller that needs both pays for one SVD, not an SVD and svdvals."""
    u, s, vh = torch.linalg.svd(x, full_matrices=False)
    cutoff = s[:, :1] * max(x.shape[-2:]) * torch.finfo(x.dtype).eps
    inv = torch.where(s > cutoff, 1 / s, torch.zeros_like(s))
    fit = torch.einsum("bkp,bk->bp", vh, inv * torch.einsum("bnk,bn->bk", u, y))
    return (fit, s) if with_singular_values else fit


def expected_error_given_design(s: torch.Tensor, k: int, signal_var: float, noise_var: float | torch.Tensor,
                                n_lam: torch.Tensor | float = 0.0) -> torch.Tensor:
    """E ||b_hat - beta||^2 given the design X (singular values s, (B, min(n, k))), averaged exactly over a signal beta
    with E beta beta^T = signal_var I_k and independent noise of variance noise_var, for the min-norm fit (n_lam = 0)
    or ridge with n lam = n_lam (B,).  With D = diag(n_lam / (s^2 + n_lam)) the error is -(V D V^T + I - V V^T) beta +
    V diag(s / (s^2 + n_lam)) U^T eps, so its mean square is signal_var (sum_i D_i^2 + k - rank) + noise_var
    sum_i s_i^2 / (s_i^2 + n_lam)^2, the sums over the nonzero singular values (pinv's cutoff for the min-norm fit).

    The Monte Carlo over (X, beta, eps) becomes one over X alone, the same expectation with a smaller variance (the
    noise and signal draws average out exactly: Rao-Blackwell)."""
    cutoff = s[:, :1] * k * torch.finfo(s.dtype).eps
    nonzero = s > cutoff
    n_lam = torch.as_tensor(n_lam, dtype=s.dtype, device=s.device).reshape(-1, 1) if torch.is_tensor(n_lam) else n_lam
    s2 = s * s
    denom = torch.where(nonzero, s2 + n_lam, torch.ones_like(s2))
    shrink = torch.where(nonzero, n_lam / denom, torch.zeros_like(s2))
    variance = torch.where(nonzero, s2 / denom**2, torch.zeros_like(s2)).sum(1)
    unseen = k - nonzero.sum(1).to(s.dtype)
    return signal_var * ((shrink**2).sum(1) + unseen) + noise_var * variance


def ridge_solve(x: torch.Tensor, y: torch.Tensor, penalty: torch.Tensor, with_singular_values: bool = False):
    """argmin (1/n)||y - X b||^2 + lam ||b||^2 = V diag(s/(s^2 + n lam)) U^T y, per batch member (penalty (B,)); with
    with_singular_values, (fit, s)."""
    u, s, vh = torch.linalg.svd(x, full_matrices=False)
    shrink = s / (s**2 + x.shape[-2] * penalty[:, None])
    fit = torch.einsum("bkp,bk->bp", vh, shrink * torch.einsum("bnk,bn->bk", u, y))
    return (fit, s) if with_singular_values else fit
