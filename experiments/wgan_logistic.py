"""The optimal discriminator between N(0, 1) and N(mu, 1) by logistic regression (Newton's method), and Monte-Carlo values V(D*, G) and V(D_hat, G) of the GAN game on held-out samples, batched over seeds and shifts (Goodfellow et al. 2014, Prop. 1 and Thm 1)."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from experiments.lib.common import generator


def fit_logistic(real: torch.Tensor, fake: torch.Tensor, steps: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Maximum likelihood of D(x) = sigma(w x + b), label 1 for real and 0 for fake, by Newton's method batched over
    the leading axes: the BCE is convex, so Newton converges quadratically from 0.  The 2 x 2 Hessian is assembled
    from its three distinct sums rather than per-sample outer products (memory and time linear in the samples)."""
    xs = torch.cat([real, fake], -1)
    ys = torch.cat([torch.ones_like(real), torch.zeros_like(fake)], -1)
    w = torch.zeros(xs.shape[:-1], dtype=xs.dtype, device=xs.device)
    b = torch.zeros_like(w)
    for _ in range(steps):
        p = torch.sigmoid(w[..., None] * xs + b[..., None])
        r, c = ys - p, p * (1 - p)
        gw, gb = (r * xs).mean(-1), r.mean(-1)
        hww, hwb, hbb = (c * xs * xs).mean(-1), (c * xs).mean(-1), c.mean(-1)
        det = hww * hbb - hwb * hwb
        w, b = w + (hbb * gw - hwb * gb) / det, b + (hww * gb - hwb * gw) / det
    return w, b


def game_value(logit_real: torch.Tensor, logit_fake: torch.Tensor) -> torch.Tensor:
    """V(D, G) = E log D(x_real) + E log(1 - D(x_fake)) for D = sigma(logit), through logsigmoid (no log of 0)."""
    return F.logsigmoid(logit_real).mean(-1) + F.logsigmoid(-logit_fake).mean(-1)


def by_rows(fn, *tensors: torch.Tensor):
    """fn applied to the tensors' (..., N) rows: all at once on a GPU; row by row on a CPU, where one row's arrays
    (a few MB) stay in cache while an operation over the whole batch streams it through memory, about 8 times slower
    for these element-wise passes (benchmarks/wgan_batching.py).  Returns fn's outputs with the leading shape."""
    lead = tensors[0].shape[:-1]
    if tensors[0].device.type != "cpu":
        return fn(*tensors)
    flat = [t.reshape(-1, t.shape[-1]) for t in tensors]
    outs = [fn(*(f[i:i + 1] for f in flat)) for i in range(flat[0].shape[0])]
    if isinstance(outs[0], tuple):
        return tuple(torch.cat(parts).reshape(lead) for parts in zip(*outs))
    return torch.cat(outs).reshape(lead)


def run(*, seed: int, device: torch.device | str = "cpu", mu: list[float], n_train: int, n_eval: int, newton_steps: int,
        n_seeds: int, chunk: int = 250_000) -> dict[str, np.ndarray]:
    """Per (seed, mu): the fitted slope and intercept of the logit (D* has w = -mu, b = mu^2/2), and V at D* and at the
    fitted D, on n_eval fresh samples per class (held out) and on the training samples (in-sample)."""
    device = torch.device(device)
    gen = generator(seed, device)
    S, M = n_seeds, len(mu)
    shift = torch.as_tensor(mu, dtype=torch.float64, device=device).view(1, M, 1)
    real = torch.randn(S, M, n_train, generator=gen, dtype=torch.float64, device=device)
    fake = torch.randn(S, M, n_train, generator=gen, dtype=torch.float64, device=device) + shift
    w, b = by_rows(lambda r, f: fit_logistic(r, f, newton_steps), real, fake)
    in_sample = by_rows(game_value, w[..., None] * real + b[..., None], w[..., None] * fake + b[..., None])
    # Held-out values in chunks (one draw of n_eval per class and seed, summed chunk by chunk, to bound memory).
    star = torch.zeros(S, M, dtype=torch.float64, device=device)
    fitted = torch.zeros_like(star)
    w_star, b_star = -shift[..., 0], shift[..., 0] ** 2 / 2
    done = 0
    while done < n_eval:
        k = min(chunk, n_eval - done)
        xr = torch.randn(S, M, k, generator=gen, dtype=torch.float64, device=device)
        xf = torch.randn(S, M, k, generator=gen, dtype=torch.float64, device=device) + shift
        star += by_rows(game_value, w_star[..., None] * xr + b_star[..., None], w_star[..., None] * xf + b_star[..., None]) * k
        fitted += by_rows(game_value, w[..., None] * xr + b[..., None], w[..., None] * xf + b[..., None]) * k
        done += k
    star, fitted = star / n_eval, fitted / n_eval
    return {
        "mu": np.asarray(mu, dtype=float),
        "w_hat": w.cpu().numpy(),
        "b_hat": b.cpu().numpy(),
        "value_optimal": star.cpu().numpy(),
        "value_fitted": fitted.cpu().numpy(),
        "value_in_sample": in_sample.cpu().numpy(),
        "value_gap": (fitted - star).cpu().numpy(),
    }
