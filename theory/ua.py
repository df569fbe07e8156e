"""Closed forms of the universal-approximation family: the interpolation sup error, the x^2-network bounds on |x|, the isotonic bound on width-1 nets, the Maurey constant for random cosines, the sawtooth L1 bound, the softplus multiplication gate and the one-layer breakpoint count (Massias 2025, Deep learning 1/2, universal approximation slides; Dobriban 2019, Stat 991 notes, §7.3, §7.11-7.12)."""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import sympy as sp

from theory import comparisons
from theory.claim import Family

FAMILY = Family(
    name="ua", title="Universal approximation, width and depth", order=30, ids="C1-C9",
    intro=(
        "Massias' slides state the universal approximation theorems (one hidden layer with a non-polynomial "
        "activation; arbitrary depth at the minimal width) and Dobriban's notes (§7.3, §7.11-7.12) add Barron's "
        "dimension-free rate, depth separation (Telgarsky), the multiplication gate (Lin, Tegmark & Rolnick) and the "
        "count of linear regions (Hanin & Rolnick). The theorems are existential: a trained network that misses "
        "$\\varepsilon$ refutes nothing, since it adds optimisation error. So the checks are exact constructions "
        "against exact error formulas, exact lower bounds that every network must respect, and the rates of explicit "
        "random constructions; where training is used, the claim says which way it can fail."
    ),
)

# Symbol names equal the experiments' parameter names.
t = sp.Symbol("t", real=True)
k = sp.Symbol("k", positive=True)  # knots of the interpolant (C1)
width = sp.Symbol("width", positive=True)  # hidden units of a one-layer net (C2)
depth = sp.Symbol("depth", positive=True)  # hidden layers (C3, C9)
n = sp.Symbol("n", positive=True)  # random cosines (C5)
p = sp.Symbol("p", positive=True, integer=True)  # input dimension (C5)
m = sp.Symbol("m", positive=True)  # hidden units of a shallow net (C7)
k_saw = sp.Symbol("k_saw", positive=True, integer=True)  # sawtooth compositions (C7)
lam = sp.Symbol("lam", positive=True)  # input scale of the multiplication gate (C8)
n_total = sp.Symbol("n_total", positive=True)  # neurons of a deep net, all layers together (C9)
sigma_b2 = sp.Symbol("sigma_b2", positive=True)  # bias variance at initialisation (C9)
# Names no rule of comparisons.latex_name renders right: a variance is sigma_b squared, not sigma with subscript "b2".
comparisons.declare_latex(sigma_b2="{\\sigma_{b}^{2}}", lam="\\lambda", k_saw="k", n_total="N_{\\mathrm{total}}")

# ---- C1: piecewise-linear interpolation by a width-k ReLU layer --------------------------------------------------
C1_TARGET = sp.sin(2 * sp.pi * t)
C1_INTERVAL = (-1, 1)


@lru_cache(maxsize=None)
def sup_second_derivative() -> sp.Expr:
    """||f''||_oo on the interval, from sympy's extrema of f'' (4 pi^2 for sin 2 pi t)."""
    f2 = sp.diff(C1_TARGET, t, 2)
    domain = sp.Interval(*C1_INTERVAL)
    return sp.Max(sp.maximum(f2, t, domain), -sp.minimum(f2, t, domain))


def interpolation_sup_error(spacing: sp.Expr) -> sp.Expr:
    """The classical bound ||f - I_h f||_oo <= ||f''||_oo h^2 / 8 (sharp as h -> 0 for a C^2 f)."""
    return sup_second_derivative() * spacing**2 / 8


C1_SPACING = sp.Integer(C1_INTERVAL[1] - C1_INTERVAL[0]) / (k - 1)  # k knots: k - 1 intervals
C1_SPACING_OFF_BY_ONE = sp.Integer(C1_INTERVAL[1] - C1_INTERVAL[0]) / k  # the control's miscount: k intervals


def c1_sup_error() -> sp.Expr:
    return interpolation_sup_error(C1_SPACING)


