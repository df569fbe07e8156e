"""Oracle tests of the double-descent family: the sympy closed forms against independent derivations and limits, and the least-squares solvers against numpy (Belkin, Hsu & Xu 2020; Hastie et al. 2022; Dobriban & Wager 2018)."""

import numpy as np
import pytest
import sympy as sp
import torch

from experiments import gd_minnorm, least_squares
from experiments.lib import linear_solvers
from theory import dd

pytestmark = pytest.mark.dd


def test_minnorm_risk_branches_and_pole():
    risk = dd.minnorm_risk().subs({dd.n: 40, dd.D: 200, dd.r2: 1, dd.sigma2: sp.Rational(1, 4)})
    assert all(risk.subs(dd.p, k) == sp.oo for k in (39, 40, 41))
    # p <= n - 2: Breiman & Freedman's OLS risk (||beta_Tc||^2 + sigma2)(1 + p/(n - p - 1))
    assert sp.simplify(risk.subs(dd.p, 10) - (sp.Rational(19, 20) + sp.Rational(1, 4)) * (1 + sp.Rational(10, 29))) == 0
    # full model (D = p, all signal inside): noise-free excess risk is r2 (1 - n/p) + sigma2 n/(p - n - 1) above the pole
    excess = dd.full_model_excess_risk().subs({dd.n: 100, dd.r2: 1, dd.sigma2: sp.Rational(1, 4)})
    assert sp.simplify(excess.subs(dd.gamma, 2) - (sp.Rational(1, 2) + sp.Rational(25, 99))) == 0


def test_ridgeless_limit_and_minimiser():
    full = dd.full_model_excess_risk()
    limit = dd.ridgeless_asymptotic_risk()
    for g in (sp.Rational(1, 2), 3):  # the finite-n form approaches the limit like 1/n
        finite = full.subs({dd.gamma: g, dd.r2: 1, dd.sigma2: 1})
        target = float(limit.subs({dd.gamma: g, dd.r2: 1, dd.sigma2: 1}))
        gaps = [abs(float(finite.subs(dd.n, 10**k)) - target) for k in (4, 6)]
        assert gaps[1] < 1e-5 and gaps[1] < gaps[0] / 50
    star = dd.overparameterised_minimiser().subs({dd.r2: 4, dd.sigma2: 1})
    assert star == 2  # sqrt(SNR)/(sqrt(SNR) - 1) at SNR 4
    value = limit.subs({dd.r2: 4, dd.sigma2: 1, dd.gamma: star})
    assert sp.simplify(value - (2 * 2 * 1 - 1)) == 0  # 2 r sigma - sigma^2


def test_optimal_ridge_risk_is_the_minimum_and_monotone():
    risk = dd.ridge_risk().subs({dd.r2: 1, dd.sigma2: sp.Rational(1, 4)})
    for g in (0.3, 1.0, 2.5):
        f = sp.lambdify(dd.lam, risk.subs(dd.gamma, g), "mpmath")
        lam_star = g * 0.25
        assert all(float(f(lam_star)) <= float(f(lam_star * s)) + 1e-15 for s in (0.5, 0.9, 1.1, 2.0))
    best = sp.lambdify(dd.gamma, dd.optimal_ridge_risk().subs({dd.r2: 1, dd.sigma2: sp.Rational(1, 4)}), "mpmath")
    values = [float(best(g)) for g in np.linspace(0.05, 6, 200)]
    assert np.all(np.diff(values) > 0)  # no peak anywhere, the threshold included


def test_samplewise_turning_point():
    star = dd.samplewise_minimiser().subs({dd.p: 100, dd.sigma2: sp.Rational(1, 4), dd.r2: 1})
    slope = sp.diff(dd.samplewise_risk(), dd.n_samples).subs({dd.p: 100, dd.sigma2: sp.Rational(1, 4), dd.r2: 1})
    assert abs(float(slope.subs(dd.n_samples, star))) < 1e-12
    assert float(slope.subs(dd.n_samples, star + 5)) > 0 > float(slope.subs(dd.n_samples, star - 5))


def test_solvers_match_numpy():
    rng = np.random.default_rng(0)
    for shape in ((6, 9), (9, 6), (7, 7)):
        x = rng.standard_normal((3, *shape))
        x[1, :, 1] = x[1, :, 0]  # a rank-deficient design: the Gram route hands it to the SVD, and pinv's cutoff applies
        y = rng.standard_normal((3, shape[0]))
        got = linear_solvers.minnorm_solve(torch.tensor(x), torch.tensor(y)).numpy()
        want = np.stack([np.linalg.pinv(a) @ b for a, b in zip(x, y)])
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
        lam = 0.3
        ridge = linear_solvers.ridge_solve(torch.tensor(x), torch.tensor(y), torch.full((3,), lam, dtype=torch.float64)).numpy()
        want = np.stack([np.linalg.solve(a.T @ a + shape[0] * lam * np.eye(shape[1]), a.T @ b) for a, b in zip(x, y)])
        np.testing.assert_allclose(ridge, want, rtol=1e-10, atol=1e-12)


def test_sweeps_validate_their_grids():
    with pytest.raises(ValueError, match="gamma"):
        least_squares.run(seed=0, sweep="ratio", n=10, gamma=[0.55], r2=1.0, sigma2=1.0, n_seeds=2)
    with pytest.raises(ValueError, match="exceeds D"):
        least_squares.run(seed=0, sweep="features", n=10, p=[5, 30], D=20, r2=1.0, sigma2=1.0, n_seeds=2)
    with pytest.raises(ValueError, match="sweep"):
        least_squares.run(seed=0, sweep="bogus", r2=1.0, sigma2=1.0, n_seeds=2)


def test_gd_reaches_the_predicted_limit():
    out = gd_minnorm.run(seed=1, n=8, p=30, theta0_scale=[0.0, 2.0], steps=600, lam=[1e-6, 1e-4], n_seeds=3)
    assert out["gd_error"].max() < 1e-10
    assert out["minnorm_gap"][:, 0].max() < 1e-10 and out["minnorm_gap"][:, 1].min() > 0.5


def test_risk_given_the_design_is_the_mean_of_the_sampled_risk():
    """The compared risk is the realised one averaged exactly over signal and noise for each design: over many signal
    and noise draws on one fixed design, the realised errors of the min-norm and ridge fits average to it."""
    import torch

    from experiments.lib.linear_solvers import expected_error_given_design, minnorm_solve, ridge_solve

    gen = torch.Generator().manual_seed(3)
    for n, k in ((30, 12), (12, 30)):
        x = torch.randn(1, n, k, generator=gen, dtype=torch.float64).expand(10000, n, k)
        beta = 0.5 * torch.randn(10000, k, generator=gen, dtype=torch.float64)
        y = torch.einsum("snk,sk->sn", x, beta) + 0.7 * torch.randn(10000, n, generator=gen, dtype=torch.float64)
        s = torch.linalg.svdvals(x[:1])
        for fit, n_lam in ((minnorm_solve(x, y), 0.0), (ridge_solve(x, y, torch.full((10000,), 0.3, dtype=torch.float64)),
                                                         torch.tensor([n * 0.3], dtype=torch.float64))):
            realised = (fit - beta).pow(2).sum(1)
            exact = float(expected_error_given_design(s, k, 0.25, 0.49, n_lam)[0])
            assert abs(float(realised.mean()) - exact) < 4 * float(realised.std()) / 100, (n, k, exact)
