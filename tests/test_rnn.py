"""Oracle tests of the RNN-gradient family: the sympy closed forms against independent derivations, and the experiments' Jacobians against autograd (Dobriban 2019, Stat 991 notes, §3.3.2-3.3.3)."""

import math

import numpy as np
import pytest
import sympy as sp
import torch
from scipy import integrate

from experiments import clipping, lstm_carousel, rnn_jacobian, rnn_linear
from experiments.lib.vanilla_rnn import forward, phi
from theory import rnn

pytestmark = pytest.mark.rnn


def test_gamma_is_the_sup_of_the_derivative():
    assert rnn.gamma("tanh") == 1 and rnn.gamma("sigmoid") == sp.Rational(1, 4)
    assert rnn.critical_lambda1("sigmoid") == 4 and rnn.critical_lambda1("tanh") == 1
    z = np.linspace(-20, 20, 400001)  # a dense grid never exceeds the derived supremum and reaches it at 0
    assert abs(np.max(1 - np.tanh(z) ** 2) - 1) < 1e-12
    s = 1 / (1 + np.exp(-z))
    assert abs(np.max(s * (1 - s)) - 0.25) < 1e-12
    with pytest.raises(ValueError, match="unknown activation"):
        rnn.activation("relu6")


def test_lag_terms_sum_to_the_autograd_gradient_and_the_tail_is_what_early_weights_receive():
    torch.manual_seed(0)
    n, steps, cut = 6, 12, 4
    w = (1.3 * torch.randn(n, n, dtype=torch.float64) / math.sqrt(n)).requires_grad_(True)
    drive = 0.5 * torch.randn(steps, n, dtype=torch.float64)
    a = torch.randn(n, dtype=torch.float64)
    # W used at steps <= T - cut - 1 is "early": its gradient is exactly the lag terms l > cut.
    early = w.detach().clone().requires_grad_(True)
    h = torch.zeros(n, dtype=torch.float64)
    for t in range(steps):
        h = (early if t < steps - cut - 1 else w) @ torch.tanh(h) + drive[t]
    (a @ h).backward()
    states = forward("tanh", w.detach()[None], drive[None])
    _, tails = rnn_jacobian.products_and_tails("tanh", w.detach()[None], states, a[None], {0, cut})
    assert abs(float(tails[cut][0]) - float(torch.linalg.matrix_norm(early.grad))) < 1e-12
    # cut = 0: everything but the last step's immediate term a sigma(h_(T-1))^T
    total = early.grad + w.grad
    last = torch.outer(a, torch.tanh(states[0, steps - 1]))
    assert abs(float(tails[0][0]) - float(torch.linalg.matrix_norm(total - last))) < 1e-12


def test_jacobian_norms_match_autograd():
    torch.manual_seed(1)
    n, steps = 5, 8
    w = 2.0 * torch.randn(1, n, n, dtype=torch.float64) / math.sqrt(n)
    drive = 0.5 * torch.randn(1, steps, n, dtype=torch.float64)
    states = forward("sigmoid", w, drive)
    log_norm, _ = rnn_jacobian.products_and_tails("sigmoid", w, states, torch.ones(1, n, dtype=torch.float64), {1, 3, 7})
    for ell in (1, 3, 7):
        def tail_map(hk):
            for t in range(steps - ell, steps):
                hk = w[0] @ phi("sigmoid", hk) + drive[0, t]
            return hk
        jac = torch.autograd.functional.jacobian(tail_map, states[0, steps - ell])
        assert abs(float(log_norm[ell][0]) - math.log(float(torch.linalg.matrix_norm(jac, ord=2)))) < 1e-12


def test_mean_field_closed_forms():
    assert rnn.critical_gain_without_input("tanh") == 1
    for g in (0.5, 0.9):  # q* = 0 below the edge without input: chi = g^2 phi'(0)^2
        assert rnn.fixed_point_q("tanh", g, 0.0) == 0.0
        assert abs(rnn.chi_value("tanh", g, 0.0) - g**2) < 1e-12
    # the quadrature fixed point against scipy's adaptive integration
    g, s_in = 1.7, 0.5
    q = rnn.fixed_point_q("tanh", g, s_in)
    gauss = lambda f: integrate.quad(lambda z: f(z) * math.exp(-z * z / 2) / math.sqrt(2 * math.pi), -12, 12, epsabs=1e-13)[0]  # noqa: E731
    # 61-point Gauss-Hermite converges slowly for tanh (poles at +-i pi/2 sqrt(q)): 1e-6 on q*, 3e-5 on chi (1.4e-5 on the
    # rate), far below the claims' 0.03.
    assert abs(g**2 * gauss(lambda z: math.tanh(math.sqrt(q) * z) ** 2) + s_in**2 - q) < 1e-5
    # and q* is the fixed point of the sympy statement of the map itself (its Integral evaluated by mpmath)
    assert abs(float(rnn.variance_map("tanh").subs({rnn.g: g, rnn.sigma_in: s_in, rnn.q: q}).evalf(20)) - q) < 1e-5
    chi = g**2 * gauss(lambda z: (1 - math.tanh(math.sqrt(q) * z) ** 2) ** 2)
    assert abs(rnn.chi_value("tanh", g, s_in) - chi) < 1e-4
    assert abs(rnn.chi_value("tanh", rnn.critical_gain("tanh", s_in), s_in) - 1) < 1e-9
    assert abs(rnn.critical_gain("tanh", 0.0, -0.02) - math.exp(-0.02)) < 1e-9