def c1_sup_error_off_by_one() -> sp.Expr:
    return interpolation_sup_error(C1_SPACING_OFF_BY_ONE)


# The window where the ratio error/bound is within 1% of 1, a priori.  Near an extremum of f'' the error on an
# interval of length h is |f''| h^2/8 times (1 - (omega h)^2/12 + ...) for f = sin(omega t), and f'' drops by a factor
# cos(omega h/2) = 1 - (omega h)^2/8 + ... across half an interval when the extremum is not at the interval's middle; so
# the shortfall is at most (1/8 + 1/12)(omega h)^2 = (5/24)(omega h)^2 to leading order, below 1% for h < 0.035, i.e.
# k >= 59 knots on [-1, 1] with omega = 2 pi.
C1_RATIO_TOLERANCE = sp.Rational(1, 100)
C1_OMEGA = 2 * sp.pi


def c1_first_knots_within(tolerance=C1_RATIO_TOLERANCE) -> int:
    """The smallest k with (5/24) (omega h)^2 <= tolerance, h = 2/(k - 1)."""
    bound = sp.Rational(5, 24) * (C1_OMEGA * C1_SPACING) ** 2
    root = max(s for s in sp.solve(sp.Eq(bound, tolerance), k) if s.is_real)
    return int(sp.ceiling(root))


# ---- C2: x^2 activation on |x| -----------------------------------------------------------------------------------
# sum_j c_j (a_j x + b_j)^2 + c_0 is a polynomial of degree <= 2, whatever the width.  Chebyshev's equioscillation
# theorem: the best uniform quadratic approximation of |x| on [-1, 1] is x^2 + 1/8, error exactly 1/8, attained with
# alternating signs at -1, -1/2, 0, 1/2, 1 (four alternations for a 3-dimensional space).  De la Vallee Poussin: on any
# grid containing those five points the sup error of every quadratic is >= 1/8.
C2_EQUIOSCILLATION = (-1, sp.Rational(-1, 2), 0, sp.Rational(1, 2), 1)


@lru_cache(maxsize=None)
def minimax_quadratic_error() -> sp.Expr:
    """1/8, derived: the error of x^2 + c on the equioscillation points alternates +-E; solve for c and E."""
    c, e = sp.symbols("c e")
    eqs = [sp.Eq(x**2 + c - sp.Abs(x), (-1) ** i * e) for i, x in enumerate(C2_EQUIOSCILLATION[2:])]
    return sp.Abs(sp.solve(eqs, [c, e], dict=True)[0][e])


def grid_points(n_grid: int) -> list[Fraction]:
    """The experiment's evaluation grid on [-1, 1]: n_grid equispaced points, ends included, exactly."""
    return [Fraction(-1) + Fraction(2 * i, n_grid - 1) for i in range(n_grid)]


@lru_cache(maxsize=None)
def least_squares_quadratic_mse(n_grid: int) -> sp.Rational:
    """The grid's own L^2 optimum: min over quadratics of the mean of (q(x) - |x|)^2 on the grid, in exact rationals
    (normal equations over the n_grid points); every x^2 network's grid MSE is at least this."""
    xs = grid_points(n_grid)
    moments = [sum(x**j for x in xs) for j in range(5)]
    gram = sp.Matrix(3, 3, lambda i, j: sp.Rational(moments[i + j]))
    rhs = sp.Matrix(3, 1, lambda i, _: sp.Rational(sum(abs(x) * x**i for x in xs)))
    yy = sp.Rational(sum(x * x for x in xs))
    coef = gram.LUsolve(rhs)
    return sp.nsimplify((yy - (rhs.T * coef)[0]) / n_grid)


def c2_mse_bound(params) -> sp.Expr:
    return least_squares_quadratic_mse(int(params["n_grid"]))


def c2_grid_has_equioscillation_points(n_grid: int) -> bool:
    xs = set(grid_points(n_grid))
    return all(Fraction(int(sp.numer(x)), int(sp.denom(x))) in xs for x in C2_EQUIOSCILLATION)


