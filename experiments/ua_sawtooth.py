"""Telgarsky's sawtooth T^k (T the tent map on [0, 1]): the depth-k width-2 ReLU net that computes it, a written-down one-hidden-layer net with 2^k units that computes it, and trained one-hidden-layer nets with fewer units, with exact breakpoint counts and L1 errors (Dobriban 2019, Stat 991 notes §7.3, 'Telgarsky 16' and §7.12; Telgarsky 2016, COLT, Lemma 2.1 and Thm 1.1)."""

from __future__ import annotations

import math

import numpy as np
import torch

from experiments.lib.common import generator
from experiments.lib.piecewise import breakpoints


def sawtooth(x: torch.Tensor, k: int) -> torch.Tensor:
    """T^k in closed form: the tent of the fractional part of 2^(k-1) x, 1 - |2 frac(2^(k-1) x) - 1|."""
    y = torch.remainder(x * 2.0 ** (k - 1), 1.0)
    return 1 - (2 * y - 1).abs()


def deep_layers(k: int, dtype, device) -> tuple[list, tuple]:
    """Hidden layers (W, b) of the depth-k width-2 net: each computes relu(h), relu(h - 1/2) of h = 2 u1 - 4 u2 of the
    layer before (h = x first), since T(h) = 2 relu(h) - 4 relu(h - 1/2) on [0, 1]; and the output layer."""
    first = (torch.tensor([[1.0], [1.0]], dtype=dtype, device=device), torch.tensor([0.0, -0.5], dtype=dtype, device=device))
    inner = (torch.tensor([[2.0, -4.0], [2.0, -4.0]], dtype=dtype, device=device), first[1])
    out = (torch.tensor([[2.0, -4.0]], dtype=dtype, device=device), torch.zeros(1, dtype=dtype, device=device))
    return [first] + [inner] * (k - 1), out


def run_layers(hidden: list, out: tuple, x: torch.Tensor) -> torch.Tensor:
    h = x[:, None]
    for w, b in hidden:
        h = torch.relu(h @ w.T + b)
    return (h @ out[0].T + out[1])[:, 0]


def shallow_layers(k: int, dtype, device) -> tuple[list, tuple]:
    """A one-hidden-layer net with 2^k units equal to T^k on [0, 1]: relu(x) gives the first slope 2^k, and a unit at
    each interior breakpoint j/2^k changes the slope by -+2^(k+1) (down at the teeth's tops, j odd; up at their feet).
    With no affine term beside the units, 2^k - 1 units cannot do: their slope changes are multiples of 2^(k+1), and the
    two end slopes +-2^k would need a subset of them to sum to 2^k."""
    knots = torch.arange(0, 2**k, dtype=dtype, device=device) / 2**k
    change = torch.where(torch.arange(2**k, device=device) % 2 == 1, -(2.0 ** (k + 1)), 2.0 ** (k + 1)).to(dtype)
    change[0] = 2.0**k
    hidden = [(torch.ones(2**k, 1, dtype=dtype, device=device), -knots)]
    return hidden, (change[None, :], torch.zeros(1, dtype=dtype, device=device))


def l1_error(values: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Midpoint rule on the dyadic cells: exact where both functions are affine across a cell (T^k's breakpoints are
    cell boundaries), off by at most slope x cell^2 in the cells holding a breakpoint or a crossing of the net."""
    return (values - target).abs().mean(-1)


def train_shallow(m: int, n_seeds: int, x: torch.Tensor, y: torch.Tensor, steps: int, lr: float, gen) -> list:
    """n_seeds one-hidden-layer nets of m units (torch.nn.Linear's uniform init), batched, full-batch Adam on the MSE."""
    dev = x.device
    w1 = (2 * torch.rand(n_seeds, m, generator=gen, dtype=torch.float64, device=dev) - 1)
    b1 = (2 * torch.rand(n_seeds, m, generator=gen, dtype=torch.float64, device=dev) - 1)
    w2 = (2 * torch.rand(n_seeds, m, generator=gen, dtype=torch.float64, device=dev) - 1) / math.sqrt(m)
    b2 = (2 * torch.rand(n_seeds, 1, generator=gen, dtype=torch.float64, device=dev) - 1) / math.sqrt(m)
    params = [p.requires_grad_(True) for p in (w1, b1, w2, b2)]
    opt = torch.optim.Adam(params, lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        ((shallow_forward(params, x) - y) ** 2).mean(-1).sum().backward()
        opt.step()
    return [p.detach() for p in params]


def shallow_forward(params, x: torch.Tensor) -> torch.Tensor:
    w1, b1, w2, b2 = params
    return torch.einsum("sjn,sj->sn", torch.relu(w1[..., None] * x + b1[..., None]), w2) + b2


def run(*, seed: int, device: torch.device | str = "cpu", k_saw: list[int] | int, m: list[int] | None = None,
        log2_cells: int = 16, steps: int = 0, lr: float = 0.01, n_train: int = 1024, n_random: int = 4096,
        n_seeds: int = 1) -> dict:
    """Without m: for every k of the sweep, the depth-k width-2 net's and the 2^k-unit shallow net's sup error against
    the closed form on the dyadic grid (exact arithmetic there) and at n_random uniform points (rounding there), and
    their piece counts on [0, 1].  With m (and one k): per (seed, m), a trained
    one-hidden-layer net's L1 error against T^k and its piece count on [0, 1] (breakpoints in (0, 1) plus one)."""
    device = torch.device(device)
    dt = torch.float64
    x = (torch.arange(2**log2_cells, dtype=dt, device=device) + 0.5) / 2**log2_cells
    zero, one = torch.zeros(1, dtype=dt, device=device), torch.ones(1, dtype=dt, device=device)
    gen = generator(seed, device)
    if m is None:
        ks = list(k_saw)
        out = {name: [] for name in ("deep_sup_error", "deep_pieces", "shallow_sup_error", "shallow_pieces")}
        dyadic = torch.arange(2**log2_cells + 1, dtype=dt, device=device) / 2**log2_cells  # knots included
        probes = torch.cat([dyadic, torch.rand(n_random, generator=gen, dtype=dt, device=device)])
        for k in ks:
            for name, (hidden, last) in (("deep", deep_layers(k, dt, device)), ("shallow", shallow_layers(k, dt, device))):
                out[f"{name}_sup_error"].append(float((run_layers(hidden, last, probes) - sawtooth(probes, k)).abs().max()))
                out[f"{name}_pieces"].append(len(breakpoints(hidden, zero, one)) + 1)
        return {"k_saw": np.asarray(ks, dtype=float), **{key: np.asarray(v, dtype=float)[None, :] for key, v in out.items()}}
    k = int(k_saw)
    x_train = (torch.arange(n_train, dtype=dt, device=device) + 0.5) / n_train
    target, y_train = sawtooth(x, k), sawtooth(x_train, k)
    l1, pieces = np.zeros((n_seeds, len(m))), np.zeros((n_seeds, len(m)))
    for j, mm in enumerate(m):
        params = train_shallow(int(mm), n_seeds, x_train, y_train, steps, lr, gen)
        l1[:, j] = l1_error(shallow_forward(params, x), target).cpu().numpy()
        w1, b1, _, _ = params
        for s in range(n_seeds):
            hidden = [(w1[s][:, None], b1[s])]
            pieces[s, j] = len(breakpoints(hidden, zero, one)) + 1
    return {"m": np.asarray(m, dtype=float), "l1_error": l1, "pieces": pieces}
