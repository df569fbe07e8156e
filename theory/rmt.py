"""Random-matrix closed forms shared by the families: the Marchenko-Pastur law (density, edges, Stieltjes transform with one sign convention), ridge risk through it (Dobriban & Wager 2018, Thm 2.1; Hastie, Montanari, Rosset & Tibshirani 2022, Thm 5), and the edges of square Gaussian matrices (the circular law's radius with Rider's 2003 finite-n excess, Thm 1)."""

from __future__ import annotations

import sympy as sp


# ---- Marchenko-Pastur: the eigenvalues of X^T X / n for an n x p matrix of iid unit-variance entries, p/n -> gamma --
def mp_edges(gamma: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """The support [(1 - sqrt(gamma))^2, (1 + sqrt(gamma))^2] of the continuous part."""
    return (1 - sp.sqrt(gamma)) ** 2, (1 + sp.sqrt(gamma)) ** 2


def mp_density(x: sp.Expr, gamma: sp.Expr) -> sp.Expr:
    """The density of the continuous part on its support, sqrt((b - x)(x - a)) / (2 pi gamma x); its mass is
    min(1, 1/gamma) (an atom 1 - 1/gamma sits at 0 when gamma > 1)."""
    a, b = mp_edges(gamma)
    return sp.sqrt((b - x) * (x - a)) / (2 * sp.pi * gamma * x)


def mp_stieltjes(z: sp.Expr, gamma: sp.Expr) -> sp.Expr:
    """m(z) = E 1/(lambda - z), the one convention of this project: the root of gamma z m^2 - (1 - gamma - z) m + 1 = 0
    with m(-l) > 0 for l > 0 (so m(-l) = E 1/(lambda + l), the form the ridge risks use)."""
    return (1 - gamma - z - sp.sqrt((1 - gamma - z) ** 2 - 4 * gamma * z)) / (2 * gamma * z)


def ridge_risk(gamma: sp.Expr, lam: sp.Expr, signal: sp.Expr, noise: sp.Expr) -> sp.Expr:
    """Asymptotic excess risk of ridge regression on isotropic features, p/n -> gamma, minimising
    (1/n)||y - X b||^2 + lam ||b||^2, with ||beta||^2 = signal and noise variance noise: with m = m(-lam) and m' its
    derivative there, signal lam^2 m' + noise gamma (m - lam m') (Dobriban & Wager 2018, Thm 2.1)."""
    z = sp.Symbol("z")
    m = mp_stieltjes(z, gamma)
    m_at, dm_at = m.subs(z, -lam), sp.diff(m, z).subs(z, -lam)
    return signal * lam**2 * dm_at + noise * gamma * (m_at - lam * dm_at)


# ---- square Gaussian matrices G/sqrt(n): top singular value and spectral radius --------------------------------------
def square_top_singular_value() -> sp.Expr:
    """lambda1(G/sqrt(n)) -> 2: the square root of the upper Marchenko-Pastur edge at gamma = 1."""
    return sp.sqrt(mp_edges(sp.Integer(1))[1])


def ginibre_log_radius_excess(n: sp.Expr) -> sp.Expr:
    """E log rho(G/sqrt(n)) for an n x n Gaussian G, to leading order: sqrt(g_n/4n) + Euler's gamma / sqrt(4 n g_n) with
    g_n = log(n/2 pi) - 2 log log n (Rider 2003, Thm 1: sqrt(4 n g_n)(rho - 1 - sqrt(g_n/4n)) -> Gumbel, whose mean is
    Euler's gamma); the circular law's radius is 1."""
    g_n = sp.log(n / (2 * sp.pi)) - 2 * sp.log(sp.log(n))
    return sp.sqrt(g_n / (4 * n)) + sp.EulerGamma / sp.sqrt(4 * n * g_n)
