"""Stacked-ensemble RNN/GRU/LSTM cells against torch.nn, per-member gradient clipping, the adding-problem data and run()'s output shapes."""

import numpy as np
import pytest
import torch

from experiments import adding
from experiments.lib import cells

pytestmark = pytest.mark.rnn



@pytest.fixture(autouse=True)
def one_thread():
    """Tiny bmm's are slower, and erratic on a loaded machine, with several OpenMP threads."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


MODULES = {"rnn": torch.nn.RNN, "gru": torch.nn.GRU, "lstm": torch.nn.LSTM}


def _member_modules(model, p, e, hidden):
    net = MODULES[model](2, hidden, batch_first=True).double()
    cells.member_into_torch(model, p, e, net)
    head = torch.nn.Linear(hidden, 1).double()
    with torch.no_grad():
        head.weight.copy_(p["out_weight"][e][None])
        head.bias.copy_(p["out_bias"][e][None])
    return net, head


@pytest.mark.parametrize("model", cells.MODELS)
@pytest.mark.parametrize("lengths", [[7, 7, 7], [3, 7, 5, 7, 1]])
def test_stacked_cell_matches_torch(model, lengths):
    ens, batch, hidden = len(lengths), 4, 6
    gen = torch.Generator().manual_seed(3)
    p = cells.init_params(model, ens, 2, hidden, gen, torch.float64)
    x = torch.rand(ens, batch, max(lengths), 2, generator=gen, dtype=torch.float64)
    h = cells.forward(model, p, x, lengths)
    cells.readout(p, h).pow(2).sum().backward()
    for e in range(ens):
        net, head = _member_modules(model, p, e, hidden)
        out, _ = net(x[e, :, : lengths[e]])
        assert torch.allclose(out[:, -1], h[e], rtol=0, atol=1e-10), (model, e)
        head(out[:, -1]).pow(2).sum().backward()
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            assert torch.allclose(getattr(net, f"{name}_l0").grad, p[name].grad[e], rtol=0, atol=1e-10), (model, e, name)
        assert torch.allclose(head.weight.grad[0], p["out_weight"].grad[e], rtol=0, atol=1e-10)
        assert torch.allclose(head.bias.grad[0], p["out_bias"].grad[e], rtol=0, atol=1e-10)


@pytest.mark.parametrize("model", cells.MODELS)
def test_default_init_bounds(model):
    hidden = 16
    p = cells.init_params(model, 3, 2, hidden, torch.Generator().manual_seed(0))
    assert p["weight_hh"].shape == (3, cells.GATES[model] * hidden, hidden)
    for v in p.values():
        assert v.abs().max() <= hidden**-0.5
        if v.numel() >= 100:  # uniform on the whole interval, not a narrower one
            assert v.abs().max() > 0.9 * hidden**-0.5


def test_unknown_model_is_rejected():
    with pytest.raises(ValueError, match="valid: rnn, gru, lstm"):
        cells.check_model("transformer")


def test_clipping_is_per_member():
    gen = torch.Generator().manual_seed(0)
    p = cells.init_params("lstm", 4, 2, 5, gen, torch.float64)
    grads = {k: torch.randn(v.shape, generator=gen, dtype=torch.float64) * 0.01 for k, v in p.items()}
    for k, v in p.items():  # member 2 gets a huge gradient, the others stay below the threshold
        v.grad = grads[k].clone()
        v.grad[2] *= 1e4
    norms = cells.clip_per_member(list(p.values()), 1.0)
    assert norms[2] > 1 and (norms[[0, 1, 3]] < 1).all()
    for k, v in p.items():
        assert torch.equal(v.grad[[0, 1, 3]], grads[k][[0, 1, 3]])
    clipped = torch.sqrt(sum(v.grad[2].pow(2).sum() for v in p.values()))
    assert abs(float(clipped) - 1.0) < 1e-6
    # and the same as torch's clip_grad_norm_ on member 2 alone
    ref = [torch.nn.Parameter(v.detach()[2].clone()) for v in p.values()]
    for r, k in zip(ref, p):
        r.grad = grads[k][2] * 1e4
    torch.nn.utils.clip_grad_norm_(ref, 1.0)
    for r, v in zip(ref, p.values()):
        assert torch.allclose(r.grad, v.grad[2], rtol=1e-12, atol=0)


def test_adding_data():
    gen = torch.Generator().manual_seed(0)
    lengths = torch.tensor([10, 7, 2])
    x, y = adding.adding_batch(gen, lengths, 5000)
    assert x.shape == (3, 5000, 10, 2) and y.shape == (3, 5000)
    marks, values = x[..., 1], x[..., 0]
    assert ((marks == 0) | (marks == 1)).all()
    for e, length in enumerate(lengths.tolist()):
        half = length // 2
        assert (marks[e, :, :half].sum(1) == 1).all() and (marks[e, :, half:length].sum(1) == 1).all()
        assert (marks[e, :, length:] == 0).all() and (values[e, :, length:] == 0).all()
        assert ((values[e, :, :length] >= 0) & (values[e, :, :length] < 1)).all()
    assert torch.allclose(y, (values * marks).sum(2))
    # every position of each half is used
    assert (marks[0, :, :5].sum(0) > 0).all() and (marks[0, :, 5:].sum(0) > 0).all()


def test_constant_predictor_mse_is_one_sixth():
    _, y = adding.adding_batch(torch.Generator().manual_seed(1), torch.tensor([10]), 200_000)
    sq = (1.0 - y.double()) ** 2
    se = float(sq.std()) / np.sqrt(sq.numel())
    assert abs(float(sq.mean()) - 1 / 6) < 3 * se


@pytest.mark.parametrize("model", cells.MODELS)
def test_run_shapes(model):
    kw = dict(device=torch.device("cpu"), model=model, T=[5, 4], hidden=8, steps=20, batch=8, lr=1e-2, clip=1.0)
    out = adding.run(seed=0, n_seeds=3, eval_size=50, eval_every=10, **kw)
    assert set(out) == {"T", "mse", "constant_mse", "steps_to_success", "steps_trained"}
    assert out["T"].shape == (2,) and out["T"].dtype == float
    assert (out["steps_trained"] == 20).all()
    for key in ("mse", "constant_mse", "steps_to_success", "steps_trained"):
        assert out[key].shape == (3, 2)
    assert ((out["steps_to_success"] == 21) | (out["steps_to_success"] % 10 == 0)).all()
    assert np.all(np.abs(out["constant_mse"] - 1 / 6) < 0.1)
    again = adding.run(seed=0, n_seeds=3, eval_size=50, eval_every=10, **kw)
    for key in out:
        np.testing.assert_array_equal(out[key], again[key])


def test_training_stops_only_after_every_member_succeeded(monkeypatch):
    kw = dict(seed=0, device="cpu", model="gru", T=[4], hidden=4, steps=100, batch=4, lr=1e-2, clip=1.0, n_seeds=2,
              eval_size=8, eval_every=10)
    assert (adding.run(stop_after_success=0.5, **kw)["steps_trained"] == 100).all()  # nobody reaches 0.01 in 100 steps
    monkeypatch.setattr(adding, "SUCCESS_MSE", 10.0)  # every member "succeeds" in its first block (step 10)
    out = adding.run(stop_after_success=0.5, **kw)
    assert (out["steps_to_success"] == 10).all() and (out["steps_trained"] == 20).all()  # first block end >= 1.5 x 10
    assert (adding.run(**kw)["steps_trained"] == 100).all()  # no early stop unless asked


def test_each_horizon_stops_on_its_own_and_the_others_train_as_before(monkeypatch):
    """A horizon whose networks have all succeeded stops (and is tested with the weights it stopped with) while the
    others go on; those compute exactly what they would with nobody stopped (same data, same numbers)."""
    monkeypatch.setattr(adding, "SUCCESS_MSE", 0.05)
    kw = dict(seed=1, device="cpu", model="gru", T=[4, 10], hidden=8, steps=300, batch=8, lr=1e-2, clip=1.0, n_seeds=2,
              eval_size=50, eval_every=10)
    out = adding.run(stop_after_success=0.5, **kw)
    short, long_ = out["steps_trained"][0]
    assert short < long_ == 300  # T = 4 stopped early; T = 10 trained to the end
    assert short >= 1.5 * out["steps_to_success"][:, 0].max() and (out["steps_to_success"][:, 0] <= 300).all()
    full = adding.run(stop_after_success=0.0, **kw)
    for key in ("mse", "steps_to_success", "constant_mse"):
        np.testing.assert_array_equal(out[key][:, 1], full[key][:, 1])
    assert not np.array_equal(out["mse"][:, 0], full["mse"][:, 0])  # the stopped horizon was tested as it stopped


def test_a_run_cut_after_a_horizon_stopped_resumes_to_the_identical_result(tmp_path, monkeypatch):
    """The stopped horizons and their frozen weights are part of the checkpoint."""
    from experiments.lib.checkpoint import Interrupted

    monkeypatch.setattr(adding, "SUCCESS_MSE", 0.05)
    kw = dict(seed=1, device="cpu", model="gru", T=[4, 10], hidden=8, steps=300, batch=8, lr=1e-2, clip=1.0, n_seeds=2,
              eval_size=50, eval_every=10, stop_after_success=0.5)
    whole = adding.run(**kw)
    assert whole["steps_trained"][0, 0] < 250 < whole["steps_trained"][0, 1]  # the cut comes after T = 4 stopped
    calls = iter(range(10**6))
    monkeypatch.setattr(adding, "stop_requested", lambda: next(calls) == 249)  # asked once a step: SIGTERM at 250
    path = tmp_path / "checkpoint.pt"
    with pytest.raises(Interrupted, match="step 250"):
        adding.run(checkpoint=str(path), **kw)
    assert path.exists()
    monkeypatch.setattr(adding, "stop_requested", lambda: False)
    resumed = adding.run(checkpoint=str(path), **kw)
    for key in whole:
        np.testing.assert_array_equal(resumed[key], whole[key], err_msg=key)


def test_run_rejects_unknown_model():
    with pytest.raises(ValueError, match="valid"):
        adding.run(seed=0, device="cpu", model="cnn", T=[5], hidden=4, steps=1, batch=2, lr=1e-3, clip=1.0,
                   n_seeds=1, eval_size=4)
