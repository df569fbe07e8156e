"""Batched MLPs as bmm slices: every member of an ensemble (seeds, pairs, arms) is one slice of stacked weights, initialised as PyTorch's Linear would initialise it on its own (used by the WGAN critics and generators of Gulrajani et al. 2017 and Arjovsky, Chintala & Bottou 2017)."""

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
