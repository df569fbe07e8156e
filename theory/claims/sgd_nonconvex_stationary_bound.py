"""A1: non-convex SGD with the tuned step reaches E||grad L||^2 <= 4 beta Delta/T + sqrt(8 beta Delta sigma^2/T) (Lelarge, Vie & Scaman 2024, ENS Deep Learning notes §3.4; Ghadimi & Lan 2013, Thm 2.1)."""

from theory import sgd
from theory.claim import Check, Claim, Erratum, Scale
from theory.sources import LELARGE_2024



def _runs(n_quad: int, n_cos: int, t_max_quad: float, t_max_cos: float) -> dict:
    return {
        # sigma2 = 0.1: T* = 2 beta Delta / sigma2 = 20, so [10 T*, 1000 T*] = [200, 2e4].
        "quadratic_s0.1": sgd.quadratic_run(
            d=10, beta_=1.0, theta0_sq_=2.0, sigma2_=0.1, horizons=sgd.log_grid(10, t_max_quad, n_quad)
        ),
        "quadratic_s1": sgd.quadratic_run(
            d=10, beta_=1.0, theta0_sq_=2.0, sigma2_=1.0, horizons=sgd.log_grid(10, t_max_quad / 2, n_quad - 1)
        ),
        # Start just off the local maximum at the origin; deterministic so that Delta is a constant.
        "cosine": sgd.cosine_run(d=10, theta0_=0.1, sigma2_=1.0, horizons=sgd.log_grid(10, t_max_cos, n_cos)),
    }


_quad_bound = sgd.bound.subs(sgd.Delta, sgd.delta_quadratic)


def _cos_bound():
    return sgd.bound.subs(sgd.Delta, sgd.delta_cosine()).subs(sgd.beta, sgd.cosine_beta())


_BOUND_WHY = "A bound: no slack is allowed; the upper end of the 95% CI must lie below it at every T."
_CURVE_WHY = (
    "3% as in the catalogue: the formula is exact, so the only error is Monte-Carlo; at 200 seeds "
    "the CI half-width is about 1% of A(T), leaving room for float64 round-off and nothing else."
)

checks = []
for run, bound in (("quadratic_s0.1", _quad_bound), ("quadratic_s1", _quad_bound), ("cosine", _cos_bound)):
    for metric, what in (("A", "the average A(T) of the squared gradient norms"), ("M", "the minimum M(T)")):
        checks.append(
            Check(
                name=f"bound_{metric}_{run}",
                kind="bound_holds",
                run=run,
                metric=metric,
                x="T",
                prediction=bound,
                tolerance=0.0,
                tolerance_reason=_BOUND_WHY,
                description=f"E over seeds of {what} lies below B(T) on the {run} instance.",
            )
        )
for run in ("quadratic_s0.1", "quadratic_s1"):
    checks.append(
        Check(
            name=f"exact_A_{run}",
            kind="curve",
            run=run,
            metric="A",
            x="T",
            prediction=sgd.tuned_average_grad_sq,
            tolerance=0.03,
            tolerance_reason=_CURVE_WHY,
            description="A(T) equals the exact geometric sum of E||grad L(theta_t)||^2 on the quadratic.",
        )
    )
checks.append(
    Check(
        name="slope_A_quadratic_s0.1",
        kind="loglog_slope",
        run="quadratic_s0.1",
        metric="A",
        x="T",
        # On [10 T*, 1000 T*] eta(T) is on its noise branch; the predicted slope is the limit.
        prediction=lambda: sgd.tuned_average_grad_sq(noise_branch=True),
        window=(lambda: 10 * sgd.quadratic_t_star(), lambda: 1000 * sgd.quadratic_t_star()),
        tolerance=0.05,
        tolerance_reason=(
            "±0.05 as in the catalogue: the exact A(T) is not yet a power law on [10T*, 1000T*]; its "
            "own OLS slope there is about -0.515 (reported as the window value), inside the band."
        ),
        description="log-log slope of A(T) for T >> T* is -1/2 (the sqrt(1/T) term dominates).",
    )
)

