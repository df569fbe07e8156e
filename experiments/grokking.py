"""Grokking of modular addition by a two-layer MLP (quadratic or ReLU activation) trained with AdamW, every (seed, weight decay, train fraction or init scale) member trained as one stacked ensemble (Power et al. 2022, Fig. 1-2; Nanda et al. 2023, §4-5; Gromov 2023, §2-3)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from experiments.lib.checkpoint import Checkpoint, Interrupted, note_resume, stop_requested
from experiments.lib.common import Progress, generator
from experiments.lib.ensemble import StackedAdam

ACC_LEVEL = 0.99  # t_mem and t_gen: first step with train (validation) accuracy >= 99% (Power et al.)
GRIDS = ("weight_decay", "train_fraction", "init_scale")  # the parameters that may be a list (the run's grid)


def pairs(p: int, device) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Every (a, b) in Z_p x Z_p, row-major, with its label (a + b) mod p."""
    a = torch.arange(p, device=device).repeat_interleave(p)
    b = torch.arange(p, device=device).repeat(p)
    return a, b, (a + b) % p


def unit_spectra(E: torch.Tensor, p: int) -> torch.Tensor:
    """Fourier power of every hidden unit's input weights per frequency k = 0..(p-1)/2, over the a and b halves.

    E: (M, 2p, w), rows 0..p-1 embed a and p..2p-1 embed b.  The real DFT over the token axis gives |F_k|^2; bins k and
    p-k are one real frequency, so rfft's bins 1..(p-1)/2 count twice (Parseval: a unit's powers sum to p ||e_unit||^2).
    Returns (M, w, (p+1)/2)."""
    M, _, w = E.shape
    F = torch.fft.rfft(E.reshape(M, 2, p, w), dim=2)  # (M, 2, (p+1)/2, w)
    power = (F.real**2 + F.imag**2).sum(dim=1)
    power[:, 1:] *= 2.0
    return power.transpose(1, 2)


def rank_spectrum(E: torch.Tensor, p: int) -> torch.Tensor:
    """Each unit's spectrum sorted from its dominant frequency down, as fractions of its power, averaged over units
    weighted by their power: entry 0 is the share of the embedding's power that sits in each unit's own top frequency.
    A unit-wise measure because an MLP spreads its units over all frequencies (Gromov 2023, §3: one frequency per unit),
    so the pooled spectrum of the embedding stays flat after grokking.  Returns (M, (p+1)/2)."""
    power = unit_spectra(E, p)  # (M, w, K)
    total = power.sum(-1, keepdim=True)
    ranked = power.sort(-1, descending=True).values
    return (ranked.sum(1)) / total.sum(1)  # sum over units of power-in-rank-r / total power


def pooled_spectrum(E: torch.Tensor, p: int) -> torch.Tensor:
    """The embedding's power per frequency summed over units (Nanda et al.'s measure for a shared embedding), as
    fractions.  Returns (M, (p+1)/2)."""
    power = unit_spectra(E, p).sum(1)
    return power / power.sum(-1, keepdim=True)