# A non-polynomial activation on a 1-Lipschitz target: the ReLU interpolant with `width` units has sup error at most
# L h / 2 with h = 2/(width - 1) (the control's "x^2 nets approach |x|" borrows this rate).
c2_lipschitz_rate = 1 / (width - 1)


# ---- C3a: width-1 ReLU nets are monotone; the isotonic bound on the tent ------------------------------------------
C3_TENT = sp.Max(0, 1 - sp.Abs(t))
C3_INTERVAL = (-2, 2)


@lru_cache(maxsize=None)
def isotonic_bound() -> sp.Expr:
    """Mean-square error (uniform measure on [-2, 2]) of the best non-decreasing fit of the tent; by the tent's symmetry
    the best non-increasing fit is as good.  The fit follows the tent up to u = 1 + c on its rising side and pools the
    rest into the constant u = mean of the tent over [c, 2] (the pool-adjacent-violators solution)."""
    u = sp.Symbol("u", positive=True)
    c = u - 1
    rising = 1 + t  # the tent on [-1, 0]
    falling = 1 - t  # on [0, 1]
    pooled_mean = (sp.integrate(rising, (t, c, 0)) + sp.integrate(falling, (t, 0, 1))) / (2 - c)
    root = [r for r in sp.solve(sp.Eq(pooled_mean, u), u) if r.is_real and 0 < r < 1][0]
    c0 = root - 1
    sq = sp.integrate((rising - root) ** 2, (t, c0, 0)) + sp.integrate((falling - root) ** 2, (t, 0, 1)) + root**2 * 1
    return sp.radsimp(sp.nsimplify(sp.simplify(sq / (C3_INTERVAL[1] - C3_INTERVAL[0]))))


@lru_cache(maxsize=None)
def isotonic_plateau() -> sp.Expr:
    """The pooled value u = 3 - sqrt 7 of the best monotone fit (where it meets the rising side at t = u - 1)."""
    u = sp.Symbol("u", positive=True)
    c = u - 1
    pooled = (sp.integrate(1 + t, (t, c, 0)) + sp.integrate(1 - t, (t, 0, 1))) / (2 - c)
    return [r for r in sp.solve(sp.Eq(pooled, u), u) if r.is_real and 0 < r < 1][0]


# ---- C5: Maurey sampling of random cosines (Barron 1993) ----------------------------------------------------------
# f(x) = exp(-|x|^2/2) = E_{w ~ N(0, I)} cos(w.x); f_n = (1/n) sum_k cos(w_k.x).  Var cos(w.x) = (1 - e^{-|x|^2})^2/2,
# so E int (f_n - f)^2 dmu = (1/(2n)) int (1 - 2 e^{-|x|^2} + e^{-2|x|^2}) dmu, and under the uniform probability on
# [-1, 1]^p the integral factorises: int e^{-a|x|^2} dmu = I_a^p with I_a = (1/2) int_{-1}^{1} e^{-a s^2} ds.
def cube_gaussian_factor(a) -> sp.Expr:
    s = sp.Symbol("s", real=True)
    return sp.integrate(sp.exp(-a * s**2), (s, -1, 1)) / 2


@lru_cache(maxsize=None)
def maurey_constant() -> sp.Expr:
    """n E||f_n - f||^2_{L2(mu)} = (1 - 2 I_1^p + I_2^p)/2, exact at every n (sympy integral)."""
    return (1 - 2 * cube_gaussian_factor(1) ** p + cube_gaussian_factor(2) ** p) / 2


def maurey_mse() -> sp.Expr:
    return maurey_constant() / n


def fixed_basis_rate() -> sp.Expr:
    """The control: Barron's lower bound for fixed (non-adaptive) bases, n^(-2/p), read as the rate of this construction."""
    return n ** (-2 / p)


