"""One-hidden-layer networks with the polynomial activation x^2, trained on |x| over a sweep of widths, against the exact ReLU representation |x| = relu(x) + relu(-x) (Massias 2025, Deep learning 1/2, 'let phi be non polynomial'; Leshno, Lin, Pinkus & Schocken 1993, Thm 1, the necessity direction)."""

from __future__ import annotations

import math

import numpy as np
import torch

from experiments.lib.common import generator


def grid(n_grid: int, device) -> torch.Tensor:
    """n_grid equispaced points of [-1, 1], ends included (with n_grid - 1 a multiple of 4 it holds -1, -1/2, 0, 1/2, 1)."""
    return torch.linspace(-1, 1, n_grid, dtype=torch.float64, device=device)


def relu_abs(x: torch.Tensor) -> torch.Tensor:
    """|x| by a width-2 ReLU layer, weights written down: C relu(A x) with A = (1, -1), C = (1, 1)."""
    a = torch.tensor([1.0, -1.0], dtype=x.dtype, device=x.device)
    c = torch.ones(2, dtype=x.dtype, device=x.device)
    return torch.relu(x[:, None] * a) @ c


def train_square_nets(width: int, n_seeds: int, x_train: torch.Tensor, steps: int, lr: float, gen) -> tuple:
    """n_seeds independent nets sum_j c_j (a_j x + b_j)^2 + c_0, batched, full-batch Adam on the mean-square error."""
    dev = x_train.device
    a = torch.randn(n_seeds, width, generator=gen, dtype=torch.float64, device=dev)
    b = torch.randn(n_seeds, width, generator=gen, dtype=torch.float64, device=dev)
    c = torch.randn(n_seeds, width, generator=gen, dtype=torch.float64, device=dev) / math.sqrt(width)
    c0 = torch.zeros(n_seeds, 1, dtype=torch.float64, device=dev)
    params = [t.requires_grad_(True) for t in (a, b, c, c0)]
    opt = torch.optim.Adam(params, lr=lr)
    y = x_train.abs()
    powers = torch.stack([x_train**2, 2 * x_train, torch.ones_like(x_train)])  # (3, points)
    for _ in range(steps):
        opt.zero_grad()
        loss = ((expanded(params) @ powers - y) ** 2).mean(-1).sum()
        loss.backward()
        opt.step()
    return [t.detach() for t in params]


def expanded(params) -> torch.Tensor:
    """The same function as forward() with (a x + b)^2 multiplied out, (sum c a^2) x^2 + 2 (sum c a b) x + sum c b^2 + c_0:
    identical values and gradients at O(width) per step instead of O(width x points), for training only; every error
    the run reports evaluates the network unit by unit (forward)."""
    a, b, c, c0 = params
    return torch.stack([(c * a * a).sum(-1), (c * a * b).sum(-1), (c * b * b).sum(-1) + c0[:, 0]], -1)  # (seeds, 3)


def forward(params, x: torch.Tensor) -> torch.Tensor:
    a, b, c, c0 = params
    return torch.einsum("sjn,sj->sn", (a[..., None] * x + b[..., None]) ** 2, c) + c0


def run(*, seed: int, device: torch.device | str = "cpu", width: list[int], n_grid: int, n_train: int, steps: int,
        lr: float, n_seeds: int) -> dict:
    """Per (seed, width): the sup and mean-square errors on the n_grid evaluation grid of an x^2 net trained on n_train
    points; and those of the written-down ReLU |x| (seed-independent, repeated per seed)."""
    device = torch.device(device)
    gen = generator(seed, device)
    x_eval, x_train = grid(n_grid, device), grid(n_train, device)
    sup, mse = [], []
    for w in width:
        params = train_square_nets(int(w), n_seeds, x_train, steps, lr, gen)
        err = forward(params, x_eval) - x_eval.abs()
        sup.append(err.abs().amax(-1))
        mse.append((err**2).mean(-1))
    relu_err = relu_abs(x_eval) - x_eval.abs()
    ones = np.ones((n_seeds, len(width)))
    return {
        "width": np.asarray(width, dtype=float),
        "sup_error": torch.stack(sup, -1).cpu().numpy(),
        "mse": torch.stack(mse, -1).cpu().numpy(),
        "relu_sup_error": ones * float(relu_err.abs().max()),
    }
