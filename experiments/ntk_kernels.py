"""Finite-width kernels of random ReLU networks against their infinite-width limits: the empirical NTK from one backward pass and the last layer's NNGP covariance of L-hidden-layer MLPs in Arora et al.'s parameterisation (2019, Eqs. 4-9; Jacot, Gabriel & Hongler 2018, Thm 1), and the output kurtosis of two-layer networks (Neal 1996; Lee et al. 2018), seeds and sweep points batched (Scaman 2023, Mathematics of Deep Learning, lecture 6)."""

from __future__ import annotations

import math

import numpy as np
import torch

from experiments.lib.common import Progress, generator

C_SIGMA = 2.0  # relu's c_sigma: g^(h) = sqrt(c_sigma/m) relu(f^(h)) keeps the diagonal of the NNGP kernel at 1


def unit_inputs(rho: list[float], d: int, device) -> torch.Tensor:
    """(1 + len(rho), d) unit vectors: e1, then rho_k e1 + sqrt(1 - rho_k^2) e2, so <x_0, x_k> = rho_k."""
    x = torch.zeros(1 + len(rho), d, dtype=torch.float64, device=device)
    x[0, 0] = 1.0
    for k, r in enumerate(rho, start=1):
        x[k, 0], x[k, 1] = r, math.sqrt(max(0.0, 1 - r * r))
    return x


KURTOSIS_BLOCK = 2**28  # hidden-unit values per block of the kurtosis sweep (2 GiB in float64)


def normal(gen, *shape: int, device) -> torch.Tensor:
    """Standard normal samples drawn in float32 and computed with in float64: the weights are exact draws of a Gaussian
    rounded to 24 bits, which no kernel statistic here resolves, at a third of float64 sampling's cost (the bulk of
    these runs)."""
    return torch.randn(*shape, generator=gen, dtype=torch.float32, device=device).to(torch.float64)


def init(gen, B: int, d: int, m: int, depth: int, device) -> list[torch.Tensor]:
    """B independent networks: W^(1) (B, m, d), W^(h) (B, m, m) for 1 < h <= depth, W^(depth+1) (B, 1, m); all N(0, 1)."""
    shapes = [(d if h == 0 else m, m) for h in range(depth)] + [(m, 1)]
    return [normal(gen, B, o, i, device=device) for i, o in shapes]


