"""Wall time of the random-features experiment batched over seeds versus a Python loop over seeds (same math, one thread)."""

import argparse
import time

import torch

from experiments import random_features as exp_rf

SMOKE_GRID = [30, 60, 100, 150, 200, 240, 270, 285, 292, 308, 315, 330, 360, 400, 500, 650, 900, 1300, 2000, 3000]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--seeds", type=int, default=20)
    p.add_argument("--d", type=int, default=100)
    p.add_argument("--n", type=int, default=300)
    p.add_argument("--repeats", type=int, default=3, help="best of this many timings of each variant")
    a = p.parse_args()
    torch.set_num_threads(1)
    params = dict(device=torch.device("cpu"), d=a.d, n=a.n, N=SMOKE_GRID, F1=1.0, tau=0.5, Fstar=0.0, n_test=0)
    exp_rf.run(seed=0, n_seeds=2, **{**params, "N": [10, 50]})  # warm-up: first-call allocations and lazy init

    def batched_run() -> None:
        exp_rf.run(seed=0, n_seeds=a.seeds, **params)

    def looped_run() -> None:
        for seed in range(a.seeds):
            exp_rf.run(seed=seed, n_seeds=1, **params)

    def best(fn) -> float:
        times = []
        for _ in range(a.repeats):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        return min(times)

    batched, looped = best(batched_run), best(looped_run)
    print(f"{len(SMOKE_GRID)} widths up to N = {max(SMOKE_GRID)} x {a.seeds} seeds, d = {a.d}, n = {a.n}, "
          f"1 thread, best of {a.repeats}")
    print(f"batched: {batched:.2f} s   loop over seeds: {looped:.2f} s   speed-up x{looped / batched:.2f}")


if __name__ == "__main__":
    main()
