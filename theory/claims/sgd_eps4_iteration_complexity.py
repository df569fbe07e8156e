"""A2: noisy SGD needs T(eps) = O(beta Delta sigma^2 / eps^4) iterations to reach ||grad L||^2 <= eps^2 (Lelarge, Vie & Scaman 2024, ENS Deep Learning notes §3.4; Ghadimi & Lan 2013, Cor. 2.2)."""

import sympy as sp

from theory import sgd
from theory.claim import Check, Claim, Crossing, Scale
from theory.sources import LELARGE_2024

# sigma2 = 10 puts T* = 2 beta Delta / sigma2 at 0.2, so every eps below has eps^2 <= sigma2/10 and
# T(eps) >= 100 T*: the regime where the catalogue asks for the slope (eps^2 << sigma^2).
# The same levels at both scales (a crossing's levels are part of the check, not of a scale); the full scale's longer
# horizons tighten each crossing's interval.
EPS_SMOKE = (1.0, 0.8, 0.65, 0.5, 0.4, 0.32)


def _run(n: int, t_max: float) -> dict:
    return {"A_vs_T": sgd.quadratic_run(d=10, beta_=1.0, theta0_sq_=2.0, sigma2_=10.0, horizons=sgd.log_grid(5, t_max, n))}


_level = Crossing(symbol="epsilon", values=EPS_SMOKE, level=sgd.epsilon**2, grid="T")


def _t_bound():
    return sgd.iterations_from_bound().subs(sgd.Delta, sgd.delta_quadratic)


def _t_exact():
    """Exact instance: A(T) ~ c/sqrt(T) with c from a sympy limit, so T(eps) ~ c^2 / eps^4."""
    return sgd.tuned_asymptotic_constant() ** 2 / sgd.epsilon**4

CLAIM = Claim(
    id="sgd_eps4_iteration_complexity",
    short_id="A2",
    family="sgd",
    title=r"Noisy SGD needs $O(\varepsilon^{-4})$ iterations to reach an $\varepsilon$-stationary point",
    statement=(
        r"With noise, the tuned step $\eta = O(T^{-1/2})$ reaches $\|\nabla\mathcal{L}\|^2 \le \varepsilon^2$ in "
        r"$T(\varepsilon) = O(\beta\Delta\sigma^2/\varepsilon^4)$ iterations: $\log T$ against $\log\varepsilon$ has slope $-4$."
    ),
    source=LELARGE_2024.at("§3.4 and its summary of rates"),
    reference="Ghadimi & Lan (2013), SIAM J. Optim. 23(4), Cor. 2.2; lower bound Arjevani et al. (2023), Math. Program. 199, Thm 1",
    experiment="sgd",
    protocol=(
        "Quadratic $\\mathcal{L} = \\frac{\\beta}{2}\\|\\theta\\|^2$, d = 10, $\\beta = 1$, $\\|\\theta_0\\|^2 = 2$ ($\\Delta = 1$), "
        "$\\sigma^2 = 10$. A(T) is measured for a dense log grid of horizons, each an independent run with the theorem's "
        "$\\eta(T)$; T($\\varepsilon$) is the first horizon where the seed-mean A(T) falls below $\\varepsilon^2$ "
        "(log-log interpolation between grid points), recomputed on every jackknife resample of the seeds."
    ),
    notes=(
        "What is tested, and what is not: on this instance, with the theorem's step size eta(T) proportional to "
        "T^(-1/2), the crossing time T(eps) scales as eps^-4 with the exact constant. On a quadratic the schedule alone "
        "forces that exponent (A(T) ~ c/sqrt(T) for a linear recursion), so the slope check confirms the rate of the "
        "tuned schedule, not the complexity statement over the function class: neither that eps^-4 suffices for every "
        "beta-smooth function (Ghadimi & Lan's upper bound) nor that it is necessary (Arjevani et al.'s lower bound, "
        "which needs a zero-chain construction). "
        "The notes give an O(·); the bound's own T(ε) (solving $B(T) = \\varepsilon^2$) behaves as "
        "$8\\beta\\Delta\\sigma^2/\\varepsilon^4$, while on the quadratic the exact average gives $2\\beta\\Delta\\sigma^2/\\varepsilon^4$: "
        "same exponent, a constant four times smaller. The exponent −4 is attained only where noise dominates "
        "($\\varepsilon^2 \\ll \\sigma^2$); near $T \\approx T^*$ the local slope is shallower."
    ),
    scales={
        "smoke": Scale(n_seeds=200, runs=_run(n=40, t_max=4000)),
        "full": Scale(n_seeds=1000, runs=_run(n=80, t_max=1.2e5), gpu=True, runtime_min=60),
        "test": Scale(n_seeds=3, runs=_run(n=5, t_max=200)),
    },
    checks=(
        Check(
            name="slope_T_eps",
            kind="loglog_slope",
            run="A_vs_T",
            metric="A",
            x="epsilon",
            crossing=_level,
            prediction=_t_bound,
            limit_point=0,
            tolerance=0.3,
            tolerance_reason=(
                "±0.3 as in the catalogue: on eps^2/sigma^2 in [0.01, 0.1] the exact T(eps) still carries an "
                "O(sqrt(T*/T)) correction that steepens or flattens the fitted slope by a few hundredths, plus grid interpolation."
            ),
            description="log T(eps) against log eps has slope -4, the limit of the bound-derived T(eps) as eps -> 0.",
        ),
        Check(
            name="constant_T_eps",
            kind="curve",
            run="A_vs_T",
            metric="A",
            x="epsilon",
            crossing=_level,
            prediction=_t_exact,
            # c^2/eps^4 is the eps -> 0 limit: compare only where eps^2 <= sigma^2/40 (T(eps) >= ~4000 T*).
            window=(0, sp.sqrt(sgd.sigma2 / 40)),
            tolerance=0.10,
            tolerance_reason=(
                "10% as in the catalogue, on eps^2 <= sigma^2/40 only: c^2/eps^4 is a limit, and the exact A(T) "
                "differs from c/sqrt(T) by O(sqrt(T*/T)) of either sign (about 11% in T(eps) at eps^2 = sigma^2/10, "
                "below 5% from eps^2 = sigma^2/40 on)."
            ),
            description="T(eps) eps^4 tends to 2 beta Delta sigma^2 (c^2, c = lim sqrt(T) A(T) from sympy).",
        ),
    ),
)