def kernels(weights: list[torch.Tensor], x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The empirical NTK (B, n, n), sum over layers of (delta_h delta_h^T) * (g_(h-1) g_(h-1)^T), from one forward and one
    backward pass (no Jacobian is formed), and the last hidden layer's Gram g^(L) g^(L)^T (B, n, n), the output's
    covariance over the last layer's weights (the finite-width NNGP kernel)."""
    g = x.T.unsqueeze(0).expand(weights[0].shape[0], -1, -1)  # (B, d, n): columns are inputs
    inputs, masks = [g], []
    for w in weights[:-1]:
        pre = w @ g
        scale = math.sqrt(C_SIGMA / w.shape[1])
        masks.append(scale * (pre > 0).to(pre.dtype))
        g = scale * torch.relu(pre)
        inputs.append(g)
    delta = torch.ones_like(weights[-1] @ g)  # (B, 1, n): df/df^(L+1) = 1
    theta = torch.zeros(g.shape[0], g.shape[2], g.shape[2], dtype=g.dtype, device=g.device)
    for h in range(len(weights) - 1, -1, -1):
        theta += (delta.transpose(1, 2) @ delta) * (inputs[h].transpose(1, 2) @ inputs[h])
        if h > 0:
            delta = masks[h - 1] * (weights[h].transpose(1, 2) @ delta)
    last = inputs[-1]
    return theta, last.transpose(1, 2) @ last


def _spread(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """||K_a - K_b||_F / (sqrt 2 ||(K_a + K_b)/2||_F): a single network's relative Frobenius distance to the mean kernel,
    estimated from two independent networks (the difference has twice the variance of one)."""
    return torch.linalg.matrix_norm(a - b) / (math.sqrt(2) * torch.linalg.matrix_norm((a + b) / 2))


def run(*, seed: int, device: torch.device | str = "cpu", sweep: str, n_seeds: int, m: list[int],
        rho: list[float] | None = None, depth: int = 1, d: int = 3, draws: int = 0) -> dict[str, np.ndarray]:
    """sweep "kernels" (F15, F16): per seed two independent networks of each width m; ntk_spread and nngp_spread
    (seeds, m) are their relative Frobenius distances (_spread) on the Gram of the 1 + len(rho) unit inputs; ntk and
    nngp (seeds, rho) are the pair's mean kernel between x_0 and x_k at the widest m.
    sweep "kurtosis" (F14): per seed, draws two-layer networks f(x) = m^(-1/2) sum_j a_j relu(w_j.x) of each width m at
    one unit input; kurtosis (seeds, m) is the excess kurtosis of f, with the output weights a integrated out exactly
    (given the hidden layer, f ~ N(0, s) with s = sum_j relu(w_j.x)^2/m, so E f^4 = 3 E s^2 and E f^2 = E s: 3 E s^2 /
    (E s)^2 - 3), which removes the output weights' share of the estimator's variance (a Rao-Blackwellisation)."""
    device = torch.device(device)
    gen = generator(seed, device)
    widths = [int(v) for v in m]
    if sweep == "kurtosis":
        rb = []
        progress = Progress(len(widths), "ntk_kernels[kurtosis]")
        for width in widths:
            # Blocks of draws beyond KURTOSIS_BLOCK elements: the full scale's 20 x 500000 x 1024 hidden units would
            # take 82 GB at once (an H200 ran out of memory); a block is drawn after the other, so a run that fits in
            # one block (every smoke run) draws exactly what it drew before blocks existed.
            step = max(1, KURTOSIS_BLOCK // (n_seeds * width))
            s1 = torch.zeros(n_seeds, dtype=torch.float64, device=device)
            s2 = torch.zeros_like(s1)
            for start in range(0, draws, step):
                h = torch.relu(normal(gen, n_seeds, min(step, draws - start), width, device=device))  # w_j.x ~ N(0, 1)
                s = h.pow(2).mean(2)
                s1 += s.sum(1)
                s2 += s.pow(2).sum(1)
            rb.append(3 * (s2 / draws) / (s1 / draws).pow(2) - 3)
            progress.update(1)
        progress.close()
        return {"m": np.asarray(widths, dtype=float), "kurtosis": torch.stack(rb, 1).cpu().numpy()}
    if sweep != "kernels":
        raise ValueError(f"sweep must be 'kernels' or 'kurtosis', got {sweep!r}")
    rhos = [float(v) for v in rho or []]
    x = unit_inputs(rhos, d, device)
    ntk_spread = torch.zeros(n_seeds, len(widths), dtype=torch.float64)
    nngp_spread = torch.zeros_like(ntk_spread)
    ntk = torch.zeros(n_seeds, len(rhos), dtype=torch.float64)
    nngp = torch.zeros_like(ntk)
    progress = Progress(n_seeds * len(widths), f"ntk_kernels[depth={depth}]")
    for j, width in enumerate(widths):
        for s in range(n_seeds):  # a pair per seed: two independent networks
            theta, gram = kernels(init(gen, 2, d, width, depth, device), x)
            ntk_spread[s, j], nngp_spread[s, j] = _spread(theta[0], theta[1]), _spread(gram[0], gram[1])
            if j == len(widths) - 1:
                ntk[s], nngp[s] = theta.mean(0)[0, 1:].cpu(), gram.mean(0)[0, 1:].cpu()
            progress.update(1)
    progress.close()
    return {"m": np.asarray(widths, dtype=float), "rho": np.asarray(rhos), "ntk_spread": ntk_spread.numpy(),
            "nngp_spread": nngp_spread.numpy(), "ntk": ntk.numpy(), "nngp": nngp.numpy()}
