"""Closed forms of the NTK and random-matrix family (Dobriban 2019, Notes for Stat 991, §7.10; Scaman 2023, Mathematics of Deep Learning, lecture 6): Advani & Saxe's (2017, Sec. 2, Eqs. 7-10) mode dynamics and generalization/training curves of gradient descent on linear regression through the Marchenko-Pastur law, the arc-cosine kernels (Cho & Saul 2009) and the neural tangent kernel of deep ReLU networks (Jacot, Gabriel & Hongler 2018, Thm 1; Arora et al. 2019, Eqs. 4-9), and the exact finite-width excess kurtosis of a two-layer network's output."""

from __future__ import annotations

import sympy as sp

from theory import comparisons, rmt
from theory.claim import Family, Scale

FAMILY = Family(
    name="ntk", title="NTK, infinite width and random-matrix generalization curves", order=60, ids="F1-F19",
    intro=(
        "Dobriban's notes (§7.10) follow Advani & Saxe (2017): gradient descent on a linear student decouples into the "
        "modes of $X^\\top X$, whose spectrum follows the Marchenko-Pastur law, so the generalization and training "
        "curves have closed forms, early stopping nearly matches optimal ridge, and the best stopping time grows with "
        "the signal-to-noise ratio. The infinite-width kernels come from the literature the notes and Scaman's course "
        "outline point to: the NNGP (arc-cosine) kernel and the neural tangent kernel (Jacot et al. 2018; Arora et al. "
        "2019; Lee et al. 2018), against Monte Carlo kernels of finite networks, as neural-tangents tests them; and what "
        "the NTK predicts for training (Jacot et al. 2018; Lee et al. 2019): a wide network trained by gradient descent barely "
        "moves its weights and its kernel (lazy training) and predicts like kernel regression with the analytic NTK."
    ),
)

# ---- Advani & Saxe's linear student: P examples x ~ N(0, I_N/N), alpha = P/N, y = wbar.x + eps, GD from w(0) ---------
# Symbol names equal the experiments' parameter names.
alpha = sp.Symbol("alpha", positive=True)  # P/N
eta = sp.Symbol("eta", positive=True)  # the GD step (tau = 1)
t = sp.Symbol("t", positive=True)  # time, t = k eta after k steps
N = sp.Symbol("N", positive=True)  # parameters
sw2 = sp.Symbol("sw2", positive=True)  # teacher weight variance sigma_w^2
s02 = sp.Symbol("s02", positive=True)  # initial weight variance sigma_0^2
se2 = sp.Symbol("se2", positive=True)  # label noise variance sigma_eps^2
lam = sp.Symbol("lambda", positive=True)  # an eigenvalue of X^T X (integration variable)
comparisons.declare_latex(sw2=r"{\sigma_{w}^{2}}", s02=r"{\sigma_{0}^{2}}", se2=r"{\sigma_{\epsilon}^{2}}")


def as_edges(a: sp.Expr = alpha) -> tuple[sp.Expr, sp.Expr]:
    """The edges (sqrt(alpha) -+ 1)^2 of the continuous spectrum of X^T X in Advani-Saxe's normalisation."""
    return (sp.sqrt(a) - 1) ** 2, (sp.sqrt(a) + 1) ** 2


def as_density(x: sp.Expr, a: sp.Expr = alpha) -> sp.Expr:
    """The density of the eigenvalues of X^T X (N x N, entries of X of variance 1/N, P = alpha N rows): the shared
    Marchenko-Pastur law of X^T X/P at ratio N/P = 1/alpha, rescaled by alpha, i.e. sqrt((l+ - x)(x - l-))/(2 pi x); its
    mass is min(1, alpha), an atom 1 - alpha sits at 0 when alpha < 1."""
    return rmt.mp_density(x / a, 1 / a) / a


def decay(x: sp.Expr = lam, discrete: bool = True) -> sp.Expr:
    """The factor by which a mode of eigenvalue x has closed its gap at time t: (1 - eta x)^(t/eta) after t/eta steps of
    GD, exp(-x t) for gradient flow (tau = 1)."""
    return (1 - eta * x) ** (t / eta) if discrete else sp.exp(-x * t)


def _mp_average(integrand: sp.Expr) -> sp.Expr:
    lo, hi = as_edges()
    # The real part: at the edges the density's square root meets rounding (a 1e-25j that mpmath keeps).
    return sp.re(sp.Integral(as_density(lam) * integrand, (lam, lo, hi)))


