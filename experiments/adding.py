"""The adding problem (Hochreiter & Schmidhuber 1997, experiment 4): a tanh RNN, a GRU and an LSTM read a sequence of U[0,1] values with two marked positions (one in each half) and must output the sum of the two marked values; the success horizon is the largest length T they learn to MSE < 0.01 (predicting the constant 1 scores 1/6)."""

from __future__ import annotations

import numpy as np
import torch

from experiments.lib import cells
from experiments.lib.checkpoint import Checkpoint, Interrupted, note_resume, stop_requested
from experiments.lib.common import Progress, generator

SUCCESS_MSE = 0.01
EVAL_SEED_OFFSET = 7_919_000  # the held-out test sequences come from their own stream, never the training one


def adding_batch(
    gen: torch.Generator, lengths: torch.Tensor, batch: int, t_max: int | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """`batch` adding-problem sequences for every ensemble member e, of length lengths[e] (zero-padded to t_max).

    Returns x (E, batch, t_max, 2) float32 -- channel 0 U[0,1) values, channel 1 the markers, 1 at one position
    uniform in [0, T//2) and one uniform in [T//2, T) -- and the targets y (E, batch), the sum of the two marked values.
    """
    device = lengths.device
    ens = lengths.shape[0]
    t_max = int(lengths.max()) if t_max is None else int(t_max)
    if int(lengths.min()) < 2 or int(lengths.max()) > t_max:
        raise ValueError(f"sequence lengths must lie in 2..{t_max}, got {lengths.tolist()}")
    steps = torch.arange(t_max, device=device)
    values = torch.rand(ens, batch, t_max, generator=gen, device=device)
    values = values * (steps < lengths[:, None, None])  # padding after a member's horizon is zero
    u = torch.rand(ens, batch, 2, generator=gen, device=device, dtype=torch.float64)
    half = (lengths // 2)[:, None]
    first = torch.minimum((u[..., 0] * half).long(), half - 1)
    second = half + torch.minimum((u[..., 1] * (lengths[:, None] - half)).long(), lengths[:, None] - half - 1)
    marks = torch.zeros_like(values)
    marks.scatter_(2, first[..., None], 1.0)
    marks.scatter_(2, second[..., None], 1.0)
    y = values.gather(2, first[..., None]).squeeze(-1) + values.gather(2, second[..., None]).squeeze(-1)
    return torch.stack([values, marks], -1), y


CONSTANT_SIZE = 20000


def _mse(model, params, gen, lengths, size, chunk) -> torch.Tensor:
    """Per-member test MSE of the network and of the constant 1 on `size` fresh sequences: (2, E)."""
    err = torch.zeros(2, lengths.shape[0], dtype=torch.float64, device=lengths.device)
    done = 0
    with torch.no_grad():
        while done < size:
            n = min(chunk, size - done)
            x, y = adding_batch(gen, lengths, n)
            pred = cells.readout(params, cells.forward(model, params, x, lengths.tolist()))
            err[0] += ((pred - y) ** 2).double().sum(1)
            err[1] += ((1.0 - y) ** 2).double().sum(1)
            done += n
    return err / size


def run(
    *,
    seed: int,
    device: torch.device | str = "cpu",
    model: str,
    T: list[int],
    hidden: int,
    steps: int,
    batch: int,
    lr: float,
    clip: float,
    n_seeds: int,
    eval_size: int,
    eval_every: int = 50,
    stop_after_success: float = 0.0,
    checkpoint: str | None = None,
) -> dict[str, np.ndarray]:
    """Train n_seeds independent networks of type `model` per horizon in T, all as one stacked ensemble of
    len(T) * n_seeds members (each with its own default-init weights, its own fresh training sequences every step,
    its own Adam state and its own gradient-norm clipping at `clip`), for `steps` Adam steps of `batch` sequences.

    Returns T (K,), and per (seed, horizon), shape (n_seeds, K): mse, the final test MSE on eval_size fresh
    sequences; constant_mse, that of predicting 1 on the same sequences (about 1/6); steps_to_success, the end of the
    first block of eval_every steps whose fresh training batches (seen before their update) have mean MSE < 0.01,
    or steps + 1 if none; steps_trained, the steps a member actually took (the same for the members of one horizon).
    With stop_after_success = m > 0 the networks of one horizon stop training once every one of them has succeeded
    and (1 + m) times their last steps_to_success have been taken; they are then left out of the computation, their
    weights frozen for the test, and the run ends when every horizon has stopped: a network that has learnt the task
    stops spending the budget, one that has not trains to the end, so the stop never favours a failing model.  The
    sequences are drawn for every member at every step, so the members still training see exactly the data (and, a
    batched matrix product treating its members one by one, compute exactly the numbers) they would have with nobody
    stopped.
    With ``checkpoint`` a SIGTERM saves the state after the step in progress (weights, Adam's moments, the sequence
    generator, the success bookkeeping) and raises Interrupted; a run of the same parameters resumes from it.
    """
    cells.check_model(model)
    device = torch.device(device)
    horizons = [int(t) for t in T]
    k, ens = len(horizons), len(horizons) * n_seeds
    lengths = torch.tensor([t for t in horizons for _ in range(n_seeds)], device=device)  # member = (horizon, seed)
    read_at = lengths.tolist()
    gen = generator(seed, device)
    params = cells.init_params(model, ens, 2, hidden, gen, torch.float32, device)
    plist = list(params.values())
    opt = torch.optim.Adam(plist, lr=lr)
    first_success = torch.full((ens,), steps + 1, dtype=torch.long, device=device)
    block_loss = torch.zeros(ens, device=device)
    # stopped_at[j]: the step after which horizon j stopped training (0 while it trains); frozen: the weights of the
    # members that stopped, as they were then (Adam goes on moving them with its momentum, unseen, until the test).
    stopped_at = torch.zeros(k, dtype=torch.long, device=device)
    frozen = {name: p_.detach().clone() for name, p_ in params.items()}
    ckpt = Checkpoint(checkpoint, {"seed": seed, "model": model, "T": horizons, "hidden": hidden, "steps": steps,
                                   "batch": batch, "lr": lr, "clip": clip, "n_seeds": n_seeds, "eval_size": eval_size,
                                   "eval_every": eval_every, "stop_after_success": stop_after_success,
                                   "device": str(device)})
    first = 1
    saved = ckpt.load(device)
    if saved is not None:
        with torch.no_grad():
            for p_, value in zip(plist, saved["params"]):
                p_.copy_(value)
            for name, value in zip(frozen, saved.get("frozen", [])):
                frozen[name].copy_(value)
        opt.load_state_dict(saved["optimizer"])
        gen.set_state(saved["generator"].cpu())
        first_success, block_loss, first = saved["first_success"], saved["block_loss"], saved["step"] + 1
        stopped_at = saved.get("stopped_at", stopped_at)  # a checkpoint written before horizons stopped on their own
        note_resume(f"step {saved['step']}")
    progress = Progress(steps - first + 1, f"adding {model} T={horizons}")

    def training_members() -> tuple[torch.Tensor | None, list[int]]:
        """The members still training (None: all of them) and their horizons."""
        going = (stopped_at == 0).repeat_interleave(n_seeds)
        if bool(going.all()):
            return None, read_at
        idx = going.nonzero().squeeze(1)
        return idx, [read_at[i] for i in idx.tolist()]

    members, member_lengths = training_members()
    step = first - 1
    for step in range(first, steps + 1):
        x, y = adding_batch(gen, lengths, batch)  # drawn for every member: the data does not depend on who stopped
        if members is None:
            pred = cells.readout(params, cells.forward(model, params, x, read_at))
            loss = ((pred - y) ** 2).mean(1)  # (E,): each member's own MSE
        else:
            sub = {name: p_[members] for name, p_ in params.items()}
            pred = cells.readout(sub, cells.forward(model, sub, x[members], member_lengths))
            loss = torch.zeros(ens, device=device).index_copy(0, members, ((pred - y[members]) ** 2).mean(1))
        block_loss += loss.detach()
        opt.zero_grad(set_to_none=True)
        loss.sum().backward()  # members share no weights: the sum's gradient on member e is that of its own loss
        cells.clip_per_member(plist, clip)
        opt.step()
        if step % eval_every == 0 or step == steps:
            n = eval_every if step % eval_every == 0 else step % eval_every
            hit = (block_loss / n < SUCCESS_MSE) & (first_success > steps)
            first_success = torch.where(hit, torch.full_like(first_success, step), first_success)
            block_loss.zero_()
            progress.update(n)
            if stop_after_success > 0:
                by_horizon = first_success.view(k, n_seeds)
                done = (by_horizon <= steps).all(1) & (step >= (1 + stop_after_success) * by_horizon.max(1).values)
                newly = done & (stopped_at == 0)
                if bool(newly.any()):
                    stopped_at = torch.where(newly, torch.full_like(stopped_at, step), stopped_at)
                    rows = newly.repeat_interleave(n_seeds).nonzero().squeeze(1)
                    with torch.no_grad():
                        for name, p_ in params.items():
                            frozen[name][rows] = p_[rows]
                    members, member_lengths = training_members()
                if bool((stopped_at > 0).all()):
                    break
        if ckpt.path is not None and stop_requested() and step < steps:
            ckpt.save({"step": step, "params": [p_.detach() for p_ in plist], "optimizer": opt.state_dict(),
                       "generator": gen.get_state(), "first_success": first_success, "block_loss": block_loss,
                       "stopped_at": stopped_at, "frozen": list(frozen.values())})
            progress.close()
            raise Interrupted(f"stopped by SIGTERM at step {step} of {steps}; state saved to {ckpt.path}")
    progress.close()
    ckpt.remove()
    with torch.no_grad():  # the members that stopped are tested with the weights they stopped with
        rows = (stopped_at > 0).repeat_interleave(n_seeds).nonzero().squeeze(1)
        for name, p_ in params.items():
            p_[rows] = frozen[name][rows]
    trained = torch.where(stopped_at > 0, stopped_at, torch.full_like(stopped_at, step))
    eval_gen = torch.Generator(device=device)
    eval_gen.manual_seed(seed + EVAL_SEED_OFFSET)
    # Without gradients a step keeps only the (T, E, B, 3 + h) input/state buffer: bound it per evaluation chunk.
    budget = 1e9 if device.type == "cuda" else 3e7  # floats
    chunk = max(1, min(eval_size, int(budget // (max(horizons) * ens * (hidden + 3)))))
    err = _mse(model, params, eval_gen, lengths, eval_size, chunk)
    # The constant predictor's MSE checks the task's generator, not a network: on CONSTANT_SIZE further sequences of
    # the same generator (no network to run), so that its interval is a fifth of the check's 5% band, not half of it.
    constant = torch.zeros(lengths.shape[0], dtype=torch.float64, device=device)
    for start in range(0, CONSTANT_SIZE, 2000):
        _, y = adding_batch(eval_gen, lengths, min(2000, CONSTANT_SIZE - start))
        constant += ((1.0 - y) ** 2).double().sum(1)
    err[1] = constant / CONSTANT_SIZE

    def table(v: torch.Tensor) -> np.ndarray:
        return v.reshape(k, n_seeds).T.cpu().numpy().astype(float)

    return {
        "T": np.asarray(horizons, dtype=float),
        "mse": table(err[0]),
        "constant_mse": table(err[1]),
        "steps_to_success": table(first_success),
        "steps_trained": np.broadcast_to(trained.cpu().numpy().astype(float), (n_seeds, k)).copy(),
    }
