"""Oracle tests of the ntk family: the Advani-Saxe closed forms against mode-by-mode sums and limits, the Marchenko-Pastur density against the shared random-matrix module, GD against its flow, and the experiments' fixed-design formulas against Monte Carlo (Advani & Saxe 2017; Marchenko & Pastur 1967)."""

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
import torch

from experiments import ntk_advani_saxe, ntk_kernels, ntk_marchenko_pastur, ntk_training
from theory import ntk, rmt

pytestmark = pytest.mark.ntk


@pytest.mark.parametrize("a", [sp.Rational(1, 4), sp.Rational(1, 2), sp.Integer(2), sp.Integer(4)])
def test_density_mass_edges_and_stieltjes_against_the_shared_module(a):
    lo, hi = (float(e) for e in ntk.as_edges(a))
    x = sp.Symbol("x", positive=True)
    # The rescaled shared law is the textbook density of X^T X in Advani-Saxe's normalisation.
    textbook = sp.sqrt((hi - x) * (x - lo)) / (2 * sp.pi * x)
    for v in (lo + 0.1 * (hi - lo), (lo + hi) / 2, hi - 0.05 * (hi - lo)):
        assert float(ntk.as_density(x, a).subs(x, v)) == pytest.approx(float(textbook.subs(x, v)), rel=1e-12)
    density = sp.lambdify(x, ntk.as_density(x, a), "mpmath")
    assert float(mpmath.quad(density, [lo, hi])) == pytest.approx(min(1.0, float(a)), abs=1e-9)  # alpha ^ 1
    # Its Stieltjes transform is the shared one at ratio 1/alpha, rescaled: E 1/(lambda + l) = m(-l/alpha)/alpha.
    atom = max(0.0, 1 - float(a))
    for l in (0.5, 2.0):
        direct = float(mpmath.quad(lambda u: density(u) / (u + l), [lo, hi])) + atom / l
        shared = float(rmt.mp_stieltjes(-sp.Float(l) / a, 1 / a)) / float(a)
        assert direct == pytest.approx(shared, rel=1e-9)


def test_long_time_limits_are_the_double_descent_asymptotes():
    """t -> oo: E_g -> se2 alpha/(alpha - 1) above 1 and (1 - alpha)(sw2 + s02) + se2/(1 - alpha) below, noise included (the integrals of
    rho/lambda are 1/(alpha - 1) and alpha/(1 - alpha)); E_train -> se2 (1 - 1/alpha), and 0 below."""
    args = [ntk.t, ntk.alpha, ntk.eta, ntk.sw2, ntk.s02, ntk.se2]
    f, g = (sp.lambdify(args, e, "mpmath") for e in (ntk.generalization_curve(), ntk.training_curve()))
    for a, eg, et in ((2.0, 0.25 * 2, 0.125), (0.5, 0.5 * 1.09 + 0.25 / 0.5, 0.0)):
        # eta = 0.1 is stable at both ratios; by t = 400 every mode above lambda_- has converged.
        point = [mpmath.mpf(v) for v in (400, a, 0.1, 1, 0.09, 0.25)]
        assert float(f(*point)) == pytest.approx(eg, rel=1e-6)
        assert float(g(*point)) == pytest.approx(et, abs=1e-9)
        assert float(ntk.training_limit().subs({ntk.alpha: a, ntk.se2: 0.25})) == pytest.approx(et, abs=1e-15)


def test_discretisation_bound_is_the_sup_of_the_mode_error():
    """sup_k |exp(-u k) - (1 - u)^k| -> u/(2e) as u -> 0: the first-order term of F1's threshold."""
    for u in (1e-3, 1e-4):
        k = np.arange(1, int(20 / u))
        sup = np.max(np.abs(np.exp(-u * k) - (1 - u) ** k))
        assert sup / (u / (2 * math.e)) == pytest.approx(1, abs=2 * u)
    assert sp.simplify(ntk.discretisation_error_bound().subs(ntk.alpha, 1) - 2 * ntk.eta / sp.E) == 0


