"""The parallel lines P_0 = law of (0, Z) and P_theta = law of (theta, Z), Z ~ U[0,1], on a grid of theta: exact sample W1 (the sorted matching of the Z's, which is the optimal assignment) and a discriminator-based JS estimate (V(D_hat) + log 4)/2 from a logistic discriminator trained by Adam and evaluated on held-out draws, batched over seeds and theta (Arjovsky, Chintala & Bottou 2017, Example 1 and Thm 1)."""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

from experiments.lib.common import generator


def run(*, seed: int, device: torch.device | str = "cpu", theta: list[float], n_lines: list[int], disc_steps: int,
        disc_lr: float, n_eval: int, fit_from: float, n_seeds: int) -> dict[str, np.ndarray]:
    """Per (seed, theta): W1 between n_lines points of P_0 and of P_theta, mean sqrt(theta^2 + (Z_(i) - Z'_(i))^2)
    over the sorted Z's; a logistic discriminator D(u, v) = sigma(w u + c v + b) trained from 0 by ``disc_steps`` Adam
    steps (lr ``disc_lr``) to maximise V on the same n_lines points per law, and the JS estimate (V(D) + log 4)/2 on
    ``n_eval`` fresh points per law.  Per seed: the OLS slope and intercept of W1 against |theta| over
    |theta| >= fit_from (reported on a one-point grid, n_lines)."""
    device = torch.device(device)
    gen = generator(seed, device)
    S, T, m = n_seeds, len(theta), int(n_lines[0])  # a one-point grid, for the per-seed OLS fit
    th = torch.as_tensor(theta, dtype=torch.float64, device=device).view(1, T, 1)
    z0 = torch.rand(S, T, m, generator=gen, dtype=torch.float64, device=device)
    z1 = torch.rand(S, T, m, generator=gen, dtype=torch.float64, device=device)
    w1 = torch.sqrt(th**2 + (z0.sort(-1).values - z1.sort(-1).values) ** 2).mean(-1)  # (S, T)
    # Logistic discriminator, label 1 for P_0 (real), 0 for P_theta.
    params = torch.zeros(3, S, T, 1, dtype=torch.float64, device=device, requires_grad=True)
    opt = torch.optim.Adam([params], lr=disc_lr)

    def logits(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        return params[0] * u + params[1] * v + params[2]

    zero = torch.zeros_like(z0)
    for _ in range(disc_steps):
        value = F.logsigmoid(logits(zero, z0)).mean(-1) + F.logsigmoid(-logits(th.expand_as(z1), z1)).mean(-1)
        opt.zero_grad(set_to_none=True)
        (-value.sum()).backward()
        opt.step()
    with torch.no_grad():
        e0 = torch.rand(S, T, n_eval, generator=gen, dtype=torch.float64, device=device)
        e1 = torch.rand(S, T, n_eval, generator=gen, dtype=torch.float64, device=device)
        held_out = (F.logsigmoid(logits(torch.zeros_like(e0), e0)).mean(-1)
                    + F.logsigmoid(-logits(th.expand_as(e1), e1)).mean(-1))
    js = (held_out + math.log(4)) / 2
    w1_np, js_np = w1.cpu().numpy(), js.cpu().numpy()
    abs_theta = np.abs(np.asarray(theta, dtype=float))
    keep = abs_theta >= fit_from
    if len(set(abs_theta[keep])) >= 2:
        design = np.c_[abs_theta[keep], np.ones(keep.sum())]
        coef = np.linalg.lstsq(design, w1_np[:, keep].T, rcond=None)[0]  # (2, S)
    else:  # a grid of one |theta| (the per-point loop of benchmarks/wgan_batching.py) has no slope
        coef = np.full((2, S), np.nan)
    return {
        "theta": np.asarray(theta, dtype=float),
        "n_lines": np.asarray([m], dtype=float),
        "w1": w1_np,
        "js": js_np,
        "w1_slope": coef[0][:, None],
        "w1_intercept": coef[1][:, None],
    }
