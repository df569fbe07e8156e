"""Weight-clipped WGAN critics (Arjovsky, Chintala & Bottou 2017, Algorithm 1: RMSProp, every parameter clipped to [-c, c] after each step) beside WGAN-GP critics (Gulrajani et al. 2017) on fixed 1-D pairs P_r = N(0, 1) against P_g = N(a, 1), every (seed, shift) critic a slice of one batched ReLU MLP (bmm); then in float64 the dual value E_r f - E_g f by quadrature against the exact densities, the largest slope max |f'| on a dense grid, the product of the layers' spectral norms, and the share of weights near the layer's largest |w|."""

from __future__ import annotations

import math

import numpy as np
import torch

from experiments.lib.batched_mlp import init_mlp
from experiments.lib.common import generator


def forward(params: list[torch.Tensor], x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
    """f(x) for x of shape (batch, m, d), and the pre-activations z_l of the hidden layers (their signs are the ReLU
    masks the backward pass needs)."""
    h, pre = x, []
    n_layers = len(params) // 2
    for k in range(n_layers):
        z = torch.baddbmm(params[2 * k + 1], h, params[2 * k])
        if k < n_layers - 1:
            pre.append(z)
            h = torch.relu(z)
        else:
            h = z
    return h[..., 0], pre


def activation_gradients(params: list[torch.Tensor], x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Per sample, the norms of df/dh_l for the hidden activations h_l = relu(z_l), l = 1..L-1 (L linear layers), and
    df/dx, by the chain rule written out: df/dh_(L-1) = w_L, df/dh_(l-1) = (df/dh_l * 1[z_l > 0]) W_l^T.  In the
    dtype of the parameters given (float64 for measurement: the gains of c = 0.001 critics reach 1e-40 in 12 layers).
    Returns (norms of shape (batch, m, L - 1), input gradient (batch, m, d))."""
    with torch.no_grad():
        _, pre = forward(params, x)
        n_layers = len(params) // 2
        g = params[-2][:, :, 0][:, None, :].expand(x.shape[0], x.shape[1], -1)  # df/dh_(L-1) = w_L, for every sample
        norms = [None] * (n_layers - 1)
        for k in range(n_layers - 2, -1, -1):  # hidden layer k (0-based) is relu(z_k), z_k = h_(k-1) W_k + b_k
            norms[k] = g.norm(dim=-1)
            g = torch.bmm(g * (pre[k] > 0), params[2 * k].transpose(1, 2))
        return torch.stack(norms, -1), g


def clip_(params: list[torch.Tensor], c: torch.Tensor) -> None:
    """w <- clip(w, -c, c) for every parameter, c of shape (batch,) (inf: not clipped)."""
    with torch.no_grad():
        for p in params:
            bound = c.reshape(-1, *([1] * (p.dim() - 1)))
            p.copy_(torch.maximum(torch.minimum(p, bound), -bound))


def gp_penalty(params: list[torch.Tensor], xi: torch.Tensor) -> torch.Tensor:
    """E (|grad_x f(x_hat)| - 1)^2 per critic, x_hat of shape (batch, m, d); critics do not share weights, so the
    gradient of the summed output gives each sample's own input gradient."""
    xi = xi.detach().requires_grad_()
    f, _ = forward(params, xi)
    (g,) = torch.autograd.grad(f.sum(), xi, create_graph=True)
    return ((g.norm(dim=-1) - 1) ** 2).mean(1)


def saturation(params: list[torch.Tensor], level: float = 0.9) -> torch.Tensor:
    """Per critic and weight matrix, the share of weights with |w| > level * max|w| of that matrix: (batch, layers).
    Judged against the matrix's own largest weight, not against c: a GP critic's weights are all near c when c is
    far below their scale, whatever their distribution."""
    out = []
    for w in params[0::2]:
        a = w.detach().abs().flatten(1)
        out.append((a > level * a.max(1, keepdim=True).values).double().mean(1))
    return torch.stack(out, 1)


def normal_pdf(x: torch.Tensor, mean: torch.Tensor) -> torch.Tensor:
    return torch.exp(-0.5 * (x - mean) ** 2) / math.sqrt(2 * math.pi)


def run(*, seed: int, device: torch.device | str = "cpu", mean: list[float], clip: float, width: int, depth: int,
        steps: int, batch: int, lr: float, gp_steps: int, gp_lr: float, lam: float, n_seeds: int,
        grid_points: int = 6001) -> dict[str, np.ndarray]:
    """Per (seed, shift a = mean[k]): a clipped critic trained ``steps`` steps by RMSProp at ``lr`` on E_g f - E_r f
    with every parameter clipped to [-clip, clip] after each step (Algorithm 1's critic loop with the generator
    fixed), and a GP critic trained ``gp_steps`` steps by Adam (``gp_lr``, beta = (0, 0.9)) at penalty ``lam``, fresh
    minibatches each step.  Then on a grid of ``grid_points`` over [min(0, a) - 9, max(0, a) + 9], in float64: the
    dual E_r f - E_g f by the midpoint rule against the exact densities, K_hat = max |f'|, the product of the
    layers' spectral norms, and the saturation of every weight matrix."""
    device = torch.device(device)
    gen = generator(seed, device)
    S, K = n_seeds, len(mean)
    B = S * K
    sizes = [1] + [width] * depth + [1]
    m = torch.as_tensor(mean, dtype=torch.float32, device=device).repeat(S)[:, None, None]  # (B, 1, 1), seed-major
    clipped = init_mlp(B, sizes, gen, device)
    clip_(clipped, torch.full((B,), clip, device=device))
    opt = torch.optim.RMSprop(clipped, lr=lr)
    cvec = torch.full((B,), clip, device=device)
    for _ in range(steps):
        xr = torch.randn(B, batch, 1, generator=gen, device=device)
        xg = m + torch.randn(B, batch, 1, generator=gen, device=device)
        f, _ = forward(clipped, torch.cat([xr, xg], 1))
        loss = (f[:, batch:].mean(1) - f[:, :batch].mean(1)).sum()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        clip_(clipped, cvec)
    gp = init_mlp(B, sizes, gen, device)
    opt = torch.optim.Adam(gp, lr=gp_lr, betas=(0.0, 0.9))
    for _ in range(gp_steps):
        xr = torch.randn(B, batch, 1, generator=gen, device=device)
        xg = m + torch.randn(B, batch, 1, generator=gen, device=device)
        t = torch.rand(B, batch, 1, generator=gen, device=device)
        f, _ = forward(gp, torch.cat([xr, xg], 1))
        loss = (f[:, batch:].mean(1) - f[:, :batch].mean(1) + lam * gp_penalty(gp, t * xr + (1 - t) * xg)).sum()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    m64 = m.double()[:, :, 0]
    lo, hi = torch.clamp(m64, max=0.0) - 9, torch.clamp(m64, min=0.0) + 9
    dx = (hi - lo) / grid_points  # (B, 1)
    grid = lo + dx * (torch.arange(grid_points, device=device, dtype=torch.float64) + 0.5)
    pr, pg = normal_pdf(grid, torch.zeros(1, dtype=torch.float64, device=device)), normal_pdf(grid, m64)
    out = {}
    for name, params in (("clip", clipped), ("gp", gp)):
        p64 = [p.detach().double() for p in params]
        with torch.no_grad():
            f, _ = forward(p64, grid[..., None])
            _, slope = activation_gradients(p64, grid[..., None])
            dual = ((pr - pg) * f * dx).sum(1)
            lip = slope[..., 0].abs().max(1).values
            spectral = torch.stack([torch.linalg.matrix_norm(w, ord=2) for w in p64[0::2]], 1).prod(1)
        sat = saturation(p64)
        out[name] = dict(dual=dual, lip=lip, spectral=spectral, sat_min=sat.min(1).values, sat_max=sat.max(1).values)
    shape = (S, K)
    a = torch.as_tensor(mean, dtype=torch.float64, device=device).repeat(S)
    c = out["clip"]
    ratio = (c["dual"] / a).reshape(shape)
    return {
        "mean": np.asarray(mean, dtype=float),
        "dual": c["dual"].reshape(shape).cpu().numpy(),
        "dual_over_w1": ratio.cpu().numpy(),
        # per seed, each shift's dual/W1 over their mean across shifts: 1 at every shift when dual = K W1 with one K
        "ratio_to_mean": (ratio / ratio.mean(1, keepdim=True)).cpu().numpy(),
        "ratio_cv": (ratio.std(1, unbiased=True) / ratio.mean(1)).cpu().numpy()[:, None].repeat(K, 1),
        "lip": c["lip"].reshape(shape).cpu().numpy(),
        "product_spectral": c["spectral"].reshape(shape).cpu().numpy(),
        "lip_over_product": (c["lip"] / c["spectral"]).reshape(shape).cpu().numpy(),
        "dual_over_lip_w1": (c["dual"] / (c["lip"] * a)).reshape(shape).cpu().numpy(),
        "saturation_clip": c["sat_min"].reshape(shape).cpu().numpy(),
        "saturation_gp": out["gp"]["sat_max"].reshape(shape).cpu().numpy(),
        "gp_dual_over_w1": (out["gp"]["dual"] / a).reshape(shape).cpu().numpy(),
    }
