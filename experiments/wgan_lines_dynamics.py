"""Training dynamics on the parallel lines: P_0 = law of (0, Z), P_theta = law of (theta, Z), Z ~ U[0, 1], a generator g_theta(z) = (theta, z) whose only parameter theta starts at theta0 and moves by plain SGD, theta <- theta - eta dL_G/dtheta on fresh minibatches, in three arms: WGAN-GP (a batched 2-D ReLU critic, Adam beta = (0, 0.9), n_critic steps per generator step, generator loss -E f(theta, Z)), the saturating minimax GAN (generator loss E log(1 - D(theta, Z))) and the non-saturating GAN (-E log D(theta, Z)), the two GAN arms sharing one batched logistic discriminator design trained k_disc steps per generator step.  Every (seed, arm) is a slice of a tensor axis (Arjovsky, Chintala & Bottou 2017, Example 1; Arjovsky & Bottou 2017, Thm 2.4; Gulrajani et al. 2017)."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from experiments.lib.batched_mlp import critic_with_gradient, gp_critic_step, init_mlp
from experiments.lib.common import generator


def init_critic(n: int, width: int, depth: int, gen: torch.Generator, device) -> list[torch.Tensor]:
    """n batched 2 -> width^depth -> 1 ReLU critics, PyTorch's default initialisation but the output layer at 0: the
    critic starts flat (f' = 0), so its first steps follow the dual's sign.  With a random output layer the two-sided
    penalty can lock in a wrong-signed slope where 2 lam q > |F_g - F_r| (here 2 lam/theta = 20 > 1 everywhere between
    the lines), as experiments/wgan_gp_critic.py found in one dimension."""
    params = init_mlp(n, [2] + [width] * depth + [1], gen, device)
    with torch.no_grad():
        params[-2].zero_()
        params[-1].zero_()
    return params


def lines(theta: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
    """Points (theta, z) of shape (n, m, 2) for theta of shape (n,) and z of shape (n, m)."""
    return torch.stack([theta[:, None].expand_as(z), z], -1)


def wgan_generator_gradient(c_params: list[torch.Tensor], theta: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
    """dL_G/dtheta for L_G = -mean_i f(theta, z_i), per critic: -mean_i df/du(theta, z_i), the u-component of the
    critic's input gradient (written out by critic_with_gradient), detached."""
    with torch.no_grad():
        _, grad = critic_with_gradient(c_params, lines(theta, z))
    return -grad[..., 0].mean(1)


def logits(d_params: torch.Tensor, u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """h(u, v) = w u + c v + b per slice, d_params of shape (n, 3) = (w, c, b), u and v of shape (n, m)."""
    return d_params[:, 0:1] * u + d_params[:, 1:2] * v + d_params[:, 2:3]


def gan_generator_gradient(d_params: torch.Tensor, theta: torch.Tensor, z: torch.Tensor,
                           saturating: torch.Tensor) -> torch.Tensor:
    """dL_G/dtheta per slice for D = sigmoid(h): the saturating loss mean log(1 - D) = -mean softplus(h) has gradient
    -w mean D(theta, z); the non-saturating loss -mean log D = mean softplus(-h) has -w mean (1 - D(theta, z)).
    ``saturating`` (n,) bool chooses per slice.  Written out (the oracle test compares it with autograd)."""
    with torch.no_grad():
        d = torch.sigmoid(logits(d_params, theta[:, None].expand_as(z), z))
        w = d_params[:, 0]
        return torch.where(saturating, -w * d.mean(1), -w * (1 - d).mean(1))


def hitting_time(theta: np.ndarray, stop: float) -> tuple[np.ndarray, np.ndarray]:
    """Per row of theta over steps 0..T: the first time the path, linear between steps, enters |theta| <= stop
    (interpolated between the two steps around the entry: the discrete trajectory's own step count would add up to a
    step of rounding; a step that jumps across the band counts as entering it), and whether it is censored (never
    within the budget: reported as T, a lower bound)."""
    T = theta.shape[1] - 1
    times, censored = np.full(theta.shape[0], float(T)), np.ones(theta.shape[0], dtype=bool)
    for s, row in enumerate(theta):
        if abs(row[0]) <= stop:
            times[s], censored[s] = 0.0, False
            continue
        for k in range(1, T + 1):
            side = np.sign(row[k - 1])  # |theta_(k-1)| > stop here
            if side * row[k] <= stop:
                times[s] = (k - 1) + (side * row[k - 1] - stop) / (side * (row[k - 1] - row[k]))
                censored[s] = False
                break
    return times, censored


def run(*, seed: int, device: torch.device | str = "cpu", theta0: float, theta_stop: list[float], steps: list[int],
        eta: float, batch: int, lam: float, n_critic: int, width: int, depth: int, critic_lr: float, k_disc: int,
        disc_lr: float, warmup: int, n_eval: int, n_seeds: int) -> dict[str, np.ndarray]:
    """Per seed, ``steps[0]`` generator steps from theta0 in each arm, after ``warmup`` critic (and discriminator)
    steps at theta0 (the theory's premise is a critic and a discriminator near their optimum at every step).

    WGAN-GP: critic loss E_g f - E_r f + lam E(|grad f(x_hat)| - 1)^2, x_hat = t x_r + (1 - t) x_g with t ~ U[0, 1]
    per independent pair, by Adam(critic_lr, (0, 0.9)), n_critic steps per generator step.  GAN arms (arm 0
    saturating, arm 1 non-saturating, one discriminator each): a logistic D(u, v) = sigmoid(w u + c v + b) from 0,
    label 1 for P_0, maximising mean log D(real) + mean log(1 - D(fake)) by Adam(disc_lr), k_disc steps per generator
    step.  Each generator step uses ``batch`` fresh z's.  Reported: theta per arm and step (seeds, T + 1); the WGAN-GP
    hitting time of |theta| <= theta_stop[0] with its censoring flag; |theta_T - theta0| per arm; the WGAN-GP critic's
    slope -E df/du on the generator's line after the warm-up, on ``n_eval`` fresh z's (its prediction
    1 + theta0/(2 lam)); each discriminator's JS estimate (V(D) + log 4)/2 and mean D on the generator's line after
    the warm-up (log 2 and 0 at the optimum), on ``n_eval`` fresh draws per law; the per-step generator gradients of
    every arm."""
    device = torch.device(device)
    gen = generator(seed, device)
    S, (T,), (stop,) = n_seeds, steps, theta_stop
    c_params = init_critic(S, width, depth, gen, device)
    c_opt = torch.optim.Adam(c_params, lr=critic_lr, betas=(0.0, 0.9))
    d_params = torch.zeros(2 * S, 3, device=device, requires_grad=True)  # arm-major: saturating seeds, then NS seeds
    d_opt = torch.optim.Adam([d_params], lr=disc_lr)
    saturating = torch.arange(2 * S, device=device) < S
    theta_w = torch.full((S,), float(theta0), device=device)
    theta_g = torch.full((2 * S,), float(theta0), device=device)

    def critic_step():
        zr, zg = (torch.rand(S, batch, generator=gen, device=device) for _ in range(2))
        xr, xg = lines(torch.zeros_like(theta_w), zr), lines(theta_w, zg)
        gp_critic_step(c_params, c_opt, xr, xg, torch.rand(S, batch, 1, generator=gen, device=device), lam)

    def disc_step():
        zr, zg = (torch.rand(2 * S, batch, generator=gen, device=device) for _ in range(2))
        value = (F.logsigmoid(logits(d_params, torch.zeros_like(zr), zr)).mean(1)
                 + F.logsigmoid(-logits(d_params, theta_g[:, None].expand_as(zg), zg)).mean(1))
        d_opt.zero_grad(set_to_none=True)
        (-value.sum()).backward()
        d_opt.step()

    for _ in range(warmup):
        critic_step()
        disc_step()
    with torch.no_grad():
        z = torch.rand(S, n_eval, generator=gen, device=device)
        slope0 = wgan_generator_gradient(c_params, theta_w, z)  # -E df/du: the slope across the line, theta0 > 0
        # how near its optimum each discriminator starts: the JS estimate (V(D) + log 4)/2 (log 2 at the optimum) and
        # D on the generator's line (0 at the optimum), on fresh draws
        zr, zg = (torch.rand(2 * S, n_eval, generator=gen, device=device) for _ in range(2))
        d_fake = torch.sigmoid(logits(d_params, theta_g[:, None].expand_as(zg), zg)).mean(1)
        js0 = (F.logsigmoid(logits(d_params, torch.zeros_like(zr), zr)).mean(1)
               + F.logsigmoid(-logits(d_params, theta_g[:, None].expand_as(zg), zg)).mean(1) + np.log(4)) / 2
    path_w, path_g = [theta_w.clone()], [theta_g.clone()]
    grad_w, grad_g = [], []
    for _ in range(T):
        for _ in range(n_critic):
            critic_step()
        for _ in range(k_disc):
            disc_step()
        gw = wgan_generator_gradient(c_params, theta_w, torch.rand(S, batch, generator=gen, device=device))
        gg = gan_generator_gradient(d_params, theta_g, torch.rand(2 * S, batch, generator=gen, device=device),
                                    saturating)
        theta_w = theta_w - eta * gw
        theta_g = theta_g - eta * gg
        path_w.append(theta_w.clone())
        path_g.append(theta_g.clone())
        grad_w.append(gw)
        grad_g.append(gg)
    tw = torch.stack(path_w, 1).double().cpu().numpy()  # (S, T + 1)
    tg = torch.stack(path_g, 1).double().cpu().numpy()  # (2S, T + 1)
    gw = torch.stack(grad_w, 1).double().cpu().numpy()
    gg = torch.stack(grad_g, 1).double().cpu().numpy()
    t_hit, censored = hitting_time(tw, stop)
    minimax, ns = tg[:S], tg[S:]
    return {
        "theta_stop": np.asarray([stop], dtype=float),
        "steps": np.asarray([T], dtype=float),
        "step": np.arange(T + 1, dtype=float),
        "theta_wgan": tw,
        "theta_minimax": minimax,
        "theta_ns": ns,
        "abs_theta_wgan": np.abs(tw),
        "abs_theta_ns": np.abs(ns),
        "grad_wgan": gw,
        "grad_minimax": gg[:S],
        "grad_ns": gg[S:],
        "t_hit": t_hit[:, None],
        "t_hit__censored": censored[:, None],
        "slope0": slope0.double().cpu().numpy()[:, None],
        "js0_minimax": js0[:S].double().cpu().numpy()[:, None],
        "js0_ns": js0[S:].double().cpu().numpy()[:, None],
        "d_fake0_minimax": d_fake[:S].double().cpu().numpy()[:, None],
        "d_fake0_ns": d_fake[S:].double().cpu().numpy()[:, None],
        "theta_T_wgan": tw[:, -1:],
        "theta_T_minimax": minimax[:, -1:],
        "theta_T_ns": ns[:, -1:],
        "move_minimax": np.abs(minimax[:, -1:] - theta0),
        "move_wgan": np.abs(tw[:, -1:] - theta0),
        "move_ns": np.abs(ns[:, -1:] - theta0),
    }
