"""Deep ReLU networks of width 1 and 2 trained on the tent max(0, 1 - |x|) over [-2, 2], with the isotonic-regression bound of the grid (pool adjacent violators) and a written-down width-1 net that attains it (Massias 2025, Deep learning 1/2, 'minimal width'; Park, Yun, Lee & Shin 2021, ICLR, Thm 1 and Lemma 8 for n = m = 1)."""

from __future__ import annotations

import math

import numpy as np
import torch

from experiments.lib.common import generator

LO, HI = -2.0, 2.0


def grid(n_grid: int, device) -> torch.Tensor:
    """Midpoints of n_grid equal cells of [-2, 2]: the grid mean is the midpoint rule for the uniform-measure integral."""
    h = (HI - LO) / n_grid
    return LO + h * (torch.arange(n_grid, dtype=torch.float64, device=device) + 0.5)


def tent(x: torch.Tensor) -> torch.Tensor:
    return torch.clamp(1 - x.abs(), min=0)


def pava(y: np.ndarray) -> np.ndarray:
    """The least-squares non-decreasing fit of y (equal weights) by pooling adjacent violators."""
    values, sizes = [], []
    for v in y.astype(float):
        values.append(v)
        sizes.append(1)
        while len(values) > 1 and values[-2] > values[-1]:
            total = sizes[-2] + sizes[-1]
            values[-2] = (values[-2] * sizes[-2] + values[-1] * sizes[-1]) / total
            sizes[-2] = total
            values.pop()
            sizes.pop()
    return np.repeat(values, sizes)


def isotonic_mse(y: np.ndarray) -> float:
    """min over monotone (non-decreasing or non-increasing) g of mean (g - y)^2 on the grid."""
    up = np.mean((pava(y) - y) ** 2)
    down = np.mean((pava(y[::-1]) - y[::-1]) ** 2)
    return float(min(up, down))


def width_one_isotonic_net(x: torch.Tensor, plateau: float) -> torch.Tensor:
    """The best monotone fit min(relu(x + 1), u) written as a width-1 net of two hidden layers:
    h1 = relu(x + 1), h2 = relu(u - h1), output u - h2."""
    h1 = torch.relu(x + 1)
    h2 = torch.relu(plateau - h1)
    return plateau - h2


def init_layers(width: int, depth: int, n_seeds: int, gen, device) -> list[torch.Tensor]:
    """Weights (seeds, out, in) and biases of depth hidden layers of `width` ReLU units and a linear output, uniform
    +-1/sqrt(fan_in) as torch.nn.Linear, biases as well."""
    params = []
    fan_in = 1
    for layer in range(depth + 1):
        out = 1 if layer == depth else width
        bound = 1 / math.sqrt(fan_in)
        params.append((2 * torch.rand(n_seeds, out, fan_in, generator=gen, dtype=torch.float64, device=device) - 1) * bound)
        params.append((2 * torch.rand(n_seeds, out, 1, generator=gen, dtype=torch.float64, device=device) - 1) * bound)
        fan_in = out
    return params


def forward(params: list[torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """(seeds, points): every seed's net on the shared inputs x."""
    h = x.expand(params[0].shape[0], 1, -1)
    last = len(params) // 2 - 1
    for i in range(0, len(params), 2):
        h = params[i] @ h + params[i + 1]
        if i // 2 < last:
            h = torch.relu(h)
    return h[:, 0, :]


def train(width: int, depth: int, n_seeds: int, x: torch.Tensor, y: torch.Tensor, steps: int, lr: float, gen) -> list:
    params = [p.requires_grad_(True) for p in init_layers(width, depth, n_seeds, gen, x.device)]
    opt = torch.optim.Adam(params, lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        ((forward(params, x) - y) ** 2).mean(-1).sum().backward()
        opt.step()
    return [p.detach() for p in params]


def run(*, seed: int, device: torch.device | str = "cpu", width: int, depth: list[int], n_grid: int, n_train: int,
        steps: int, lr: float, n_seeds: int) -> dict:
    """Per (seed, depth): the grid MSE of a width-`width` net trained on n_train points by full-batch Adam; and, the same
    for every seed, the grid's isotonic bound (PAVA) and the MSE of the written-down width-1 net at the PAVA plateau."""
    device = torch.device(device)
    gen = generator(seed, device)
    x_eval, x_train = grid(n_grid, device), grid(n_train, device)
    y_eval, y_train = tent(x_eval), tent(x_train)
    mse = []
    for d in depth:
        params = train(int(width), int(d), n_seeds, x_train, y_train, steps, lr, gen)
        mse.append(((forward(params, x_eval) - y_eval) ** 2).mean(-1))
    y = y_eval.cpu().numpy()
    bound = isotonic_mse(y)
    plateau = float(pava(y)[-1])
    built = float(((width_one_isotonic_net(x_eval, plateau) - y_eval) ** 2).mean())
    ones = np.ones((n_seeds, len(depth)))
    return {"depth": np.asarray(depth, dtype=float), "mse": torch.stack(mse, -1).cpu().numpy(),
            "isotonic_mse": ones * bound, "built_mse": ones * built}