def test_gd_against_flow_and_frozen_zero_modes():
    out = ntk_advani_saxe.run(seed=3, sweep="dynamics", N=30, alpha=0.5, eta=[1e-3, 2e-3], T=0.5, sw2=1.0, s02=0.09,
                              se2=0.25, n_seeds=2)
    err = out["rel_error"]
    assert np.all(err < 2e-3) and np.all(err[:, 1] / err[:, 0] == pytest.approx(2, rel=0.02))


def test_fixed_design_formula_against_monte_carlo_and_mode_sum():
    out = ntk_advani_saxe.run(seed=5, sweep="curves", N=20, alpha=0.5, eta=0.2, t=[0.4, 2.0], sw2=1.0, s02=0.09,
                              se2=0.25, n_seeds=2, draws=20000)
    np.testing.assert_allclose(out["eg_mc_ratio"], 1, atol=0.02)
    np.testing.assert_allclose(out["etrain_mc_ratio"], 1, atol=0.03)
    # The fixed-design formula by hand for one spectrum: zeros frozen, noise only on the positive modes.
    lam = torch.tensor([[0.0, 0.5, 2.0]], dtype=torch.float64)
    test, train = ntk_advani_saxe.fixed_design_curves(lam, 2, 0.1, [3], 1.0, 0.0, 0.5)
    d = lambda v: (1 - 0.1 * v) ** 3  # noqa: E731
    expect = (1 + sum(d(v) ** 2 + 0.5 / v * (1 - d(v)) ** 2 for v in (0.5, 2.0))) / 3 + 0.5
    assert float(test) == pytest.approx(expect, rel=1e-12)
    assert float(train) == pytest.approx(sum((v + 0.5) * d(v) ** 2 for v in (0.5, 2.0)) / 2, rel=1e-12)


def test_optimal_stopping_numerics_match_the_sympy_integral():
    f = sp.lambdify([ntk.t], ntk.generalization_curve().subs({ntk.alpha: 2, ntk.eta: sp.Rational(1, 20), ntk.sw2: 2,
                                                                 ntk.s02: 0, ntk.se2: sp.Rational(1, 4)}), "mpmath")
    times = [0.3, 1.0, 4.0]
    np.testing.assert_allclose(ntk.mp_generalization_numeric(times, 2.0, 0.05, 0.0, 0.25, 2.0), [float(f(v)) for v in times], rtol=1e-10)
    star = ntk._argmin_time(2.0, 0.05, 0.0, 0.25, 8.0, 20.0)
    assert all(float(f(star)) <= float(f(star * s)) for s in (0.95, 1.05))


def test_spectrum_zeros_are_thresholded_and_the_cdf_is_exact_at_the_atom():
    out = ntk_marchenko_pastur.run(seed=1, sweep="edges", N=40, alpha=[0.25, 2.0], n_seeds=3)
    np.testing.assert_array_equal(out["zero_fraction"], [[0.75, 0.0]] * 3)
    cdf = sp.lambdify([ntk.x_cdf], ntk.mp_cdf().subs(ntk.alpha, sp.Rational(1, 4)), "mpmath")
    assert float(cdf(0.1)) == pytest.approx(0.75) and float(cdf(10)) == pytest.approx(1.0, abs=1e-12)
    assert float(ntk.top_eigenvalue_mean().subs({ntk.alpha: 2, ntk.N: 10**6})) == pytest.approx(float(ntk.as_edges()[1].subs(ntk.alpha, 2)), rel=1e-3)


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_one_pass_ntk_equals_the_jacobian_gram(depth):
    """The kernel from one backward pass, sum_h (delta_h delta_h^T) * (g_(h-1) g_(h-1)^T), against torch.func Jacobians."""
    gen = torch.Generator().manual_seed(depth)
    x = ntk_kernels.unit_inputs([0.3, -0.5, 0.9], 3, "cpu")
    weights = ntk_kernels.init(gen, 1, 3, 7, depth, "cpu")
    theta, gram = ntk_kernels.kernels(weights, x)

    def f(params, inputs):
        h = inputs.T
        for w in params[:-1]:
            h = math.sqrt(2 / w.shape[0]) * torch.relu(w @ h)
        return (params[-1] @ h)[0], h

    params = [w[0] for w in weights]
    jac = torch.func.jacrev(lambda p: f(p, x)[0])(params)
    flat = torch.cat([j.reshape(x.shape[0], -1) for j in jac], 1)
    torch.testing.assert_close(theta[0], flat @ flat.T, rtol=0, atol=1e-13)
    last = f(params, x)[1]
    torch.testing.assert_close(gram[0], last.T @ last, rtol=0, atol=1e-13)


