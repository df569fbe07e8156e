"""The grokking experiment's parts against independent computations: Fourier projections, unit spectra, its AdamW, the ensemble against single members, checkpoint resume, and the sympy circuit identity."""

import math

import numpy as np
import pytest
import sympy as sp
import torch

from experiments import grokking
from experiments.lib import common
from experiments.lib.ensemble import StackedAdam
from theory import grokking as theory

pytestmark = pytest.mark.grokking
P = 11


def test_logit_fourier_recovers_the_coefficients_and_the_restricted_loss_is_their_cross_entropy():
    rng = np.random.default_rng(0)
    K = (P - 1) // 2
    alpha, beta = rng.normal(size=(2, K)), rng.normal(size=(2, K))
    a, b, _ = grokking.pairs(P, "cpu")
    diff = (a[:, None] + b[:, None] - torch.arange(P)[None, :]).double()  # (p^2, p)
    k = torch.arange(1, K + 1).double()
    phase = 2 * math.pi * k[None, None, :] * diff[None, :, :, None] / P  # (1, p^2, p, K)
    logits = (torch.as_tensor(alpha)[:, None, None, :] * torch.cos(phase)
              + torch.as_tensor(beta)[:, None, None, :] * torch.sin(phase)).sum(-1)
    # A part that does not depend on a+b-c (a per-pair shift and an a-only term) must not leak into the coefficients.
    logits = logits + torch.randn(P * P, 1, dtype=torch.float64) + torch.cos(2 * math.pi * a / P).double()[:, None, None].squeeze(-1)
    al, be = grokking.logit_fourier(logits, P)
    np.testing.assert_allclose(al.numpy(), alpha, atol=1e-12)
    np.testing.assert_allclose(be.numpy(), beta, atol=1e-12)
    keys = np.ones(K, dtype=bool)
    pure = (torch.as_tensor(alpha)[:, None, None, :] * torch.cos(phase) + torch.as_tensor(beta)[:, None, None, :] * torch.sin(phase)).sum(-1)
    labels = (a + b) % P
    ce = torch.nn.functional.cross_entropy(pure.reshape(-1, P), labels.repeat(2), reduction="none").reshape(2, -1).mean(1)
    np.testing.assert_allclose(grokking.restricted_loss(alpha, beta, keys, P), ce.numpy(), rtol=1e-10)


def test_unit_spectra_obey_parseval_and_a_pure_cosine_unit_is_fully_concentrated():
    E = torch.randn(3, 2 * P, 7, dtype=torch.float64)
    power = grokking.unit_spectra(E, P)  # (M, w, K)
    np.testing.assert_allclose(power.sum(-1).numpy(), (P * (E**2).sum(1)).numpy(), rtol=1e-12)
    tokens = torch.arange(P).double()
    unit = torch.cat([torch.cos(2 * math.pi * 3 * tokens / P), torch.sin(2 * math.pi * 3 * tokens / P + 0.4)])
    E1 = unit[None, :, None].repeat(1, 1, 4) * torch.tensor([1.0, 2.0, 0.5, 3.0]).double()
    ranked = grokking.rank_spectrum(E1, P)
    assert ranked[0, 0].item() == pytest.approx(1.0, abs=1e-12)
    pooled = grokking.pooled_spectrum(E1, P)
    assert pooled[0].argmax().item() == 3


def test_the_optimiser_grokking_uses_is_torch_adamw_member_by_member():
    # grokking's configuration of the shared optimiser: float32 members on the leading axis, a weight decay each.
    torch.manual_seed(0)
    lr, wds, betas = 3e-3, [0.5, 2.0], (0.9, 0.98)
    stacked = torch.randn(2, 5, 4)
    singles = [torch.nn.Parameter(stacked[m].clone()) for m in range(2)]
    opts = [torch.optim.AdamW([singles[m]], lr=lr, betas=betas, eps=1e-8, weight_decay=wds[m], foreach=False) for m in range(2)]
    opt = StackedAdam([stacked], lr=lr, betas=betas, eps=1e-8, weight_decay=wds)
    for _ in range(5):
        grads = torch.randn_like(stacked)
        opt.step([grads])
        for m in range(2):
            singles[m].grad = grads[m].clone()
            opts[m].step()
    for m in range(2):
        assert torch.equal(stacked[m], singles[m].detach())


