"""Closed forms of the SGD stationary-point family: the bound of the non-convex SGD theorem (Lelarge, Vie & Scaman 2024, ENS Deep Learning notes, §3.4; Ghadimi & Lan 2013, Thm 2.1) and the exact isotropic-quadratic instance."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import sympy as sp

from theory.claim import Family

FAMILY = Family(
    name="sgd", title="SGD stationary-point rates and non-convex optimisation", order=10, ids="A1-A4",
    intro=(
        "Lelarge, Vie & Scaman's notes (§3.4) state that SGD on a $\\beta$-smooth, possibly non-convex loss with a step "
        "tuned to the horizon $T$ reaches $\\min_t \\mathbb{E}\\|\\nabla\\mathcal{L}\\|^2 = O(1/\\sqrt{T})$, that is an "
        "$\\varepsilon$-stationary point in $O(\\varepsilon^{-4})$ steps, against $O(\\varepsilon^{-2})$ for noiseless GD, "
        "and that a constant step stalls at a noise floor. The literature proves the rates as upper bounds (Ghadimi & "
        "Lan 2013; Nesterov 2004) and shows them unimprovable over the class (Carmon et al. 2020; Arjevani et al. "
        "2023). The experiments compute the exact expected squared gradient norm on quadratics, where the bounds must "
        "hold and the rates and the floor have closed forms."
    ),
)

# Symbol names equal the experiment's parameter and metric names.
T = sp.Symbol("T", positive=True)  # horizon: number of SGD iterates averaged
t = sp.Symbol("t", integer=True, nonnegative=True)
eta = sp.Symbol("eta", positive=True)  # step size
beta = sp.Symbol("beta", positive=True)  # smoothness constant
Delta = sp.Symbol("Delta", positive=True)  # L(theta_0) - inf L
sigma2 = sp.Symbol("sigma2", positive=True)  # total variance E||noise||^2
theta0_sq = sp.Symbol("theta0_sq", positive=True)  # ||theta_0||^2 on the quadratic
theta0 = sp.Symbol("theta0", real=True)  # per-coordinate start on the cosine objective
d = sp.Symbol("d", positive=True, integer=True)
epsilon = sp.Symbol("epsilon", positive=True)
theta = sp.Symbol("theta", real=True)

# ---- the theorem -------------------------------------------------------------------------
step_size = sp.Min(1 / beta, sp.sqrt(2 * Delta / (T * beta * sigma2)))
step_size_noise_branch = sp.sqrt(2 * Delta / (T * beta * sigma2))
# B(T): the right-hand side of the theorem, from 2Delta/(eta T) + beta eta sigma^2 at eta(T).
bound = 4 * beta * Delta / T + sp.sqrt(8 * beta * Delta * sigma2 / T)


@lru_cache(maxsize=None)
def t_star() -> sp.Expr:
    """Where eta(T) switches branch: 1/beta = sqrt(2 Delta / (T beta sigma^2)), solved for T."""
    return sp.solve(sp.Eq(1 / beta, step_size_noise_branch), T)[0]


# Descent lemma at eta = 1/beta: min_t ||grad||^2 <= 2 beta Delta / T (half the theorem's 4 beta Delta / T).
gd_descent_bound = 2 * beta * Delta / T


def quadratic_t_star() -> sp.Expr:
    """T* on the isotropic quadratic (Delta = beta ||theta_0||^2 / 2)."""
    return t_star().subs(Delta, delta_quadratic)


def iterations_from_bound() -> sp.Expr:
    """T(eps) solving B(T) = eps^2: the notes' O(beta Delta sigma^2 / eps^4) iteration count."""
    roots = sp.solve(sp.Eq(bound, epsilon**2), T)
    # One root is spurious (it corresponds to sqrt(1/T) < 0); keep the one that grows as eps -> 0.
    positive = [r for r in roots if sp.limit(r, epsilon, 0) == sp.oo]
    assert len(positive) == 1, roots
    return positive[0]


# ---- exact isotropic quadratic L = beta/2 ||theta||^2, additive noise of total variance sigma2 ----
rho = (1 - eta * beta) ** 2
noise_floor = beta * eta * sigma2 / (2 - eta * beta)
delta_quadratic = beta * theta0_sq / 2
# E||grad L(theta_t)||^2 = beta^2 ||theta_0||^2 rho^t + floor (1 - rho^t), by the linear recursion.
expected_grad_sq = beta**2 * theta0_sq * rho**t + noise_floor * (1 - rho**t)


def average_grad_sq() -> sp.Expr:
    """A(T) = (1/T) sum_{t<T} E||grad L(theta_t)||^2 at a fixed step eta: a geometric sum.

    Written in closed form, (1/T) [(g0 - F)(1 - rho^T)/(1 - rho) + F T] with g0 the initial
    squared gradient and F the floor, because sympy's summation wraps it in a Piecewise on
    rho == 1 that defeats limit(); tests check it against sympy.summation term by term.
    """
    g0 = beta**2 * theta0_sq
    return ((g0 - noise_floor) * (1 - rho**T) / (1 - rho) + noise_floor * T) / T


def tuned_average_grad_sq(noise_branch: bool = False) -> sp.Expr:
    """A(T) on the quadratic with the theorem's eta(T) and Delta = beta ||theta_0||^2 / 2."""
    step = step_size_noise_branch if noise_branch else step_size
    return average_grad_sq().subs(eta, step).subs(Delta, delta_quadratic)


