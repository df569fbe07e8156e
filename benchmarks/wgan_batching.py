"""Wall time of the wgan family's batched experiments (seeds and grid points on tensor axes: the logistic discriminators of E1, the Dirac-GAN iterations of E14, the WGAN-GP critics of E6/E7/E11 as one bmm-batched MLP, the theta grid of E4) against a Python loop over (seed, grid point) with the same work, one CPU thread."""

import argparse
import time

import torch

from experiments import wgan_dirac, wgan_gp_critic, wgan_logistic, wgan_theta_grid
from theory import registry


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--seeds", type=int, default=10)
    p.add_argument("--critic-steps", type=int, default=200, help="training steps of the GP critics (smoke: 1000)")
    a = p.parse_args()
    torch.set_num_threads(1)
    cases = [
        (wgan_logistic, dict(registry.spec("wgan_optimal_discriminator", "logistic", "smoke", 0, "cpu")["params"]), "mu"),
        (wgan_dirac, dict(registry.spec("wgan_dirac_gan_updates", "simultaneous", "smoke", 0, "cpu")["params"]), "gamma"),
        (wgan_gp_critic, {**registry.spec("wgan_gp_critic_dual", "critic", "smoke", 0, "cpu")["params"],
                          "steps": a.critic_steps}, "mean"),
        (wgan_theta_grid, dict(registry.spec("wgan_w1_continuous_js_jumps", "grid", "smoke", 0, "cpu")["params"]), "theta"),
    ]
    for module, params, grid in cases:
        params["n_seeds"] = a.seeds
        batched = timed(lambda: module.run(seed=0, **params))
        paired = [k for k in ("sd",) if k in params]  # lists that run beside the grid, one entry per grid point
        looped = timed(lambda: [module.run(seed=s, **{**params, grid: [v], **{k: [params[k][i]] for k in paired},
                                                      "n_seeds": 1})
                                for s in range(a.seeds) for i, v in enumerate(params[grid])])
        print(f"{module.__name__}: {len(params[grid])} {grid} x {a.seeds} seeds   batched: {batched:.2f} s   "
              f"loop over (seed, {grid}): {looped:.2f} s   speed-up x{looped / batched:.1f}")


if __name__ == "__main__":
    main()