def test_rider_edge_term_is_positive_and_shrinks():
    e = rnn.ginibre_log_radius_excess()
    values = [float(e.subs(rnn.n_units, n)) for n in (500, 1000, 4096, 10**6)]
    assert all(v > 0 for v in values) and values == sorted(values, reverse=True)
    assert abs(values[1] - 0.0257) < 5e-4


def test_linear_rnn_outputs_are_consistent():
    out = rnn_linear.run(seed=0, n=64, g=[0.7, 1.2], fit_from=5, fit_to=40, n_seeds=2)
    assert out["rate"].shape == (2, 2) and np.all(np.isfinite(out["rate"]))
    np.testing.assert_allclose(out["rate_minus_log_rho"], out["rate"] - out["log_rho"])


def test_linear_rnn_spectra_of_the_first_seeds_are_those_of_the_whole_run():
    """n_spectra computes the eigenvalues of the first seeds' matrices only: the same matrices, the same values."""
    whole = rnn_linear.run(seed=3, n=48, g=[0.7, 1.2], fit_from=5, fit_to=30, n_seeds=5)
    part = rnn_linear.run(seed=3, n=48, g=[0.7, 1.2], fit_from=5, fit_to=30, n_seeds=5, n_spectra=2)
    assert part["log_rho"].shape == part["rate_minus_log_rho"].shape == (2, 2)
    for key in ("rate", "top_singular_value"):
        np.testing.assert_array_equal(part[key], whole[key])
    for key in ("log_rho", "rate_minus_log_rho"):
        np.testing.assert_array_equal(part[key], whole[key][:2])
    with pytest.raises(ValueError, match="n_spectra"):
        rnn_linear.run(seed=3, n=8, g=[0.7], fit_from=1, fit_to=3, n_seeds=2, n_spectra=3)


def test_gd_divergence_threshold_and_clipping():
    assert sp.simplify(rnn.gd_divergence_threshold() - sp.sqrt(2 / rnn.eta)) == 0
    assert rnn.adding_constant_mse() == sp.Rational(1, 6)
    assert sp.simplify(rnn.parameter_count("gru") / rnn.parameter_count("lstm")) == sp.Rational(3, 4)
    g = torch.tensor([3.0, 4.0], dtype=torch.float64)
    # torch.nn.utils.clip_grad_norm_ scales by threshold / (norm + 1e-6): the clipped norm is below the threshold by 2e-7 here
    torch.testing.assert_close(clipping.clip_by_norm(g, 1.0), g / (5 + 1e-6), rtol=1e-15, atol=0)
    torch.testing.assert_close(clipping.clip_by_norm(g, 10.0), g, rtol=0, atol=0)


def test_lstm_step_jacobian_matches_autograd_of_torch_lstmcell():
    torch.manual_seed(2)
    H, X = 4, 3
    cell = torch.nn.LSTMCell(X, H).double()
    x, h, c = torch.randn(X, dtype=torch.float64), torch.randn(H, dtype=torch.float64), torch.randn(H, dtype=torch.float64)

    def step(state):
        h1, c1 = cell(x[None], (state[None, :H], state[None, H:]))
        return torch.cat([h1[0], c1[0]])

    expected = torch.autograd.functional.jacobian(step, torch.cat([h, c]))
    z = cell.weight_ih @ x + cell.bias_ih + cell.weight_hh @ h + cell.bias_hh
    c_new = step(torch.cat([h, c]))[H:]
    got = lstm_carousel.lstm_step_jacobian(cell.weight_hh.detach()[None], z.detach()[None], c[None], c_new.detach()[None])[0]
    torch.testing.assert_close(got, expected, rtol=0, atol=1e-12)


def test_lstm_states_match_torch_lstm():
    torch.manual_seed(3)
    H, X, T = 5, 2, 7
    lstm = torch.nn.LSTM(X, H).double()
    xs = torch.randn(T, 1, X, dtype=torch.float64)
    out, (h_last, c_last) = lstm(xs)
    b = (lstm.bias_ih_l0 + lstm.bias_hh_l0).detach()[None]
    _, cs, hs = lstm_carousel.lstm_states(lstm.weight_ih_l0.detach()[None], lstm.weight_hh_l0.detach()[None], b, xs.transpose(0, 1))
    torch.testing.assert_close(hs[0, 1:], out[:, 0].detach(), rtol=0, atol=1e-12)
    torch.testing.assert_close(cs[0, -1], c_last[0, 0].detach(), rtol=0, atol=1e-12)