@lru_cache(maxsize=None)
def tuned_asymptotic_constant() -> sp.Expr:
    """c with A(T) ~ c / sqrt(T) as T -> oo on the quadratic; c**2 = 2 beta Delta sigma^2."""
    return sp.simplify(sp.limit(sp.sqrt(T) * tuned_average_grad_sq(noise_branch=True), T, sp.oo))


# ---- non-convex instance L = sum_i (theta_i^2/2 + 3 cos theta_i) ----------------------------
cosine_coordinate = theta**2 / 2 + 3 * sp.cos(theta)


@lru_cache(maxsize=None)
def cosine_beta() -> sp.Expr:
    """beta = sup |L''| over a period; L'' = 1 - 3 cos(theta) ranges over [-2, 4].  The extremes of the smooth L'' on
    the closed period are at its critical points or the ends (solveset: 0.04 s, where sympy.maximum took 0.6 s of
    every DAG build, since the GD runs' step 1/beta is a run parameter)."""
    second = sp.diff(cosine_coordinate, theta, 2)
    period = sp.Interval(0, 2 * sp.pi)
    critical = sp.solveset(sp.diff(second, theta), theta, period)
    if not isinstance(critical, sp.FiniteSet):
        raise ValueError(f"expected finitely many critical points of L'' on a period, got {critical}")
    return sp.Max(*[sp.Abs(second.subs(theta, t)) for t in [*critical, period.start, period.end]])


@lru_cache(maxsize=None)
def cosine_minimiser() -> sp.Float:
    """x* > 0 solving x = 3 sin x (the minima are at theta_i = +-x*), to 30 digits."""
    return sp.nsolve(sp.diff(cosine_coordinate, theta), theta, 2.3, prec=30)


def delta_cosine() -> sp.Expr:
    """Delta = L(theta_0) - inf L for theta_0 = theta0 * (1, ..., 1) in dimension d."""
    x_star = cosine_minimiser()
    return d * (cosine_coordinate.subs(theta, theta0) - cosine_coordinate.subs(theta, x_star))


def cosine_curvature_at_minimum() -> sp.Expr:
    return sp.diff(cosine_coordinate, theta, 2).subs(theta, cosine_minimiser())


# ---- helpers to build runs: the spec carries numbers, never sympy objects -------------------
def log_grid(lo: float, hi: float, n: int) -> list[int]:
    """n integer horizons log-spaced in [lo, hi] (duplicates removed)."""
    return sorted({int(round(v)) for v in np.geomspace(lo, hi, n)})


def tuned_steps(horizons, **params) -> list[float]:
    """eta(T) of the theorem at each horizon, for a run's parameters (beta, Delta, sigma2)."""
    f = _step_size_in_T(tuple(sorted((s.name, params[s.name]) for s in step_size.free_symbols if s.name in params)))
    return [float(f(h)) for h in horizons]


@lru_cache(maxsize=None)
def _step_size_in_T(values: tuple[tuple[str, float], ...]):
    """eta(T) with the run's parameters substituted, as a function of T (one lambdify per parameter set: the runs of
    several claims share them)."""
    named = dict(values)
    return sp.lambdify(T, step_size.subs({s: named[s.name] for s in step_size.free_symbols if s.name in named}),
                       modules=["mpmath"])


def numeric(expr: sp.Expr, **params) -> float:
    return float(expr.subs({s: params[s.name] for s in expr.free_symbols}))


def quadratic_run(*, d: int, beta_: float, theta0_sq_: float, sigma2_: float, horizons: list[int]) -> dict:
    """Parameters of a tuned-step SGD run on the isotropic quadratic (eta(T) from the theorem)."""
    delta = numeric(delta_quadratic, beta=beta_, theta0_sq=theta0_sq_)
    return {
        "objective": "quadratic",
        "d": d,
        "beta": beta_,
        "theta0_sq": theta0_sq_,
        "sigma2": sigma2_,
        "T": list(horizons),
        "eta": tuned_steps(horizons, beta=beta_, Delta=delta, sigma2=sigma2_),
    }


def cosine_run(*, d: int, theta0_: float, sigma2_: float, horizons: list[int], step: str = "tuned") -> dict:
    """Parameters of an SGD (sigma2 > 0) or GD (sigma2 = 0) run on the cosine objective.

    step="tuned": eta(T) of the theorem; step="gd": eta = 1/beta at every horizon.
    """
    b = float(cosine_beta())
    delta = numeric(delta_cosine(), d=d, theta0=theta0_)
    if step == "tuned":
        etas = tuned_steps(horizons, beta=b, Delta=delta, sigma2=sigma2_)
    elif step == "gd":
        etas = [1.0 / b] * len(horizons)
    else:
        raise ValueError(f"unknown step rule {step!r}; valid: tuned, gd")
    return {"objective": "cosine", "d": d, "theta0": theta0_, "sigma2": sigma2_, "T": list(horizons), "eta": etas}


def floor_run(*, etas: list[float], burn_in: int, steps: int) -> dict:
    """Stationary average of ||grad L||^2 over `steps` iterations after `burn_in`, at each constant eta, on the
    quadratic d = 10, beta = 2, sigma2 = 1 started at the minimiser (A4 and its control)."""
    return {
        "objective": "quadratic",
        "d": 10,
        "beta": 2.0,
        "theta0_sq": 0.0,
        "sigma2": 1.0,
        "eta": list(etas),
        "T": [burn_in + steps] * len(etas),
        "burn_in": burn_in,
    }