# Barron's constant, for the notes: C_f = int |xi|_1 |f^(xi)| d xi for the Gaussian in the 2 pi convention.
def barron_cf() -> sp.Expr:
    """C_f = p E|xi_1| over the density (2 pi)^{p/2} e^{-2 pi^2 |xi|^2}: p/(sqrt 2 pi^{3/2})."""
    xi = sp.Symbol("xi", real=True)
    one_dim = sp.sqrt(2 * sp.pi) * sp.exp(-2 * sp.pi**2 * xi**2)
    return sp.simplify(p * sp.integrate(sp.Abs(xi) * one_dim, (xi, -sp.oo, sp.oo)))


# ---- C7: Telgarsky's sawtooth ------------------------------------------------------------------------------------
def sawtooth_pieces() -> sp.Expr:
    """T^k has 2^k linear pieces on [0, 1]."""
    return 2**k_saw


def shallow_l1_bound() -> sp.Expr:
    """int_0^1 |g - T^k| >= (1/4)(1 - m/2^(k-1)) for every one-hidden-layer ReLU net g with m units: T^k has 2^(k-1)
    teeth of width 2^(1-k); at most m contain a breakpoint of g; on each other tooth g is affine, and an affine
    function is at L1 distance >= width/4 from a unit-height tooth (E|U - 1/2| = 1/4 for U uniform on [0, 1])."""
    teeth = 2 ** (k_saw - 1)
    return sp.Rational(1, 4) * (1 - m / teeth)


def shallow_piece_bound() -> sp.Expr:
    """A one-hidden-layer ReLU net with m units has at most m breakpoints: at most m + 1 pieces."""
    return m + 1


# ---- C8: the four-neuron multiplication gate (Lin, Tegmark & Rolnick 2017) ------------------------------------------
u_ = sp.Symbol("u", real=True)
SOFTPLUS = sp.log(1 + sp.exp(u_))


@lru_cache(maxsize=None)
def _gate_corner_series() -> tuple[sp.Expr, sp.Expr]:
    """The coefficients of lam^2 and lam^4 in gate(1, 1) - 1: sigma(v) + sigma(-v) = 2 sigma(0) + sigma2 v^2 +
    sigma4 v^4/12 + sigma6 v^6/360 + O(v^8) (sigmaj the j-th derivative at 0), so the gate is
    xy + lam^2 sigma4/(6 sigma2) xy(x^2 + y^2) + O(lam^4); max |xy(x^2 + y^2)| on the square is 2, at the corners,
    where |xy| and x^2 + y^2 both peak."""
    x, y, lm = sp.symbols("x y lm", real=True)
    d2 = sp.diff(SOFTPLUS, u_, 2).subs(u_, 0)
    # The even part in one variable (a series in x, y and lam together takes 20 s of sympy).
    even = sp.series(SOFTPLUS + SOFTPLUS.subs(u_, -u_), u_, 0, 8).removeO()
    gate = (even.subs(u_, lm * (x + y)) - even.subs(u_, lm * (x - y))) / (4 * lm**2 * d2)
    corner = sp.expand(gate.subs({x: 1, y: 1}))
    return sp.nsimplify(corner.coeff(lm, 2)), sp.nsimplify(corner.coeff(lm, 4))


def gate_error_coefficient() -> sp.Expr:
    """C in max |gate - xy| = C lam^2 + O(lam^4): 1/6 for softplus (second derivative 1/4, fourth -1/8 at 0)."""
    return sp.Abs(_gate_corner_series()[0])


def gate_window(tolerance=sp.Rational(1, 100)) -> sp.Expr:
    """The largest lam at which the next term, |c4/c2| lam^2 relative to the leading one, is within `tolerance`."""
    c2, c4 = _gate_corner_series()
    return sp.sqrt(tolerance / sp.Abs(c4 / c2))


def gate_max_error() -> sp.Expr:
    return gate_error_coefficient() * lam**2


C8_LAMS = [1, 0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625]


