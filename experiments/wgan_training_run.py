"""A WGAN-GP training run on the 2-D ring of 8 Gaussians (Gulrajani et al. 2017, Algorithm 1), every seed's generator and critic a slice of one batched ReLU MLP (bmm), with the critic's estimate E_r f - E_g f, the exact sample W1 by optimal assignment (POT), the same-distribution W1 baseline and the sample-quality counts (modes covered, high-quality fraction; Srivastava et al. 2017) at checkpoints, and their per-seed Spearman correlations over the run (Dobriban 2019, Stat 991 notes, §4.4.1 item 6)."""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import torch
from scipy import stats

from experiments.lib.batched_mlp import critic_with_gradient, gp_critic_step, init_mlp, mlp
from experiments.lib.common import generator
from experiments.wgan_parallel_lines import assignment_w1


def ring_modes(n_modes: int, radius: float) -> torch.Tensor:
    angle = 2 * math.pi * torch.arange(n_modes, dtype=torch.float64) / n_modes
    return radius * torch.stack([torch.cos(angle), torch.sin(angle)], 1)


def sample_ring(shape: tuple[int, int], modes: torch.Tensor, sigma: float, gen: torch.Generator) -> torch.Tensor:
    """Draws of the equal-weight mixture of N(mode, sigma^2 I) over the ring's modes, shape (*shape, 2)."""
    k = torch.randint(len(modes), shape, generator=gen, device=modes.device)
    return modes[k] + sigma * torch.randn(*shape, 2, generator=gen, device=modes.device, dtype=modes.dtype)