def generalization_curve(discrete: bool = True, per_sample: bool = False) -> sp.Expr:
    """E_g(t) = (1/N) sum_i [(sw2 + s02) d_i^2 + se2/lambda_i (1 - d_i)^2] + se2 with d_i = decay(lambda_i), the zero
    modes frozen at (sw2 + s02), averaged over the Marchenko-Pastur law (Advani & Saxe 2017, Eq. 10 with the notes' 1/n
    read as 1/N).  per_sample=True is the notes' formula as written, the sum divided by the number of samples P."""
    d = decay(lam, discrete)
    modes = _mp_average((sw2 + s02) * d**2 + se2 / lam * (1 - d) ** 2) + sp.Max(1 - alpha, 0) * (sw2 + s02)
    return (modes / alpha if per_sample else modes) + se2


def training_curve(discrete: bool = True) -> sp.Expr:
    """E (1/P)||y - X w(t)||^2 = (1/P)[sum_{lambda_i > 0} (lambda_i (sw2 + s02) + se2) d_i^2 + se2 max(P - N, 0)],
    averaged over the Marchenko-Pastur law: its limit is se2 (1 - 1/alpha) above alpha = 1 and 0 below."""
    d = decay(lam, discrete)
    return _mp_average((lam * (sw2 + s02) + se2) * d**2) / alpha + se2 * sp.Max(1 - 1 / alpha, 0)


def training_limit() -> sp.Expr:
    """The t -> oo limit of the training curve: se2 (1 - 1/alpha) for alpha > 1 (the degrees-of-freedom correction), 0
    below (interpolation)."""
    return se2 * sp.Max(1 - 1 / alpha, 0)


def discretisation_error_bound() -> sp.Expr:
    """sup over k of |exp(-u k) - (1 - u)^k| = u/(2e) + O(u^2) with u = eta lambda: GD's relative distance to the flow,
    to first order in eta, is at most eta lambda_max/(2e), lambda_max at the upper edge (1 + sqrt(alpha))^2."""
    return eta * as_edges()[1] / (2 * sp.E)


# ---- Marchenko-Pastur spectrum of X^T X at finite N ------------------------------------------------------------------
x_cdf = sp.Symbol("x", positive=True)  # the argument of the empirical spectral CDF
TW1_MEAN = sp.Float("-1.2065335745820", 15)  # E of the GOE Tracy-Widom law (Tracy & Widom 1996; Bornemann 2010, Table 3)


def mp_cdf() -> sp.Expr:
    """The fraction of eigenvalues of X^T X at most x: the atom max(1 - alpha, 0) plus the integral of the density from
    the lower edge (Marchenko & Pastur 1967)."""
    lo, hi = as_edges()
    u = sp.Symbol("u", positive=True)
    inside = sp.Integral(as_density(u), (u, lo, sp.Min(sp.Max(x_cdf, lo), hi)))
    return sp.Max(1 - alpha, 0) + sp.re(inside)


def top_eigenvalue_mean() -> sp.Expr:
    """E lambda_max(X^T X) to order N^(-2/3): Johnstone's (2001, Thm 1) centring (sqrt(n - 1) + sqrt(p))^2 plus
    E[TW1] times his scale (sqrt(n - 1) + sqrt(p))(1/sqrt(n - 1) + 1/sqrt(p))^(1/3), n the larger and p the smaller of
    (P, N), all divided by N (the entries of X have variance 1/N)."""
    P = alpha * N
    big, small = sp.Max(P, N), sp.Min(P, N)
    root = sp.sqrt(big - 1) + sp.sqrt(small)
    return (root**2 + TW1_MEAN * root * (1 / sp.sqrt(big - 1) + 1 / sp.sqrt(small)) ** sp.Rational(1, 3)) / N


# ---- wide ReLU networks: arc-cosine kernels, NNGP and NTK (Arora et al.'s parameterisation, c_sigma = 2) ----------
rho = sp.Symbol("rho")  # the cosine between two unit-norm inputs
m = sp.Symbol("m", positive=True)  # hidden width


def arccos1(c: sp.Expr) -> sp.Expr:
    """2 E[relu(u) relu(v)] for unit-variance (u, v) of correlation c: (sqrt(1 - c^2) + (pi - acos c) c)/pi (Cho & Saul
    2009, degree 1, divided by pi)."""
    return (sp.sqrt(1 - c**2) + (sp.pi - sp.acos(c)) * c) / sp.pi


def arccos0(c: sp.Expr) -> sp.Expr:
    """2 E[1{u > 0} 1{v > 0}] = (pi - acos c)/pi (Cho & Saul 2009, degree 0)."""
    return (sp.pi - sp.acos(c)) / sp.pi