def test_arccos_kernels_against_monte_carlo_and_known_values():
    rng = np.random.default_rng(0)
    u, z = rng.standard_normal((2, 2_000_000))
    for c in (-0.5, 0.3, 0.8):
        v = c * u + math.sqrt(1 - c * c) * z
        assert 2 * np.mean(np.maximum(u, 0) * np.maximum(v, 0)) == pytest.approx(float(ntk.arccos1(sp.Float(c))), abs=3e-3)
        assert 2 * np.mean((u > 0) & (v > 0)) == pytest.approx(float(ntk.arccos0(sp.Float(c))), abs=3e-3)
    # Unit diagonal at every depth (c_sigma = 2), NTK(1, 1) = depth + 1, and the catalogue's two-layer form is half.
    for L in (1, 2, 5):
        assert ntk.nngp_kernel(L).subs(ntk.rho, 1) == 1 and ntk.ntk_kernel(L).subs(ntk.rho, 1) == L + 1
    theta = sp.acos(ntk.rho)
    two_layer = ntk.rho * (sp.pi - theta) / (2 * sp.pi) + (sp.sin(theta) + (sp.pi - theta) * sp.cos(theta)) / (2 * sp.pi)
    for r in (0.1, 0.7):
        assert float(ntk.ntk_kernel(1, c_sigma=1).subs(ntk.rho, r)) == pytest.approx(float(two_layer.subs(ntk.rho, r)), rel=1e-12)
        assert float(ntk.ntk_kernel(1).subs(ntk.rho, r)) == pytest.approx(2 * float(two_layer.subs(ntk.rho, r)), rel=1e-12)


def test_kurtosis_is_fifteen_over_m_and_the_estimator_finds_it():
    assert ntk.two_layer_output_kurtosis() == 15 / ntk.m
    out = ntk_kernels.run(seed=2, sweep="kurtosis", n_seeds=2, m=[4], draws=200000)
    assert out["kurtosis"].mean() == pytest.approx(15 / 4, rel=0.03)


def _one_hidden_layer(gen, S, m, d):
    w = torch.randn(S, m, d, generator=gen, dtype=torch.float64)
    a = torch.randn(S, m, generator=gen, dtype=torch.float64)
    return w, a


