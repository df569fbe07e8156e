"""WGAN-GP critics (Gulrajani et al. 2017: two-sided penalty lambda E(|f'(x_hat)| - 1)^2 on random interpolates) trained on fixed 1-D pairs P_r = N(0, 1) against P_g = N(m, s^2), every (seed, pair) critic a slice of one batched ReLU MLP (bmm), with the input derivative pushed forward beside the value; then the critic's dual value E_r f - E_g f and the location family's generator gradient -E f'(g_theta(z)) by quadrature against the exact densities, the dual again on fresh samples, and the slope |f'| on fresh interpolates."""

from __future__ import annotations

import math

import numpy as np
import torch

from experiments.lib.common import generator


def init_critic(batch: int, width: int, depth: int, gen: torch.Generator, device, dtype=torch.float32) -> list[torch.Tensor]:
    """Per critic, PyTorch's default Linear initialisation (uniform in +-1/sqrt(fan_in), weights and biases), for a
    1 -> width -> ... -> width -> 1 ReLU MLP with ``depth`` hidden layers; weights stored (batch, fan_in, fan_out)."""
    sizes = [1] + [width] * depth + [1]
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        bound = 1 / math.sqrt(fan_in)
        w = (torch.rand(batch, fan_in, fan_out, generator=gen, device=device, dtype=dtype) * 2 - 1) * bound
        b = (torch.rand(batch, 1, fan_out, generator=gen, device=device, dtype=dtype) * 2 - 1) * bound
        params += [w, b]
    params[-2].zero_()  # the output layer starts at 0: f' = 0 everywhere, so the first steps follow the dual's sign
    params[-1].zero_()
    return [p.requires_grad_() for p in params]