def nngp_kernel(depth: int, c: sp.Expr = rho, c_sigma: sp.Expr = 2) -> sp.Expr:
    """Sigma^(L)(x, x') for unit-norm inputs: Sigma^(0) = x.x', Sigma^(h) = c_sigma E[relu(u) relu(v)] over the Gaussian
    of covariance Sigma^(h-1) (Lee et al. 2018; Arora et al. 2019, Eq. 5).  With c_sigma = 2 the diagonal stays 1, so
    Sigma^(h) = arccos1(Sigma^(h-1)); another c_sigma leaves the correlations as they are and scales layer h by
    (c_sigma/2)^h (relu is positively homogeneous)."""
    corr = c
    for _ in range(depth):
        corr = arccos1(corr)
    return (sp.sympify(c_sigma) / 2) ** depth * corr


def ntk_kernel(depth: int, c: sp.Expr = rho, c_sigma: sp.Expr = 2) -> sp.Expr:
    """Theta^(L)(x, x') of an L-hidden-layer ReLU net f = W^(L+1) g^(L), g^(h) = sqrt(c_sigma/m) relu(W^(h) g^(h-1)),
    every weight N(0, 1) and trained, for unit-norm inputs: Theta^(0) = Sigma^(0), Theta^(h) = Theta^(h-1) dSigma^(h) +
    Sigma^(h) with dSigma^(h) = c_sigma E[1{u > 0} 1{v > 0}] (Arora et al. 2019, Thm 3.1 and Eq. 9; Jacot et al. 2018,
    Thm 1).  The parameterisation is c_sigma = 2; another value (a control's wrong form) scales Sigma^(h) by
    (c_sigma/2)^h and dSigma^(h) by c_sigma/2, the correlations unchanged."""
    half = sp.sympify(c_sigma) / 2
    corr, theta = c, c
    for h in range(1, depth + 1):
        dot, corr = half * arccos0(corr), arccos1(corr)
        theta = theta * dot + half**h * corr
    return theta


def two_layer_output_kurtosis() -> sp.Expr:
    """The excess kurtosis of f(x) = m^(-1/2) sum_j a_j relu(w_j.x), a_j ~ N(0,1), w_j ~ N(0, I): 3/m (E h^4/(E h^2)^2 - 1)
    with h = relu(g), g ~ N(0, 1), whose moments E h^2 = 1/2, E h^4 = 3/2 sympy integrates: 15/m (a sum of m iid terms
    a_j h_j has excess kurtosis kappa_1/m, kappa_1 = 3 E h^4/(E h^2)^2 - 3)."""
    g = sp.Symbol("g", real=True)
    phi = sp.exp(-g**2 / 2) / sp.sqrt(2 * sp.pi)
    h2 = sp.integrate(g**2 * phi, (g, 0, sp.oo))
    h4 = sp.integrate(g**4 * phi, (g, 0, sp.oo))
    return 3 * (h4 / h2**2 - 1) / m


# ---- the optimal stopping time (Advani & Saxe 2017, Sec. 2.3) ---------------------------------------------------
snr = sp.Symbol("snr", positive=True)  # sw2/se2, the grid of F6
T_max = sp.Symbol("T", positive=True)  # the horizon searched


def mp_generalization_numeric(times, a: float, e: float, s0: float, s_e: float, s_w: float, nodes: int = 400):
    """generalization_curve() at an array of times, in numpy: the Marchenko-Pastur integral by the substitution
    lambda = c + h cos(theta), which turns the square-root edges into sin^2(theta), and the midpoint rule in theta
    (spectrally accurate for this smooth periodic integrand; tests/test_ntk.py checks it against mpmath)."""
    import numpy as np

    lo, hi = (np.sqrt(a) - 1) ** 2, (np.sqrt(a) + 1) ** 2
    c, h = (hi + lo) / 2, (hi - lo) / 2
    theta = (np.arange(nodes) + 0.5) * np.pi / nodes
    x = c + h * np.cos(theta)
    weight = h**2 * np.sin(theta) ** 2 / (2 * np.pi * x) * (np.pi / nodes)
    d = (1 - e * x)[None, :] ** (np.asarray(times, dtype=float)[:, None] / e)
    modes = ((s_w + s0) * d**2 + s_e / x * (1 - d) ** 2) @ weight
    return modes + max(1 - a, 0) * (s_w + s0) + s_e


