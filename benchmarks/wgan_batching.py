"""Wall time of the wgan family's batched experiments (seeds and grid points on tensor axes: the logistic discriminators of E1 and the Dirac-GAN iterations of E14) against a Python loop over (seed, grid point) with the same work, one CPU thread."""

import argparse
import time

import torch

from experiments import wgan_dirac, wgan_logistic
from theory import registry


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--seeds", type=int, default=10)
    a = p.parse_args()
    torch.set_num_threads(1)
    cases = [
        (wgan_logistic, dict(registry.spec("wgan_optimal_discriminator", "logistic", "smoke", 0, "cpu")["params"]), "mu"),
        (wgan_dirac, dict(registry.spec("wgan_dirac_gan_updates", "simultaneous", "smoke", 0, "cpu")["params"]), "gamma"),
    ]
    for module, params, grid in cases:
        params["n_seeds"] = a.seeds
        batched = timed(lambda: module.run(seed=0, **params))
        looped = timed(lambda: [module.run(seed=s, **{**params, grid: [v], "n_seeds": 1})
                                for s in range(a.seeds) for v in params[grid]])
        print(f"{module.__name__}: {len(params[grid])} {grid} x {a.seeds} seeds   batched: {batched:.2f} s   "
              f"loop over (seed, {grid}): {looped:.2f} s   speed-up x{looped / batched:.1f}")


if __name__ == "__main__":
    main()
