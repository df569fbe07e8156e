"""Ridgeless (min-norm) random-features regression with a centred ReLU, batched over seeds, against Mei & Montanari (CPAM 2022), Thm 3.

Setup of one seed (all float64, on `device`):
  theta_j ~ Unif(S^{d-1}(sqrt d)), j < max(N); inputs x ~ N(0, I_d) (the paper's Unif(S^{d-1}(sqrt d)) has the same
  limit; Gaussian inputs make every u_j = <theta_j, x>/sqrt d exactly N(0, 1), so the test error has a closed form);
  features sigma(u) = max(u, 0) - 1/sqrt(2 pi) (the ReLU centred under N(0, 1));
  target f*(x) = <beta_1, x> + Fstar He_2(<w, x>)/sqrt 2 with ||beta_1|| = F1 and a unit w, both uniformly random
  (E f_NL = 0, E f_NL^2 = Fstar^2, E f_NL x = 0); labels y = f*(x) + tau * N(0, 1).
  For every N in the grid the second layer a is the min-norm least-squares fit on the first N features of ONE
  draw of theta (columns :N of one n x max(N) feature matrix).

Metric, equal to the paper's R_RF = E_x (f*(x) - a^T sigma(Theta x / sqrt d))^2 (the excess risk: the noise of a
test label is not included; tau enters through the training labels only):
  n_test == 0: the exact expectation over x given (theta, beta_1, w, training set), by Gaussian integrals:
     R = F1^2 + Fstar^2 - 2 a^T b + a^T K a,  K_ij = E sigma(u_i) sigma(u_j) = k(rho_ij),
     rho_ij = <theta_i, theta_j>/d,
     k(rho) = (sqrt(1 - rho^2) + rho (pi - arccos rho)) / (2 pi) - 1/(2 pi)   (arc-cosine kernel, centred),
     b_j = E f*(x) sigma(u_j) = mu1 <beta_1, theta_j>/sqrt d + Fstar/sqrt 2 * rho_j^2 E[He_2(G) sigma(G)],
     rho_j = <w, theta_j>/sqrt d, mu1 = 1/2, E[He_2(G) sigma(G)] = 1/sqrt(2 pi)   (Stein / Mehler).
  n_test > 0: the average of (f*(x) - f_hat(x))^2 over n_test fresh inputs (an unbiased Monte-Carlo estimate).

Min-norm solve: with Z the n x N feature matrix, a = Z^T (Z Z^T)^{-1} y for N > n and (Z^T Z)^{-1} Z^T y for N < n,
both by Cholesky of the smaller Gram matrix (the Grams for all N come from cumulative sums over column blocks, so the
whole grid costs about one n x n x max(N) product).  The Gram squares the condition number of Z; at |N - n| >= 5 it
stays below ~1e6 at the smoke scale (agreement with pinv to ~1e-11; ~3e-9 even at N = n).  A Gram that Cholesky
rejects (a numerically singular draw, possible at N = n) falls back to the SVD pseudo-inverse torch.linalg.pinv (rcond 1e-12) for that N.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from experiments.lib.checkpoint import Checkpoint, Pieces
from experiments.lib.common import Progress, generator

MU0 = 1.0 / math.sqrt(2.0 * math.pi)  # E max(G, 0): the centring constant
MU1 = 0.5  # E G sigma(G)
HE2_COEFF = 1.0 / math.sqrt(2.0 * math.pi)  # E He_2(G) sigma(G) = E (G^2 - 1) max(G, 0)
DTYPE = torch.float64
PINV_RCOND = 1e-12
MEMORY_ELEMENTS = 2**24  # float64 elements per temporary block (128 MiB)
KERNEL_ELEMENTS = 2**21  # kernel block (16 MiB): small enough to stay warm in cache between the in-place passes
# Seeds per piece of the run: a SIGTERM stops it after the piece in progress, the pieces done kept in the checkpoint
# (B3 at smoke, 90 seeds, took 145 s in one piece); it also keeps the feature matrices of 10 seeds in memory at a
# time, not of all of them (1.7 GB at smoke).
SEEDS_PER_PIECE = 10


def activation(u: torch.Tensor) -> torch.Tensor:
    return torch.relu(u) - MU0


def centred_relu_kernel(rho: torch.Tensor) -> torch.Tensor:
    """E sigma(u) sigma(v) for standard Gaussians u, v of correlation rho (centred ReLU), computed IN PLACE in rho.

    k(rho) = (sqrt(1 - rho^2) + rho (pi/2 + arcsin rho) - 1) / (2 pi); pi - arccos = pi/2 + arcsin, and arcsin and
    in-place arithmetic are several times faster than arccos and fresh temporaries on the CPU.
    """
    rho.clamp_(-1.0, 1.0)
    out = torch.asin(rho).add_(math.pi / 2).mul_(rho)
    rho.square_().neg_().add_(1.0).clamp_(min=0.0).sqrt_()
    return out.add_(rho).sub_(1.0).mul_(1.0 / (2.0 * math.pi))


def _validate(d, n, N, F1, tau, Fstar, n_test, n_seeds) -> np.ndarray:
    grid = np.asarray(N)
    if grid.ndim != 1 or grid.size == 0:
        raise ValueError(f"N must be a non-empty list of feature counts, got {N!r}")
    if not np.all(np.equal(np.mod(grid, 1), 0)) or np.any(grid < 1):
        raise ValueError(f"every N must be a positive integer, got {N!r}")
    for name, value in (("d", d), ("n", n), ("n_seeds", n_seeds)):
        if int(value) != value or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if int(n_test) != n_test or n_test < 0:
        raise ValueError(f"n_test must be a non-negative integer (0: exact expectation over x), got {n_test!r}")
    for name, value in (("F1", F1), ("tau", tau), ("Fstar", Fstar)):
        if not (value >= 0 and math.isfinite(value)):
            raise ValueError(f"{name} must be finite and >= 0, got {value!r}")
    return grid.astype(np.int64)


def _draw(gen: torch.Generator, device: torch.device, S: int, d: int, n: int, n_max: int, F1: float, tau: float,
          Fstar: float):
    """Weights, target directions, training set; always in this order so a seed fixes every draw."""
    theta = torch.randn(S, n_max, d, generator=gen, dtype=DTYPE, device=device)
    theta *= math.sqrt(d) / theta.norm(dim=-1, keepdim=True)
    beta1 = torch.randn(S, d, generator=gen, dtype=DTYPE, device=device)
    beta1 *= F1 / beta1.norm(dim=-1, keepdim=True)
    w = torch.randn(S, d, generator=gen, dtype=DTYPE, device=device)
    w /= w.norm(dim=-1, keepdim=True)
    x = torch.randn(S, n, d, generator=gen, dtype=DTYPE, device=device)
    noise = torch.randn(S, n, generator=gen, dtype=DTYPE, device=device)
    y = target(x, beta1, w, Fstar) + tau * noise
    return theta, beta1, w, x, y


def target(x: torch.Tensor, beta1: torch.Tensor, w: torch.Tensor, Fstar: float) -> torch.Tensor:
    """f*(x) = <beta_1, x> + Fstar He_2(<w, x>)/sqrt 2 for x of shape (S, m, d)."""
    out = torch.einsum("smd,sd->sm", x, beta1)
    if Fstar != 0:
        proj = torch.einsum("smd,sd->sm", x, w)
        out = out + Fstar * (proj * proj - 1.0) / math.sqrt(2.0)
    return out


def features(x: torch.Tensor, theta: torch.Tensor) -> torch.Tensor:
    """sigma(x theta^T / sqrt d): (S, m, d) x (S, N, d) -> (S, m, N)."""
    return activation(torch.matmul(x, theta.transpose(1, 2)) / math.sqrt(x.shape[-1]))


def _cholesky_solve(gram: torch.Tensor, rhs: torch.Tensor) -> torch.Tensor | None:
    """gram^{-1} rhs for a batch (S, m, m), (S, m); None if any Gram is not numerically positive definite."""
    factor, info = torch.linalg.cholesky_ex(gram)
    if bool((info != 0).any()):
        return None
    return torch.cholesky_solve(rhs.unsqueeze(-1), factor).squeeze(-1)


def min_norm_coefficients(z: torch.Tensor, y: torch.Tensor, grid: np.ndarray, progress: Progress | None = None
                          ) -> torch.Tensor:
    """Min-norm least-squares second layers for the first N columns of z, every N in an ascending grid.

    z: (S, n, n_max), y: (S, n).  Returns A of shape (S, n_max, K), column k = a_{N_k} padded with zeros.
    """
    S, n, n_max = z.shape
    A = torch.zeros(S, n_max, len(grid), dtype=z.dtype, device=z.device)
    under = [k for k, m in enumerate(grid) if m < n]
    if under:  # leading blocks of one Gram Z^T Z of the widest under-parametrised width
        width = int(grid[under[-1]])
        zu = z[:, :, :width]
        gram_u = zu.transpose(1, 2) @ zu
        zty = torch.einsum("snm,sn->sm", zu, y)
    gram_o = torch.zeros(S, n, n, dtype=z.dtype, device=z.device)
    filled = 0
    for k, m in enumerate(grid):
        m = int(m)
        if m < n:
            a = _cholesky_solve(gram_u[:, :m, :m], zty[:, :m])
        else:  # cumulative Gram Z_{:m} Z_{:m}^T
            block = z[:, :, filled:m]
            gram_o += block @ block.transpose(1, 2)
            filled = m
            alpha = _cholesky_solve(gram_o, y)
            a = None if alpha is None else torch.einsum("snm,sn->sm", z[:, :, :m], alpha)
        if a is None:
            a = (torch.linalg.pinv(z[:, :, :m], rtol=PINV_RCOND) @ y.unsqueeze(-1)).squeeze(-1)
        A[:, :m, k] = a
        if progress is not None:
            progress.update(1)
    return A


def exact_test_error(theta: torch.Tensor, beta1: torch.Tensor, w: torch.Tensor, A: torch.Tensor, F1: float,
                     Fstar: float, progress: Progress | None = None) -> torch.Tensor:
    """E_x (f*(x) - a^T sigma(theta x/sqrt d))^2 for every column a of A, x ~ N(0, I_d).  Returns (S, K)."""
    S, n_max, d = theta.shape
    b = MU1 * torch.einsum("sjd,sd->sj", theta, beta1) / math.sqrt(d)
    if Fstar != 0:
        rho_w = torch.einsum("sjd,sd->sj", theta, w) / math.sqrt(d)
        b = b + Fstar / math.sqrt(2.0) * HE2_COEFF * rho_w * rho_w
    # a^T K a by row blocks of the upper triangle: K symmetric, so blocks right of the diagonal count twice.
    quad = torch.zeros(S, A.shape[-1], dtype=A.dtype, device=A.device)
    rows = max(1, KERNEL_ELEMENTS // (S * n_max))
    for start in range(0, n_max, rows):
        stop = min(start + rows, n_max)
        kernel = centred_relu_kernel(theta[:, start:stop] @ theta[:, start:].transpose(1, 2) / d)
        inner = kernel[:, :, : stop - start] @ A[:, start:stop]
        if stop < n_max:
            inner += 2.0 * (kernel[:, :, stop - start:] @ A[:, stop:])
        quad += (inner * A[:, start:stop]).sum(1)
        if progress is not None:
            progress.update(1)
    return F1**2 + Fstar**2 - 2.0 * torch.einsum("sj,sjk->sk", b, A) + quad


def monte_carlo_test_error(gen: torch.Generator, theta: torch.Tensor, beta1: torch.Tensor, w: torch.Tensor,
                           A: torch.Tensor, Fstar: float, n_test: int, progress: Progress | None = None
                           ) -> torch.Tensor:
    """Mean of (f*(x) - f_hat(x))^2 over n_test fresh x ~ N(0, I_d), in chunks.  Returns (S, K)."""
    S, n_max, d = theta.shape
    total = torch.zeros(S, A.shape[-1], dtype=A.dtype, device=A.device)
    rows = max(1, MEMORY_ELEMENTS // (S * n_max))
    for start in range(0, n_test, rows):
        m = min(rows, n_test - start)
        x = torch.randn(S, m, d, generator=gen, dtype=DTYPE, device=theta.device)
        resid = target(x, beta1, w, Fstar).unsqueeze(-1) - features(x, theta) @ A
        total += resid.square().sum(1)
        if progress is not None:
            progress.update(1)
    return total / n_test


def run(*, seed: int, device: torch.device | str = "cpu", d: int, n: int, N: list[int], F1: float, tau: float,
        Fstar: float, n_test: int, n_seeds: int, checkpoint: str | None = None) -> dict[str, np.ndarray]:
    """Excess test error of ridgeless random-features regression per (seed, N); see the module docstring.

    Returns {"N": (K,) float in the order given, "test_error": (n_seeds, K) float}.  n_test = 0 gives the exact
    expectation over the test input; n_test > 0 a Monte-Carlo estimate on that many fresh inputs.  Every draw of the
    training problems comes first, then the seeds are solved in pieces of SEEDS_PER_PIECE; with ``checkpoint`` the
    pieces done are kept there and a rerun of the same parameters solves only the rest (the Monte-Carlo test inputs,
    drawn piece by piece, continue from the generator state saved with the last piece done).
    """
    device = torch.device(device)
    grid = _validate(d, n, N, F1, tau, Fstar, n_test, n_seeds)
    F1, tau, Fstar, d, n, n_test, S = float(F1), float(tau), float(Fstar), int(d), int(n), int(n_test), int(n_seeds)
    order = np.argsort(grid, kind="stable")
    ascending = grid[order]
    n_max = int(ascending[-1])

    gen = generator(seed, device)
    theta, beta1, w, x, y = _draw(gen, device, S, d, n, n_max, F1, tau, Fstar)
    pieces = Pieces(Checkpoint(checkpoint, {"seed": seed, "d": d, "n": n, "N": grid.tolist(), "F1": F1, "tau": tau,
                                            "Fstar": Fstar, "n_test": n_test, "n_seeds": S, "device": str(device),
                                            "seeds_per_piece": SEEDS_PER_PIECE}), rng=gen, device=device)
    starts = range(0, S, SEEDS_PER_PIECE)
    rows = max(1, (MEMORY_ELEMENTS if n_test else KERNEL_ELEMENTS) // (min(S, SEEDS_PER_PIECE) * n_max))
    blocks = math.ceil((n_test if n_test else n_max) / rows)
    progress = Progress(len(starts) * (len(grid) + blocks), "random_features")

    def solve(lo: int, hi: int) -> torch.Tensor:
        A = min_norm_coefficients(features(x[lo:hi], theta[lo:hi]), y[lo:hi], ascending, progress)
        if n_test == 0:
            return exact_test_error(theta[lo:hi], beta1[lo:hi], w[lo:hi], A, F1, Fstar, progress)
        return monte_carlo_test_error(gen, theta[lo:hi], beta1[lo:hi], w[lo:hi], A, Fstar, n_test, progress)

    err = []
    for lo in starts:
        hi = min(lo + SEEDS_PER_PIECE, S)
        kept = lo in pieces.done
        err.append(pieces(lo, lambda: solve(lo, hi)))
        if kept:  # read back from the checkpoint
            progress.update(len(grid) + blocks)
    pieces.finish()
    progress.close()

    out = np.empty((S, len(grid)))
    out[:, order] = torch.cat(err).cpu().numpy()
    return {"N": grid.astype(float), "test_error": out}
