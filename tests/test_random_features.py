"""Ridgeless random-features regression (Mei & Montanari, CPAM 2022, Thm 3): the sympy closed form and the experiment's oracles."""

import math

import numpy as np
import pytest
import sympy as sp
import torch

from experiments import random_features as exp_rf
from theory import random_features as rf

pytestmark = pytest.mark.dd

SPOT = {rf.n: 300, rf.d: 100, rf.F1: 1, rf.tau: sp.Rational(1, 2), rf.Fstar: 0}
ARGS = (rf.N, rf.n, rf.d, rf.F1, rf.tau, rf.Fstar)


@pytest.fixture(scope="module")
def risk_mp():
    return sp.lambdify(ARGS, rf.test_error(), modules=["mpmath"])


def test_relu_coefficients_are_the_gaussian_moments():
    c = rf.relu_coefficients()
    assert sp.simplify(c.mu0 - 1 / sp.sqrt(2 * sp.pi)) == 0
    assert c.mu1 == sp.Rational(1, 2)
    assert sp.simplify(c.mu_star**2 - (sp.Rational(1, 4) - 1 / (2 * sp.pi))) == 0
    assert float(c.zeta) == pytest.approx(1.659, abs=5e-4)
    # The experiment's hard-coded constants are these moments.
    assert exp_rf.MU0 == pytest.approx(float(c.mu0), rel=1e-15)
    assert exp_rf.MU1 == float(c.mu1)
    u = rf.u
    he2 = sp.integrate((u**2 - 1) * u * rf.gaussian_density, (u, 0, sp.oo))
    assert exp_rf.HE2_COEFF == pytest.approx(float(he2), rel=1e-15)


@pytest.mark.parametrize("N, expected", [(50, 0.860), (600, 0.503), (3000, 0.152)])
def test_closed_form_reproduces_the_spot_check(risk_mp, N, expected):
    via_subs = float(rf.test_error().subs(SPOT).subs(rf.N, N).evalf())
    via_mpmath = float(risk_mp(N, 300, 100, 1.0, 0.5, 0.0))
    assert round(via_subs, 3) == expected
    assert via_mpmath == pytest.approx(via_subs, rel=1e-12)


def test_risk_diverges_at_the_interpolation_threshold(risk_mp):
    for N in (300 * (1 - 1e-6), 300 * (1 + 1e-6)):
        assert float(risk_mp(N, 300, 100, 1.0, 0.5, 0.0)) > 1e4
    assert float(risk_mp(250, 300, 100, 1.0, 0.5, 0.0)) < 10


def test_kernel_limit_is_the_large_N_risk_and_the_linearised_kernel(risk_mp):
    limit = rf.kernel_limit()
    assert rf.N not in limit.free_symbols
    at = {rf.n: 300, rf.d: 100, rf.F1: 1, rf.tau: 0.5, rf.Fstar: 0.3}
    value = float(limit.subs(at).evalf())
    assert float(risk_mp(1e7, 300, 100, 1.0, 0.5, 0.3)) == pytest.approx(value, rel=1e-3)
    # Independent closed form: linear ridge with lambda = (d/n)/zeta^2, noise tau^2 + Fstar^2, plus Fstar^2.
    gamma = sp.Rational(1, 3)
    ridge = rf.linear_ridge_risk(gamma, gamma / rf.relu_coefficients().zeta ** 2, 1, 0.25 + 0.09) + 0.09
    assert value == pytest.approx(float(ridge), rel=1e-12)


TINY = dict(d=8, n=20, N=[40, 5, 18, 25], F1=1.0, tau=0.3, Fstar=0.0, n_test=0, n_seeds=3)


def test_run_shapes_order_and_determinism():
    a = exp_rf.run(seed=5, device=torch.device("cpu"), **TINY)
    b = exp_rf.run(seed=5, device=torch.device("cpu"), **TINY)
    assert set(a) == {"N", "test_error"}
    assert a["N"].dtype == float and a["N"].tolist() == [40.0, 5.0, 18.0, 25.0]
    assert a["test_error"].shape == (3, 4) and a["test_error"].dtype == np.float64
    np.testing.assert_array_equal(a["test_error"], b["test_error"])
    assert np.all(a["test_error"] > 0)
    c = exp_rf.run(seed=6, device=torch.device("cpu"), **TINY)
    assert not np.array_equal(a["test_error"], c["test_error"])


def test_exact_test_error_equals_monte_carlo_on_fresh_inputs():
    # Same seed: the same fit; the exact expectation over x versus its estimate on fresh inputs (with Fstar > 0).
    params = {**TINY, "Fstar": 0.5}
    exact = exp_rf.run(seed=2, **params)["test_error"]
    mc = exp_rf.run(seed=2, **{**params, "n_test": 40000})["test_error"]
    np.testing.assert_allclose(mc, exact, rtol=0.06)


def test_min_norm_solve_matches_the_pseudo_inverse_near_the_threshold():
    gen = torch.Generator().manual_seed(0)
    z = exp_rf.features(torch.randn(2, 30, 6, generator=gen, dtype=torch.float64),
                        torch.randn(2, 40, 6, generator=gen, dtype=torch.float64) * 1.0)
    y = torch.randn(2, 30, generator=gen, dtype=torch.float64)
    grid = np.array([10, 25, 30, 35, 40])
    A = exp_rf.min_norm_coefficients(z, y, grid)
    for k, m in enumerate(grid):
        ref = (torch.linalg.pinv(z[:, :, :m]) @ y.unsqueeze(-1)).squeeze(-1)
        torch.testing.assert_close(A[:, :m, k], ref, rtol=1e-6, atol=1e-8)
        assert torch.all(A[:, m:, k] == 0)


def test_invalid_parameters_are_rejected():
    with pytest.raises(ValueError, match="Fstar"):
        exp_rf.run(seed=0, **{**TINY, "Fstar": -1.0})
    with pytest.raises(ValueError, match="positive integer"):
        exp_rf.run(seed=0, **{**TINY, "N": [0, 4]})
    with pytest.raises(ValueError, match="n_test"):
        exp_rf.run(seed=0, **{**TINY, "n_test": -3})
