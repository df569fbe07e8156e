"""Model-wise double descent of a two-layer ReLU network on a noisy linear teacher, all (seed, width) members trained as one ensemble (Belkin, Hsu, Ma & Mandal, PNAS 2019; Nakkiran et al., "Deep double descent", 2019)."""

from __future__ import annotations

import math

import numpy as np
import torch

from experiments.lib.checkpoint import Checkpoint, Interrupted, note_resume, stop_requested
from experiments.lib.common import Progress, generator
from experiments.lib.ensemble import StackedAdam

LAYOUTS = ("packed", "padded")


def n_params(width: int, d: int) -> int:
    """Parameters of x -> a^T relu(W x + b) + c with W of shape (width, d): width*(d + 2) + 1."""
    return width * (d + 2) + 1


def unit_layout(widths: list[int], layout: str) -> tuple[torch.Tensor, torch.Tensor]:
    """The hidden-unit axis of one replicate's ensemble: owner[u] = the member (width index) unit u belongs to, and
    mask[u] = 1 for a real unit, 0 for padding.

    'packed' lays the members' units end to end (length sum(widths), no padding, cost proportional to sum(widths));
    'padded' gives every member max(widths) slots of which the first width are real (length K*max(widths)), i.e.
    hidden weights of shape (K, H_max, d) per replicate with a 0/1 mask.
    """
    if layout == "packed":
        owner = torch.repeat_interleave(torch.arange(len(widths)), torch.tensor(widths))
        return owner, torch.ones(len(owner))
    if layout == "padded":
        h_max = max(widths)
        owner = torch.arange(len(widths)).repeat_interleave(h_max)
        mask = (torch.arange(h_max)[None, :] < torch.tensor(widths)[:, None]).reshape(-1).float()
        return owner, mask
    raise ValueError(f"unknown layout {layout!r}; valid: {', '.join(LAYOUTS)}")


def forward(
    X: torch.Tensor, W: torch.Tensor, b: torch.Tensor, a: torch.Tensor, c: torch.Tensor, mask: torch.Tensor,
    M: torch.Tensor,
) -> torch.Tensor:
    """Outputs (R, m, K) of the K members of each of R replicates on inputs X (R, m, d).

    W: (R, U, d), b and a: (R, 1, U), c: (R, 1, K); mask (U,) zeroes padded units, M (U, K) is the 0/1 matrix of
    unit ownership, so member k computes sum over its units u of a_u relu(w_u . x + b_u) + c_k.
    """
    hidden = torch.relu(torch.baddbmm(b, X, W.transpose(1, 2))) * mask
    return torch.matmul(hidden * a, M) + c


def loss_and_grads(
    X: torch.Tensor, Y: torch.Tensor, W: torch.Tensor, b: torch.Tensor, a: torch.Tensor, c: torch.Tensor,
    mask: torch.Tensor | None, M: torch.Tensor,
) -> tuple[torch.Tensor, list[torch.Tensor]]:
    """Per-member training MSE (R, K) and the gradients of its sum over members wrt [W, b, a, c], by hand (what
    autograd gives for forward(); relu'(0) = 0 as in torch).  mask None means no padded units."""
    n = X.shape[1]
    hidden = torch.baddbmm(b, X, W.transpose(1, 2)).clamp_min_(0)  # (R, n, U)
    if mask is not None:
        hidden.mul_(mask)
    resid = torch.matmul(hidden * a, M).add_(c).sub_(Y)  # (R, n, K)
    per_member = (resid * resid).mean(1)
    g_out = resid.mul_(2.0 / n)
    g_c = g_out.sum(1, keepdim=True)
    g_unit = torch.matmul(g_out, M.t())  # (R, n, U): d loss / d (a_u h_u)
    g_a = (g_unit * hidden).sum(1, keepdim=True)
    g_pre = torch.ops.aten.threshold_backward(g_unit.mul_(a), hidden, 0)  # zero where hidden <= 0, as relu's backward
    g_b = g_pre.sum(1, keepdim=True)
    g_W = torch.bmm(g_pre.transpose(1, 2), X)
    return per_member, [g_W, g_b, g_a, g_c]


