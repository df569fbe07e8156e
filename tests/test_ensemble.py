"""The stacked-ensemble optimiser (experiments/lib/ensemble.py) against torch.optim.Adam / AdamW (foreach=False) run on each member alone, bit for bit, and the checkpoint helper (experiments/lib/checkpoint.py)."""

import pytest
import torch

from experiments.lib.checkpoint import Checkpoint
from experiments.lib.ensemble import StackedAdam

DTYPES = (torch.float32, torch.float64)
# Member shapes with odd sizes: a member's last elements are not at a vector-register boundary of the stacked tensor.
SHAPES = ((7, 5), (3,), (1, 13))
M = 4


def stacked_params(dtype, member_dims=(0, 0, 0), seed=0):
    g = torch.Generator().manual_seed(seed)
    out = []
    for shape, d in zip(SHAPES, member_dims):
        t = torch.randn(M, *shape, generator=g, dtype=dtype)
        out.append(t.movedim(0, d).contiguous())
    return out


def member(t, d, m):
    return t.select(d, m)


def torch_members(params, dims, optimiser, **kw):
    """One torch.optim optimiser per member on copies of its slices."""
    singles = [[torch.nn.Parameter(member(p, d, m).clone()) for p, d in zip(params, dims)] for m in range(M)]
    opts = [optimiser(singles[m], foreach=False, **{k: (v[m] if isinstance(v, list) else v) for k, v in kw.items()})
            for m in range(M)]
    return singles, opts


def torch_step(singles, opts, grads, dims, lr, members):
    for m in members:
        for q, g, d in zip(singles[m], grads, dims):
            q.grad = member(g, d, m).clone()
        for group in opts[m].param_groups:
            group["lr"] = lr
        opts[m].step()


def assert_members_equal(stacked: StackedAdam, singles, opts, members):
    for m in members:
        state = opts[m].state
        for i, (p, d) in enumerate(zip(stacked.params, stacked.member_dims)):
            q = singles[m][i]
            assert torch.equal(member(p, d, m), q.detach()), f"member {m} parameter {i}"
            assert torch.equal(member(stacked.exp_avg[i], d, m), state[q]["exp_avg"])
            assert torch.equal(member(stacked.exp_avg_sq[i], d, m), state[q]["exp_avg_sq"])


def schedule(t):  # geometric, as nn_width's lr * decay**(t - 1)
    return 3e-2 * 0.93 ** (t - 1)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("member_dims", [(0, 0, 0), (1, 1, 2)])
def test_adamw_with_weight_decay_per_member_and_a_schedule_equals_torch_member_by_member(dtype, member_dims):
    params = stacked_params(dtype, member_dims)
    wds = [0.0, 0.5, 1.0, 3.0]  # 0 included: multiplying by 1 - lr * 0 = 1 must change nothing
    singles, opts = torch_members(params, member_dims, torch.optim.AdamW, lr=1.0, betas=(0.9, 0.98), eps=1e-8, weight_decay=wds)
    opt = StackedAdam(params, lr=1.0, betas=(0.9, 0.98), eps=1e-8, weight_decay=wds, member_dims=member_dims)
    g = torch.Generator().manual_seed(1)
    for t in range(1, 31):
        grads = [torch.randn(p.shape, generator=g, dtype=dtype) * 10.0 ** (t % 5 - 2) for p in params]
        opt.step(grads, lr=schedule(t))
        torch_step(singles, opts, grads, member_dims, schedule(t), range(M))
        assert_members_equal(opt, singles, opts, range(M))


@pytest.mark.parametrize("dtype", DTYPES)
def test_adam_without_weight_decay_equals_torch_adam(dtype):
    params = stacked_params(dtype)
    singles, opts = torch_members(params, (0, 0, 0), torch.optim.Adam, lr=1e-2)
    opt = StackedAdam(params, lr=1e-2)
    g = torch.Generator().manual_seed(2)
    for _ in range(20):
        grads = [torch.randn(p.shape, generator=g, dtype=dtype) for p in params]
        opt.step(grads)
        torch_step(singles, opts, grads, (0, 0, 0), 1e-2, range(M))
    assert_members_equal(opt, singles, opts, range(M))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("how", ["gates", "working set"])