def quality(samples: torch.Tensor, modes: torch.Tensor, sigma: float,
            min_count: int = 20) -> tuple[torch.Tensor, torch.Tensor]:
    """Per slice of ``samples`` (batch, m, 2): the modes covered (a mode counts when at least ``min_count`` samples lie
    within 3 sigma of it) and the high-quality fraction (samples within 3 sigma of some mode), as in Srivastava et
    al. (2017) and Metz et al. (2017)."""
    dist = torch.cdist(samples.to(modes.dtype), modes[None].expand(samples.shape[0], -1, -1))  # (batch, m, modes)
    nearest, which = dist.min(-1)
    close = nearest <= 3 * sigma
    counts = torch.stack([(close & (which == j)).sum(1) for j in range(len(modes))], 1)
    return (counts >= min_count).sum(1), close.double().mean(1)


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rho of two equal-length series (average ranks for ties); 0 when either is constant: a quality that
    never changed is tracked by nothing, so it counts as no association (which fails either check), not as undefined
    (the runner refuses non-finite results)."""
    if np.ptp(a) == 0 or np.ptp(b) == 0:
        return 0.0
    return float(stats.spearmanr(a, b).statistic)


def run(*, seed: int, device: torch.device | str = "cpu", steps: list[int], checkpoints: list[int], rank_from: int,
        n_modes: int, radius: float, sigma: float, z_dim: int, width: int, depth: int, batch: int, n_critic: int,
        lam: float, lr: float, beta1: float, beta2: float, n_eval: int, n_critic_eval: int, n_seeds: int,
        workers: int = 0) -> dict[str, np.ndarray]:
    """Per seed, WGAN-GP on the ring: n_critic critic steps on E_g f - E_r f + lam E(|grad f(x_hat)| - 1)^2 with x_hat
    = t x_r + (1 - t) x_g, t ~ U[0, 1] per pair, then one generator step on -E f(G(z)), both by Adam(lr, (beta1,
    beta2)) on fresh minibatches, for steps[0] generator steps.  At each checkpoint (generator steps done, 0 included):
    the critic's estimate E_r f - E_g f on ``n_critic_eval`` fresh draws per law, ``n_eval`` generated and real draws
    kept for the exact W1 by assignment (computed after training, on ``workers`` threads, by default the torch thread
    count: POT's simplex releases the GIL), the modes covered and the high-quality fraction of the generated draws.
    The baseline is the W1 of two real samples of ``n_eval``.  The Spearman correlations over the checkpoints from
    ``rank_from`` on (the critic at step 0 is untrained: its estimate is about 0 whatever the generator) are per
    seed."""
    device = torch.device(device)
    gen = generator(seed, device)
    S, (horizon,) = n_seeds, steps
    if sorted(checkpoints) != list(checkpoints) or checkpoints[-1] != horizon:
        raise ValueError("checkpoints must increase and end at the horizon steps[0]")
    modes = ring_modes(n_modes, radius).to(device)
    modes32 = modes.float()
    g_params = init_mlp(S, [z_dim] + [width] * depth + [2], gen, device)
    c_params = init_mlp(S, [2] + [width] * depth + [1], gen, device)
    g_opt = torch.optim.Adam(g_params, lr=lr, betas=(beta1, beta2))
    c_opt = torch.optim.Adam(c_params, lr=lr, betas=(beta1, beta2))

    def real(m):
        return sample_ring((S, m), modes32, sigma, gen)

    def fake(m):
        return mlp(g_params, torch.randn(S, m, z_dim, generator=gen, device=device))

    estimate, modes_covered, hq, kept = [], [], [], []

    def checkpoint():
        with torch.no_grad():
            fr = torch.cat([critic_with_gradient(c_params, real(n))[0] for n in _chunks(n_critic_eval)], 1)
            fg = torch.cat([critic_with_gradient(c_params, fake(n))[0] for n in _chunks(n_critic_eval)], 1)
            estimate.append((fr.double().mean(1) - fg.double().mean(1)).cpu())
            xg, xr = fake(n_eval), real(n_eval)
            covered, fraction = quality(xg, modes, sigma)
            modes_covered.append(covered.cpu())
            hq.append(fraction.cpu())
            kept.append((xg.double().cpu().numpy(), xr.double().cpu().numpy()))

    marks = set(checkpoints)
    if 0 in marks:
        checkpoint()
    for step in range(1, horizon + 1):
        for _ in range(n_critic):
            xr = real(batch)
            with torch.no_grad():
                xg = fake(batch)
            gp_critic_step(c_params, c_opt, xr, xg, torch.rand(S, batch, 1, generator=gen, device=device), lam)
        f, _ = critic_with_gradient(c_params, fake(batch))
        g_grads = torch.autograd.grad(-f.mean(1).sum(), g_params)  # the critic's weights are not touched
        for p, gr in zip(g_params, g_grads):
            p.grad = gr
        g_opt.step()
        if step in marks:
            checkpoint()

    # Exact W1 per (checkpoint, seed), and the baseline per seed from two fresh real samples.
    pairs = [(xg[s], xr[s]) for xg, xr in kept for s in range(S)]
    with torch.no_grad():
        base_a, base_b = real(n_eval).double().cpu().numpy(), real(n_eval).double().cpu().numpy()
    pairs += [(base_a[s], base_b[s]) for s in range(S)]
    # as many threads as the scale declares (the torch thread count the runner set), not every core: other runs
    # may share the machine
    with ThreadPoolExecutor(workers or torch.get_num_threads()) as pool:
        values = np.asarray(list(pool.map(lambda ab: assignment_w1(*ab), pairs)))
    C = len(kept)
    w1 = values[:C * S].reshape(C, S).T
    baseline = values[C * S:].reshape(S, 1)
    critic = torch.stack(estimate, 1).numpy()
    covered = torch.stack(modes_covered, 1).numpy().astype(float)
    fraction = torch.stack(hq, 1).numpy()
    ranked = np.asarray(checkpoints) >= rank_from

    def rho(a, b):
        return np.asarray([[spearman(a[s, ranked], b[s, ranked])] for s in range(S)])

    return {
        "steps": np.asarray(steps, dtype=float),
        "checkpoints": np.asarray(checkpoints, dtype=float),
        "critic_estimate": critic,
        "w1": w1,
        "w1_baseline": baseline,
        # the same per seed at every checkpoint, so that the trace draws it beside the sample W1 it is the floor of
        "w1_baseline_line": np.repeat(baseline, C, axis=1),
        "w1_end_over_baseline": w1[:, -1:] / baseline,
        "modes_covered": covered,
        "hq_fraction": fraction,
        "rho_w1": rho(critic, w1),
        "rho_quality": rho(critic, fraction),
        "rho_modes": rho(critic, covered),
    }


def _chunks(total: int, size: int = 5_000) -> list[int]:
    """Sample counts summing to ``total`` in pieces small enough for the hidden activations to stay modest."""
    return [min(size, total - i) for i in range(0, total, size)]
