"""Adam and AdamW on parameters stacked over the members of an ensemble, each member's arithmetic exactly that of torch.optim.Adam / AdamW (foreach=False) on the member alone, with a weight decay per member, a learning rate per step and retired members left untouched (Kingma & Ba 2015, Alg. 1; Loshchilov & Hutter 2019, Alg. 2)."""

from __future__ import annotations

import copy
from collections.abc import Sequence

import torch


class StackedAdam:
    """Adam over tensors whose axis member_dims[i] (the leading one by default) indexes the ensemble members.

    weight_decay is decoupled as in torch.optim.AdamW, theta <- theta (1 - lr wd) before the Adam step: one value, or
    one per member along each parameter's member axis; 0 everywhere is plain torch.optim.Adam.  Every member shares the
    step count, hence the bias corrections: a member leaves for good, it never rejoins.  Members are retired either by
    `gates` in step() (kept in the tensors, their parameters and moments left as they are) or by training a working set
    from select() and writing it back with write_back() (out of the computation).

    The operations, their order and their scalars are those of torch.optim.adam._single_tensor_adam, so that on the
    same device each member's parameters and moments equal torch.optim's bit for bit; the tests check it with
    torch.equal.
    """

    def __init__(
        self, params: Sequence[torch.Tensor], *, lr: float, betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8, weight_decay: float | Sequence[float] | torch.Tensor = 0.0,
        member_dims: int | Sequence[int] = 0,
    ):
        self.params = list(params)
        dims = [member_dims] * len(self.params) if isinstance(member_dims, int) else [int(d) for d in member_dims]
        if len(dims) != len(self.params):
            raise ValueError(f"member_dims has {len(dims)} entries for {len(self.params)} parameters")
        if not (lr > 0 and 0 <= betas[0] < 1 and 0 <= betas[1] < 1 and eps >= 0):
            raise ValueError(f"need lr > 0, betas in [0, 1) and eps >= 0, got lr={lr}, betas={betas}, eps={eps}")
        self.member_dims = dims
        self.lr, self.betas, self.eps = float(lr), (float(betas[0]), float(betas[1])), float(eps)
        self.weight_decay = [_per_member(weight_decay, p.shape[d]) for p, d in zip(self.params, dims)]
        self.exp_avg = [torch.zeros_like(p, memory_format=torch.preserve_format).detach() for p in self.params]
        self.exp_avg_sq = [torch.zeros_like(p, memory_format=torch.preserve_format).detach() for p in self.params]
        self.count = 0  # steps taken, torch.optim's state["step"]
        self._factors: tuple[float, list] | None = None  # (lr, 1 - lr wd per parameter), rebuilt when lr changes

    def member_gates(self, active: torch.Tensor) -> list[torch.Tensor]:
        """Gates for step() from a boolean (members,) mask: each parameter's member axis carries it."""
        return [active.view([-1 if k == d else 1 for k in range(p.dim())]) for p, d in zip(self.params, self.member_dims)]

    def _decay_factors(self, lr: float) -> list[torch.Tensor | None]:
        if self._factors is None or self._factors[0] != lr:
            # 1 - lr wd in Python floats, then rounded once to the parameter's dtype: torch.optim's param.mul_(1 - lr * wd)
            factors = []
            for p, d, wd in zip(self.params, self.member_dims, self.weight_decay):
                if wd is None:
                    factors.append(None)
                    continue
                f = torch.tensor([1 - lr * w for w in wd.tolist()], dtype=torch.float64).to(device=p.device, dtype=p.dtype)
                factors.append(f.view([-1 if k == d else 1 for k in range(p.dim())]))
            self._factors = (lr, factors)
        return self._factors[1]

    @torch.no_grad()
    def step(self, grads: Sequence[torch.Tensor], *, lr: float | None = None,
             gates: Sequence[torch.Tensor | None] | None = None) -> None:
        """One step with the gradients `grads` (one per parameter) at learning rate lr (the constructor's when None).

        gates: per parameter None or a boolean tensor broadcastable to it; where False, the parameter and its moments
        keep their values (a retired member).  The update is computed everywhere and selected, so that where True it is
        the ungated arithmetic."""
        lr = self.lr if lr is None else float(lr)
        self.count += 1
        beta1, beta2 = self.betas
        step = float(self.count)
        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        step_size = lr / bias_correction1
        bias_correction2_sqrt = bias_correction2**0.5
        factors = self._decay_factors(lr)
        for i, (param, grad, exp_avg, exp_avg_sq) in enumerate(zip(self.params, grads, self.exp_avg, self.exp_avg_sq)):
            gate = None if gates is None else gates[i]
            if gate is None:
                p, m, v = param, exp_avg, exp_avg_sq
            else:
                p, m, v = param.clone(), exp_avg.clone(), exp_avg_sq.clone()
            if factors[i] is not None:
                p.mul_(factors[i])
            m.lerp_(grad, 1 - beta1)
            v.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            denom = (v.sqrt() / bias_correction2_sqrt).add_(self.eps)
            p.addcdiv_(m, denom, value=-step_size)
            if gate is not None:
                keep = gate if gate.dtype == torch.bool else gate != 0
                for old, new in ((param, p), (exp_avg, m), (exp_avg_sq, v)):
                    old.copy_(torch.where(keep, new, old))

    def _indices(self, index: torch.Tensor | Sequence[torch.Tensor]) -> list[torch.Tensor]:
        return [index] * len(self.params) if isinstance(index, torch.Tensor) else list(index)

    @torch.no_grad()
    def select(self, index: torch.Tensor | Sequence[torch.Tensor]) -> StackedAdam:
        """The optimiser of the members `index` (one index tensor for all parameters or one per parameter, along the
        member axes), on contiguous copies of their parameters and moments: a working set that leaves the others out
        of the computation.  Its parameters are new tensors; make them autograd leaves with requires_grad_()."""
        idx = self._indices(index)
        part = copy.copy(self)
        part.params = [p.detach().index_select(d, i) for p, d, i in zip(self.params, self.member_dims, idx)]
        part.exp_avg = [t.index_select(d, i) for t, d, i in zip(self.exp_avg, self.member_dims, idx)]
        part.exp_avg_sq = [t.index_select(d, i) for t, d, i in zip(self.exp_avg_sq, self.member_dims, idx)]
        part.weight_decay = [None if wd is None else wd[i.cpu()] for wd, i in zip(self.weight_decay, idx)]
        part._factors = None
        return part

    @torch.no_grad()
    def write_back(self, index: torch.Tensor | Sequence[torch.Tensor], part: StackedAdam) -> None:
        """Copy a working set from select(index) back into these tensors, with its step count."""
        for d, i, full, sub in zip(self.member_dims, self._indices(index), self.params, part.params):
            full.index_copy_(d, i, sub.detach())
        for d, i, full, sub in zip(self.member_dims, self._indices(index), self.exp_avg, part.exp_avg):
            full.index_copy_(d, i, sub)
        for d, i, full, sub in zip(self.member_dims, self._indices(index), self.exp_avg_sq, part.exp_avg_sq):
            full.index_copy_(d, i, sub)
        self.count = part.count

    def state_dict(self) -> dict:
        """Step count, hyperparameters and moments (not the parameters, as torch.optim), for a checkpoint."""
        return {"count": self.count, "lr": self.lr, "betas": self.betas, "eps": self.eps,
                "member_dims": list(self.member_dims), "weight_decay": [None if w is None else w.clone() for w in self.weight_decay],
                "exp_avg": [t.clone() for t in self.exp_avg], "exp_avg_sq": [t.clone() for t in self.exp_avg_sq]}

    @torch.no_grad()
    def load_state_dict(self, state: dict) -> None:
        shapes = [tuple(t.shape) for t in state["exp_avg"]]
        if shapes != [tuple(p.shape) for p in self.params]:
            raise ValueError(f"state of parameters shaped {shapes} does not fit {[tuple(p.shape) for p in self.params]}")
        for full, saved in zip(self.exp_avg + self.exp_avg_sq, state["exp_avg"] + state["exp_avg_sq"]):
            full.copy_(saved)
        self.count, self.lr, self.eps = int(state["count"]), float(state["lr"]), float(state["eps"])
        self.betas = tuple(state["betas"])
        self.member_dims = list(state["member_dims"])
        self.weight_decay = [None if w is None else w.clone() for w in state["weight_decay"]]
        self._factors = None


def _per_member(weight_decay, members: int) -> torch.Tensor | None:
    """Weight decays as a float64 CPU vector over the members, None when all are 0 (torch.optim then skips the decay)."""
    wd = torch.as_tensor(weight_decay, dtype=torch.float64).detach().cpu().flatten()
    if wd.numel() == 1:
        wd = wd.expand(members).clone()
    if wd.numel() != members:
        raise ValueError(f"{wd.numel()} weight decays for {members} members")
    if not bool(torch.all(wd >= 0)):
        raise ValueError(f"weight decays must be >= 0, got {wd.tolist()}")
    return None if bool(torch.all(wd == 0)) else wd
