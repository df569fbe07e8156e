"""The Dirac-GAN of Mescheder, Geiger & Nowozin (2018, §2-3): G = delta_theta, D(x) = psi x, data at 0, V = f(psi theta) with f(t) = -log(1 + e^-t), iterated by simultaneous or alternating gradient steps with an R1 penalty (gamma/2) psi^2; the per-step rate of log ||(theta, psi)||, batched over seeds and penalties."""

from __future__ import annotations

import numpy as np
import torch

from experiments.lib.common import generator, ols_slope


def run(*, seed: int, device: torch.device | str = "cpu", scheme: str, gamma: list[float], h: float, steps: int,
        start_norm: float, n_seeds: int) -> dict[str, np.ndarray]:
    """Per (seed, gamma), from a random direction at ``start_norm`` (small, so that the linearisation at the
    equilibrium governs): the OLS slope of log ||(theta, psi)|| over the second half of ``steps`` updates, and the
    final norm over the starting one."""
    if scheme not in ("simultaneous", "alternating"):
        raise ValueError(f"unknown scheme {scheme!r}; valid: simultaneous, alternating")
    device = torch.device(device)
    gen = generator(seed, device)
    S, G = n_seeds, len(gamma)
    g = torch.as_tensor(gamma, dtype=torch.float64, device=device).expand(S, G)
    angle = 2 * torch.pi * torch.rand(S, G, generator=gen, dtype=torch.float64, device=device)
    th, ps = start_norm * torch.cos(angle), start_norm * torch.sin(angle)
    fprime = lambda t: torch.sigmoid(-t)  # noqa: E731  f'(t) for f(t) = -log(1 + e^-t)
    logs = []
    for _ in range(steps):
        if scheme == "simultaneous":
            th, ps = th - h * fprime(ps * th) * ps, ps + h * (fprime(ps * th) * th - g * ps)
        else:  # the generator moves first; the discriminator answers the new theta
            th = th - h * fprime(ps * th) * ps
            ps = ps + h * (fprime(ps * th) * th - g * ps)
        logs.append(torch.log(torch.sqrt(th * th + ps * ps)))
    log_norm = torch.stack(logs, -1)
    half = steps // 2
    rate = ols_slope(list(range(half, steps)), log_norm[..., half:])
    return {
        "gamma": np.asarray(gamma, dtype=float),
        "rate": rate.cpu().numpy(),
        "norm_ratio": (log_norm[..., -1].exp() / start_norm).cpu().numpy(),
        "log_norm_spread": (log_norm[..., half:].max(-1).values - log_norm[..., half:].min(-1).values).cpu().numpy(),
    }