def critic(params: list[torch.Tensor], x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """f(x) and f'(x) for x of shape (batch, m): the value by the forward pass, the derivative by the tangent pushed
    forward beside it (forward-mode, exact for a ReLU net away from its kinks), both differentiable in the weights, so
    the penalty's gradient needs no double backward."""
    h = x[..., None]
    t = None
    n_layers = len(params) // 2
    for k in range(n_layers):
        w, b = params[2 * k], params[2 * k + 1]
        if k == 0:  # fan-in 1: a broadcast product, not a bmm with an inner dimension of 1
            z, dz = torch.addcmul(b, h, w), w.expand(h.shape[0], h.shape[1], w.shape[2])
        else:
            z, dz = torch.baddbmm(b, h, w), torch.bmm(t, w)
        if k < n_layers - 1:
            on = z > 0
            h, t = z * on, dz * on
        else:
            h, t = z, dz
    return h[..., 0], t[..., 0]


def critic_chunked(params: list[torch.Tensor], x: torch.Tensor, chunk: int = 2_000) -> tuple[torch.Tensor, torch.Tensor]:
    """critic() over the sample axis in chunks small enough for the hidden activations to stay in cache (a few hundred
    KB: 3-4 times faster on a CPU than chunks of 2e4; evaluation only)."""
    parts = [critic(params, x[:, i:i + chunk]) for i in range(0, x.shape[1], chunk)]
    return torch.cat([p[0] for p in parts], 1), torch.cat([p[1] for p in parts], 1)


def critic_per_pair(params: list[torch.Tensor], i: int, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The i-th critic alone, as a plain MLP with autograd's input gradient: the oracle the batched critic is tested
    against."""
    x = x.detach().clone().requires_grad_()
    h = x[:, None]
    n_layers = len(params) // 2
    for k in range(n_layers):
        h = h @ params[2 * k][i] + params[2 * k + 1][i]
        if k < n_layers - 1:
            h = torch.relu(h)
    f = h[:, 0]
    (g,) = torch.autograd.grad(f.sum(), x)
    return f.detach(), g


def normal_pdf(x: torch.Tensor, mean: torch.Tensor, sd: torch.Tensor) -> torch.Tensor:
    return torch.exp(-0.5 * ((x - mean) / sd) ** 2) / (sd * math.sqrt(2 * math.pi))


def run(*, seed: int, device: torch.device | str = "cpu", mean: list[float], sd: list[float], lam: float, width: int,
        depth: int, steps: int, batch: int, lr: float, n_eval: int, n_seeds: int, grid_points: int = 6001,
        decay: float = 0.2, n_interp: int = 50_000) -> dict[str, np.ndarray]:
    """Per (seed, pair k) with P_g = N(mean[k], sd[k]^2): Adam (beta = (0, 0.9), Gulrajani et al.'s) on the critic's
    objective E_g f - E_r f + lam E (|f'(x_hat)| - 1)^2, x_hat = t x_r + (1 - t) x_g with t ~ U[0, 1] and the pairs
    drawn independently (the minibatch coupling), a fresh minibatch each step, the step size constant for the first
    (1 - decay) of the steps and then decaying linearly to 0 (so the last iterate sits at the minimiser, not in its
    noise ball).  The output layer starts at 0 (init_critic): with a random start the two-sided penalty locks in
    whatever sign f' has where 2 lam q > |F_g - F_r| (a local optimum of the objective; at lr 1e-3-3e-3 a third of the
    critics kept a wrong-signed stretch and their duals fell to 0-70% of W1).  Then, on a grid of ``grid_points``
    per critic against the exact densities: the dual E_r f - E_g f and the location family's generator gradient
    -E_z f'(m + s z); on ``n_eval`` fresh draws: the dual again, and |f'| on ``n_interp`` fresh interpolates (mean, median, the
    share within 0.1 of 1, and the share whose sign is that of F_g - F_r where |F_g - F_r| > 0.01)."""
    device = torch.device(device)
    gen = generator(seed, device)
    S, K = n_seeds, len(mean)
    B = S * K
    m = torch.as_tensor(mean, dtype=torch.float32, device=device).repeat(S)[:, None]  # (B, 1), seed-major
    s = torch.as_tensor(sd, dtype=torch.float32, device=device).repeat(S)[:, None]
    params = init_critic(B, width, depth, gen, device)
    opt = torch.optim.Adam(params, lr=lr, betas=(0.0, 0.9))
    hold = int(round(steps * (1 - decay)))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda k: 1.0 if k < hold else max(0.0, (steps - k) / max(1, steps - hold)))
    for _ in range(steps):
        xr = torch.randn(B, batch, generator=gen, device=device)
        xg = m + s * torch.randn(B, batch, generator=gen, device=device)
        t = torch.rand(B, batch, generator=gen, device=device)
        xi = t * xr + (1 - t) * xg
        f, g = critic(params, torch.cat([xr, xg, xi], 1))  # one pass: values at the draws, slopes at the interpolates
        gi = g[:, 2 * batch:]
        loss = (f[:, batch:2 * batch].mean(1) - f[:, :batch].mean(1) + lam * ((gi.abs() - 1) ** 2).mean(1)).sum()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
    with torch.no_grad():
        # Quadrature on a dense grid against the exact densities, per critic over [min(0, m) - 9 w, max(0, m) + 9 w]
        # with w = max(1, s) (the critic is piecewise linear: midpoint rule, error O(spacing^2) away from its few kinks).
        wide = torch.clamp(s, min=1.0)
        lo, hi = torch.clamp(m, max=0.0) - 9 * wide, torch.clamp(m, min=0.0) + 9 * wide
        dx = (hi - lo) / grid_points  # (B, 1)
        grid = lo + dx * (torch.arange(grid_points, device=device, dtype=torch.float32) + 0.5)
        f, g = critic_chunked(params, grid)
        f, g, grid64, dx64 = f.double(), g.double(), grid.double(), dx.double()
        m64, s64 = m.double(), s.double()
        pr, pg = normal_pdf(grid64, 0.0, torch.ones(1, dtype=torch.float64)), normal_pdf(grid64, m64, s64)
        dual = ((pr - pg) * f * dx64).sum(1)
        grad_location = -(pg * g * dx64).sum(1)
        # Fresh draws: the dual again, and the slope on interpolates.
        xr = torch.randn(B, n_eval, generator=gen, device=device)
        xg = m + s * torch.randn(B, n_eval, generator=gen, device=device)
        k = min(n_interp, n_eval)
        t = torch.rand(B, k, generator=gen, device=device)
        xi = t * xr[:, :k] + (1 - t) * xg[:, :k]
        fr, _ = critic_chunked(params, xr)
        fg, _ = critic_chunked(params, xg)
        _, gi = critic_chunked(params, xi)
        dual_fresh = fr.double().mean(1) - fg.double().mean(1)
        slope = gi.abs().double()
        near_unit = ((slope - 1).abs() <= 0.1).double().mean(1)
        # the sign of f' against the sign of D = F_g - F_r, away from its crossings (|D| > 0.01)
        xi64 = xi.double()
        d = 0.5 * (torch.erf((xi64 - m64) / (s64 * math.sqrt(2))) - torch.erf(xi64 / math.sqrt(2)))
        away = d.abs() > 0.01
        sign_agreement = ((torch.sign(gi.double()) == torch.sign(d)) & away).double().sum(1) / away.double().sum(1)
    shape = (S, K)
    return {
        "mean": np.asarray(mean, dtype=float),
        "sd": np.asarray(sd, dtype=float),
        "dual": dual.reshape(shape).cpu().numpy(),
        "dual_fresh": dual_fresh.reshape(shape).cpu().numpy(),
        "grad_location": grad_location.reshape(shape).cpu().numpy(),
        "near_unit_fraction": near_unit.reshape(shape).cpu().numpy(),
        "mean_slope": slope.mean(1).reshape(shape).cpu().numpy(),
        "median_slope": slope.median(1).values.reshape(shape).cpu().numpy(),
        "sign_agreement": sign_agreement.reshape(shape).cpu().numpy(),
    }
