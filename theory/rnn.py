"""Closed forms of the RNN-gradient family: the Jacobian-product bound and its critical value 1/gamma (Dobriban 2019, Notes for Stat 991: Topics in Deep Learning, §3.3.2-3.3.3, after Pascanu, Mikolov & Bengio 2013, §2.1), the circular-law rate of linear RNNs, the mean-field growth rate (Chen, Pennington & Schoenholz 2018, eqs. 4-6), the x^4/4 divergence set, the forget-gate carousel and the adding-problem baseline; and the run and check builders that a claim shares with its control or a sibling claim."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import sympy as sp

from theory import rmt
from theory.claim import Check, Family

FAMILY = Family(
    name="rnn", title="Vanishing and exploding RNN gradients, LSTM and GRU", order=40, ids="D1-D10",
    intro=(
        "Dobriban's notes (§3.3) follow Pascanu, Mikolov & Bengio (2013): back-propagation through time multiplies "
        "Jacobians, so gradients vanish when $\\lambda_1\\gamma < 1$ and may explode otherwise; gated cells (LSTM, GRU) "
        "keep an additive memory path. The literature sharpens the picture: the rate of a product of random Jacobians is "
        "set by the spectral radius, not the largest singular value (Gelfand; the circular law with Rider's finite-n "
        "edge), and by the mean-field $\\chi$ of Chen, Pennington & Schoenholz (2018) for a tanh network. The checks "
        "compare exact Jacobian products with these bounds and rates, and train the gated cells on the adding problem."
    ),
)

# Symbol names equal the experiment's parameter names.
z = sp.Symbol("z", real=True)
lag = sp.Symbol("lag", positive=True)  # t - k
lambda1 = sp.Symbol("lambda1", positive=True)  # largest singular value of W
g = sp.Symbol("g", positive=True)  # gain: W_ij ~ N(0, g^2/n)
q = sp.Symbol("q", nonnegative=True)  # pre-activation variance
sigma_in = sp.Symbol("sigma_in", nonnegative=True)  # input drive standard deviation
ell = sp.Symbol("ell", positive=True, integer=True)
eta = sp.Symbol("eta", positive=True)
x0 = sp.Symbol("x0", real=True)
b_f = sp.Symbol("b_f", real=True)  # forget-gate bias b_ih + b_hh
input_size = sp.Symbol("input_size", positive=True, integer=True)
hidden = sp.Symbol("hidden", positive=True, integer=True)

ACTIVATIONS = {"tanh": sp.tanh(z), "sigmoid": 1 / (1 + sp.exp(-z))}


def activation(name: str) -> sp.Expr:
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; valid: {', '.join(ACTIVATIONS)}")
    return ACTIVATIONS[name]


@lru_cache(maxsize=None)
def gamma(name: str) -> sp.Expr:
    """gamma = sup_z |sigma'(z)|, derived: the critical points of sigma' (zeros of sigma'') and the limits at +-oo."""
    d1 = sp.diff(activation(name), z)
    critical = sp.solveset(sp.diff(d1, z), z, sp.S.Reals)
    if not isinstance(critical, sp.FiniteSet):  # solveset returns a finite set for both activations (0.02 s against
        critical = [c for c in sp.solve(sp.diff(d1, z), z) if c.is_real]  # 0.2 s for solve): the DAG derives this
    candidates = [d1.subs(z, c) for c in critical] + [_at_infinity(d1, sp.oo), _at_infinity(d1, -sp.oo)]
    return sp.simplify(sp.Max(*[sp.Abs(sp.simplify(c)) for c in candidates]))


def _at_infinity(expr: sp.Expr, end) -> sp.Expr:
    """lim expr as z -> end: by substitution when that is determinate (tanh(oo) = 1 evaluates at once, while
    sympy.limit of 1 - tanh(z)^2 takes 0.7 s), else by sympy.limit (exp(oo)/(1 + exp(oo))^2 is oo/oo)."""
    value = expr.subs(z, end)
    return value if value.is_finite else sp.limit(expr, z, end)


def log_bound(name: str) -> sp.Expr:
    """log of (lambda1 gamma)^lag: Pascanu et al.'s bound on ||dh_t/dh_k||, on the log scale that survives lag = 1000."""
    return lag * sp.log(lambda1 * gamma(name))


def critical_lambda1(name: str) -> sp.Expr:
    """The notes' threshold: lambda1 gamma = 1."""
    return sp.solve(sp.Eq(lambda1 * gamma(name), 1), lambda1)[0]