def test_a_retired_member_never_changes_and_the_others_go_on_as_torch(dtype, how):
    dims = (0, 0, 0)
    params = stacked_params(dtype)
    wds = [0.1, 0.2, 0.3, 0.4]
    singles, opts = torch_members(params, dims, torch.optim.AdamW, lr=1.0, weight_decay=wds)
    opt = StackedAdam(params, lr=1.0, weight_decay=wds)
    g = torch.Generator().manual_seed(3)
    retired, at = 2, 8
    active = torch.ones(M, dtype=torch.bool)
    keep = torch.tensor([m for m in range(M) if m != retired])
    part = None
    for t in range(1, 21):
        grads = [torch.randn(p.shape, generator=g, dtype=dtype) for p in params]
        if t == at:
            frozen = [member(x, 0, retired).clone() for x in opt.params + opt.exp_avg + opt.exp_avg_sq]
            active[retired] = False
            if how == "working set":
                part = opt.select(keep)
        live = range(M) if t < at else keep.tolist()
        if part is None:
            opt.step(grads, lr=schedule(t), gates=None if t < at else opt.member_gates(active))
        else:  # the working set sees only its members' gradients
            part.step([x[keep] for x in grads], lr=schedule(t))
        torch_step(singles, opts, grads, dims, schedule(t), live)
    if part is not None:
        opt.write_back(keep, part)
    assert_members_equal(opt, singles, opts, keep.tolist())
    after = [member(x, 0, retired) for x in opt.params + opt.exp_avg + opt.exp_avg_sq]
    assert all(torch.equal(a, b) for a, b in zip(after, frozen))


@pytest.mark.parametrize("dtype", DTYPES)
def test_a_working_set_along_other_axes_with_an_index_per_parameter(dtype):
    # nn_width's layout: units on axis 1 of W, axis 2 of b; each unit belongs to a member, selected through its units.
    g = torch.Generator().manual_seed(4)
    W, b = torch.randn(2, 6, 3, generator=g, dtype=dtype), torch.randn(2, 1, 6, generator=g, dtype=dtype)
    opt = StackedAdam([W, b], lr=1e-2, member_dims=(1, 2))
    whole = StackedAdam([W.clone(), b.clone()], lr=1e-2, member_dims=(1, 2))
    units = torch.tensor([0, 2, 3, 5])
    part = opt.select(units)
    for _ in range(5):
        grads = [torch.randn(2, 6, 3, generator=g, dtype=dtype), torch.randn(2, 1, 6, generator=g, dtype=dtype)]
        part.step([grads[0][:, units], grads[1][..., units]])
        whole.step(grads)
    untouched = W[:, [1, 4]].clone()
    opt.write_back(units, part)
    assert torch.equal(W[:, units], whole.params[0][:, units]) and torch.equal(b[..., units], whole.params[1][..., units])
    assert torch.equal(W[:, [1, 4]], untouched) and opt.count == 5


def test_state_dict_resumes_exactly():
    params = stacked_params(torch.float32)
    kw = dict(lr=1.0, weight_decay=[0.1, 0.0, 1.0, 2.0])
    g = torch.Generator().manual_seed(5)
    grads = [[torch.randn(p.shape, generator=g) for p in params] for _ in range(10)]
    through = StackedAdam([p.clone() for p in params], **kw)
    for t, gr in enumerate(grads, 1):
        through.step(gr, lr=schedule(t))
    first = StackedAdam([p.clone() for p in params], **kw)
    for t, gr in enumerate(grads[:4], 1):
        first.step(gr, lr=schedule(t))
    saved = first.state_dict()
    resumed = StackedAdam([p.clone() for p in first.params], lr=0.5)  # hyperparameters and decays come from the state
    resumed.load_state_dict(saved)
    for t, gr in enumerate(grads[4:], 5):
        resumed.step(gr, lr=schedule(t))
    for x, y in zip(through.params + through.exp_avg_sq, resumed.params + resumed.exp_avg_sq):
        assert torch.equal(x, y)
    with pytest.raises(ValueError, match="does not fit"):
        StackedAdam([params[0]], lr=1.0).load_state_dict(saved)


def test_bad_weight_decays_are_named():
    with pytest.raises(ValueError, match="3 weight decays for 4 members"):
        StackedAdam(stacked_params(torch.float32), lr=1.0, weight_decay=[0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match=">= 0"):
        StackedAdam(stacked_params(torch.float32), lr=1.0, weight_decay=-1.0)


def test_checkpoint_round_trip_other_spec_ignored_and_removed(tmp_path):
    path = tmp_path / "checkpoint.pt"
    ckpt = Checkpoint(path, {"seed": 1, "grid": [0.5, 1.0]})
    assert ckpt.load() is None
    ckpt.save({"step": 3, "x": torch.arange(4)})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["checkpoint.pt"]  # no temp file left behind
    assert Checkpoint(path, {"grid": [0.5, 1.0], "seed": 1}).load()["step"] == 3  # key order does not matter
    assert Checkpoint(path, {"seed": 2, "grid": [0.5, 1.0]}).load() is None
    torch.save({"key": ckpt.key, "step": 3}, path)  # an older layout of the same spec: no payload, ignored
    assert ckpt.load() is None
    ckpt.remove()
    assert not path.exists()
    Checkpoint(None, {}).save({"step": 1})  # no path: nothing is written
    assert not path.exists()