def logit_fourier(logits: torch.Tensor, p: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Coefficients of the logits l(a, b, c) on the directions cos(w_k (a+b-c)) and sin(w_k (a+b-c)), w_k = 2 pi k / p,
    k = 1..(p-1)/2 (Nanda et al. 2023, §5.1): least squares over all p^3 triples, as the directions are orthogonal.

    logits: (M, p*p, p) over row-major (a, b).  Returns (alpha, beta), each (M, (p-1)/2)."""
    M = logits.shape[0]
    a, b, _ = pairs(p, logits.device)
    s = (a + b) % p
    # A[m, s, c] = sum over the pairs with a + b = s of l(a, b, c): the logits depend on (a+b-c) only through it.
    A = torch.zeros(M, p, p, dtype=logits.dtype, device=logits.device).index_add_(1, s, logits)
    d = (torch.arange(p, device=logits.device)[:, None] - torch.arange(p, device=logits.device)[None, :]) % p  # s - c
    k = torch.arange(1, (p - 1) // 2 + 1, device=logits.device, dtype=logits.dtype)
    phase = 2 * math.pi * k[:, None, None] * d[None].to(logits.dtype) / p  # (K, p, p)
    norm = 2.0 / p**3  # each direction has squared norm p^3 / 2
    alpha = torch.einsum("msc,ksc->mk", A, torch.cos(phase)) * norm
    beta = torch.einsum("msc,ksc->mk", A, torch.sin(phase)) * norm
    return alpha, beta


def restricted_loss(alpha: np.ndarray, beta: np.ndarray, keys: np.ndarray, p: int) -> np.ndarray:
    """Cross-entropy of the logits restricted to the key frequencies, sum_{k in K} alpha_k cos(w_k(s-c)) +
    beta_k sin(w_k(s-c)), averaged over s (every pair with a + b = s has the same restricted logits).

    alpha, beta: (..., (p-1)/2); keys: boolean mask of the same shape.  Returns (...)."""
    k = np.arange(1, (p - 1) // 2 + 1)
    d = (np.arange(p)[:, None] - np.arange(p)[None, :]) % p  # (s, c) -> s - c
    phase = 2 * np.pi * k[:, None, None] * d[None] / p
    a = np.where(keys, alpha, 0.0)
    b = np.where(keys, beta, 0.0)
    logits = np.einsum("...k,ksc->...sc", a, np.cos(phase)) + np.einsum("...k,ksc->...sc", b, np.sin(phase))
    logits = logits - logits.max(-1, keepdims=True)
    logz = np.log(np.exp(logits).sum(-1))
    correct = np.diagonal(logits, axis1=-2, axis2=-1)  # c = s
    return (logz - correct).mean(-1)


def first_step(reached: torch.Tensor, steps_done: int) -> torch.Tensor:
    """Index of the first True along the last axis, +inf where there is none."""
    any_ = reached.any(-1)
    idx = reached.float().argmax(-1).double()
    return torch.where(any_, idx, torch.full_like(idx, math.inf))


PARAMS = ("E", "b1", "W2", "b2")  # the MLP's parameters, stacked over the members (leading axis)


@dataclass(frozen=True)
class Task:
    """Addition mod p and the MLP x -> W2 act(E_a[a] + E_b[b] + b1) + b2 on it: every pair (a, b), row-major, with its
    label (a + b) mod p."""

    p: int
    act: Callable[[torch.Tensor], torch.Tensor]
    a: torch.Tensor
    b: torch.Tensor
    labels: torch.Tensor

    @classmethod
    def make(cls, p: int, activation: str, device) -> Task:
        return cls(p, torch.relu if activation == "relu" else torch.square, *pairs(p, device))

    def logits(self, params: dict, x: torch.Tensor | None = None) -> torch.Tensor:
        """Logits on the rows x (A, n, 2p) of two-hot inputs, or on all p^2 pairs when x is None."""
        E = params["E"]
        if x is None:
            # E[:, a] + E[:, p + b] + b1 and the activation with the same arithmetic, the sum by embedding_bag on the
            # flattened rows and all in place: at A = 15, p = 31, width 256 the broadcast out-of-place add of b1 took
            # 6 ms, the in-place one 0.7 ms.
            A, N = E.shape[0], len(self.a)
            pre = embedding_sum(E, first_layer_rows(self.a.expand(A, N), self.b.expand(A, N), self.p), A, N)
            pre.add_(params["b1"])
            hidden = pre.relu_() if self.act is torch.relu else pre.square_()
            return torch.baddbmm(params["b2"], hidden, params["W2"])
        pre = torch.bmm(x, E)
        return torch.baddbmm(params["b2"], self.act(pre + params["b1"]), params["W2"])

    def loss_gradients(self, params: dict, rows: torch.Tensor, target: torch.Tensor,
                       weight: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """Logits on the training pairs (A, n, p) and the gradient of the loss sum_m sum_i weight[m, i] CE_mi with
        respect to PARAMS, by hand, with no autograd graph: 15 members, p = 31, width 256, one CPU thread, 22 ms a step
        against 41 ms with autograd through the two-hot matmul (the gradient equals autograd's, tests/test_grokking.py).

        rows: (2, A n), the pairs' rows of E flattened to (A 2p, w) (first_layer_rows); target: one-hot labels
        (A, n, p); weight: (A, n), w_tr / n_train (0 on the padding).  The first layer sums the two rows of E a pair
        selects (what the two-hot matmul x E sums, with 2p = 62 times fewer flops, and x^T g_pre becomes two
        index_add_); the rest is the chain rule through the softmax, the second layer and the activation.  The second
        layer's forward multiplies by W2 padded with zero columns to a multiple of 8: one-thread sgemm with p = 31
        output columns took twice as long as with 32 (3.6 ms against 1.7 ms)."""
        E, b1, W2, b2 = (params[k] for k in PARAMS)
        A, n, p = target.shape
        w = E.shape[-1]
        pre = embedding_sum(E, rows, A, n).add_(b1)
        relu = self.act is torch.relu
        hidden = torch.relu(pre) if relu else pre * pre  # torch.square's arithmetic
        padded = W2.new_zeros(A, w, -(-p // 8) * 8)
        padded[..., :p] = W2
        logits = torch.bmm(hidden, padded)[..., :p] + b2
        g = torch.softmax(logits, -1).sub_(target).mul_(weight.unsqueeze(-1))  # d loss / d logits
        g_W2 = torch.bmm(g.transpose(1, 2), hidden).transpose(1, 2).contiguous()
        g_b2 = g.sum(1, keepdim=True)
        # d loss / d pre: (g W2^T) * 2 pre for the square (the exact factor 2 on g, 8 times smaller than g W2^T),
        # (g W2^T) * [pre > 0] for the relu
        g_pre = torch.bmm(g if relu else g * 2.0, W2.transpose(1, 2).contiguous())
        g_pre.mul_(pre > 0 if relu else pre)
        g_b1 = g_pre.sum(1, keepdim=True)
        g_pre = g_pre.view(A * n, w)
        g_E = E.new_zeros(A * 2 * self.p, w).index_add_(0, rows[0], g_pre).index_add_(0, rows[1], g_pre).view_as(E)
        return logits, [g_E, g_b1, g_W2, g_b2]


def embedding_sum(E: torch.Tensor, rows: torch.Tensor, A: int, n: int) -> torch.Tensor:
    """E_a[a] + E_b[b] for every pair, (A, n, w): the two rows (first_layer_rows) of the members' embeddings E
    (A, 2p, w) flattened to (A 2p, w), summed by one embedding_bag (what the two-hot matmul x E computes)."""
    return torch.nn.functional.embedding_bag(rows.t(), E.reshape(-1, E.shape[-1]), mode="sum").view(A, n, E.shape[-1])


def first_layer_rows(a: torch.Tensor, b: torch.Tensor, p: int) -> torch.Tensor:
    """The rows of the members' embeddings flattened to (A 2p, w) that the pairs (a, b), each (A, n), select: member
    m's row a and row p + b, as a (2, A n) index."""
    offset = torch.arange(a.shape[0], device=a.device).unsqueeze(1) * (2 * p)
    return torch.stack([(a + offset).reshape(-1), (b + p + offset).reshape(-1)])


def check_parameters(p, width, steps, lr, n_seeds, n_records, activation, top_k, given: dict) -> tuple[str, list[float], dict]:
    """The run's grid (its name and values) and each grid value's weight decay, train fraction and init scale, with
    every invalid parameter named."""
    grids = [name for name in GRIDS if isinstance(given[name], (list, tuple))]
    if len(grids) > 1:
        raise ValueError(f"at most one of weight_decay, train_fraction, init_scale may be a list, got {grids}")
    for name, value in (("p", p), ("width", width), ("steps", steps), ("n_seeds", n_seeds), ("n_records", n_records)):
        if int(value) != value or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if p < 5 or any(p % q == 0 for q in range(2, int(math.isqrt(p)) + 1)):
        raise ValueError(f"p must be a prime >= 5 (the Fourier analysis uses Z_p), got {p}")
    if activation not in ("relu", "quadratic"):
        raise ValueError(f"activation must be 'relu' or 'quadratic', got {activation!r}")
    if not (lr > 0 and math.isfinite(lr)):
        raise ValueError(f"lr must be positive, got {lr!r}")
    grid_name = grids[0] if grids else "weight_decay"
    grid = [float(v) for v in (given[grid_name] if grids else [given["weight_decay"]])]
    per_value = {name: grid if name == grid_name else [float(given[name])] * len(grid) for name in GRIDS}
    if any(not (0 < f < 1) for f in per_value["train_fraction"]):
        raise ValueError(f"train_fraction must lie in (0, 1), got {per_value['train_fraction']}")
    if any(w < 0 or lr * w >= 1 for w in per_value["weight_decay"]):
        raise ValueError(f"weight_decay must be >= 0 with lr * weight_decay < 1, got {per_value['weight_decay']}")
    if any(s <= 0 for s in per_value["init_scale"]):
        raise ValueError(f"init_scale must be positive, got {per_value['init_scale']}")
    if not 1 <= top_k <= (p + 1) // 2:
        raise ValueError(f"top_k must lie in 1..(p+1)/2 = {(p + 1) // 2}, got {top_k}")
    return grid_name, grid, per_value


def init_members(seed: int, p: int, width: int, fracs: list[float], scales: list[float], n_seeds: int,
                 device) -> tuple[torch.Tensor, dict]:
    """Seed r fixes the split and the init, shared by its G members (member m = r * G + g): the training mask (M, p^2)
    and the parameters {E (M, 2p, w), b1 (M, 1, w), W2 (M, w, p), b2 (M, 1, p)}."""
    G, N, dt = len(fracs), p * p, torch.float32
    M = n_seeds * G
    master = generator(seed, device)
    rep_seeds = torch.randint(0, 2**62, (n_seeds,), generator=master, device=device).tolist()
    train_mask = torch.zeros(M, N, dtype=torch.bool, device=device)
    shapes = {"E": (2 * p, width), "b1": (1, width), "W2": (width, p), "b2": (1, p)}
    params = {k: torch.empty(M, *shape, dtype=dt, device=device) for k, shape in shapes.items()}
    bounds = {"E": 1 / math.sqrt(2 * p), "b1": 1 / math.sqrt(2 * p), "W2": 1 / math.sqrt(width), "b2": 1 / math.sqrt(width)}
    for r, s in enumerate(rep_seeds):
        g = torch.Generator(device=device).manual_seed(int(s))
        perm = torch.randperm(N, generator=g, device=device)
        # nn.Linear: U(+-1/sqrt(fan_in)), drawn in the order E, b1, W2, b2
        init = {k: (torch.rand(*shape, generator=g, device=device) * 2 - 1) * bounds[k] for k, shape in shapes.items()}
        for j in range(G):
            m = r * G + j
            train_mask[m, perm[: round(fracs[j] * N)]] = True
            for k in PARAMS:
                params[k][m] = init[k] * scales[j]
    return train_mask, params


def training_data(task: Task, train_mask: torch.Tensor) -> dict:
    """Per-member tensors, leading axis the member, that the working set is sliced from: each member's training pairs
    first, padded to the largest split (weight 0), as tokens and labels, and the validation mask."""
    dt, p = torch.float32, task.p
    n_train = train_mask.sum(1).to(dt)
    val_mask = ~train_mask
    n_max = int(n_train.max())
    order = torch.argsort((~train_mask).to(torch.int8), dim=1, stable=True)[:, :n_max]  # train pairs first
    return {
        "w_tr": torch.gather(train_mask, 1, order).to(dt),
        # The pairs' tokens: the first layer gathers their rows of E (Task.loss_gradients).
        "a_tr": task.a[order], "b_tr": task.b[order],
        "y_tr": task.labels[order], "n_train": n_train, "val_mask": val_mask.to(dt), "n_val": val_mask.sum(1).to(dt),
    }


def initial_state(M: int, steps: int, p: int, device) -> dict:
    """What the training loop tracks per member (and saves in a checkpoint besides the parameters and moments)."""
    K = (p + 1) // 2
    return {"active": torch.arange(M, device=device), "step": 0,
            "train_acc": torch.zeros(M, steps, dtype=torch.float32, device=device),
            # validation accuracy is evaluated every eval_every steps (and at the record steps), NaN elsewhere
            "val_acc": torch.full((M, steps), math.nan, dtype=torch.float32, device=device),
            "gen_step": torch.full((M,), -1, dtype=torch.long, device=device),
            "mem_seen": torch.zeros(M, dtype=torch.bool, device=device),
            "val_at_mem": torch.full((M,), math.nan, dtype=torch.float64, device=device),
            "rank_mem": torch.full((M, K), math.nan, dtype=torch.float64, device=device),
            "pooled_mem": torch.full((M, K), math.nan, dtype=torch.float64, device=device),
            "recorded": {k: [] for k in ("train_acc", "val_acc", "train_loss", "val_loss", "weight_norm", "alpha", "beta",
                                         "power")}}


def working_set(task: Task, data: dict, opt: StackedAdam, active: torch.Tensor) -> tuple[dict, StackedAdam]:
    """The still-training members' data and optimiser (contiguous copies of their parameters and moments), with what
    the training step reads: the pairs' rows of E, one-hot labels and loss weights."""
    ws = {k: v[active] for k, v in data.items()}
    # Train pairs come first in every row: the padding beyond the largest active split is dropped.
    n_act = int(ws["n_train"].max()) if len(active) else 0
    for k in ("w_tr", "a_tr", "b_tr", "y_tr"):
        ws[k] = ws[k][:, :n_act]
    ws["rows"] = first_layer_rows(ws["a_tr"], ws["b_tr"], task.p)
    ws["target"] = torch.nn.functional.one_hot(ws["y_tr"], task.p).to(ws["w_tr"].dtype)
    ws["weight"] = ws["w_tr"] / ws["n_train"].unsqueeze(1)
    part = opt.select(active)
    for k, t in zip(PARAMS, part.params):
        ws[k] = t
    return ws, part


def observe(task: Task, ws: dict, state: dict, active: torch.Tensor, step: int, logits: torch.Tensor,
            train_loss: torch.Tensor | None, evaluate: bool, recording: bool) -> None:
    """Note the step's train accuracy; on evaluation steps, and at a member's first step at 99% train accuracy, the
    validation accuracy (and t_gen); at memorisation the spectra; at record steps the curves."""
    p, dt = task.p, torch.float32
    train_acc = ((logits.argmax(-1) == ws["y_tr"]).to(dt) * ws["w_tr"]).sum(1) / ws["n_train"]
    state["train_acc"][active, step] = train_acc
    newly = (train_acc >= ACC_LEVEL) & ~state["mem_seen"][active]
    if not (newly.any() or recording or evaluate):
        return
    every = task.logits(ws)  # (A, N, p)
    val_acc = ((every.argmax(-1) == task.labels).to(dt) * ws["val_mask"]).sum(1) / ws["n_val"]
    state["val_acc"][active, step] = val_acc
    first_gen = (val_acc >= ACC_LEVEL) & (state["gen_step"][active] < 0)
    state["gen_step"][active[first_gen]] = step
    if newly.any():
        ids = active[newly]
        state["val_at_mem"][ids] = val_acc[newly].double()
        state["rank_mem"][ids] = rank_spectrum(ws["E"][newly], p).double()
        state["pooled_mem"][ids] = pooled_spectrum(ws["E"][newly], p).double()
        state["mem_seen"][ids] = True
    if recording:
        A, N, M = len(active), p * p, len(state["gen_step"])
        ce_all = torch.nn.functional.cross_entropy(every.reshape(-1, p), task.labels.repeat(A), reduction="none").reshape(A, N)
        al, be = logit_fourier(every.double(), p)
        values = {"train_acc": train_acc, "val_acc": val_acc, "train_loss": train_loss,
                  "val_loss": (ce_all * ws["val_mask"]).sum(1) / ws["n_val"],
                  "weight_norm": torch.sqrt(sum((ws[k] ** 2).sum(dim=(1, 2)) for k in PARAMS)),
                  "alpha": al, "beta": be, "power": rank_spectrum(ws["E"], p)[:, 0].double()}
        for k, v in values.items():
            # Retired members are frozen: their last recorded values carry over.
            hist = state["recorded"][k]
            row = hist[-1].clone() if hist else torch.full((M, *v.shape[1:]), math.nan, dtype=v.dtype, device=v.device)
            row[active] = v
            hist.append(row)


@torch.no_grad()
def train(task: Task, data: dict, opt: StackedAdam, state: dict, *, steps: int, record_at: np.ndarray, eval_every: int,
          stop_after: float, ckpt: Checkpoint, checkpoint_every: int, desc: str) -> int:
    """Train the members still active in `state` from state["step"] on, full batch, until each is retired or the
    budget is spent, with the checkpoint saved every checkpoint_every steps; returns the number of steps run."""
    p = task.p
    active = state["active"]
    ws, part = working_set(task, data, opt, active)
    rec_set = set(record_at.tolist())
    progress = Progress(steps - state["step"], desc)
    step = state["step"]
    for step in range(state["step"], steps):
        # Training pairs only (padded to the largest split, padding weighted 0): the gradient costs |train|, not p^2.
        logits, grads = task.loss_gradients(ws, ws["rows"], ws["target"], ws["weight"])  # logits (A, n_max, p)
        recording = step in rec_set
        train_loss = None
        if recording:  # the loss itself only for the curves
            ce = torch.nn.functional.cross_entropy(logits.reshape(-1, p), ws["y_tr"].reshape(-1), reduction="none")
            train_loss = (ce.reshape(len(active), -1) * ws["w_tr"]).sum(1) / ws["n_train"]
        observe(task, ws, state, active, step, logits, train_loss, step % eval_every == 0, recording)
        part.step(grads)
        progress.update()
        # A member that generalised and trained a quarter as long again (the plateau after t_gen) is retired: its
        # parameters are frozen and it leaves the working set, so the ensemble costs the sum of the members' times.
        gen = state["gen_step"][active]
        done = (gen >= 0) & (step >= gen.double() * (1 + stop_after) + 10) & (step >= int(record_at[0]))
        if done.any():
            opt.write_back(active, part)
            active = active[~done]
            state["active"] = active
            ws, part = working_set(task, data, opt, active)
        state["step"] = step + 1
        # Saved every checkpoint_every steps, and at once when a SIGTERM asks the run to stop (Slurm's time limit or
        # preemption): the rerun resumes from this step.
        stopping = stop_requested()
        if ckpt.path is not None and ((step + 1) % checkpoint_every == 0 or stopping) and step + 1 < steps and len(active):
            opt.write_back(active, part)
            ckpt.save({"state": state, "params": dict(zip(PARAMS, opt.params)), "optimizer": opt.state_dict()})
            if stopping:
                progress.close()
                raise Interrupted(f"stopped by SIGTERM at step {step + 1} of {steps}; state saved to {ckpt.path}")
        if len(active) == 0:
            break
    progress.close()
    if len(active):
        opt.write_back(active, part)
    return step + 1


def top_fraction(spectrum: torch.Tensor, k: int) -> np.ndarray:
    """Share of a spectrum's power in its k largest entries."""
    return spectrum.sort(-1, descending=True).values[:, :k].sum(-1).cpu().numpy()


def key_frequencies(alpha: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """Per member, the smallest set of logit frequencies carrying 90% of the final (a+b-c)-Fourier power of the
    logits, as a boolean mask (M, (p-1)/2); alpha and beta are (M, n_rec, (p-1)/2), the last record the final one."""
    final_power = alpha[:, -1] ** 2 + beta[:, -1] ** 2
    order = np.argsort(-final_power, axis=-1)
    cum = np.cumsum(np.take_along_axis(final_power, order, -1), -1) / final_power.sum(-1, keepdims=True)
    n_keys = (cum < 0.9).sum(-1) + 1
    keys = np.zeros_like(final_power, dtype=bool)
    for m in range(len(keys)):
        keys[m, order[m, : n_keys[m]]] = True
    return keys


def restricted_times(r_loss: np.ndarray, full_val_loss: np.ndarray, rec_steps: np.ndarray, t_gen: np.ndarray,
                     generalized: np.ndarray, steps: int) -> np.ndarray:
    """t_restricted: the first recorded step at which the restricted loss is at most the full model's validation loss
    at t_gen (the loss level at which the model generalises), interpolated on the record grid.  Censored like t_gen: a
    member whose restricted loss never reaches the level (or that never generalises, so that there is no level) gets
    the budget."""
    t_restricted = np.full(len(r_loss), float(steps))
    for m in range(len(r_loss)):
        if not bool(generalized[m]):
            continue
        level = np.interp(float(t_gen[m]), rec_steps, full_val_loss[m])
        hits = np.flatnonzero(r_loss[m] <= level)
        if hits.size:
            t_restricted[m] = rec_steps[hits[0]]
    return t_restricted


def circuit_accuracy(keys: np.ndarray, p: int) -> np.ndarray:
    """Accuracy of the idealised circuit with each member's key frequencies, sum_{k in K} cos(2 pi k (a+b-c)/p), on
    all p^2 pairs and p answers in float64: its argmax must be c = a + b (mod p) on every pair."""
    a_np, b_np = np.repeat(np.arange(p), p), np.tile(np.arange(p), p)
    diff = (a_np[:, None] + b_np[:, None] - np.arange(p)[None, :]) % p  # (p^2, p)
    k_all = np.arange(1, (p - 1) // 2 + 1)
    acc = np.empty(len(keys))
    for m in range(len(keys)):
        ideal = np.cos(2 * np.pi * np.einsum("k,nc->nck", k_all[keys[m]], diff) / p).sum(-1)
        acc[m] = np.mean(ideal.argmax(-1) == (a_np + b_np) % p)
    return acc


def measure(task: Task, params: dict, train_mask: torch.Tensor, data: dict, state: dict, last: int, *, steps: int,
            record_at: np.ndarray, top_k: int) -> dict:
    """Per member (leading axis): event times, final accuracies, spectra, the restricted-loss measures and the curves
    on the record steps reached, from the trained parameters and the state of `last` steps."""
    p = task.p
    with torch.no_grad():
        t_mem = first_step(state["train_acc"][:, :last] >= ACC_LEVEL, last) + 1  # 1-based step counts
        gen_step = state["gen_step"].double()
        generalized = gen_step >= 0
        t_gen = torch.where(generalized, gen_step + 1, torch.full_like(gen_step, math.inf))
        t_gen_c = torch.where(generalized, t_gen, torch.full_like(t_gen, float(steps)))
        final_correct = (task.logits(params).argmax(-1) == task.labels).to(torch.float32)
        final_train = (final_correct * train_mask).sum(1) / data["n_train"]
        final_val = (final_correct * data["val_mask"]).sum(1) / data["n_val"]
        rank_end = rank_spectrum(params["E"], p).double()
        pooled_end = pooled_spectrum(params["E"], p).double()
    rec_steps = record_at[record_at < last] + 1
    n_rec = len(rec_steps)
    stack = {k: torch.stack(v[:n_rec], -1).cpu().double().numpy() for k, v in state["recorded"].items() if v}  # (M, ..., n_rec)
    alpha = np.moveaxis(stack["alpha"], -1, 1)  # (M, n_rec, K)
    beta = np.moveaxis(stack["beta"], -1, 1)
    keys = key_frequencies(alpha, beta)
    r_loss = restricted_loss(alpha, beta, keys[:, None, :], p)  # (M, n_rec)
    t_gen_np = t_gen_c.cpu().numpy()
    t_restricted = restricted_times(r_loss, stack["val_loss"], rec_steps, t_gen.cpu().numpy(), generalized.cpu().numpy(), steps)
    rank_mem, pooled_mem = state["rank_mem"], state["pooled_mem"]
    # An event that did not happen within the budget is censored: its time is reported as the budget (a lower bound),
    # flagged in <metric>__censored so that no check can count it as observed (analysis/comparators.apply_rules).
    gen_censored = ~generalized.cpu().numpy()
    mem_censored = ~torch.isfinite(t_mem).cpu().numpy()
    restricted_censored = gen_censored | (t_restricted >= float(steps))
    out = {
        "t_mem": t_mem.cpu().numpy(),
        "t_mem__censored": mem_censored,
        "t_gen": t_gen_np,
        "t_gen__censored": gen_censored,
        "delay_ratio__censored": gen_censored | mem_censored,
        "t_restricted__censored": restricted_censored,
        "restricted_lead__censored": restricted_censored,
        "generalized": generalized.cpu().numpy(),
        "delay_ratio": t_gen_np / t_mem.cpu().numpy(),
        "val_acc_at_mem": state["val_at_mem"].cpu().numpy(),
        "final_train_acc": final_train.cpu().numpy(),
        "final_val_acc": final_val.cpu().numpy(),
        "unit_top_power_mem": rank_mem[:, 0].cpu().numpy(),
        "unit_top_power_end": rank_end[:, 0].cpu().numpy(),
        "pooled_top_power_mem": top_fraction(pooled_mem, top_k),
        "pooled_top_power_end": top_fraction(pooled_end, top_k),
        "n_key_frequencies": keys.sum(-1),
        "t_restricted": t_restricted,
        "cosine_circuit_accuracy": circuit_accuracy(keys, p),
        "restricted_lead": t_restricted / t_gen_np,
        "unit_rank_spectrum_mem": rank_mem.cpu().numpy(),
        "unit_rank_spectrum_end": rank_end.cpu().numpy(),
        "pooled_spectrum_mem": pooled_mem.cpu().numpy(),
        "pooled_spectrum_end": pooled_end.cpu().numpy(),
        "restricted_loss_curve": r_loss,
    }
    for k in ("train_acc", "val_acc", "train_loss", "val_loss", "weight_norm", "power"):
        out[f"{k}_curve"] = stack[k]
    return {"members": out, "steps": rec_steps.astype(float)}


def run(
    *,
    seed: int,
    device: torch.device | str = "cpu",
    p: int,
    width: int,
    steps: int,
    lr: float,
    n_seeds: int,
    weight_decay: float | list[float] = 1.0,
    train_fraction: float | list[float] = 0.4,
    init_scale: float | list[float] = 1.0,
    activation: str = "relu",
    betas: tuple[float, float] = (0.9, 0.98),
    eps: float = 1e-8,
    n_records: int = 120,
    top_k: int = 8,
    stop_after: float = 0.25,
    checkpoint: str | None = None,
    checkpoint_every: int = 2000,
    eval_every: int = 10,
) -> dict[str, np.ndarray]:
    """Train x -> W2 act(E_a[a] + E_b[b] + b1) + b2, act = x^2 or relu (the MLP on the one-hot concatenation of a and b) to predict
    (a + b) mod p, full batch, cross-entropy, AdamW (decoupled weight decay theta <- theta (1 - lr wd) before each Adam
    step, as torch.optim.AdamW).  At most one of weight_decay, train_fraction, init_scale is a list: that is the grid;
    each grid value is trained with n_seeds seeds.  Seed r fixes the split (a random permutation of the p^2 pairs, the
    first round(f p^2) for training, so smaller fractions are nested in larger ones) and the init (PyTorch's default
    nn.Linear init times init_scale), shared by the members of every grid value: the grid is a paired comparison.

    Per (seed, grid value) it returns the event times t_mem (first step with train accuracy >= 99%), t_gen (validation
    accuracy >= 99%, evaluated every eval_every steps), delay_ratio = t_gen / t_mem, val_acc_at_mem, final accuracies, the
    unit-wise and pooled Fourier concentration of the embedding at t_mem and at the end (see rank_spectrum), the step
    t_restricted at which the logits restricted to the key frequencies reach the validation loss the full model has at
    t_gen, its ratio to t_gen, and the accuracy of the idealised cosine circuit on all pairs; and the curves over the
    log-spaced record steps and the spectra for the figures.  A member counts as trained to the end of the budget
    when it never generalises (t_gen = +inf is then reported as steps, censored, with generalized = 0).  A member is
    retired (frozen, out of the computation) once it has trained stop_after * t_gen steps past t_gen; the run ends when
    every member is retired or the budget is spent.  With ``checkpoint`` the state is saved every checkpoint_every steps
    and a run of the same parameters resumes from it.
    """
    device = torch.device(device)
    given = {"weight_decay": weight_decay, "train_fraction": train_fraction, "init_scale": init_scale}
    grid_name, grid, per_value = check_parameters(p, width, steps, lr, n_seeds, n_records, activation, top_k, given)
    G, R = len(grid), n_seeds
    task = Task.make(p, activation, device)
    train_mask, params = init_members(seed, p, width, per_value["train_fraction"], per_value["init_scale"], R, device)
    data = training_data(task, train_mask)
    wds = per_value["weight_decay"]
    opt = StackedAdam(list(params.values()), lr=lr, betas=betas, eps=eps, weight_decay=[wds[m % G] for m in range(R * G)])
    state = initial_state(R * G, steps, p, device)
    ckpt = Checkpoint(checkpoint, {
        "seed": seed, "p": p, "width": width, "steps": steps, "lr": lr, "n_seeds": n_seeds, "grid": grid,
        "grid_name": grid_name, "wds": wds, "fracs": per_value["train_fraction"], "scales": per_value["init_scale"],
        "betas": list(betas), "eps": eps, "n_records": n_records, "activation": activation, "stop_after": stop_after,
        "eval_every": eval_every})
    saved = ckpt.load(device)
    if saved is not None:  # a checkpoint of another spec is ignored, never mixed in
        state = saved["state"]
        for k in PARAMS:
            params[k].copy_(saved["params"][k])
        opt.load_state_dict(saved["optimizer"])
        note_resume(f"step {state['step']}")
    record_at = np.unique(np.geomspace(1, steps, n_records).round().astype(int)) - 1  # 0-based steps, log-spaced
    last = train(task, data, opt, state, steps=steps, record_at=record_at, eval_every=eval_every, stop_after=stop_after,
                 ckpt=ckpt, checkpoint_every=checkpoint_every, desc=f"grokking[p={p}, {G} {grid_name} x {R} seeds]")
    ckpt.remove()
    result = measure(task, params, train_mask, data, state, last, steps=steps, record_at=record_at, top_k=top_k)

    def grid_shape(x) -> np.ndarray:
        return np.asarray(x, dtype=float).reshape(R, G, *np.shape(x)[1:])

    return {
        grid_name: np.asarray(grid, dtype=float),
        **{k: grid_shape(v) for k, v in result["members"].items()},
        # Curves for the figures: (seeds, grid, steps) on the log-spaced record grid; spectra (seeds, grid, frequency).
        "steps": result["steps"],
        "frequency": np.arange((p + 1) // 2, dtype=float),
        "rank": np.arange(1, (p + 1) // 2 + 1, dtype=float),
        "steps_run": np.asarray(float(last)),
    }
