"""Closed forms of the double-descent family (Scaman 2023, Mathematics of Deep Learning slides, 'Overfitting in ML' and 'But... Double descent!'; Dobriban 2019, Notes for Stat 991: Topics in Deep Learning, §7.5): the finite-sample risk of min-norm least squares (Belkin, Hsu & Xu 2020, Thm 1; Breiman & Freedman 1983), its ridgeless limit (Hastie, Montanari, Rosset & Tibshirani 2022, Thm 1), optimally tuned ridge through the Marchenko-Pastur Stieltjes transform (Dobriban & Wager 2018, Thm 2.1), and the limit of gradient descent on least squares, the slides' 'implicit regularization' (Dobriban 2019, §7.5); the run builders a claim shares with its controls."""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from theory import comparisons, rmt
from theory.claim import Family

FAMILY = Family(
    name="dd", title="Double descent: min-norm interpolation, ridge, random features and networks", order=20,
    ids="B1-B7",
    intro=(
        "Scaman's slides show the double-descent curve: the test error of an interpolating model peaks where the number "
        "of parameters equals the number of samples and falls again beyond it, and gradient descent regularises "
        "implicitly. For linear regression the literature gives exact curves: the finite-sample risk of minimum-norm "
        "least squares (Belkin, Hsu & Xu 2020), its proportional limit (Hastie, Montanari, Rosset & Tibshirani 2022), "
        "random-features regression (Mei & Montanari 2022), and the absence of a peak under optimally tuned ridge "
        "(Dobriban & Wager 2018). Each is checked against exact or Rao-Blackwellised Monte Carlo risks; the network "
        "width sweep has no closed form and is checked for its shape only."
    ),
)

# Symbol names equal the experiments' parameter names.
p = sp.Symbol("p", positive=True)  # features used by the learner (the grid of B1)
n = sp.Symbol("n", positive=True)  # samples
D = sp.Symbol("D", positive=True)  # features of the data
r2 = sp.Symbol("r2", positive=True)  # ||beta||^2
comparisons.declare_latex(r2="{r^{2}}")  # a squared norm, not r_2 (braced: it may be raised to a power)
sigma2 = sp.Symbol("sigma2", positive=True)  # noise variance
gamma = sp.Symbol("gamma", positive=True)  # p / n
lam = sp.Symbol("lam", positive=True)  # ridge penalty of (1/n)||y - X b||^2 + lam ||b||^2
n_samples = sp.Symbol("n_samples", positive=True)  # the grid of the sample-wise sweep (B7)


def minnorm_risk(p_: sp.Expr = p, n_: sp.Expr = n, signal_in: sp.Expr | None = None, signal_out: sp.Expr | None = None) -> sp.Expr:
    """E (y - x_T^T beta_hat)^2 for min-norm least squares on the first p of D isotropic Gaussian features, noise
    included (Belkin, Hsu & Xu 2020, Thm 1): infinite for n - 1 <= p <= n + 1.  Default signal: equal-energy
    coefficients, ||beta_T||^2 = r2 p/D and ||beta_(T^c)||^2 = r2 (1 - p/D)."""
    under, over = minnorm_branches(p_, n_, signal_in, signal_out)
    return sp.Piecewise((under, p_ <= n_ - 2), (over, p_ >= n_ + 2), (sp.oo, True))


def minnorm_branches(p_: sp.Expr = p, n_: sp.Expr = n, signal_in: sp.Expr | None = None,
                     signal_out: sp.Expr | None = None) -> tuple[sp.Expr, sp.Expr]:
    """The under- (p <= n - 2) and over-parameterised (p >= n + 2) branches of minnorm_risk."""
    inside = r2 * p_ / D if signal_in is None else signal_in
    outside = r2 * (1 - p_ / D) if signal_out is None else signal_out
    return ((outside + sigma2) * (1 + p_ / (n_ - p_ - 1)),
            inside * (1 - n_ / p_) + (outside + sigma2) * (1 + n_ / (p_ - n_ - 1)))


@lru_cache(maxsize=None)
def full_model_excess_risk(n_: sp.Expr = n) -> sp.Expr:
    """B1 for the full model (D = p, ||beta||^2 = r2), noise removed, in gamma = p/n: the finite-n curve that
    Hastie et al.'s limit approximates (a simplify: B2 and B6 call it when their prediction is written)."""
    p_ = gamma * n_
    return sp.simplify(minnorm_risk(p_, n_, r2, sp.Integer(0)) - sigma2)


def ridgeless_asymptotic_risk() -> sp.Expr:
    """Hastie et al. (2022), Thm 1 (isotropic): sigma2 gamma/(1 - gamma) below 1, r2 (1 - 1/gamma) + sigma2/(gamma - 1) above."""
    return sp.Piecewise((sigma2 * gamma / (1 - gamma), gamma < 1), (r2 * (1 - 1 / gamma) + sigma2 / (gamma - 1), gamma > 1), (sp.oo, True))


