"""Min-norm (X^+ y) and ridge least-squares solutions of a batch of designs through the Gram matrix (the SVD for nearly singular designs), shared by the double-descent and implicit-regularisation experiments (Scaman 2023, Mathematics of Deep Learning slides, 'But... Double descent!')."""

from __future__ import annotations

import torch


def _svd_fit(x: torch.Tensor, y: torch.Tensor, n_lam: torch.Tensor | None):
    """V diag(g(s)) U^T y through the SVD: g(s) = 1/s above pinv's cutoff n p eps s_max (0 below) for the min-norm
    fit, s/(s^2 + n lam) for ridge."""
    u, s, vh = torch.linalg.svd(x, full_matrices=False)
    if n_lam is None:
        cutoff = s[:, :1] * max(x.shape[-2:]) * torch.finfo(x.dtype).eps
        gain = torch.where(s > cutoff, 1 / s, torch.zeros_like(s))
    else:
        gain = s / (s**2 + n_lam[:, None])
    return torch.einsum("bkp,bk->bp", vh, gain * torch.einsum("bnk,bn->bk", u, y)), s


def _gram_fit(x: torch.Tensor, y: torch.Tensor, n_lam: torch.Tensor | None):
    """The same fit through the smaller Gram matrix G (X X^T when p >= n, else X^T X): its eigenvalues are s^2 and a
    Cholesky solve gives X^T (G + n lam)^-1 y or (G + n lam)^-1 X^T y.  Several times cheaper than a batched SVD for
    the wide or tall designs of the sweeps (benchmarks/least_squares_batching.py).  Squaring the condition number
    costs accuracy only for nearly singular designs: an eigenvalue of G is good to about eps s_max^2, so s_min/s_max
    >= 1e-4 keeps every s^2 to 1e-8 relative.  Members below that ratio (pinv's cutoff n p eps s_max lies far below
    it) or whose Cholesky fails are redone through the SVD, so the result is pinv's and the s are the SVD's."""
    n, p = x.shape[-2:]
    wide = p >= n
    gram = x @ x.transpose(1, 2) if wide else x.transpose(1, 2) @ x
    s = torch.linalg.eigvalsh(gram).flip(1).clamp(min=0).sqrt()
    eye = torch.eye(gram.shape[-1], dtype=x.dtype, device=x.device)
    shifted = gram if n_lam is None else gram + n_lam[:, None, None] * eye
    chol, info = torch.linalg.cholesky_ex(shifted)
    redo = (info != 0) | (s[:, -1] <= 1e-4 * s[:, 0])
    any_redo = bool(redo.any())
    ok_chol = torch.where(redo[:, None, None], eye, chol) if any_redo else chol  # a harmless factor for those redone
    if wide:
        fit = torch.einsum("bnp,bn->bp", x, torch.cholesky_solve(y.unsqueeze(-1), ok_chol).squeeze(-1))
    else:
        fit = torch.cholesky_solve(torch.einsum("bnp,bn->bp", x, y).unsqueeze(-1), ok_chol).squeeze(-1)
    if any_redo:
        idx = redo.nonzero().squeeze(1)
        fit[idx], s[idx] = _svd_fit(x[idx], y[idx], None if n_lam is None else n_lam[idx])
    return fit, s


def minnorm_solve(x: torch.Tensor, y: torch.Tensor, with_singular_values: bool = False):
    """X^+ y for a batch (B, n, p), (B, n), singular values below n p eps |s_max| treated as 0 (pinv's rule).
    With with_singular_values, (X^+ y, s): a caller that needs both pays for one factorisation, not two."""
    fit, s = _gram_fit(x, y, None)
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
    fit, s = _gram_fit(x, y, x.shape[-2] * penalty)
    return (fit, s) if with_singular_values else fit