CLAIM = Claim(
    id="sgd_nonconvex_stationary_bound",
    short_id="A1",
    family="sgd",
    title=r"Non-convex SGD with the tuned step reaches an $O(1/\sqrt{T})$ stationary point",
    statement=(
        r"If $\mathcal{L}$ is $\beta$-smooth, the stochastic gradients are unbiased with variance at most "
        r"$\sigma^2$ and $\Delta = \mathcal{L}(\theta_0) - \inf \mathcal{L}$, SGD with "
        r"$\eta = \min(1/\beta, \sqrt{2\Delta/(T\beta\sigma^2)})$ achieves "
        r"$\mathbb{E}[\min_{t<T} \|\nabla\mathcal{L}(\theta_t)\|^2] \le 4\beta\Delta/T + \sqrt{8\beta\Delta\sigma^2/T}$."
    ),
    source=LELARGE_2024.at("§3.4, the assumptions and the theorem"),
    reference="Ghadimi & Lan (2013), SIAM J. Optim. 23(4):2341–2368, Thm 2.1 and Cor. 2.2",
    experiment="sgd",
    protocol=(
        "Three instances. Quadratic $\\mathcal{L} = \\frac{\\beta}{2}\\|\\theta\\|^2$ in d = 10, $\\beta = 1$, "
        "$\\|\\theta_0\\|^2 = 2$ (so $\\Delta = 1$), additive Gaussian noise of total variance $\\sigma^2 \\in \\{0.1, 1\\}$; "
        "non-convex $\\mathcal{L} = \\sum_i (\\theta_i^2/2 + 3\\cos\\theta_i)$ in d = 10 ($\\beta = 4$ from sympy, "
        "$\\inf\\mathcal{L}$ from a root solve of $x = 3\\sin x$), $\\theta_0 = 0.1\\cdot\\mathbf{1}$, $\\sigma^2 = 1$. "
        "For each horizon T of a log grid, an independent SGD run of T steps with the theorem's $\\eta(T)$, all "
        "horizons and seeds batched as tensor dimensions; per seed A(T) = mean and M(T) = min of "
        "$\\|\\nabla\\mathcal{L}(\\theta_t)\\|^2$ over t < T. 95% jackknife-t intervals over seeds."
    ),
    notes=(
        "The notes write $\\mathbb{V}[\\tilde\\nabla_t] \\le \\sigma^2$: it must mean total variance "
        "$\\mathbb{E}\\|\\tilde\\nabla_t - \\nabla\\mathcal{L}(\\theta_t)\\|^2 \\le \\sigma^2$, and $\\mathcal{L}(\\theta^*)$ must be "
        "$\\inf\\mathcal{L}$. The proof bounds the average $\\frac{1}{T}\\sum_t \\mathbb{E}\\|\\nabla\\mathcal{L}_t\\|^2$ "
        "(a stronger statement than the min; Ghadimi & Lan state it for a random iterate), so both are checked. "
        "The theorem's $4\\beta\\Delta/T$ is twice what the descent lemma gives. On the quadratic the exact A(T) "
        "tends to $\\sqrt{2\\beta\\Delta\\sigma^2/T}$, half the bound's noise term: the bound holds with room, and "
        "the $T^{-1/2}$ rate is attained."
    ),
    errata=(
        Erratum(
            kind="imprecise",
            notes_say=r"The assumptions $\mathbb{V}[\tilde\nabla_t] \le \sigma^2$ and $\Delta = \mathcal{L}(\theta_0) - \mathcal{L}(\theta^*)$.",
            correction=(r"The variance must be the total variance $\mathbb{E}\|\tilde\nabla_t - \nabla\mathcal{L}(\theta_t)\|^2 \le \sigma^2$ "
                        r"(a per-coordinate reading makes the bound $d$ times too small) and $\mathcal{L}(\theta^*)$ must be "
                        r"$\inf\mathcal{L}$, since a non-convex loss need not have a minimiser. The proof then bounds the average "
                        r"$\frac{1}{T}\sum_t \mathbb{E}\|\nabla\mathcal{L}_t\|^2$, a stronger statement than the minimum; both are checked."),
            reference="Ghadimi & Lan (2013), SIAM J. Optim. 23(4), assumption A1 and Thm 2.1",
        ),
    ),
    scales={
        "smoke": Scale(n_seeds=1000, runs=_runs(n_quad=12, n_cos=9, t_max_quad=2e4, t_max_cos=1e4)),
        "full": Scale(n_seeds=2000, runs=_runs(n_quad=20, n_cos=14, t_max_quad=2e5, t_max_cos=1e5), gpu=True, runtime_min=60),
        "test": Scale(n_seeds=3, runs=_runs(n_quad=3, n_cos=3, t_max_quad=200, t_max_cos=100)),
    },
    checks=tuple(checks),
)
