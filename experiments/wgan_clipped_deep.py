"""Deep ReLU WGAN critics on the Swiss roll against a generator fixed at data plus Gaussian noise (Gulrajani et al. 2017, Fig. 1b), weight-clipped at several c (RMSProp, Arjovsky et al. 2017, Algorithm 1) and gradient-penalised, every (seed, arm) critic of one width a slice of one batched MLP (bmm); then in float64 the per-sample activation-gradient norms |df/dh_l| of every hidden layer and their log-linear slope per layer back from the output."""

from __future__ import annotations

import math

import numpy as np
import torch

from experiments.lib.batched_mlp import init_mlp
from experiments.lib.common import generator
from experiments.wgan_clipped_critic import activation_gradients, clip_, forward, gp_penalty


def swiss_roll(batch: int, m: int, gen: torch.Generator, device, noise: float = 0.25) -> torch.Tensor:
    """sklearn's make_swiss_roll(noise=0.25) in the (x, z) plane, divided by 7.5 as in Gulrajani et al.'s toy code:
    t = 1.5 pi (1 + 2u), (t cos t, t sin t) + noise.  Shape (batch, m, 2)."""
    t = 1.5 * math.pi * (1 + 2 * torch.rand(batch, m, generator=gen, device=device))
    pts = torch.stack([t * torch.cos(t), t * torch.sin(t)], -1)
    return (pts + noise * torch.randn(batch, m, 2, generator=gen, device=device)) / 7.5


def layer_slope(log_norms: torch.Tensor) -> torch.Tensor:
    """OLS slope of log |df/dh_l| against k = L - 1 - l, the number of layers back from the last hidden one:
    (..., L - 1) -> (...). Positive: the gradient grows on its way back to the input (explodes)."""
    n = log_norms.shape[-1]
    k = torch.arange(n - 1, -1, -1, dtype=log_norms.dtype, device=log_norms.device)
    kc = k - k.mean()
    return ((log_norms - log_norms.mean(-1, keepdim=True)) * kc).sum(-1) / (kc * kc).sum()


def run(*, seed: int, device: torch.device | str = "cpu", clip: list[float], width: list[int], gp_width: list[int],
        depth: int, steps: int, batch: int, lr: float, gp_lr: float, lam: float, noise: float, n_eval: int,
        n_seeds: int) -> dict[str, np.ndarray]:
    """For every width, S x (its clips) clipped critics trained ``steps`` steps by RMSProp at ``lr`` on
    E_g f - E_r f, all parameters clipped to [-c, c] after each step, and, for a width in ``gp_width``, S GP critics
    trained as long by Adam (``gp_lr``, beta = (0, 0.9)) at penalty ``lam``; all started from He's uniform
    initialisation (backward gain 1 per layer) and fed the same minibatches: real Swiss-roll points and the fixed
    generator's, Swiss-roll points plus N(0, noise^2).  Then on ``n_eval`` fresh points (half real, half generated),
    in float64: per sample |df/dh_l| for the ``depth`` hidden layers, their log averaged over samples, and its OLS
    slope per layer back from the output (layer_slope)."""
    device = torch.device(device)
    gen = generator(seed, device)
    S = n_seeds
    widths = sorted(set(width) | set(gp_width))
    slopes = torch.zeros(S, len(clip), dtype=torch.float64)
    log_norms = torch.zeros(S, len(clip), depth, dtype=torch.float64)
    gp_slopes = torch.zeros(S, len(gp_width), dtype=torch.float64)
    gp_log_norms = torch.zeros(S, len(gp_width), depth, dtype=torch.float64)
    rms_over_c = torch.zeros(S, len(clip), dtype=torch.float64)
    for h in widths:
        arms = [i for i, w in enumerate(width) if w == h]
        sizes = [2] + [h] * depth + [1]
        nets = []
        if arms:
            c = torch.as_tensor([clip[i] for i in arms], dtype=torch.float32, device=device).repeat(S)  # seed-major
            params = init_mlp(S * len(arms), sizes, gen, device, init="he")
            clip_(params, c)
            nets.append(("clip", params, torch.optim.RMSprop(params, lr=lr), c))
        if h in gp_width:
            params = init_mlp(S, sizes, gen, device, init="he")
            nets.append(("gp", params, torch.optim.Adam(params, lr=gp_lr, betas=(0.0, 0.9)), None))
        for _ in range(steps):
            xr = swiss_roll(1, batch, gen, device)
            xg = swiss_roll(1, batch, gen, device) + noise * torch.randn(1, batch, 2, generator=gen, device=device)
            t = torch.rand(1, batch, 1, generator=gen, device=device)
            for kind, params, opt, c in nets:
                n = params[0].shape[0]
                f, _ = forward(params, torch.cat([xr, xg], 1).expand(n, -1, -1))
                loss = (f[:, batch:].mean(1) - f[:, :batch].mean(1)).sum()
                if kind == "gp":
                    loss = loss + lam * gp_penalty(params, (t * xr + (1 - t) * xg).expand(n, -1, -1)).sum()
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                if c is not None:
                    clip_(params, c)
        x = torch.cat([swiss_roll(1, n_eval // 2, gen, device),
                       swiss_roll(1, n_eval - n_eval // 2, gen, device)
                       + noise * torch.randn(1, n_eval - n_eval // 2, 2, generator=gen, device=device)], 1).double()
        for kind, params, _, c in nets:
            p64 = [p.detach().double() for p in params]
            norms, _ = activation_gradients(p64, x.expand(p64[0].shape[0], -1, -1))
            # the mean of log |df/dh_l| over samples: a geometric mean, so one sample with a dead path cannot dominate
            ln = norms.clamp_min(1e-300).log().mean(1)  # (n, depth)
            sl = layer_slope(ln)
            if kind == "clip":
                idx = torch.as_tensor(arms)
                slopes[:, idx] = sl.reshape(S, len(arms)).cpu()
                log_norms[:, idx] = ln.reshape(S, len(arms), depth).cpu()
                # how far the hidden weights are from saturation at +-c: rms(w)/c over the hidden-to-hidden layers
                hidden = torch.cat([w.flatten(1) for w in p64[2:-2:2]], 1)
                rms = hidden.pow(2).mean(1).sqrt() / c.double()
                rms_over_c[:, idx] = rms.reshape(S, len(arms)).cpu()
            else:
                j = gp_width.index(h)
                gp_slopes[:, j], gp_log_norms[:, j] = sl.cpu(), ln.cpu()
    return {
        "clip": np.asarray(clip, dtype=float),
        "width": np.asarray(width, dtype=float),
        "gp_width": np.asarray(gp_width, dtype=float),
        "layer": np.arange(depth - 1, -1, -1, dtype=float),  # layers back from the last hidden one
        "slope": slopes.numpy(),
        "abs_slope": slopes.abs().numpy(),  # explode or vanish, whichever: the distance from a flat gain of 1
        "gp_slope": gp_slopes.numpy(),
        "log_norm": log_norms.numpy(),
        "gp_log_norm": gp_log_norms.numpy(),
        "rms_over_c": rms_over_c.numpy(),
    }