@lru_cache(maxsize=None)
def overparameterised_minimiser() -> sp.Expr:
    """gamma* = argmin over gamma > 1 of the ridgeless risk, solved in sympy: sqrt(SNR)/(sqrt(SNR) - 1), SNR = r2/sigma2 > 1."""
    over = r2 * (1 - 1 / gamma) + sigma2 / (gamma - 1)
    roots = [s for s in sp.solve(sp.diff(over, gamma), gamma) if s.subs({r2: 4, sigma2: 1}) > 1]
    return sp.simplify(roots[0])


def ridge_risk() -> sp.Expr:
    """Excess risk of ridge with prior E beta beta^T = (r2/p) I (Dobriban & Wager 2018, Thm 2.1):
    r2 lam^2 m'(-lam) + sigma2 gamma (m(-lam) - lam m'(-lam)), m the Marchenko-Pastur Stieltjes transform."""
    return rmt.ridge_risk(gamma, lam, r2, sigma2)


optimal_lambda = gamma * sigma2 / r2


def optimal_ridge_risk() -> sp.Expr:
    """The ridge risk at lam* = gamma sigma2/r2, where it equals sigma2 gamma m(-lam*)."""
    return ridge_risk().subs(lam, optimal_lambda)


def samplewise_risk() -> sp.Expr:
    """B1 with p fixed (full model, noise included) as a function of the number of samples, below p - 1."""
    return r2 * (1 - n_samples / p) + sigma2 * (1 + n_samples / (p - n_samples - 1))


@lru_cache(maxsize=None)
def samplewise_minimiser() -> sp.Expr:
    """The n at which more data starts to hurt: the root of dR/dn below p - 1, p - 1 - sqrt(sigma2 p (p - 1)/r2)."""
    roots = sp.solve(sp.diff(samplewise_risk(), n_samples), n_samples)
    below = [s for s in roots if (s - (p - 1)).subs({p: 100, sigma2: 1, r2: 1}) < 0]
    return sp.simplify(below[0])


def _discrete_argmin(n_: float, d_: float, r2_: float, sigma2_: float) -> float:
    """argmin over integers p in [n + 2, D] of the finite-sample risk (the over-parameterised branch), by evaluation."""
    risk = sp.lambdify(p, minnorm_branches()[1].subs({n: n_, D: d_, r2: r2_, sigma2: sigma2_}), "mpmath")
    candidates = range(int(n_) + 2, int(d_) + 1)
    return float(min(candidates, key=lambda k: risk(k)))


def overparameterised_argmin_features() -> sp.Expr:
    """The p > n + 1 that minimises B1's risk, as a sympy function of (n, D, r2, sigma2) evaluated over the integers."""
    from sympy.utilities.lambdify import implemented_function

    f = implemented_function(sp.Function("argmin_p"), lambda a, b, c, e: _discrete_argmin(float(a), float(b), float(c), float(e)))
    return f(n, D, r2, sigma2)


# ---- run builders shared by a claim and its controls: the spec carries numbers, never sympy objects ----------------
# Fractions of n for the feature sweep: dense near the pole (n +- 2 for the peak), up to D = 5n.
FEATURE_FRACTIONS = [0.125, 0.25, 0.5, 0.75, 0.85, 0.95, 1.05, 1.15, 1.25, 1.5, 2, 2.5, 3, 3.75, 5]


def features_run(n: int, factor: int = 5) -> dict:
    """The feature sweep of B1 and its control: n samples of D = factor n isotropic features, the learner using the
    first p of them, p over FEATURE_FRACTIONS of n and n +- 2; r2 = 1, sigma2 = 0.25."""
    grid = sorted({max(1, round(f * n)) for f in FEATURE_FRACTIONS} | {n - 2, n + 2})
    return {"features": {"sweep": "features", "n": n, "D": factor * n, "p": grid, "r2": 1.0, "sigma2": 0.25}}


def ratio_run(n: int, ridge: str, gammas: list[float]) -> dict:
    """The proportional sweep of B2, B6 and B6's control: p = gamma n for each gamma, min-norm (ridge "none") or ridge
    at lam* = gamma sigma2/r2 ("optimal"); r2 = 1, sigma2 = 0.25 (SNR 4)."""
    return {"sweep": "ratio", "n": n, "gamma": gammas, "r2": 1.0, "sigma2": 0.25, "ridge": ridge}


# B2 and its near-miss control: |gamma - 1| >= 0.2, where the finite-n mean is finite and close to its formula.
RIDGELESS_GAMMAS = [0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 1.2, 1.3, 1.5, 1.7, 2.0, 2.5, 3.0, 4.0]

# B6 and its control: through the threshold, where optimal ridge has no pole.
OPTIMAL_RIDGE_GAMMAS = [0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.5, 2.0, 3.0, 4.0]


def gd_run(*, n: int = 50, p: int = 500, steps: int = 400, lam: tuple[float, ...] = (1e-7, 1e-6, 1e-5, 1e-4, 1e-3)) -> dict:
    """GD on least squares from theta_0 = c u, c in {0, 1}, and the ridge path at each lam (B5 and its control)."""
    return {"gd": {"n": n, "p": p, "theta0_scale": [0.0, 1.0], "steps": steps, "lam": list(lam)}}
