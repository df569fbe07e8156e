"""Gradient descent on wide one-hidden-layer ReLU networks in the NTK parameterisation: how little the tangent kernel and the weights move (lazy training; Jacot, Gabriel & Hongler 2018, Thm 2; Lee et al. 2019, Thm 2.1) and how close the trained network is to kernel regression with the analytic NTK after the same number of steps (Lee et al. 2019, Thm 2.1 and the linearised model's outputs, Sec. 2; Arora et al. 2019, Thm 3.2), seeds batched on a tensor axis."""

from __future__ import annotations

import math

import numpy as np
import torch

from experiments.lib.common import Progress, generator

C_SIGMA = 2.0  # f(x) = a . sqrt(2/m) relu(W x): Arora et al.'s c_sigma = 2, the parameterisation of ntk_kernels


def sphere(gen, *shape: int, device) -> torch.Tensor:
    """Points uniform on the unit sphere of the last axis, float64 (the analytic kernel is written for unit inputs)."""
    x = torch.randn(*shape, generator=gen, dtype=torch.float64, device=device)
    return x / torch.linalg.vector_norm(x, dim=-1, keepdim=True)


def analytic_ntk(x: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
    """The depth-1 NTK between unit inputs, rho kappa_0(rho) + kappa_1(rho) with rho = x.z (theory.ntk.ntk_kernel(1); the
    tests check the two agree), batched: x (S, n, d), z (S, k, d) -> (S, n, k)."""
    rho = (x @ z.transpose(1, 2)).clamp(-1.0, 1.0)
    angle = torch.arccos(rho)
    k0 = (math.pi - angle) / math.pi
    k1 = (torch.sqrt((1 - rho * rho).clamp_min(0.0)) + (math.pi - angle) * rho) / math.pi
    return rho * k0 + k1


def empirical_ntk(w: torch.Tensor, a: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """<grad_theta f(x_i), grad_theta f(x_j)> of f = a . sqrt(2/m) relu(W x), in closed form: (2/m)[relu(Wx).relu(Wx') +
    (x.x') sum_j a_j^2 1{w_j.x > 0} 1{w_j.x' > 0}] (the a-gradient and the W-gradient), w (S, m, d), a (S, m), x (S, n, d)."""
    pre = x @ w.transpose(1, 2)  # (S, n, m)
    scale = C_SIGMA / w.shape[1]
    h = torch.relu(pre)
    mask = (pre > 0).to(pre.dtype)
    return scale * (h @ h.transpose(1, 2) + (x @ x.transpose(1, 2)) * ((mask * a.unsqueeze(1) ** 2) @ mask.transpose(1, 2)))


def forward(w: torch.Tensor, a: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return math.sqrt(C_SIGMA / w.shape[1]) * (torch.relu(x @ w.transpose(1, 2)) @ a.unsqueeze(2)).squeeze(2)


def kernel_regression(theta: torch.Tensor, cross: torch.Tensor, y: torch.Tensor, eta: float, steps: int):
    """The linearised network after `steps` of GD on (1/2n)||f - y||^2 from f_0 = 0: on the training set f_t = (I - (I -
    eta Theta/n)^t) y, at test points Theta(x, X) Theta^-1 (I - (I - eta Theta/n)^t) y. Written in Theta's eigenbasis with
    (1 - (1 - eta l/n)^t)/l, which tends to eta t/n as l -> 0: the unconverged small modes stay finite (the ridgeless
    t -> oo limit would divide their noise by l).  Returns (train, test, ridgeless test)."""
    n = theta.shape[-1]
    lam, vec = torch.linalg.eigh(theta)
    # 1 - (1 - u)^t by an integer power: (1 - u) may be negative for the top modes (stable while u < 2), and the
    # absolute error of the power is at the rounding level, which the small-u modes' quotient by l does not amplify.
    done = 1 - torch.pow(1 - eta * lam / n, steps)
    coef = vec.transpose(1, 2) @ y.unsqueeze(2)
    train = (vec @ (done.unsqueeze(2) * coef)).squeeze(2)
    test = (cross @ (vec @ ((done / lam).unsqueeze(2) * coef))).squeeze(2)
    ridgeless = (cross @ (vec @ (coef / lam.unsqueeze(2)))).squeeze(2)
    return train, test, ridgeless


def train(w: torch.Tensor, a: torch.Tensor, x: torch.Tensor, y: torch.Tensor, eta: float, steps: int) -> None:
    """`steps` of full-batch GD on (1/2n)||f - y||^2, in place, with hand-written gradients: one forward pass and two
    matmuls back, no autograd graph to keep (tests/test_ntk.py checks them against autograd)."""
    n, scale = x.shape[1], math.sqrt(C_SIGMA / w.shape[1])
    for _ in range(steps):
        pre = x @ w.transpose(1, 2)
        h = torch.relu(pre)
        r = (scale * (h @ a.unsqueeze(2)).squeeze(2) - y) / n  # (S, n)
        grad_a = scale * (h.transpose(1, 2) @ r.unsqueeze(2)).squeeze(2)
        grad_pre = scale * (pre > 0).to(pre.dtype) * r.unsqueeze(2) * a.unsqueeze(1)  # (S, n, m)
        w -= eta * (grad_pre.transpose(1, 2) @ x)
        a -= eta * grad_a


def _rel(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Per seed ||a - b|| / ||b|| over the trailing axes."""
    dims = tuple(range(1, a.dim()))
    return torch.linalg.vector_norm(a - b, dim=dims) / torch.linalg.vector_norm(b, dim=dims)


def run(*, seed: int, device: torch.device | str = "cpu", n_seeds: int, m: list[int], n: int, n_test: int, d: int,
        steps: int, eta: float) -> dict[str, np.ndarray]:
    """Per seed a data set (n training and n_test test points uniform on S^(d-1), labels y = tanh(2 u.x) + x_1 x_2 d for a
    random unit u, a target the kernel cannot fit in a few steps) and, at each width m, one network with antisymmetric
    initialisation (units j and j + m/2 share w_j and have opposite output weights, so f_0 = 0; all N(0, 1)), trained by
    `steps` of full-batch GD on (1/2n)||f - y||^2 at step eta, float64.  Arrays (seeds, m):
    kernel_change ||Theta_T - Theta_0||_F / ||Theta_0||_F on the training Gram, weight_change ||theta_T - theta_0|| /
    ||theta_0||; distance ||f_T - f_lin|| / ||f_lin|| on the test points, f_lin the analytic-NTK regression after the same
    steps (kernel_regression), train_distance the same on the training points, ridgeless_distance against the t -> oo
    (ridgeless) kernel regressor; train_loss (seeds, m) the network's final (1/2n)||f - y||^2 and kernel_loss (seeds,) the
    linearised model's."""
    device = torch.device(device)
    gen = generator(seed, device)
    S, widths = int(n_seeds), [int(v) for v in m]
    if any(v % 2 for v in widths):
        raise ValueError("antisymmetric initialisation needs even widths")
    x, xt = sphere(gen, S, n, d, device=device), sphere(gen, S, n_test, d, device=device)
    u = sphere(gen, S, 1, d, device=device)

    def target(p):
        return torch.tanh(2 * (p @ u.transpose(1, 2)).squeeze(2)) + d * p[..., 0] * p[..., 1]

    y = target(x)
    theta_inf = analytic_ntk(x, x)
    lin_train, lin_test, ridgeless = kernel_regression(theta_inf, analytic_ntk(xt, x), y, eta, steps)
    out = {k: torch.zeros(S, len(widths), dtype=torch.float64) for k in
           ("kernel_change", "weight_change", "distance", "train_distance", "ridgeless_distance", "train_loss")}
    progress = Progress(len(widths), "ntk_training")
    for j, width in enumerate(widths):
        half = torch.randn(S, width // 2, d, generator=gen, dtype=torch.float64, device=device)
        a_half = torch.randn(S, width // 2, generator=gen, dtype=torch.float64, device=device)
        w0, a0 = torch.cat([half, half], 1), torch.cat([a_half, -a_half], 1)
        w, a = w0.clone(), a0.clone()
        # On CPU, seeds in chunks of about a million (n, m) entries: each step's tensors then stay in cache, which is
        # worth more than one large batched call (a smoke run went from 41 s to 14 s); a GPU takes all seeds at once.
        chunk = max(1, (1 << 20) // (n * width)) if device.type == "cpu" else S
        for lo in range(0, S, chunk):
            sl = slice(lo, lo + chunk)
            train(w[sl], a[sl], x[sl], y[sl], eta, steps)
        k0, kt = empirical_ntk(w0, a0, x), empirical_ntk(w, a, x)
        out["kernel_change"][:, j] = _rel(kt, k0)
        moved = (torch.linalg.vector_norm(w - w0, dim=(1, 2)) ** 2 + torch.linalg.vector_norm(a - a0, dim=1) ** 2).sqrt()
        size = (torch.linalg.vector_norm(w0, dim=(1, 2)) ** 2 + torch.linalg.vector_norm(a0, dim=1) ** 2).sqrt()
        out["weight_change"][:, j] = moved / size
        f_train, f_test = forward(w, a, x), forward(w, a, xt)
        out["distance"][:, j] = _rel(f_test, lin_test)
        out["train_distance"][:, j] = _rel(f_train, lin_train)
        out["ridgeless_distance"][:, j] = _rel(f_test, ridgeless)
        out["train_loss"][:, j] = (f_train - y).pow(2).mean(1) / 2
        progress.update(1)
    progress.close()
    return {"m": np.asarray(widths, dtype=float), **{k: v.cpu().numpy() for k, v in out.items()},
            "kernel_loss": ((lin_train - y).pow(2).mean(1) / 2).cpu().numpy()}
