"""Wall time of the grokking experiment (experiments/grokking.py) on one CPU thread: its members as one stacked ensemble against a Python loop over single-member runs of the same code (same seeds, same steps), per step with every member training; and for a whole weight-decay sweep, retiring members once they have generalised against keeping them all until the last one has."""

import argparse
import time

import torch

from experiments import grokking

SETTING = dict(p=31, width=256, lr=3e-3, activation="quadratic", train_fraction=0.5, n_records=20)


DEVICE = {"device": "cpu"}  # --device cuda: the ratio on a GPU


def timed(**kw) -> float:
    t0 = time.perf_counter()
    grokking.run(seed=1, device=DEVICE["device"], **SETTING, **kw)  # returns numpy arrays: the GPU has finished
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--members", type=int, default=5)
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--sweep", action="store_true", help="also time a whole weight-decay sweep (about 3 min)")
    ap.add_argument("--device", default="cpu")
    a = ap.parse_args()
    torch.set_num_threads(1)
    DEVICE["device"] = a.device
    timed(steps=20, n_seeds=1, weight_decay=[1.0])  # warm-up (a GPU's context and kernels)
    # Within the first few hundred steps no member generalises: every member takes every step in both layouts.
    stacked = timed(steps=a.steps, n_seeds=a.members)
    looped = sum(timed(steps=a.steps, n_seeds=1, weight_decay=[1.0]) for _ in range(a.members))
    print(f"{a.members} members x {a.steps} steps: stacked {stacked:.2f} s, looped {looped:.2f} s, "
          f"ratio {looped / stacked:.2f}")
    if a.sweep:
        sweep = dict(steps=8000, n_seeds=3, weight_decay=[0.5, 0.7, 1.0], init_scale=4.0)
        retiring = timed(**sweep)
        # stop_after = inf: no member is retired, all train until the budget (the cost without retirement is at least
        # the members' count times the slowest member's time; this measures the budget bound).
        keeping = timed(**sweep, stop_after=float("inf"))
        print(f"weight-decay sweep (9 members, 8000-step budget): retiring {retiring:.1f} s, keeping all {keeping:.1f} s, "
              f"ratio {keeping / retiring:.2f}")


if __name__ == "__main__":
    main()
