"""Ridgeless random-features regression risk of Mei & Montanari, "The generalization error of random features regression" (CPAM 2022), Theorem 3 (lambda -> 0+): the model-size double descent of Scaman 2023, Mathematics of Deep Learning slides, 'But... Double descent!' (claim B3 of the dd family)."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import sympy as sp

from theory import comparisons, rmt

# Symbol names equal the experiment's run parameters.
N = sp.Symbol("N", positive=True)  # number of random features (the grid)
n = sp.Symbol("n", positive=True)  # number of training samples
d = sp.Symbol("d", positive=True)  # input dimension
F1 = sp.Symbol("F1", positive=True)  # norm of the linear part of the target, ||beta_1||
tau = sp.Symbol("tau", positive=True)  # label-noise standard deviation
Fstar = sp.Symbol("Fstar", positive=True)  # E f_NL(x)^2 = Fstar^2 for the nonlinear part of the target
comparisons.declare_latex(Fstar="F_{\\star}")

# The paper's own variables; the public expressions below have psi1 = N/d, psi2 = n/d substituted.
psi1, psi2, psi = sp.symbols("psi1 psi2 psi", positive=True)
zeta_sym, chi_sym = sp.symbols("zeta chi", real=True)

u = sp.Symbol("u", real=True)
gaussian_density = sp.exp(-(u**2) / 2) / sp.sqrt(2 * sp.pi)


class ActivationCoefficients(NamedTuple):
    mu0: sp.Expr  # E max(G, 0): the constant the experiment's centred ReLU subtracts
    mu1: sp.Expr  # E[G sigma(G)]
    mu_star: sp.Expr  # (E sigma(G)^2 - mu0^2 - mu1^2)^(1/2)
    zeta: sp.Expr  # mu1 / mu_star


@lru_cache(maxsize=None)
def relu_coefficients() -> ActivationCoefficients:
    """Gaussian moments of max(u, 0), G ~ N(0, 1), by sympy integration.

    Centring (sigma(u) = max(u, 0) - mu0) sets the mean to 0 and leaves mu1 and mu_star, hence zeta, unchanged.
    """
    relu_positive_part = lambda f: sp.integrate(f * gaussian_density, (u, 0, sp.oo))  # noqa: E731  max(u,0)=u on u>0
    mu0 = sp.simplify(relu_positive_part(u))
    mu1 = sp.simplify(relu_positive_part(u * u))
    second = sp.simplify(relu_positive_part(u**2))
    mu_star = sp.sqrt(sp.simplify(second - mu0**2 - mu1**2))
    return ActivationCoefficients(mu0, mu1, mu_star, sp.simplify(mu1 / mu_star))


# ---- Theorem 3 in the paper's variables (zeta, psi1, psi2; psi = min(psi1, psi2)) ----------------------
chi_of_psi = -((psi * zeta_sym**2 - zeta_sym**2 - 1)
               + sp.sqrt((psi * zeta_sym**2 - zeta_sym**2 - 1) ** 2 + 4 * zeta_sym**2 * psi)) / (2 * zeta_sym**2)

_c, _z = chi_sym, zeta_sym
E0 = (-_c**5 * _z**6 + 3 * _c**4 * _z**4 + (psi1 * psi2 - psi2 - psi1 + 1) * _c**3 * _z**6 - 2 * _c**3 * _z**4
      - 3 * _c**3 * _z**2 + (psi1 + psi2 - 3 * psi1 * psi2 + 1) * _c**2 * _z**4 + 2 * _c**2 * _z**2 + _c**2
      + 3 * psi1 * psi2 * _c * _z**2 - psi1 * psi2)
E1 = psi2 * _c**3 * _z**4 - psi2 * _c**2 * _z**2 + psi1 * psi2 * _c * _z**2 - psi1 * psi2
E2 = (_c**5 * _z**6 - 3 * _c**4 * _z**4 + (psi1 - 1) * _c**3 * _z**6 + 2 * _c**3 * _z**4 + 3 * _c**3 * _z**2
      - (psi1 + 1) * _c**2 * _z**4 - 2 * _c**2 * _z**2 - _c**2)


def _in_paper_variables(expr: sp.Expr, branch: str) -> sp.Expr:
    """expr(chi, zeta, psi1, psi2) with chi = chi(psi) on one branch: psi = psi1 (N <= n) or psi = psi2 (N > n)."""
    chi = chi_of_psi.subs(psi, psi1 if branch == "under" else psi2)
    return expr.subs(chi_sym, chi).subs(zeta_sym, relu_coefficients().zeta)


def _in_run_parameters(expr: sp.Expr) -> sp.Expr:
    return expr.subs({psi1: N / d, psi2: n / d})


def _piecewise(expr: sp.Expr) -> sp.Expr:
    """A Piecewise on N <= n (psi = psi1) versus N > n (psi = psi2): psi = min(psi1, psi2) without Min."""
    under = _in_run_parameters(_in_paper_variables(expr, "under"))
    over = _in_run_parameters(_in_paper_variables(expr, "over"))
    return sp.Piecewise((under, N <= n), (over, True))


@lru_cache(maxsize=None)
def bias() -> sp.Expr:
    """B = E1 / E0 (the coefficient of F1^2 in the risk)."""
    return _piecewise(E1 / E0)


@lru_cache(maxsize=None)
def variance() -> sp.Expr:
    """V = E2 / E0 (the coefficient of tau^2 + Fstar^2 in the risk)."""
    return _piecewise(E2 / E0)


def _risk(b: sp.Expr, v: sp.Expr) -> sp.Expr:
    return F1**2 * b + (tau**2 + Fstar**2) * v + Fstar**2


@lru_cache(maxsize=None)
def test_error() -> sp.Expr:
    """R = F1^2 B + (tau^2 + Fstar^2) V + Fstar^2, the limit of E_x (f*(x) - f_hat(x))^2.

    This is the paper's excess test error: the squared error against the noiseless target on a fresh x.  The label
    noise tau^2 enters only through the training labels (the tau^2 V term); the noise of a test label is not added.
    """
    return _piecewise(_risk(E1 / E0, E2 / E0))


@lru_cache(maxsize=None)
def kernel_limit() -> sp.Expr:
    """lim_{N -> oo} R (psi1 -> oo at fixed psi2): the ridgeless kernel (min-norm interpolation) risk.

    On the branch N > n, chi depends on psi2 only and E0, E1, E2 are affine in psi1, so each ratio tends to the ratio
    of the psi1 coefficients; sympy.limit derives it.  Expressed in n and d (no N).
    """
    b = sp.limit(_in_paper_variables(E1 / E0, "over"), psi1, sp.oo)
    v = sp.limit(_in_paper_variables(E2 / E0, "over"), psi1, sp.oo)
    return _in_run_parameters(_risk(b, v))


def linear_ridge_risk(gamma: sp.Expr, lam: sp.Expr, signal: sp.Expr, noise: sp.Expr) -> sp.Expr:
    """Asymptotic excess risk of ridge regression with isotropic features, d/n -> gamma (Hastie et al. 2022, Thm 5).

    The estimator minimises (1/n)||y - X b||^2 + lam ||b||^2; with m = m(-lam) the Marchenko-Pastur Stieltjes
    transform and m' its derivative, risk = signal lam^2 m' + noise gamma (m - lam m').  Independent check of
    kernel_limit(): the inner-product kernel of the N -> oo features linearises to mu1^2 (X X^T / d + I / zeta^2), so
    ridgeless kernel regression is linear ridge with lam = gamma / zeta^2, noise tau^2 + Fstar^2, plus Fstar^2.
    """
    return rmt.ridge_risk(gamma, lam, signal, noise)
