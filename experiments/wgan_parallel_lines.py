"""Exact sample W1 between n points of P_0 = law of (0, Z) and n of P_theta = law of (theta, Z), Z ~ U[0,1], by optimal assignment (POT's network simplex), and the same-distribution baseline W1 of two samples of Z by sorting, batched over seeds (Arjovsky, Chintala & Bottou 2017, Example 1)."""

from __future__ import annotations

import numpy as np
import torch

from experiments.lib.common import generator


def assignment_w1(a: np.ndarray, b: np.ndarray) -> float:
    """W1 between two equal-size empirical measures in R^d: the exact optimal assignment (ot.emd2, Euclidean cost)."""
    import ot

    m = a.shape[0]
    weights = np.full(m, 1.0 / m)
    return float(ot.emd2(weights, weights, ot.dist(a, b, metric="euclidean"), numItermax=10_000_000))


def sorted_w1(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """W1 between equal-size 1-D samples along the last axis: the monotone coupling, mean |a_(i) - b_(i)|."""
    return (a.sort(-1).values - b.sort(-1).values).abs().mean(-1)


def sorted_uniforms(shape: tuple[int, ...], size: int, gen: torch.Generator, device) -> torch.Tensor:
    """``size`` sorted U[0,1] draws along a new last axis: the normalised partial sums of size + 1 standard
    exponentials have the law of the order statistics (Rényi's representation), in linear time instead of a sort."""
    e = torch.empty(*shape, size + 1, dtype=torch.float64, device=device).exponential_(generator=gen)
    s = e.cumsum(-1)
    return s[..., :-1] / s[..., -1:]


def _baseline(seeds: int, replicates: int, size: int, gen: torch.Generator, device, chunk: int = 2_000_000) -> torch.Tensor:
    """Mean over ``replicates`` pairs of the sorted W1 of two U[0,1] samples of ``size``, per seed; drawn in chunks of
    about ``chunk`` numbers per sample so that memory stays bounded."""
    per = max(1, chunk // (seeds * size))
    total, done = torch.zeros(seeds, dtype=torch.float64, device=device), 0
    while done < replicates:
        k = min(per, replicates - done)
        a, b = sorted_uniforms((seeds, k), size, gen, device), sorted_uniforms((seeds, k), size, gen, device)
        total += (a - b).abs().mean(-1).sum(-1)
        done += k
    return total / replicates


def run(*, seed: int, device: torch.device | str = "cpu", theta: list[float], n_lines: int, replicates: int,
        n: list[int], baseline_replicates: int, n_seeds: int) -> dict[str, np.ndarray]:
    """Two grids.  On ``theta``: exact 2-D sample W1 between n_lines points of P_0 and of P_theta, mean over
    ``replicates`` pairs per seed, with the baseline W1 of the same pairs' Z-coordinates beside it.  On ``n``: the
    two-sample baseline W1 of U[0,1] (theta = 0), mean over ``baseline_replicates`` pairs per seed and n, by sorting."""
    device = torch.device(device)
    gen = generator(seed, device)
    S, T, size = n_seeds, len(theta), int(n_lines)
    z0 = torch.rand(S, T, replicates, size, generator=gen, dtype=torch.float64, device=device)
    z1 = torch.rand(S, T, replicates, size, generator=gen, dtype=torch.float64, device=device)
    pairs = np.zeros((S, T, replicates))
    for s in range(S):
        for t, th in enumerate(theta):
            for r in range(replicates):
                a = np.stack([np.zeros(size), z0[s, t, r].cpu().numpy()], 1)
                b = np.stack([np.full(size, float(th)), z1[s, t, r].cpu().numpy()], 1)
                pairs[s, t, r] = assignment_w1(a, b)
    w1 = pairs.mean(-1)
    base_pairs = sorted_w1(z0, z1).cpu().numpy()  # (S, T, replicates): the same pairs' Z-samples, 1-D
    excess = pairs - np.abs(np.asarray(theta, dtype=float))[None, :, None] - base_pairs
    baseline_theta = torch.as_tensor(base_pairs.mean(-1))
    baseline = torch.stack([_baseline(S, baseline_replicates, int(m), gen, device) for m in n], -1)  # (S, len(n))
    return {
        "theta": np.asarray(theta, dtype=float),
        "n": np.asarray(n, dtype=float),
        "w1": w1,
        "w1_excess": w1 - np.abs(np.asarray(theta, dtype=float))[None, :],
        "baseline_at_theta": baseline_theta.cpu().numpy(),
        # the largest over the seed's pairs of (W_n - |theta|) - baseline: at most 0 pair by pair
        "excess_over_baseline": excess.max(-1),
        "baseline": baseline.cpu().numpy(),
    }