def test_training_kernel_and_gradients_against_autograd():
    """F17/F19's closed-form empirical NTK against the torch.func Jacobian Gram, and one hand-written GD step against
    autograd's gradient of (1/2n)||f - y||^2; the torch analytic kernel against theory.ntk.ntk_kernel(1)."""
    gen = torch.Generator().manual_seed(11)
    S, m, n, d = 2, 9, 5, 4
    w, a = _one_hidden_layer(gen, S, m, d)
    x = ntk_training.sphere(gen, S, n, d, device="cpu")
    y = torch.randn(S, n, generator=gen, dtype=torch.float64)
    theta = ntk_training.empirical_ntk(w, a, x)
    for s in range(S):
        jac = torch.func.jacrev(lambda p: ntk_training.forward(p[0][None], p[1][None], x[s:s + 1])[0])((w[s], a[s]))
        flat = torch.cat([j.reshape(n, -1) for j in jac], 1)
        torch.testing.assert_close(theta[s], flat @ flat.T, rtol=0, atol=1e-13)
    params = [w.clone().requires_grad_(), a.clone().requires_grad_()]
    loss = (ntk_training.forward(*params, x) - y).pow(2).sum() / (2 * n)  # the seeds' losses are independent
    loss.backward()
    w1, a1 = w.clone(), a.clone()
    ntk_training.train(w1, a1, x, y, 0.3, 1)
    torch.testing.assert_close(w1, w - 0.3 * params[0].grad, rtol=0, atol=1e-14)
    torch.testing.assert_close(a1, a - 0.3 * params[1].grad, rtol=0, atol=1e-14)
    rho = torch.tensor([[[1.0, 0.0, 0.0]]], dtype=torch.float64)
    for r in (-0.6, 0.0, 0.4, 0.95):
        z = torch.tensor([[[r, math.sqrt(1 - r * r), 0.0]]], dtype=torch.float64)
        assert float(ntk_training.analytic_ntk(rho, z)) == pytest.approx(float(ntk.ntk_kernel(1).subs(ntk.rho, r)), rel=1e-12)


def test_matrix_power_formula_is_gd_on_the_linearised_model():
    """kernel_regression's eigenbasis formula against explicit GD iterations f <- f - (eta/n) Theta(., X)(f(X) - y) from
    f = 0, on the training and the test points, with a nearly singular kernel (the finite-t formula stays bounded where
    the ridgeless one does not)."""
    gen = torch.Generator().manual_seed(5)
    n, k, steps, eta = 12, 4, 37, 1.5
    x = ntk_training.sphere(gen, 1, n, 3, device="cpu")
    x[0, -1] = x[0, 0] + 1e-4 * x[0, 1]  # two nearly equal inputs: an eigenvalue of Theta near 0
    x = x / torch.linalg.vector_norm(x, dim=-1, keepdim=True)
    xt = ntk_training.sphere(gen, 1, k, 3, device="cpu")
    y = torch.randn(1, n, generator=gen, dtype=torch.float64)
    theta, cross = ntk_training.analytic_ntk(x, x), ntk_training.analytic_ntk(xt, x)
    train, test, _ = ntk_training.kernel_regression(theta, cross, y, eta, steps)
    f, g = torch.zeros(n, dtype=torch.float64), torch.zeros(k, dtype=torch.float64)
    for _ in range(steps):
        r = f - y[0]
        f, g = f - eta / n * theta[0] @ r, g - eta / n * cross[0] @ r
    torch.testing.assert_close(train[0], f, rtol=0, atol=1e-11)
    torch.testing.assert_close(test[0], g, rtol=0, atol=1e-9)


def test_training_run_antisymmetric_start_and_lazy_shrinkage():
    """A tiny run: the antisymmetric start gives f_0 = 0 (to rounding), and everything measured shrinks from width 16 to 512."""
    gen = torch.Generator().manual_seed(2)
    half, a_half = _one_hidden_layer(gen, 3, 8, 4)
    x = ntk_training.sphere(gen, 3, 6, 4, device="cpu")
    f0 = ntk_training.forward(torch.cat([half, half], 1), torch.cat([a_half, -a_half], 1), x)
    torch.testing.assert_close(f0, torch.zeros(3, 6, dtype=torch.float64), rtol=0, atol=1e-14)  # zero up to summation order
    out = ntk_training.run(seed=4, n_seeds=4, m=[16, 512], n=8, n_test=8, d=4, steps=20, eta=1.0)
    for key in ("kernel_change", "weight_change", "distance"):
        assert out[key].mean(0)[1] < out[key].mean(0)[0] / 2
