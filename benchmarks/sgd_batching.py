"""Wall time of the SGD experiment batched over horizons and seeds versus a Python loop over them (same math, same machine)."""

import argparse
import time

import torch

from experiments import sgd as exp_sgd
from theory import registry


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--seeds", type=int, default=10)
    a = p.parse_args()
    torch.set_num_threads(1)
    params = dict(registry.spec("sgd_nonconvex_stationary_bound", "quadratic_s0.1", "smoke", 0, "cpu")["params"])
    params["n_seeds"] = a.seeds
    t0 = time.perf_counter()
    exp_sgd.run(seed=0, **params)
    batched = time.perf_counter() - t0
    t0 = time.perf_counter()
    for seed in range(a.seeds):
        for horizon, eta in zip(params["T"], params["eta"]):
            exp_sgd.run(seed=seed, **{**params, "T": [horizon], "eta": [eta], "n_seeds": 1})
    looped = time.perf_counter() - t0
    print(f"{len(params['T'])} horizons x {a.seeds} seeds, d = {params['d']}, up to T = {max(params['T'])} steps")
    print(f"batched: {batched:.2f} s   loop over (seed, horizon): {looped:.2f} s   speed-up x{looped / batched:.1f}")


if __name__ == "__main__":
    main()
