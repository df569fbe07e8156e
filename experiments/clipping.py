"""Gradient descent with and without norm clipping on f(x) = x^4/4 from a grid of starts, and the two exact properties of clip-by-norm, as PyTorch implements it (Dobriban 2019, Stat 991 notes; Pascanu et al. 2013, Alg. 1)."""

from __future__ import annotations

import numpy as np
import torch

from experiments.lib.common import generator


def clip_by_norm(grad: torch.Tensor, threshold: float) -> torch.Tensor:
    """The notes' rule g <- threshold g/||g|| when ||g|| >= threshold, through torch.nn.utils.clip_grad_norm_ (what users call)."""
    p = torch.nn.Parameter(torch.zeros_like(grad))
    p.grad = grad.clone()
    torch.nn.utils.clip_grad_norm_([p], threshold)
    return p.grad


def run(
    *,
    seed: int,
    device: torch.device | str = "cpu",
    x0: list[float],
    eta: float,
    threshold: float,
    steps: int,
    dim: list[int],
    n_draws: int,
    n_seeds: int = 1,
) -> dict[str, np.ndarray]:
    """Per start x0: whether GD x <- x - eta x^3 and clipped GD diverge (|x_T| > |x_0| or non-finite after `steps`),
    and whether |x_t| ever increases under clipping.  Per dimension: over n_draws random gradients with log-uniform
    norms around the threshold, the worst ||clip(g)|| / min(||g||, threshold) and the smallest cosine(g, clip(g))."""
    gen = generator(seed, torch.device("cpu"))
    x_start = torch.as_tensor(x0, dtype=torch.float64)
    plain, clipped = x_start.clone(), x_start.clone()
    rises = torch.zeros_like(x_start)
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            plain = plain - eta * plain**3
            # Clipping a scalar gradient by norm: |g| is its norm.
            g = clipped**3
            g = torch.where(g.abs() >= threshold, threshold * torch.sign(g), g)
            new = clipped - eta * g
            rises = torch.maximum(rises, (new.abs() > clipped.abs()).double())
            clipped = new

    def diverged(x: torch.Tensor) -> np.ndarray:
        return (~torch.isfinite(x) | (x.abs() > x_start.abs())).double().numpy()

    norm_ratio, cosine = [], []
    for d in dim:
        scale = torch.exp(torch.empty(n_draws, dtype=torch.float64).uniform_(-3, 3, generator=gen)) * threshold
        grads = torch.randn(n_draws, d, generator=gen, dtype=torch.float64)
        grads = grads / grads.norm(dim=1, keepdim=True) * scale[:, None]
        out = torch.stack([clip_by_norm(gr, threshold) for gr in grads])
        expected = torch.minimum(grads.norm(dim=1), torch.tensor(threshold, dtype=torch.float64))
        norm_ratio.append(float((out.norm(dim=1) / expected).max()))
        cosine.append(float(torch.nn.functional.cosine_similarity(out, grads, dim=1).min()))
    return {
        "x0": x_start.numpy(),
        "gd_diverged": diverged(plain)[None, :],
        "clipped_diverged": diverged(clipped)[None, :],
        "clipped_rises": rises.numpy()[None, :],
        "dim": np.asarray(dim, dtype=float),
        "clip_norm_ratio": np.asarray(norm_ratio)[None, :],
        "clip_cosine": np.asarray(cosine)[None, :],
    }
