"""Wall time of adding-problem training for n seeds as one stacked ensemble (experiments/lib/cells.py; with several horizons, all of them in the one ensemble) versus a Python loop over n separate torch.nn recurrent models per horizon (same T, hidden, batch, steps, Adam and per-seed clipping; one CPU thread)."""

import argparse
import time

import torch

from experiments import adding
from experiments.lib import cells

MODULES = {"rnn": torch.nn.RNN, "gru": torch.nn.GRU, "lstm": torch.nn.LSTM}


def stacked(model: str, seeds: int, T: list[int], hidden: int, batch: int, steps: int, lr: float, clip: float) -> float:
    gen = torch.Generator().manual_seed(0)
    lengths = torch.tensor([t for t in T for _ in range(seeds)])  # members (horizon, seed), as adding.run stacks them
    p = cells.init_params(model, len(lengths), 2, hidden, gen)
    plist = list(p.values())
    opt = torch.optim.Adam(plist, lr=lr)
    read_at = lengths.tolist()
    t0 = time.perf_counter()
    for _ in range(steps):
        x, y = adding.adding_batch(gen, lengths, batch)
        loss = ((cells.readout(p, cells.forward(model, p, x, read_at)) - y) ** 2).mean(1)
        opt.zero_grad(set_to_none=True)
        loss.sum().backward()
        cells.clip_per_member(plist, clip)
        opt.step()
    return time.perf_counter() - t0


def looped(model: str, seeds: int, T: list[int], hidden: int, batch: int, steps: int, lr: float, clip: float) -> float:
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(0)
    runs = [(t, MODULES[model](2, hidden, batch_first=True), torch.nn.Linear(hidden, 1)) for t in T for _ in range(seeds)]
    t0 = time.perf_counter()
    for horizon, rnn, head in runs:
        opt = torch.optim.Adam([*rnn.parameters(), *head.parameters()], lr=lr)
        lengths = torch.tensor([horizon])
        for _ in range(steps):
            x, y = adding.adding_batch(gen, lengths, batch)
            out, _ = rnn(x[0])
            loss = ((head(out[:, -1]).squeeze(-1) - y[0]) ** 2).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_([*rnn.parameters(), *head.parameters()], clip)
            opt.step()
    return time.perf_counter() - t0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--models", nargs="+", default=["lstm"], choices=list(MODULES))
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--T", type=int, nargs="+", default=[40], help="horizons; several are stacked too (as adding.run)")
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--lr", type=float, default=1e-2)
    p.add_argument("--clip", type=float, default=1.0)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    kw = dict(seeds=a.seeds, T=a.T, hidden=a.hidden, batch=a.batch, steps=a.steps, lr=a.lr, clip=a.clip)
    print(f"{a.seeds} seeds x T in {a.T}, hidden {a.hidden}, batch {a.batch}, {a.steps} Adam steps, {a.threads} thread(s)")
    print(f"{'model':6} {'stacked ensemble (s)':>21} {'loop over torch.nn (s)':>23} {'speed-up':>9}")
    for model in a.models:
        stacked(model, **{**kw, "steps": 2})  # warm-up
        t_stacked = stacked(model, **kw)
        t_loop = looped(model, **kw)
        print(f"{model:6} {t_stacked:21.2f} {t_loop:23.2f} {t_loop / t_stacked:8.1f}x")


if __name__ == "__main__":
    main()
