"""The width ensemble of experiments/nn_width.py against separate torch.nn two-layer ReLU networks."""

import numpy as np
import pytest
import torch

from experiments import nn_width as nw

pytestmark = pytest.mark.dd

D, N = 4, 16


def ensemble(widths, layout, R=2, dtype=torch.float64, seed=0):
    owner, mask = nw.unit_layout(widths, layout)
    gens = [torch.Generator().manual_seed(seed + r) for r in range(R)]
    params = nw.init_params(widths, owner, mask, D, R, 1.0, gens, dtype, torch.device("cpu"))
    M = torch.nn.functional.one_hot(owner, len(widths)).to(dtype)
    g = torch.Generator().manual_seed(seed + 100)
    X = torch.randn(R, N, D, generator=g, dtype=dtype)
    Y = torch.randn(R, N, 1, generator=g, dtype=dtype)
    return owner, mask.to(dtype), M, list(params), X, Y


def member_net(params, owner, mask, r, k, dtype=torch.float64):
    """The unpadded nn.Sequential of member k of replicate r, holding that member's (real) weights."""
    W, b, a, c = params
    units = torch.nonzero((owner == k) & (mask > 0)).squeeze(1)
    net = torch.nn.Sequential(torch.nn.Linear(D, len(units)), torch.nn.ReLU(), torch.nn.Linear(len(units), 1)).to(dtype)
    with torch.no_grad():
        net[0].weight.copy_(W[r, units])
        net[0].bias.copy_(b[r, 0, units])
        net[2].weight.copy_(a[r, 0, units][None, :])
        net[2].bias.copy_(c[r, 0, k : k + 1])
    return net, units


@pytest.mark.parametrize("layout", nw.LAYOUTS)
def test_member_matches_sequential(layout):
    widths = [3, 1, 6]
    owner, mask, M, params, X, Y = ensemble(widths, layout)
    out = nw.forward(X, *params, mask, M)
    per_member, grads = nw.loss_and_grads(X, Y, *params, mask if layout == "padded" else None, M)
    # autograd through forward() agrees with the hand-written gradients
    leaves = [p.clone().requires_grad_(True) for p in params]
    auto = torch.autograd.grad(((nw.forward(X, *leaves, mask, M) - Y) ** 2).mean(1).sum(), leaves)
    for g_hand, g_auto in zip(grads, auto):
        torch.testing.assert_close(g_hand, g_auto, rtol=1e-12, atol=1e-14)
    for r in range(2):
        for k in range(len(widths)):
            net, units = member_net(params, owner, mask, r, k)
            y = net(X[r])
            torch.testing.assert_close(out[r, :, k : k + 1], y, rtol=1e-12, atol=1e-14)
            loss = ((y - Y[r]) ** 2).mean()
            torch.testing.assert_close(per_member[r, k], loss.detach(), rtol=1e-12, atol=1e-14)
            loss.backward()
            torch.testing.assert_close(grads[0][r, units], net[0].weight.grad, rtol=1e-12, atol=1e-14)
            torch.testing.assert_close(grads[1][r, 0, units], net[0].bias.grad, rtol=1e-12, atol=1e-14)
            torch.testing.assert_close(grads[2][r, 0, units], net[2].weight.grad[0], rtol=1e-12, atol=1e-14)
            torch.testing.assert_close(grads[3][r, 0, k : k + 1], net[2].bias.grad, rtol=1e-12, atol=1e-14)
    if layout == "padded":
        pad = mask == 0
        assert pad.any()
        assert torch.all(grads[0][:, pad] == 0)  # W: (R, U, d)
        assert torch.all(grads[1][..., pad] == 0) and torch.all(grads[2][..., pad] == 0)  # b, a: (R, 1, U)


def test_padded_weights_stay_zero_and_adam_matches_torch():
    widths = [2, 5, 3]
    owner, mask, M, params, X, Y = ensemble(widths, "padded")
    start = [p.clone() for p in params]
    nets = [[member_net(params, owner, mask, r, k)[0] for k in range(len(widths))] for r in range(2)]
    nw.train_adam(X, Y, params, owner, mask, steps=25, lr=0.05, stop_loss=0.0)
    pad = mask == 0
    W, b, a, c = params
    assert torch.all(W[:, pad] == 0) and torch.all(b[..., pad] == 0) and torch.all(a[..., pad] == 0)
    assert not torch.equal(W, start[0]) and not torch.equal(a, start[2])
    # each member followed torch.optim.Adam on its own unpadded network
    for r in range(2):
        for k, net in enumerate(nets[r]):
            opt = torch.optim.Adam(net.parameters(), lr=0.05)
            for _ in range(25):
                opt.zero_grad()
                ((net(X[r]) - Y[r]) ** 2).mean().backward()
                opt.step()
            twin, _ = member_net(params, owner, mask, r, k)
            for p, q in zip(net.parameters(), twin.parameters()):
                torch.testing.assert_close(p, q, rtol=1e-9, atol=1e-11)


def test_frozen_member_stops_moving():
    widths = [1, 8]
    owner, mask, M, params, X, Y = ensemble(widths, "packed", R=1)
    first = nw.loss_and_grads(X, Y, *params, None, M)[0]
    stop = float(first[0, 0]) * 2  # member 0 (width 1) starts below stop, member 1 is made to train
    params[3][0, 0, 1] += 10.0
    before = [p.clone() for p in params]
    nw.train_adam(X, Y, params, owner, mask, steps=5, lr=0.05, stop_loss=stop)
    u0 = owner == 0
    assert torch.equal(params[0][:, u0], before[0][:, u0]) and torch.equal(params[3][..., 0], before[3][..., 0])
    assert not torch.equal(params[3][..., 1], before[3][..., 1])


def test_param_count():
    assert nw.n_params(10, 20) == 10 * 22 + 1
    out = nw.run(seed=0, device=torch.device("cpu"), d=5, n=20, widths=[1, 3], noise=0.5, steps=3, lr=1e-2,
                 n_test=10, n_seeds=1)
    np.testing.assert_array_equal(out["params"], [1 * 7 + 1, 3 * 7 + 1])
    np.testing.assert_array_equal(out["widths"], [1, 3])


def test_run_shapes_and_determinism():
    kw = dict(seed=3, device=torch.device("cpu"), d=5, n=30, widths=[1, 4, 9], noise=0.5, steps=40, lr=1e-2,
              n_test=50, n_seeds=2)
    a, b = nw.run(**kw), nw.run(**kw)
    assert a["params"].shape == a["widths"].shape == (3,)
    assert a["test_loss"].shape == a["train_loss"].shape == (2, 3)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])
    assert np.all(np.isfinite(a["test_loss"])) and np.all(a["train_loss"] >= 0)
    c = nw.run(**{**kw, "layout": "padded"})
    np.testing.assert_allclose(c["test_loss"], a["test_loss"], rtol=1e-3)
    assert not np.array_equal(nw.run(**{**kw, "seed": 4})["test_loss"], a["test_loss"])


@pytest.mark.parametrize(
    "bad",
    [{"widths": []}, {"widths": [0, 2]}, {"widths": [2, 2]}, {"noise": -1.0}, {"lr": 0.0}, {"steps": 0},
     {"layout": "dense"}, {"n_seeds": 0}, {"lr_final": 1.0}],
)
def test_run_rejects_bad_input(bad):
    kw = dict(seed=0, device=torch.device("cpu"), d=3, n=10, widths=[1, 2], noise=0.5, steps=2, lr=1e-2, n_test=5,
              n_seeds=1)
    with pytest.raises(ValueError):
        nw.run(**{**kw, **bad})