@pytest.mark.parametrize("activation", ["quadratic", "relu"])
def test_the_hand_written_gradient_is_autograds_on_the_two_hot_model(activation):
    """Task.loss_gradients (gathered first layer, backward by hand) against autograd through the two-hot matmul model
    and the weighted cross-entropy, in float64 on members with unequal splits, so that some rows are padding (weight 0);
    and in float32 its logits equal the two-hot matmul's to rounding."""
    p, width = 7, 6
    one_hot = torch.nn.functional.one_hot
    task = grokking.Task.make(p, activation, "cpu")
    train_mask, params32 = grokking.init_members(3, p, width, [0.3, 0.7], [1.0, 2.0], 2, "cpu")
    data = grokking.training_data(task, train_mask)
    a, b, y = data["a_tr"], data["b_tr"], data["y_tr"]
    assert (data["w_tr"] == 0).any() and (data["w_tr"] == 1).any()
    rows = grokking.first_layer_rows(a, b, p)
    x = (one_hot(a, 2 * p) + one_hot(p + b, 2 * p)).double()
    params = {k: v.double() for k, v in params32.items()}
    w_tr, n_train = data["w_tr"].double(), data["n_train"].double()
    logits, grads = task.loss_gradients(params, rows, one_hot(y, p).double(), w_tr / n_train[:, None])
    leaves = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    ref_logits = task.logits(leaves, x)
    ce = torch.nn.functional.cross_entropy(ref_logits.reshape(-1, p), y.reshape(-1), reduction="none").reshape(y.shape)
    ref = torch.autograd.grad(((ce * w_tr).sum(1) / n_train).sum(), [leaves[k] for k in grokking.PARAMS])
    torch.testing.assert_close(logits, ref_logits.detach(), rtol=1e-14, atol=1e-14)
    for name, g, r in zip(grokking.PARAMS, grads, ref):
        assert g.shape == r.shape, name
        torch.testing.assert_close(g, r, rtol=1e-12, atol=1e-14, msg=name)
    positive = (torch.bmm(x, params["E"]) + params["b1"]) > 0
    assert positive.any() and not positive.all()  # the relu's mask is exercised
    w32 = data["w_tr"] / data["n_train"][:, None]
    logits32, _ = task.loss_gradients(params32, rows, one_hot(y, p).float(), w32)
    torch.testing.assert_close(logits32, task.logits(params32, x.float()), rtol=1e-5, atol=1e-6)
    # On all p^2 pairs (evaluation), the first layer's sum is the indexing one's bit for bit.
    E, b1, W2, b2 = (params32[k] for k in grokking.PARAMS)
    indexed = torch.baddbmm(b2, task.act(E[:, task.a] + E[:, p + task.b] + b1), W2)
    assert torch.equal(task.logits(params32), indexed)


SMALL = dict(p=11, width=32, steps=150, lr=1e-2, n_seeds=2, activation="quadratic", train_fraction=0.6, n_records=20, top_k=4)


def test_a_member_trains_the_same_alone_and_in_an_ensemble():
    alone = grokking.run(seed=5, **SMALL, weight_decay=[1.0])
    ensemble = grokking.run(seed=5, **SMALL, weight_decay=[1.0, 3.0])
    np.testing.assert_allclose(ensemble["train_acc_curve"][:, 0], alone["train_acc_curve"][:, 0], atol=1e-6)
    np.testing.assert_allclose(ensemble["train_loss_curve"][:, 0], alone["train_loss_curve"][:, 0], rtol=1e-4)
    np.testing.assert_array_equal(ensemble["t_mem"][:, 0], alone["t_mem"][:, 0])


