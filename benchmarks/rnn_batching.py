"""Wall time of the RNN-gradient experiments batched over seeds and gains versus straightforward loops on the same machine: Jacobian norms (rnn_jacobian against a loop over (seed, lambda1) and against per-lag autograd Jacobians) and mean-field growth rates (rnn_meanfield against a loop over (seed, gain, input))."""

import argparse
import math
import time

import torch

from experiments import rnn_jacobian, rnn_meanfield
from experiments.lib.vanilla_rnn import phi
from theory import registry


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def autograd_loop(params: dict) -> None:
    """The textbook way: for each seed, lambda1 and lag, autograd's Jacobian of the unrolled map h_(T-l) -> h_T, then its SVD."""
    n, steps = params["n"], max(params["lag"]) + 1
    for seed in range(params["n_seeds"]):
        gen = torch.Generator().manual_seed(seed)
        w0 = torch.randn(n, n, generator=gen, dtype=torch.float64)
        w0 = w0 / torch.linalg.matrix_norm(w0, ord=2)
        drive = params["sigma_in"] * torch.randn(steps, n, generator=gen, dtype=torch.float64)
        for lam in dict.fromkeys(params["lambda1"]):
            w = lam * w0
            h = [torch.zeros(n, dtype=torch.float64)]
            for t in range(steps):
                h.append(w @ phi(params["activation"], h[-1]) + drive[t])
            for ell in dict.fromkeys(params["lag"]):
                def unroll(hk, ell=ell):
                    for t in range(steps - ell, steps):
                        hk = w @ phi(params["activation"], hk) + drive[t]
                    return hk
                jac = torch.autograd.functional.jacobian(unroll, h[steps - ell])
                math.log(float(torch.linalg.matrix_norm(jac, ord=2)))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--seeds", type=int, default=5)
    a = p.parse_args()
    torch.set_num_threads(1)

    params = dict(registry.spec("rnn_gradient_norm_upper_bound", "tanh_large", "smoke", 0, "cpu")["params"])
    params["n_seeds"] = a.seeds
    levels = list(dict.fromkeys(params["lambda1"]))
    batched = timed(lambda: rnn_jacobian.run(seed=0, **params))

    def per_seed_level():
        for seed in range(a.seeds):
            for lam in levels:
                rnn_jacobian.run(seed=seed, **{**params, "lambda1": [lam] * len(set(params["lag"])),
                                              "lag": list(dict.fromkeys(params["lag"])), "n_seeds": 1})

    looped = timed(per_seed_level)
    print(f"rnn_jacobian, tanh, n = {params['n']}, {len(levels)} lambda1 x {a.seeds} seeds, lags up to {max(params['lag'])}")
    print(f"  batched: {batched:.2f} s   loop over (seed, lambda1): {looped:.2f} s   speed-up x{looped / batched:.1f}")
    small = dict(registry.spec("rnn_gradient_norm_upper_bound", "tanh_small", "smoke", 0, "cpu")["params"])
    small["n_seeds"] = 2
    batched_small = timed(lambda: rnn_jacobian.run(seed=0, **small))
    naive = timed(lambda: autograd_loop(small))
    print(f"rnn_jacobian, tanh, n = {small['n']}, {len(set(small['lambda1']))} lambda1 x 2 seeds, {len(set(small['lag']))} lags")
    print(f"  batched products: {batched_small:.2f} s   autograd Jacobian per (seed, lambda1, lag): {naive:.2f} s   "
          f"speed-up x{naive / batched_small:.0f}")

    mf = dict(registry.spec("rnn_meanfield_lyapunov_edge_of_chaos", "tanh", "smoke", 0, "cpu")["params"])
    mf["n_seeds"] = a.seeds
    batched = timed(lambda: rnn_meanfield.run(seed=0, **mf))

    def per_column():
        for seed in range(a.seeds):
            for g, s_in in zip(mf["g"], mf["sigma_in"]):
                rnn_meanfield.run(seed=seed, **{**mf, "g": [g], "sigma_in": [s_in], "crit_sigma_in": [], "n_seeds": 1})

    looped = timed(per_column)
    print(f"rnn_meanfield, tanh, n = {mf['n']}, {len(mf['g'])} (gain, input) columns x {a.seeds} seeds, "
          f"{mf['burn_in'] + mf['steps']} steps")
    print(f"  batched: {batched:.2f} s   loop over (seed, gain, input): {looped:.2f} s   speed-up x{looped / batched:.1f}")


if __name__ == "__main__":
    main()
