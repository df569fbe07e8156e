"""Batched MLPs as bmm slices: every member of an ensemble (seeds, pairs, arms) is one slice of stacked weights, initialised as PyTorch's Linear would initialise it on its own, with the WGAN-GP critic's input gradient and update (used by the WGAN critics and generators of Gulrajani et al. 2017 and Arjovsky, Chintala & Bottou 2017)."""

from __future__ import annotations

import math

import torch


def init_mlp(batch: int, sizes: list[int], gen: torch.Generator, device, dtype=torch.float32,
             init: str = "default") -> list[torch.Tensor]:
    """Per slice, weights (batch, fan_in, fan_out) and biases (batch, 1, fan_out) of an MLP with layer sizes ``sizes``,
    uniform in +-bound: PyTorch's default Linear bound 1/sqrt(fan_in) ("default"), or He's sqrt(6/fan_in) for the
    weights ("he": the backward gain per ReLU layer is then 1 at the start, so a critic starts neither exploding nor
    vanishing); the biases keep 1/sqrt(fan_in).  Drawn layer by layer, weights before biases."""
    if init not in ("default", "he"):
        raise ValueError(f"init must be 'default' or 'he', got {init!r}")
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        bias_bound = 1 / math.sqrt(fan_in)
        bound = math.sqrt(6 / fan_in) if init == "he" else bias_bound
        w = (torch.rand(batch, fan_in, fan_out, generator=gen, device=device, dtype=dtype) * 2 - 1) * bound
        b = (torch.rand(batch, 1, fan_out, generator=gen, device=device, dtype=dtype) * 2 - 1) * bias_bound
        params += [w, b]
    return [p.requires_grad_() for p in params]


def mlp(params: list[torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """The batched ReLU MLP on x of shape (batch, m, fan_in): slice i is the i-th network on its own samples."""
    h = x
    n_layers = len(params) // 2
    for k in range(n_layers):
        h = torch.baddbmm(params[2 * k + 1], h, params[2 * k])
        if k < n_layers - 1:
            h = torch.relu(h)
    return h


def critic_with_gradient(params: list[torch.Tensor], x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """f(x) (batch, m) and its input gradient (batch, m, d) for the batched scalar critic: the gradient by the chain
    rule written out (the output weights pulled back through each layer's ReLU mask), a function of the weights that
    autograd differentiates once, so the penalty's gradient needs no double backward."""
    n_layers = len(params) // 2
    h, masks = x, []
    for k in range(n_layers - 1):
        z = torch.baddbmm(params[2 * k + 1], h, params[2 * k])
        on = z > 0
        masks.append(on)
        h = z * on
    f = torch.baddbmm(params[-1], h, params[-2])[..., 0]
    g = params[-2].transpose(1, 2) * masks[-1]  # (batch, m, width): df/dh of the last hidden layer, masked
    for k in range(n_layers - 2, 0, -1):
        g = torch.bmm(g, params[2 * k].transpose(1, 2)) * masks[k - 1]
    return f, torch.bmm(g, params[0].transpose(1, 2))


def gp_critic_step(params: list[torch.Tensor], opt: torch.optim.Optimizer, xr: torch.Tensor, xg: torch.Tensor,
                   t: torch.Tensor, lam: float) -> None:
    """One WGAN-GP critic update of every slice (Gulrajani et al. 2017, Algorithm 1): minimise E_g f - E_r f +
    lam E (||grad f(t xr + (1 - t) xg)|| - 1)^2 on real xr and generated xg (slices, batch, d), t (slices, batch, 1)."""
    batch = xr.shape[1]
    f, grad = critic_with_gradient(params, torch.cat([xr, xg, t * xr + (1 - t) * xg], 1))
    penalty = ((torch.linalg.vector_norm(grad[:, 2 * batch:], dim=-1) - 1) ** 2).mean(1)
    loss = (f[:, batch:2 * batch].mean(1) - f[:, :batch].mean(1) + lam * penalty).sum()
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