# ---- C9: breakpoints along a segment at He initialisation -------------------------------------------------------------
def one_layer_breakpoints() -> sp.Expr:
    """Along a segment from u to v with |u|^2 = |v|^2 = d and u.v = 0 (inputs in R^d), a hidden unit relu(w.x + b) with
    w ~ N(0, 2/d I), b ~ N(0, sigma_b2) changes sign iff z(u) and z(v) differ in sign; (z(u), z(v)) is centred
    Gaussian with variances 2 + sigma_b2 and covariance sigma_b2, so P = arccos(rho)/pi (Sheppard's formula) and
    E #breakpoints = N arccos(rho)/pi for one hidden layer of N units."""
    rho = sigma_b2 / (sigma_b2 + 2)
    return n_total * sp.acos(rho) / sp.pi


def breakpoints_two_to_depth() -> sp.Expr:
    """The control: counts grow like 2^depth at fixed N (the maximal, Montufar-style count read as the typical one)."""
    return one_layer_breakpoints() * 2 ** (depth - 1)


# ---- runs shared by a claim and its control ----------------------------------------------------------------------------
C1_KNOTS = [5, 9, 17, 33, 65, 129, 257, 513, 1025]


def interpolant_run(knots=C1_KNOTS) -> dict:
    return {"interpolant": {"k": list(knots), "probes": 17}}


C2_WIDTHS = [2, 8, 32, 128, 512, 1024]


def square_net_run(widths=C2_WIDTHS, n_grid: int = 2001, steps: int = 150, n_seeds: int = 10) -> dict:
    return {"square_nets": {"width": list(widths), "n_grid": n_grid, "n_train": n_grid, "steps": steps, "lr": 0.05,
                            "n_seeds": n_seeds}}


C3_WIDTH_ONE_DEPTHS = list(range(1, 11))


def narrow_runs(depths=C3_WIDTH_ONE_DEPTHS, wide_depths=(2, 3), n_grid: int = 10000, n_train: int = 100,
                steps: int = 150) -> dict:
    common = {"n_grid": n_grid, "n_train": n_train, "steps": steps, "lr": 0.03}
    return {"width1": {"width": 1, "depth": list(depths), **common},
            "width2": {"width": 2, "depth": list(wide_depths), **common}}


C5_NS = [10, 18, 32, 56, 100, 178, 316]


def maurey_runs(ns=C5_NS, points32: int = 4000, seeds32: int = 48, points8: int = 1000, seeds8: int = 192) -> dict:
    return {"p32": {"p": 32, "n": list(ns), "n_points": points32, "n_seeds": seeds32},
            "p8": {"p": 8, "n": list(ns), "n_points": points8, "n_seeds": seeds8}}


C9_DEPTHS = [1, 2, 4, 8, 16]
C9_TOTALS = [256, 1024]


def regions_runs(totals=C9_TOTALS, depths=C9_DEPTHS, one_layer=(1024, 4096), seeds_deep: int = 32,
                 seeds_one: int = 48, d_in: int = 8, bias_var: float = 0.01) -> dict:
    return {
        "depths": {"n_total": [n for n in totals for _ in depths], "depth": [d for _ in totals for d in depths],
                   "d_in": d_in, "sigma_b2": bias_var, "n_seeds": seeds_deep},
        "one_layer": {"n_total": list(one_layer), "depth": [1] * len(one_layer), "d_in": d_in, "sigma_b2": bias_var,
                      "n_seeds": seeds_one},
    }


C7_KS = [4, 6, 8]
C7_SHALLOW_K = 6
C7_WIDTHS = [4, 8, 16, 24, 31]  # m < 2^(k-1) = 32: the L1 bound is positive


def sawtooth_runs(ks=C7_KS, shallow_k: int = C7_SHALLOW_K, widths=C7_WIDTHS, steps: int = 100, log2_cells: int = 16) -> dict:
    return {"constructions": {"k_saw": list(ks), "log2_cells": log2_cells},
            "shallow": {"k_saw": shallow_k, "m": list(widths), "steps": steps, "lr": 0.01, "n_train": 1024,
                        "log2_cells": log2_cells}}
