"""Wall time per full-batch Adam step of the two-layer ReLU width sweep (experiments/nn_width.py) as one packed ensemble, as one padded ensemble (every member padded to the widest, 0/1 mask), and as a Python loop over the (seed, width) members as separate torch.nn.Sequential models with torch.optim.Adam (same data, n, d, lr; one CPU thread): per step with every member taking every step, and for a whole run of the experiment's protocol, where a member stops once its training MSE is below stop_loss (frozen in the ensemble, which then drops it; the loop breaks out of that model's loop)."""

import argparse
import time

import torch

from experiments import nn_width as nw

DEFAULT_WIDTHS = [2, 4, 7, 11, 15, 18, 20, 22, 23, 25, 27, 30, 36, 50, 91, 182, 454]


DEVICE = {"device": torch.device("cpu")}  # --device: the GPU's ratio is reported too (README, issue on scale)


def sync() -> None:
    if DEVICE["device"].type == "cuda":
        torch.cuda.synchronize()


def data(seeds: int, n: int, d: int) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(0)
    X = torch.randn(seeds, n, d, generator=g)
    Y = X.sum(-1, keepdim=True) / d**0.5 + 0.5 * torch.randn(seeds, n, 1, generator=g)
    return X.to(DEVICE["device"]), Y.to(DEVICE["device"])


def ensemble(layout: str, widths: list[int], seeds: int, n: int, d: int, steps: int, lr: float,
             stop_loss: float = 0.0, per_step: bool = True) -> float:
    X, Y = data(seeds, n, d)
    owner, mask = nw.unit_layout(widths, layout)
    gens = [torch.Generator().manual_seed(s) for s in range(seeds)]
    # drawn on the CPU (the generators' device), then moved
    params = [t.detach().to(DEVICE["device"]).requires_grad_(t.requires_grad)
              for t in nw.init_params(widths, owner, mask, d, seeds, 1.0, gens, torch.float32, torch.device("cpu"))]
    owner, mask = owner.to(DEVICE["device"]), mask.to(DEVICE["device"])
    sync()
    t0 = time.perf_counter()
    nw.train_adam(X, Y, params, owner, mask, steps=steps, lr=lr, stop_loss=stop_loss)
    sync()
    return (time.perf_counter() - t0) / (steps if per_step else 1)


def looped(widths: list[int], seeds: int, n: int, d: int, steps: int, lr: float, stop_loss: float = 0.0,
           per_step: bool = True) -> float:
    X, Y = data(seeds, n, d)
    torch.manual_seed(0)
    nets = [(s, torch.nn.Sequential(torch.nn.Linear(d, w), torch.nn.ReLU(), torch.nn.Linear(w, 1)))
            for s in range(seeds) for w in widths]
    nets = [(s, net.to(DEVICE["device"])) for s, net in nets]
    sync()
    t0 = time.perf_counter()
    for s, net in nets:
        opt = torch.optim.Adam(net.parameters(), lr=lr)
        for _ in range(steps):
            loss = ((net(X[s]) - Y[s]) ** 2).mean()
            if stop_loss > 0 and loss.item() < stop_loss:
                break
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
    sync()
    return (time.perf_counter() - t0) / (steps if per_step else 1)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--widths", type=int, nargs="+", default=DEFAULT_WIDTHS)
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--n", type=int, default=500)
    p.add_argument("--d", type=int, default=20)
    p.add_argument("--steps", type=int, default=300, help="Adam steps of each ensemble")
    p.add_argument("--loop-steps", type=int, default=100, help="Adam steps of each model in the loop")
    p.add_argument("--lr", type=float, default=1e-2)
    p.add_argument("--run-steps", type=int, default=3000, help="steps of the whole-run comparison (0: skip it)")
    p.add_argument("--stop-loss", type=float, default=1e-4)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--device", default="cpu")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    DEVICE["device"] = torch.device(a.device)
    shape = dict(widths=a.widths, seeds=a.seeds, n=a.n, d=a.d, lr=a.lr)
    print(f"{len(a.widths)} widths (sum {sum(a.widths)}, max {max(a.widths)}) x {a.seeds} seeds, n={a.n}, d={a.d}, "
          f"full-batch Adam, {a.threads} thread(s)")
    ensemble("packed", **{**shape, "steps": 5})  # warm-up
    t_packed = ensemble("packed", **shape, steps=a.steps)
    t_padded = ensemble("padded", **shape, steps=max(a.steps // 5, 1))
    t_loop = looped(**shape, steps=a.loop_steps)
    print(f"{'variant':34} {'ms / step':>10} {'vs loop':>8}")
    for name, t in (("packed ensemble", t_packed), ("padded ensemble (K x H_max, mask)", t_padded),
                    ("loop over torch.nn.Sequential", t_loop)):
        print(f"{name:34} {1e3 * t:10.2f} {t_loop / t:7.1f}x")
    print(f"speed-up per step, packed ensemble over the loop: {t_loop / t_packed:.1f}x "
          f"(padded: {t_loop / t_padded:.1f}x)")
    if a.run_steps > 0:
        run = dict(shape, steps=a.run_steps, stop_loss=a.stop_loss, per_step=False)
        r_packed = ensemble("packed", **run)
        r_loop = looped(**run)
        print(f"whole run, {a.run_steps} steps or until train MSE < {a.stop_loss:g}: packed ensemble {r_packed:.1f} s, "
              f"loop {r_loop:.1f} s, speed-up {r_loop / r_packed:.1f}x")


if __name__ == "__main__":
    main()