# Gradient decomposition by lag: dE_T/dW = sum_l C_l, ||C_l|| <= (lambda1 gamma)^l ||delta_T|| max_k ||sigma(h_k)||.
contraction = sp.Symbol("contraction", positive=True)  # lambda1 * gamma


def tail_share_bound(name: str) -> sp.Expr:
    """Normalised by ||delta_T|| max ||sigma(h)||, the part of dE_T/dW carried by lags beyond `lag` is at most the
    geometric tail sum_(l > lag) (lambda1 gamma)^l = (lambda1 gamma)^(lag+1)/(1 - lambda1 gamma), from sympy's summation."""
    tail = sp.summation(contraction**ell, (ell, lag + 1, sp.oo))
    tail = sp.piecewise_fold(tail).args[0][0] if isinstance(tail, sp.Piecewise) else tail  # the |q| < 1 branch
    return sp.simplify(tail.subs(contraction, lambda1 * gamma(name)))


# ---- linear RNN with iid Gaussian weights (circular law, square Marchenko-Pastur edge) ----
linear_rate = sp.log(g)  # (1/l) log ||W^l|| -> log rho(W) -> log g
linear_top_singular_value = g * rmt.square_top_singular_value()  # lambda1(W) -> 2 g
linear_rate_from_lambda1 = sp.log(linear_top_singular_value)  # the wrong rate of the control


# ---- mean field of h_t = W phi(h_{t-1}) + xi_t, xi_t ~ N(0, sigma_in^2 I) ----
def gaussian_mean(expr: sp.Expr) -> sp.Integral:
    return sp.Integral(expr * sp.exp(-(z**2) / 2) / sp.sqrt(2 * sp.pi), (z, -sp.oo, sp.oo))


def meanfield_integrands(name: str) -> tuple[sp.Expr, sp.Expr]:
    """phi(z)^2 and phi'(z)^2: what the variance map and chi average over z ~ N(0, q)."""
    return activation(name) ** 2, sp.diff(activation(name), z) ** 2


def variance_map(name: str) -> sp.Expr:
    """q -> g^2 E phi(sqrt(q) z)^2 + sigma_in^2; q* is its fixed point."""
    return g**2 * gaussian_mean(meanfield_integrands(name)[0].subs(z, sp.sqrt(q) * z)) + sigma_in**2


def chi_integral(name: str) -> sp.Expr:
    """chi = g^2 E phi'(sqrt(q*) z)^2: the mean squared gain of one Jacobian on a random vector."""
    return g**2 * gaussian_mean(meanfield_integrands(name)[1].subs(z, sp.sqrt(q) * z))


def critical_gain_without_input(name: str) -> sp.Expr:
    """At sigma_in = 0 and q* = 0 (the stable fixed point below criticality for odd phi), chi = g^2 phi'(0)^2 = 1."""
    chi0 = sp.simplify(chi_integral(name).subs(q, 0).doit())
    return [r for r in sp.solve(sp.Eq(chi0, 1), g) if r.is_positive][0]


N_QUADRATURE = 61
_nodes, _weights = np.polynomial.hermite.hermgauss(N_QUADRATURE)
_z_nodes, _z_weights = np.sqrt(2.0) * _nodes, _weights / np.sqrt(np.pi)  # E f(z) = sum w f(z_i), z ~ N(0,1)


@lru_cache(maxsize=None)
def _integrands(name: str):
    raw = tuple(sp.lambdify(z, f, "numpy") for f in meanfield_integrands(name))

    def safe(f):
        # exp(-z) overflows in the sigmoid's tails, where the true value of both integrands is finite (0 or 1):
        # inf/inf gives nan there and the limit is 0.
        def wrapped(values):
            with np.errstate(over="ignore", invalid="ignore"):
                return np.nan_to_num(f(values), nan=0.0)
        return wrapped

    return tuple(safe(f) for f in raw)


def fixed_point_q(name: str, gain: float, s_in: float) -> float:
    """q*: the largest root of q = g^2 E phi(sqrt(q) z)^2 + s_in^2 (Gauss-Hermite, brentq); 0 when q = 0 is the only one."""
    phi2, _ = _integrands(name)
    f = lambda qq: gain**2 * float(_z_weights @ phi2(np.sqrt(qq) * _z_nodes)) + s_in**2 - qq  # noqa: E731
    upper = gain**2 * 1.0 + s_in**2 + 1.0  # |phi| <= 1 for tanh and sigmoid: F(q) <= g^2 + s_in^2
    if f(upper) >= 0:
        raise ValueError(f"no fixed point below {upper} for {name} at g={gain}")
    lower = 1e-14
    if f(lower) <= 0:
        return 0.0  # subcritical without input: the state decays to 0
    from scipy import optimize  # here, not at import: declaring the claims stays cheap

    return optimize.brentq(f, lower, upper, xtol=1e-15, rtol=1e-13)


