"""Oracle and invariance tests of the SGD family: the experiment against exact recursions, the closed forms against sympy (Lelarge, Vie & Scaman 2024, ENS Deep Learning notes, §3.4)."""

import math

import numpy as np
import pytest
import sympy as sp

from experiments import sgd as exp_sgd
from theory import sgd

pytestmark = pytest.mark.sgd


def test_noiseless_sgd_on_the_quadratic_follows_the_exact_recursion():
    T, eta, beta, r0 = [1, 7, 50], [0.3, 0.3, 0.3], 2.0, 3.0
    out = exp_sgd.run(seed=0, objective="quadratic", d=4, beta=beta, theta0_sq=r0, sigma2=0.0, T=T, eta=eta, n_seeds=2)
    for j, horizon in enumerate(T):
        g2 = [beta**2 * r0 * (1 - 0.3 * beta) ** (2 * t) for t in range(horizon)]
        np.testing.assert_allclose(out["A"][:, j], np.mean(g2), rtol=1e-12)
        np.testing.assert_allclose(out["M"][:, j], np.min(g2), rtol=1e-12)


def test_closed_form_average_equals_sympy_summation():
    values = {sgd.beta: sp.Rational(3, 2), sgd.eta: sp.Rational(1, 5), sgd.sigma2: sp.Rational(7, 10), sgd.theta0_sq: 2}
    for horizon in (1, 2, 9, 40):
        direct = sp.summation(sgd.expected_grad_sq.subs(values), (sgd.t, 0, horizon - 1)) / horizon
        closed = sgd.average_grad_sq().subs(values).subs(sgd.T, horizon)
        assert sp.simplify(direct - closed) == 0


def test_expected_grad_sq_matches_monte_carlo_per_step():
    # E||grad||^2 at t = 3 with eta = 0.4, beta = 1, sigma2 = 0.5, ||theta0||^2 = 2, over many seeds.
    out = exp_sgd.run(seed=3, objective="quadratic", d=5, beta=1.0, theta0_sq=2.0, sigma2=0.5, T=[4], eta=[0.4],
                      n_seeds=40000, burn_in=3)
    exact = float(sgd.expected_grad_sq.subs({sgd.beta: 1, sgd.eta: sp.Rational(2, 5), sgd.sigma2: sp.Rational(1, 2),
                                             sgd.theta0_sq: 2, sgd.t: 3}))
    se = out["A"][:, 0].std() / math.sqrt(out["A"].shape[0])
    assert abs(out["A"][:, 0].mean() - exact) < 5 * se


def test_cosine_constants():
    assert sgd.cosine_beta() == 4  # sup |1 - 3 cos| over a period
    x = float(sgd.cosine_minimiser())
    assert abs(x - 3 * math.sin(x)) < 1e-14 and abs(x - 2.2789) < 1e-4
    assert float(sgd.cosine_curvature_at_minimum()) == pytest.approx(1 - 3 * math.cos(x))
    # Delta vanishes at the minimiser and is positive at the local maximum.
    assert float(sgd.delta_cosine().subs({sgd.d: 3, sgd.theta0: sgd.cosine_minimiser()})) == pytest.approx(0, abs=1e-20)
    assert float(sgd.delta_cosine().subs({sgd.d: 3, sgd.theta0: 0})) > 0


def test_step_size_is_continuous_at_the_switch_and_asymptotic_constant():
    vals = {sgd.beta: 1, sgd.Delta: 1, sgd.sigma2: sp.Rational(1, 10)}
    t_star = sgd.t_star().subs(vals)
    assert t_star == 20
    assert sgd.step_size.subs(vals).subs(sgd.T, t_star) == 1
    c = sgd.tuned_asymptotic_constant()
    assert sp.simplify(c**2 - 2 * sgd.beta * sgd.delta_quadratic * sgd.sigma2) == 0
    # The ratio A(T) / sqrt(8 beta Delta sigma^2 / T) quoted in the catalogue for sigma2 = 0.1.
    A = sgd.tuned_average_grad_sq().subs({sgd.beta: 1, sgd.theta0_sq: 2, sgd.sigma2: sp.Rational(1, 10)})
    ratios = [float(A.subs(sgd.T, k * 20) / sp.sqrt(sp.Rational(8, 10) / (k * 20))) for k in (10, 100, 1000)]
    np.testing.assert_allclose(ratios, [0.591, 0.526, 0.508], atol=1e-3)


def test_iterations_from_bound_has_slope_minus_four():
    t_eps = sgd.iterations_from_bound()
    assert sp.limit(sgd.epsilon * sp.diff(t_eps, sgd.epsilon) / t_eps, sgd.epsilon, 0) == -4
    assert sp.limit(t_eps * sgd.epsilon**4, sgd.epsilon, 0) == 8 * sgd.beta * sgd.Delta * sgd.sigma2


@pytest.mark.parametrize("eta,stable", [(0.9, True), (1.1, False)])
def test_noise_floor_threshold_both_sides(eta, stable):
    # beta = 2: the recursion is stable iff eta < 2/beta = 1; past it the run diverges.
    out = exp_sgd.run(seed=0, objective="quadratic", d=3, beta=2.0, theta0_sq=1.0, sigma2=1.0, T=[3000], eta=[eta],
                      n_seeds=4, burn_in=1000)
    if stable:
        floor = float(sgd.noise_floor.subs({sgd.beta: 2, sgd.eta: sp.Float(eta), sgd.sigma2: 1}))
        assert np.all(np.isfinite(out["A"])) and abs(out["A"].mean() / floor - 1) < 0.1
    else:
        assert not np.all(np.isfinite(out["A"])) or out["A"].min() > 1e100


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="valid: quadratic, cosine"):
        exp_sgd.run(seed=0, objective="sphere", d=2, sigma2=0.0, T=[2], eta=[0.1], n_seeds=1)
    with pytest.raises(ValueError, match="equal length"):
        exp_sgd.run(seed=0, objective="quadratic", beta=1.0, theta0_sq=1.0, d=2, sigma2=0.0, T=[2, 3], eta=[0.1], n_seeds=1)