def _argmin_time(a, e, s0, s_e, ratio, horizon) -> float:
    """argmin over eta <= t <= horizon of the Marchenko-Pastur test error curve at sw2 = ratio se2: the best of a grid
    of 400 times, refined by golden section (the curve falls, then rises: one minimum)."""
    import numpy as np

    curve = lambda ts: mp_generalization_numeric(ts, a, e, s0, s_e, ratio * s_e)  # noqa: E731
    grid = np.linspace(e, horizon, 400)
    k = int(np.argmin(curve(grid)))
    lo, hi = grid[max(k - 1, 0)], grid[min(k + 1, len(grid) - 1)]
    g = (np.sqrt(5) - 1) / 2
    while hi - lo > 1e-6 * e:
        c, d = hi - g * (hi - lo), lo + g * (hi - lo)
        fc, fd = curve([c, d])
        lo, hi = (lo, d) if fc < fd else (c, hi)
    return float((lo + hi) / 2)


def optimal_stopping_time() -> sp.Expr:
    """t* = argmin_t E_g(t) of the Marchenko-Pastur curve as a sympy function of (alpha, eta, s02, se2, snr, T), found
    numerically (no closed form; each mode's own optimum is t_i* = log(1 + lambda_i (sw2 + s02)/se2)/lambda_i)."""
    from sympy.utilities.lambdify import implemented_function

    f = implemented_function(sp.Function("t_star"), lambda *v: _argmin_time(*(float(u) for u in v)))
    return f(alpha, eta, s02, se2, snr, T_max)


# ---- run builders shared by a claim and its controls: the spec carries numbers, never sympy objects ----------------
# Advani & Saxe's spot-check setting: sigma_w = 1, sigma_0 = 0.3, sigma_eps = 0.5.  The step puts eta lambda_+ near 0.6
# at both ratios (lambda_+ = 2.91 at alpha = 1/2, 5.83 at alpha = 2), so a few hundred steps reach t = 50.
TEACHER = {"sw2": 1.0, "s02": 0.09, "se2": 0.25}
CURVE_STEPS = {0.5: (0.2, (2, 5, 10, 25, 50)), 2.0: (0.1, (5, 10, 20, 50, 100))}  # alpha: (eta, steps of the grid)


def curves_run(alpha_: float, *, N_: int = 100, draws: int = 0, N_exact: int = 0, extra_steps: tuple[int, ...] = (),
               scale_steps: float = 1.0) -> dict:
    """A 'curves' run (F2, F3 and their controls) at alpha_ with the step and time grid of CURVE_STEPS (times
    t = k eta, with extra_steps added; scale_steps shrinks the grid for the test scale)."""
    step, ks = CURVE_STEPS[alpha_]
    ks = sorted({max(1, int(round(k * scale_steps))) for k in (*ks, *extra_steps)})
    return {"sweep": "curves", "N": N_, "alpha": alpha_, "eta": step, "t": [round(k * step, 10) for k in ks],
            "draws": draws, "N_exact": N_exact, **TEACHER}


def cdf_grid(alpha_: float, points: int = 9) -> list[float]:
    """Where the empirical spectral CDF is read: half the lower edge (inside the gap or on the atom), ``points`` points
    evenly inside the support, and 10% beyond the upper edge."""
    import math

    lo, hi = (math.sqrt(alpha_) - 1) ** 2, (math.sqrt(alpha_) + 1) ** 2
    inside = [lo + (hi - lo) * (k + 1) / (points + 1) for k in range(points)]
    return [round(v, 6) for v in (lo / 2, *inside, 1.1 * hi)]


EDGE_ALPHAS = [0.25, 0.5, 2.0, 4.0]


def edges_run(N_: int) -> dict:
    """The extreme eigenvalues and zero fraction of X^T X at N_ parameters for EDGE_ALPHAS (F9 and its control)."""
    return {"sweep": "edges", "N": N_, "alpha": list(EDGE_ALPHAS)}


# Where the finite-width kernels are read: cosines between unit inputs where the kernels are well away from 0 (a
# relative comparison near a zero of the kernel measures noise), and the widths of each depth's sweep.
KERNEL_RHOS = [0.0, 0.25, 0.5, 0.75, 0.9, 1.0]
KERNEL_WIDTHS = {1: [256, 1024, 4096, 16384], 2: [32, 64, 128, 256, 512]}
KERNEL_SEEDS = {1: 250, 2: 400}  # pairs of networks at smoke: the CI of each check at most a quarter of its band