def chi_value(name: str, gain: float, s_in: float) -> float:
    _, dphi2 = _integrands(name)
    qs = fixed_point_q(name, gain, s_in)
    return gain**2 * float(_z_weights @ dphi2(np.sqrt(qs) * _z_nodes))


def _implemented_chi(name: str):
    """chi(g, sigma_in) as a sympy function whose numerical value is the quadrature + fixed-point solve."""
    from sympy.utilities.lambdify import implemented_function

    return implemented_function(sp.Function(f"chi_{name}"), lambda gg, ss: chi_value(name, float(gg), float(ss)))


def meanfield_rate(name: str) -> sp.Expr:
    """(1/2) log chi(g, sigma_in): the per-step growth rate of ||J_l v||."""
    return sp.log(_implemented_chi(name)(g, sigma_in)) / 2


def critical_gain(name: str, s_in: float, level: float = 0.0) -> float:
    """Numerical g at which the rate (1/2) log chi(g, s_in) reaches `level` (0: the edge of chaos chi = 1); no closed form with input."""
    from scipy import optimize

    target = float(np.exp(2 * level))
    return optimize.brentq(lambda gg: chi_value(name, gg, s_in) - target, 0.05, 500.0, xtol=1e-12)


# ---- gradient descent on f(x) = x^4/4 ----
quartic = x0**4 / 4


def gd_divergence_threshold() -> sp.Expr:
    """|x0| above which GD x <- x - eta x^3 diverges: solve |x - eta x^3| = |x| for x != 0."""
    x = sp.Symbol("x", positive=True)
    step = x - eta * sp.diff(quartic.subs(x0, x), x)
    roots = sp.solve(sp.Eq(-step, x), x)  # the overshoot branch x - eta x^3 = -x
    return [r for r in roots if r.is_positive][0]


def gd_diverges() -> sp.Expr:
    """1 where GD from x0 diverges, 0 where it converges, as a Piecewise in x0."""
    return sp.Piecewise((1, sp.Abs(x0) > gd_divergence_threshold()), (0, True))


# ---- LSTM forget gate and the adding problem ----
forget_rate = sp.log(1 / (1 + sp.exp(-b_f)))  # log sigma(b_f): per-step log-slope of ||dc_t/dc_{t-l}||


def adding_constant_mse() -> sp.Expr:
    """E[(U1 + U2 - 1)^2] for independent U[0,1]: the MSE of predicting the mean 1."""
    u1, u2 = sp.symbols("u1 u2", real=True)
    return sp.integrate((u1 + u2 - 1) ** 2, (u1, 0, 1), (u2, 0, 1))


# PyTorch counts: gates G (1 RNN, 3 GRU, 4 LSTM), each with W_ih (h x), W_hh (h h), b_ih and b_hh.
GATES = {"rnn": 1, "gru": 3, "lstm": 4}


def parameter_count(cell: str) -> sp.Expr:
    return GATES[cell] * (hidden * (hidden + input_size) + 2 * hidden)


def lag_grid(levels: list[float], lags: list[int], name: str = "lambda1") -> dict[str, list]:
    """Aligned lists for a (level, lag) grid: every lag for each level, the level as the series."""
    return {"lag": [int(lag_) for _ in levels for lag_ in lags], name: [float(v) for v in levels for _ in lags]}


def critical_gain_function(name: str) -> sp.Function:
    """g_c(sigma_in, level) as a sympy function evaluated by a root solve of (1/2) log chi(g, sigma_in) = level."""
    from sympy.utilities.lambdify import implemented_function

    return implemented_function(sp.Function(f"g_c_{name}"), lambda ss, level: critical_gain(name, float(ss), float(level)))


# ---- finite-n edge of the circular law ----
n_units = sp.Symbol("n", positive=True, integer=True)


def ginibre_log_radius_excess() -> sp.Expr:
    """E log rho(G/sqrt(n)) for an n x n Gaussian G, to leading order: sqrt(g_n/4n) + Euler's gamma / sqrt(4 n g_n) with
    g_n = log(n/2 pi) - 2 log log n (Rider 2003, Thm 1: sqrt(4 n g_n)(rho - 1 - sqrt(g_n/4n)) -> Gumbel, whose mean is Euler's gamma)."""
    return rmt.ginibre_log_radius_excess(n_units)


