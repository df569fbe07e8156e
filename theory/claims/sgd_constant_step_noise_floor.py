"""A4: SGD at a constant step stalls at E||grad L||^2 = eta beta sigma^2 / (2 - eta beta) on the isotropic quadratic, the notes' O(sqrt(eta beta) sigma) floor (Lelarge, Vie & Scaman 2024, ENS Deep Learning notes §3.4)."""

from theory import sgd
from theory.claim import Check, Claim, Erratum, Scale
from theory.sources import LELARGE_2024

ETAS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 0.9]


CLAIM = Claim(
    id="sgd_constant_step_noise_floor",
    short_id="A4",
    family="sgd",
    title=r"Constant-step SGD stalls at a noise floor $\eta\beta\sigma^2/(2 - \eta\beta)$",
    statement=(
        r"If $\eta$ is fixed and $\sigma > 0$, $\|\nabla\mathcal{L}(\theta_t)\|$ does not go to zero: there is a floor of "
        r"order $\sqrt{\eta\beta}\,\sigma$. On the isotropic quadratic it is exactly "
        r"$\lim_t \mathbb{E}\|\nabla\mathcal{L}(\theta_t)\|^2 = \eta\beta\sigma^2/(2 - \eta\beta)$."
    ),
    source=LELARGE_2024.at("§3.4; also Massias (2025), the SGD slide 'Convergence results'"),
    reference="Exact stationary variance of the AR(1) recursion theta' = (1 - eta beta) theta - eta xi; cf. Bottou, Curtis & Nocedal (2018), SIAM Rev. 60(2), Thm 4.6",
    experiment="sgd",
    protocol=(
        "Quadratic $\\mathcal{L} = \\frac{\\beta}{2}\\|\\theta\\|^2$, d = 10, $\\beta = 2$, additive Gaussian noise with "
        "$\\sigma^2 = 1$, start at the minimiser; all step sizes and seeds in one batched tensor; a burn-in of "
        "1000 steps ($\\rho^{1000} < 10^{-17}$ at the smallest step), then the time average of $\\|\\nabla\\mathcal{L}\\|^2$."
    ),
    notes=(
        "The floor is a stationary expectation: single iterates still fluctuate down to 0. In the notes' O(·) the floor of "
        "the norm is $\\sqrt{\\eta\\beta}\\sigma$ up to $1/\\sqrt{2 - \\eta\\beta}$, which diverges at $\\eta = 2/\\beta$. "
        "With multiplicative noise (interpolating finite sums) the floor vanishes (Ma, Bassily & Belkin 2018)."
    ),
    errata=(
        Erratum(
            kind="loose",
            notes_say=r"A constant step leaves SGD at a noise floor of order $\sqrt{\eta\beta}\,\sigma$.",
            correction=(r"On a quadratic the stationary floor is exactly $\eta\beta\sigma^2/(2 - \eta\beta)$ for "
                        r"$\mathbb{E}\|\nabla\mathcal{L}\|^2$: the order-of-magnitude statement hides the factor "
                        r"$1/(2 - \eta\beta)$, which diverges at the stability edge $\eta = 2/\beta$; the first-order floor "
                        r"$\eta\beta\sigma^2/2$ is rejected by the near-miss control A4-c2."),
            reference="Exact stationary variance of the AR(1) recursion; Bottou, Curtis & Nocedal (2018), SIAM Review 60(2), Thm 4.6",
        ),
    ),
    scales={
        "smoke": Scale(n_seeds=40, runs={"floor": sgd.floor_run(etas=ETAS, burn_in=1000, steps=20000)}),
        "full": Scale(n_seeds=200, runs={"floor": sgd.floor_run(etas=ETAS, burn_in=5000, steps=200000)}, gpu=True),
        "test": Scale(n_seeds=3, runs={"floor": sgd.floor_run(etas=[0.02, 0.5], burn_in=50, steps=100)}),
    },
    checks=(
        Check(
            name="floor_exact",
            kind="curve",
            run="floor",
            metric="A",
            x="eta",
            prediction=sgd.noise_floor,
            tolerance=0.03,
            tolerance_reason=(
                "3% as in the catalogue: the formula is exact; the time average over 2e4 steps and 20 seeds "
                "has a CI half-width of about 1% at the smallest step, where the autocorrelation is longest."
            ),
            description="the stationary E||grad L||^2 equals eta beta sigma^2 / (2 - eta beta) at every step size.",
        ),
        Check(
            name="floor_slope_small_eta",
            kind="loglog_slope",
            run="floor",
            metric="A",
            x="eta",
            prediction=sgd.noise_floor,
            limit_point=0,
            window=(0, 0.05),
            tolerance=0.05,
            tolerance_reason=(
                "±0.05 as in the catalogue: on eta <= 0.05 the exact floor's own log-log slope is "
                "1 + O(eta beta), about 1.03 on this grid."
            ),
            description="for eta beta << 1 the floor is linear in eta (slope +1), i.e. the norm scales as sqrt(eta beta) sigma.",
        ),
    ),
)
