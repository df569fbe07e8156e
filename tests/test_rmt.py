"""The random-matrix closed forms of theory/rmt.py against numerical integration and sampled matrices: the Marchenko-Pastur density's mass, the Stieltjes transform's sign convention and equation, the square edge."""

import mpmath
import numpy as np
import pytest
import sympy as sp

from theory import rmt

x, z = sp.symbols("x z")


@pytest.mark.parametrize("gamma", [sp.Rational(1, 2), sp.Integer(2)])
def test_density_mass_and_stieltjes_convention(gamma):
    a, b = (float(e) for e in rmt.mp_edges(gamma))
    density = sp.lambdify(x, rmt.mp_density(x, gamma), "mpmath")
    mass = float(mpmath.quad(density, [a, b]))
    assert mass == pytest.approx(min(1.0, 1.0 / float(gamma)), abs=1e-10)
    atom = 1 - mass  # at 0 when gamma > 1
    m = sp.lambdify(z, rmt.mp_stieltjes(z, gamma), "mpmath")
    for lam in (0.3, 1.0, 4.0):
        # m(-lam) = E 1/(lambda + lam) > 0: the project's one sign convention
        direct = float(mpmath.quad(lambda t: density(t) / (t + lam), [a, b])) + atom / lam
        assert float(m(-lam)) == pytest.approx(direct, rel=1e-9) and direct > 0
    m_expr = rmt.mp_stieltjes(z, gamma)
    residual = gamma * z * m_expr**2 - (1 - gamma - z) * m_expr + 1
    assert abs(complex(residual.subs(z, sp.Rational(-7, 10)).evalf(30))) < 1e-25


def test_ridge_risk_at_the_optimal_penalty_is_noise_gamma_m():
    """Dobriban & Wager's identity: at lam* = gamma noise/signal the risk equals noise gamma m(-lam*)."""
    gamma, signal, noise = sp.Rational(3, 2), sp.Integer(1), sp.Rational(1, 4)
    lam = gamma * noise / signal
    risk = rmt.ridge_risk(gamma, lam, signal, noise)
    assert float(risk) == pytest.approx(float(noise * gamma * rmt.mp_stieltjes(-lam, gamma)), rel=1e-12)


def test_square_edges_against_sampled_matrices():
    assert rmt.square_top_singular_value() == 2
    n = 400
    g = np.random.default_rng(0).standard_normal((n, n)) / np.sqrt(n)
    assert np.linalg.norm(g, 2) == pytest.approx(2.0, abs=0.1)
    excess = float(rmt.ginibre_log_radius_excess(sp.Integer(n)))
    assert np.log(np.abs(np.linalg.eigvals(g)).max()) == pytest.approx(excess, abs=0.05)