def meanfield_rate_finite_n(name: str) -> sp.Expr:
    """The mean-field rate, plus the spectral-radius excess where the Jacobian is exactly the fixed matrix W (no input,
    g < 1: q* = 0 and the rate is log rho(W)); elsewhere the Jacobians vary along the trajectory and no correction is added."""
    linear_regime = sp.And(sigma_in <= 0, g < 1)  # "<= 0", not Eq: a Float 0.0 is not Eq to the Integer 0
    return meanfield_rate(name) + sp.Piecewise((ginibre_log_radius_excess(), linear_regime), (0, True))


# ---- what a claim shares with its control or a sibling (declarations only: no sympy work at import) ----------------
# Jacobian-product bound (D2; D3 and the control D2-c1 reuse its runs and its check).
LAMBDA1 = [0.5, 1.0, 2.0, 4.0]
SMOKE_LAGS = [1, 2, 3, 5, 10, 20, 30, 50, 70, 100]


def bound_run(activation: str, n: int, lags: list[int], levels=LAMBDA1) -> dict:
    """Parameters of an rnn_jacobian run: the drive sigma_in = 0.5 and the aligned (lambda1, lag) grid."""
    return {"activation": activation, "n": n, "sigma_in": 0.5, **lag_grid(levels, lags)}


def bound_check(run: str, activation: str) -> Check:
    """log ||dh_T/dh_(T-lag)|| <= lag log(lambda1 gamma) in the worst seed; gamma is derived when the prediction is written."""
    return Check(
        name=f"bound_{run}",
        kind="bound_holds",
        run=run,
        metric="log_norm",
        x="lag",
        series="lambda1",
        prediction=lambda: log_bound(activation),
        reduce="max",
        scale="absolute",
        tolerance=1e-9,
        tolerance_reason=(
            "1e-9 on the log scale as in the catalogue: the bound is a deterministic inequality, the norms are exact "
            "(float64 products and SVD, rounding about 1e-13), and every seed must satisfy it (worst seed)."
        ),
        description=(f"in the worst of the runs, log ||dh_T/dh_(T-lag)||_2 <= lag log(lambda1 gamma) with gamma = sup |sigma'| "
                     f"of the {activation} (1 for tanh, 1/4 for the sigmoid, derived in sympy)."),
    )


# Linear RNN (D4 and its control D4-c1).
LINEAR_GAINS = [0.6, 0.7, 0.8, 0.9, 1.1]
# D4 at smoke: 64 matrices per gain for the rate (its check's CI is a quarter of its band), the eigenvalues of 16 of
# them for rho, whose check (rate - log rho, per matrix) had a CI of 3% of its band at 64 matrices; the eigenvalues
# were three quarters of the run's time (0.3 s a matrix).
LINEAR_SPECTRA_SMOKE = 16


def linear_run(n: int, gains=LINEAR_GAINS, fit_from: int = 50, fit_to: int = 300, n_spectra: int | None = None) -> dict:
    """The rnn_linear run: power iteration of u^T W^l, the rate fitted over lags [fit_from, fit_to]; with n_spectra,
    the eigenvalues (rho) of the first n_spectra seeds' matrices only."""
    run = {"n": n, "g": gains, "fit_from": fit_from, "fit_to": fit_to}
    return {"linear": run if n_spectra is None else {**run, "n_spectra": n_spectra}}


# Mean field (D6 and its control D6-c1).
MEANFIELD_INPUTS = [0.0, 0.5]
# The edge is located where the rate reaches -0.02, approached from the vanishing side, where the
# rate crosses transversally (slope 1 in g).  Without input chi = 1 + O((g - 1)^2) just above g = 1, so the
# rate's zero itself is flat there and a finite-n shift of 0.005 moves it by 0.1.
CRIT_LEVEL = -0.02


def meanfield_run(activation: str, n: int, gains, inputs=MEANFIELD_INPUTS, burn_in: int = 100, steps: int = 300) -> dict:
    """The rnn_meanfield run: every (gain, input) pair as aligned lists, gains rounded to 4 decimals."""
    gains = [round(float(v), 4) for v in gains]
    return {
        "activation": activation,
        "n": n,
        "g": [v for _ in inputs for v in gains],
        "sigma_in": [float(s) for s in inputs for _ in gains],
        "crit_sigma_in": [float(s) for s in inputs],
        "crit_level": CRIT_LEVEL,
        "burn_in": burn_in,
        "steps": steps,
    }