def init_params(
    widths: list[int], owner: torch.Tensor, mask: torch.Tensor, d: int, n_rep: int, init_scale: float,
    gens: list[torch.Generator], dtype: torch.dtype, device: torch.device,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """PyTorch's default nn.Linear init (uniform on +-1/sqrt(fan_in)) times init_scale, member by member and replicate
    by replicate from that replicate's generator; padded units are exactly 0."""
    U, K = len(owner), len(widths)
    W = torch.zeros(n_rep, U, d, dtype=dtype, device=device)
    b = torch.zeros(n_rep, 1, U, dtype=dtype, device=device)
    a = torch.zeros(n_rep, 1, U, dtype=dtype, device=device)
    c = torch.zeros(n_rep, 1, K, dtype=dtype, device=device)
    starts = [int(i) for i in torch.searchsorted(owner, torch.arange(K))]
    bound_in = init_scale / math.sqrt(d)

    def unif(g: torch.Generator, shape: tuple[int, ...], bound: float) -> torch.Tensor:
        return (torch.rand(shape, generator=g, dtype=dtype, device=device) * 2 - 1) * bound

    for r, g in enumerate(gens):
        for k, (w, s) in enumerate(zip(widths, starts)):
            bound_out = init_scale / math.sqrt(w)
            W[r, s : s + w] = unif(g, (w, d), bound_in)
            b[r, 0, s : s + w] = unif(g, (w,), bound_in)
            a[r, 0, s : s + w] = unif(g, (w,), bound_out)
            c[r, 0, k] = unif(g, (1,), bound_out)[0]
    assert torch.all(W[:, mask.to(device) == 0] == 0)
    return W, b, a, c


def train_adam(
    X: torch.Tensor, Y: torch.Tensor, params: list[torch.Tensor], owner: torch.Tensor, mask: torch.Tensor, *,
    steps: int, lr: float, decay: float = 1.0, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
    stop_loss: float = 0.0, desc: str = "nn_width", ckpt: Checkpoint | None = None,
) -> None:
    """Full-batch Adam (torch.optim.Adam's arithmetic through the shared StackedAdam, no weight decay) on every
    member's training MSE, in place on params = [W, b, a, c]; step t uses lr * decay**(t-1).

    A (replicate, member) whose training MSE is below stop_loss at the start of a step is frozen from then on (its
    parameters and moments are never updated again).  Members frozen in every replicate are dropped from the working
    tensors, so the cost of a step is proportional to the total width of the members still training.

    With ``ckpt`` a SIGTERM saves the state after the step in progress (parameters, moments, the frozen members) and
    raises Interrupted; a run of the same parameters resumes from it, step for step as an uninterrupted run.
    """
    R, K = params[3].shape[0], params[3].shape[2]
    # A member's units sit on axis 1 of W (R, U, d) and axis 2 of b, a (R, 1, U); its output bias on axis 2 of c.
    opt = StackedAdam(params, lr=lr, betas=betas, eps=eps, member_dims=(1, 2, 2, 2))
    active = torch.ones(R, K, dtype=torch.bool, device=X.device)
    live = torch.arange(K, device=X.device)  # members still training in some replicate

    def gather() -> tuple:
        units = torch.nonzero(torch.isin(owner, live)).squeeze(1)
        remap = torch.full((K,), -1, dtype=torch.long, device=X.device)
        remap[live] = torch.arange(len(live), device=X.device)
        own = remap[owner[units]]
        idx = (units, units, units, live)
        M = torch.nn.functional.one_hot(own, len(live)).to(X.dtype)
        mask_w = None if bool(torch.all(mask[units] == 1)) else mask[units]
        return opt.select(idx), idx, own, mask_w, M

    first = 1
    saved = ckpt.load(X.device) if ckpt is not None else None
    if saved is not None:  # `live` changes only where the working set is compacted: the same set is gathered again
        for full, value in zip(params, saved["params"]):
            full.data.copy_(value)
        opt.load_state_dict(saved["optimizer"])
        active, live, first = saved["active"], saved["live"], saved["step"] + 1
        note_resume(f"step {saved['step']}")
    part, idx, own, mask_w, M_w = gather()
    progress = Progress(steps - first + 1, desc)
    chunk, done = 100, 0
    for t in range(first, steps + 1):
        per_member, grads = loss_and_grads(X, Y, *part.params, mask_w, M_w)  # (R, K_live)
        with torch.no_grad():
            act = active[:, live] & (per_member >= stop_loss)
            active[:, live] = act
            unit_act = act[:, own]
            part.step(grads, lr=lr * decay ** (t - 1),
                      gates=(unit_act[:, :, None], unit_act[:, None, :], unit_act[:, None, :], act[:, None, :]))
            still = act.any(0)
        if t % chunk == 0:
            progress.update(chunk)
            done += chunk
        if ckpt is not None and stop_requested() and t < steps:
            opt.write_back(idx, part)
            ckpt.save({"step": t, "params": [p.detach() for p in params], "optimizer": opt.state_dict(),
                       "active": active, "live": live})
            progress.close()
            raise Interrupted(f"stopped by SIGTERM at step {t} of {steps}; state saved to {ckpt.path}")
        if t % 10 == 0 and not bool(still.all()):  # frozen members are gated meanwhile; compact now and then
            opt.write_back(idx, part)
            live = live[still]
            if len(live) == 0:
                break
            part, idx, own, mask_w, M_w = gather()
    else:
        opt.write_back(idx, part)
    progress.update(steps - done)
    progress.close()


def run(
    *,
    seed: int,
    device: torch.device | str = "cpu",
    d: int,
    n: int,
    widths: list[int],
    noise: float,
    steps: int,
    lr: float,
    n_test: int,
    n_seeds: int,
    init_scale: float = 1.0,
    stop_loss: float = 1e-4,
    lr_final: float | None = None,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    layout: str = "packed",
    dtype: str = "float32",
    checkpoint: str | None = None,
) -> dict[str, np.ndarray]:
    """Train a two-layer ReLU net f(x) = a^T relu(W x + b) + c of every width in `widths` on n samples, n_seeds times.

    Replicate j has its own teacher beta (uniform on the unit sphere), data x ~ N(0, I_d), y = x.beta + N(0, noise^2)
    (noise fraction of the label variance noise^2 / (1 + noise^2)), and its own init.  Every member is trained the same
    way: full-batch Adam on the training MSE for `steps` steps, lr decaying geometrically from lr to lr_final (constant
    when lr_final is None), no weight decay; a member whose training MSE falls below stop_loss is frozen from then on.

    Returns params (K,) = width*(d+2)+1, widths (K,), test_loss (n_seeds, K) = the clean (excess) error
    E[(f(x) - x.beta)^2] on n_test fresh inputs, train_loss (n_seeds, K) = final training MSE on the noisy labels.
    """
    device = torch.device(device)
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; valid: {', '.join(LAYOUTS)}")
    if dtype not in ("float32", "float64"):
        raise ValueError(f"dtype must be float32 or float64, got {dtype!r}")
    for name, value in (("d", d), ("n", n), ("steps", steps), ("n_test", n_test), ("n_seeds", n_seeds)):
        if int(value) != value or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    widths = [int(w) for w in widths]
    if not widths or any(w < 1 for w in widths):
        raise ValueError(f"widths must be a non-empty list of positive integers, got {widths!r}")
    if len(set(widths)) != len(widths):
        raise ValueError(f"widths must be distinct, got {widths!r}")
    if not (noise >= 0 and math.isfinite(noise)):
        raise ValueError(f"noise must be a finite non-negative standard deviation, got {noise!r}")
    if not (lr > 0 and math.isfinite(lr)):
        raise ValueError(f"lr must be positive, got {lr!r}")
    if lr_final is not None and not (0 < lr_final <= lr):
        raise ValueError(f"lr_final must lie in (0, lr], got {lr_final!r}")
    if not init_scale > 0:
        raise ValueError(f"init_scale must be positive, got {init_scale!r}")
    if not stop_loss >= 0:
        raise ValueError(f"stop_loss must be >= 0, got {stop_loss!r}")

    tdtype = getattr(torch, dtype)
    K, R = len(widths), n_seeds
    owner, mask = unit_layout(widths, layout)
    M = torch.nn.functional.one_hot(owner, K).to(dtype=tdtype, device=device)  # (U, K)
    mask = mask.to(dtype=tdtype, device=device)
    owner = owner.to(device)

    # One generator per replicate, seeded from the run seed: teacher and data first, then the init, member by member.
    master = generator(seed, device)
    rep_seeds = torch.randint(0, 2**62, (R,), generator=master, device=device).tolist()
    gens = [torch.Generator(device=device).manual_seed(int(s)) for s in rep_seeds]
    beta = torch.empty(R, d, 1, dtype=tdtype, device=device)
    X = torch.empty(R, n, d, dtype=tdtype, device=device)
    Y = torch.empty(R, n, 1, dtype=tdtype, device=device)
    Xt = torch.empty(R, n_test, d, dtype=tdtype, device=device)
    for r, g in enumerate(gens):
        v = torch.randn(d, 1, generator=g, dtype=tdtype, device=device)
        beta[r] = v / v.norm()
        X[r] = torch.randn(n, d, generator=g, dtype=tdtype, device=device)
        Y[r] = X[r] @ beta[r] + noise * torch.randn(n, 1, generator=g, dtype=tdtype, device=device)
        Xt[r] = torch.randn(n_test, d, generator=g, dtype=tdtype, device=device)
    Yt = torch.bmm(Xt, beta)
    params = list(init_params(widths, owner.cpu(), mask.cpu(), d, R, init_scale, gens, tdtype, device))
    decay = 1.0 if lr_final is None else (lr_final / lr) ** (1.0 / max(steps - 1, 1))
    ckpt = Checkpoint(checkpoint, {"seed": seed, "d": d, "n": n, "widths": widths, "noise": noise, "steps": steps,
                                   "lr": lr, "n_test": n_test, "n_seeds": n_seeds, "init_scale": init_scale,
                                   "stop_loss": stop_loss, "lr_final": lr_final, "betas": list(betas), "eps": eps,
                                   "layout": layout, "dtype": dtype, "device": str(device)})
    train_adam(X, Y, params, owner, mask, steps=steps, lr=lr, decay=decay, betas=betas, eps=eps, stop_loss=stop_loss,
               desc=f"nn_width[{K} widths x {R} seeds]", ckpt=ckpt)
    ckpt.remove()
    with torch.no_grad():
        train = ((forward(X, *params, mask, M) - Y) ** 2).mean(1)
        test = ((forward(Xt, *params, mask, M) - Yt) ** 2).mean(1)
    w = np.asarray(widths, dtype=float)
    return {
        "params": w * (d + 2) + 1,
        "widths": w,  # named like the run parameter: the grid a claim compares on
        "test_loss": test.cpu().double().numpy(),
        "train_loss": train.cpu().double().numpy(),
    }
