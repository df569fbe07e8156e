"""Wall time of the min-norm least-squares sweep (B1) batched over trials, one Gram factorisation per p, versus the same batch through one SVD per p and versus a Python loop over trials calling numpy's pinv per (trial, p), one thread."""

import argparse
import time

import numpy as np
import torch

from experiments import least_squares
from experiments.lib import linear_solvers
from theory import registry


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--trials", type=int, default=500)
    a = p.parse_args()
    torch.set_num_threads(1)
    params = dict(registry.spec("dd_minnorm_ls_finite_sample_risk", "features", "smoke", 0, "cpu")["params"])
    params["n_seeds"] = a.trials
    t0 = time.perf_counter()
    batched = least_squares.run(seed=0, **params)["risk"]
    t_batched = time.perf_counter() - t0
    gram_fit = linear_solvers._gram_fit
    linear_solvers._gram_fit = linear_solvers._svd_fit  # the same draws through the SVD route
    try:
        t0 = time.perf_counter()
        through_svd = least_squares.run(seed=0, **params)["risk"]
        t_svd = time.perf_counter() - t0
    finally:
        linear_solvers._gram_fit = gram_fit

    rng = np.random.default_rng(0)
    n, d, grid, r2, s2 = params["n"], params["D"], params["p"], params["r2"], params["sigma2"]
    t0 = time.perf_counter()
    looped = np.empty((a.trials, len(grid)))
    for trial in range(a.trials):
        x = rng.standard_normal((n, d))
        beta = rng.choice([-1.0, 1.0], d) * (r2 / d) ** 0.5
        y = x @ beta + s2**0.5 * rng.standard_normal(n)
        for j, k in enumerate(grid):
            fit = np.linalg.pinv(x[:, :k]) @ y
            looped[trial, j] = ((fit - beta[:k]) ** 2).sum() + (beta[k:] ** 2).sum() + s2
    t_loop = time.perf_counter() - t0
    print(f"B1 sweep: n = {n}, D = {d}, {len(grid)} values of p, {a.trials} trials")
    print(f"batched through the Gram matrix: {t_batched:.2f} s   through the SVD: {t_svd:.2f} s   "
          f"speed-up x{t_svd / t_batched:.1f}, largest relative difference {np.max(np.abs(batched / through_svd - 1)):.1e}")
    print(f"batched over trials: {t_batched:.2f} s   loop over (trial, p) with numpy pinv: {t_loop:.2f} s   "
          f"speed-up x{t_loop / t_batched:.1f}")
    far = np.abs(np.asarray(grid) - n) > 5
    gap = np.max(np.abs(batched.mean(0)[far] / looped.mean(0)[far] - 1))
    print(f"independent draws, same estimator: the two sample means differ by at most {gap:.1%} away from the pole")


if __name__ == "__main__":
    main()