def kernels_run(depth: int, n_seeds: int, widths: list[int] | None = None) -> dict:
    """A 'kernels' run (F15, F16 and their controls): n_seeds pairs of networks of the given depth at each width."""
    return {"sweep": "kernels", "depth": depth, "m": list(widths or KERNEL_WIDTHS[depth]), "rho": list(KERNEL_RHOS),
            "d": 3, "n_seeds": n_seeds}


# ---- early stopping against optimal ridge (Advani & Saxe 2017, Sec. 2.2) ------------------------------------------
def mp_ridge_excess_numeric(a: float, s_e: float, s_w: float, nodes: int = 400) -> float:
    """The Marchenko-Pastur excess error of ridge at the Bayes penalty se2/sw2: int rho [sw2 (l/(x + l))^2 +
    se2 x/(x + l)^2] plus the atom's sw2 (1 - alpha), by the quadrature of mp_generalization_numeric."""
    import numpy as np

    lo, hi = (np.sqrt(a) - 1) ** 2, (np.sqrt(a) + 1) ** 2
    c, h = (hi + lo) / 2, (hi - lo) / 2
    theta = (np.arange(nodes) + 0.5) * np.pi / nodes
    x = c + h * np.cos(theta)
    weight = h**2 * np.sin(theta) ** 2 / (2 * np.pi * x) * (np.pi / nodes)
    pen = s_e / s_w
    return float((s_w * (pen / (x + pen)) ** 2 + s_e * x / (x + pen) ** 2) @ weight + max(1 - a, 0) * s_w)


def _excess_ratio(a, ratio, e, s_e, horizon) -> float:
    """min over the steps t = k eta <= horizon of E_g(t) - se2 for GD from 0 (the times GD visits), over the Bayes
    ridge's excess error, both Marchenko-Pastur integrals."""
    import numpy as np

    steps = e * np.arange(1, int(round(horizon / e)) + 1)
    early = float(np.min(mp_generalization_numeric(steps, a, e, 0.0, s_e, ratio * s_e))) - s_e
    return early / mp_ridge_excess_numeric(a, s_e, ratio * s_e)


def early_stopping_ridge_ratio() -> sp.Expr:
    """(min_k E_g^ES(k eta) - se2)/(E_g^ridge(se2/sw2) - se2) in the Marchenko-Pastur limit, as a sympy function of
    (alpha, snr, eta, se2, T) evaluated numerically: at least 1 (ridge at se2/sw2 is the posterior mean, Bayes-optimal)
    and, by Advani & Saxe's account, close to it."""
    from sympy.utilities.lambdify import implemented_function

    f = implemented_function(sp.Function("excess_ratio"), lambda *v: _excess_ratio(*(float(u) for u in v)))
    return f(alpha, snr, eta, se2, T_max)


# ---- lazy training and the trained network against kernel regression (F17, F19 and their control) ---------------------
# One hidden layer in the parameterisation above (c_sigma = 2, all weights N(0, 1) and trained), antisymmetric
# initialisation so f_0 = 0, full-batch GD on (1/2n)||f - y||^2.  n = 24 points on S^7: eta = 2 keeps eta lambda_max(Theta)/n
# near 1.2 (below the stability edge 2, away from the catapult regime), and 100 steps leave the smallest modes of Theta
# unconverged (the finite-t formula matters).  Widths a factor 4 apart: the slope rests on the ends of the sweep.
TRAINING = {"n": 24, "n_test": 32, "d": 8, "steps": 100, "eta": 2.0}
TRAINING_WIDTHS = {"smoke": [256, 1024, 4096], "full": [256, 1024, 4096, 16384, 65536], "test": [16, 32]}


def training_run(scale: str, n_seeds: int) -> dict:
    """A run of experiments/ntk_training.py: n_seeds data sets, one network per width each, at the scale's widths (the
    test scale also shrinks the data and the steps)."""
    base = {**TRAINING, "n": 8, "n_test": 8, "steps": 5} if scale == "test" else dict(TRAINING)
    return {"m": list(TRAINING_WIDTHS[scale]), "n_seeds": n_seeds, **base}


def training_scales(smoke_seeds: int) -> dict:
    """The three scales of a claim on the ntk_training run "widths" (F17, F17-c1, F19): smoke_seeds data sets at smoke,
    64 at full (on a GPU), 3 at test."""
    seeds = {"smoke": smoke_seeds, "full": 64, "test": 3}
    extra = {"full": dict(gpu=True, runtime_min=30, mem_mb=32000)}
    return {name: Scale(n_seeds=n, runs={"widths": training_run(name, n)}, **extra.get(name, {}))
            for name, n in seeds.items()}