def test_an_interrupted_run_resumes_from_its_checkpoint_and_ends_as_an_uninterrupted_one(tmp_path, monkeypatch):
    path = tmp_path / "checkpoint.pt"
    whole = grokking.run(seed=2, **SMALL)
    calls = {"n": 0}
    original = common.Progress.update

    def interrupt(self, n=1):
        calls["n"] += 1
        if calls["n"] == 120:
            raise KeyboardInterrupt
        original(self, n)

    monkeypatch.setattr(grokking.Progress, "update", interrupt)
    with pytest.raises(KeyboardInterrupt):
        grokking.run(seed=2, **SMALL, checkpoint=str(path), checkpoint_every=50)
    assert path.exists() and torch.load(path, weights_only=False)["payload"]["state"]["step"] == 100
    monkeypatch.setattr(grokking.Progress, "update", original)
    resumed = grokking.run(seed=2, **SMALL, checkpoint=str(path), checkpoint_every=50)
    assert not path.exists()  # removed once the run is complete
    for key in ("train_loss_curve", "val_acc_curve", "t_mem", "unit_top_power_end"):
        np.testing.assert_allclose(resumed[key], whole[key], rtol=1e-5, atol=1e-7, equal_nan=True)
    # A checkpoint of another spec is ignored rather than mixed in.
    torch.save({"key": "another spec", "step": 140}, path)
    again = grokking.run(seed=2, **SMALL, checkpoint=str(path))
    np.testing.assert_allclose(again["train_loss_curve"], whole["train_loss_curve"], rtol=1e-5)


@pytest.mark.parametrize("bad,match", [
    (dict(p=12), "prime"),
    (dict(weight_decay=[1.0], train_fraction=[0.3, 0.5]), "at most one"),
    (dict(train_fraction=1.2), "train_fraction"),
    (dict(activation="tanh"), "activation"),
    (dict(weight_decay=200.0), "weight_decay"),
])
def test_bad_parameters_are_named(bad, match):
    with pytest.raises(ValueError, match=match):
        grokking.run(seed=0, **{**SMALL, **bad})


def test_the_cosine_circuit_argmax_is_proved_exact_and_fails_for_a_composite_modulus():
    assert theory.product_to_sum_residual() == 0
    for keys in ([1], [3, 7], range(1, 16)):
        proved, gap = theory.argmax_is_exact(31, keys)
        assert proved and float(gap) > 0
    # The smallest gap of the full key set is positive and exact.
    assert float(theory.argmax_is_exact(31, [1])[1]) == pytest.approx(1 - math.cos(2 * math.pi / 31), rel=1e-12)
    with pytest.raises(ValueError, match="prime"):
        theory.argmax_is_exact(15, [1])
    # Why primality matters: mod 15 the frequency 5 has 5 * 3 = 0, a second maximum at m = 3.
    assert sp.simplify(theory.circuit_logit([5], 3, 15) - 1) == 0


def test_time_scale_has_slope_minus_one_in_the_weight_decay():
    from theory.comparisons import substitute, x_symbol
    from theory.kinds.loglog_slope import limiting_slope

    scale = substitute(theory.time_scale(), {"lr": 3e-3}, keep="weight_decay")
    assert limiting_slope(scale, x_symbol(scale, "weight_decay"), sp.oo) == -1


def test_a_member_that_never_generalises_is_censored_and_cannot_pass():
    """A budget far too short to generalise: t_gen is reported at the budget and flagged censored, and a check on it
    (here B9's ordering over the weight decay) is not a pass, whatever the numbers."""
    from analysis import comparators
    from theory import comparisons, registry

    out = grokking.run(seed=1, **{**SMALL, "steps": 30}, weight_decay=[0.5, 1.0])
    assert out["t_gen__censored"].all() and np.all(out["t_gen"] == 30)
    assert out["delay_ratio__censored"].all()
    claim = registry.get("grokking_time_vs_weight_decay")
    check = next(c for c in claim.checks if c.metric == "t_gen")
    pred = comparisons.derive(check, {**SMALL, "weight_decay": [0.5, 1.0]})
    t_gen = out["t_gen"].copy()
    t_gen[:, 1] -= 1  # as if decreasing in lambda: the ordering alone would pass
    result = comparators.compare(pred, {**out, "t_gen": t_gen})
    assert result["censored"] == t_gen.size and result["outcome"] != "pass"
