"""Negative control for A1: 'noisy SGD with the tuned step converges at the noiseless rate 1/T' (wrong: the rate is T^-1/2; Lelarge, Vie & Scaman 2024, ENS Deep Learning notes §3.4)."""

from theory import sgd
from theory.claim import Check, Claim, Scale
from theory.sources import LELARGE_2024

def _run(n: int, t_max: float) -> dict:
    return {"quadratic_s0.1": sgd.quadratic_run(d=10, beta_=1.0, theta0_sq_=2.0, sigma2_=0.1, horizons=sgd.log_grid(10, t_max, n))}


CLAIM = Claim(
    id="sgd_control_tuned_rate_minus_one",
    short_id="A1-c2",
    contradicts="A1",
    family="sgd",
    title="Control: tuned noisy SGD has log-log slope $-1$ in $T$",
    statement=(
        r"(Wrong on purpose.) The average squared gradient of tuned noisy SGD decays like the first term of the bound, "
        r"$4\beta\Delta/T$, i.e. with slope $-1$ in T, also for $T \gg T^*$."
    ),
    source=LELARGE_2024.at("§3.4 (the theorem's first term taken alone)"),
    reference="Ghadimi & Lan (2013), Thm 2.1: the sqrt(1/T) term dominates for T >> T*",
    experiment="sgd",
    control=True,
    protocol="Same instance and measurement as the slope check of sgd_nonconvex_stationary_bound (quadratic, sigma^2 = 0.1), own seeds.",
    notes="Expected to fail: the measured slope is about -1/2.",
    scales={
        "smoke": Scale(n_seeds=100, runs=_run(12, 2e4)),
        "full": Scale(n_seeds=1000, runs=_run(20, 2e5), gpu=True),
        "test": Scale(n_seeds=3, runs=_run(3, 200)),
    },
    checks=(
        Check(
            name="slope_A_quadratic_s0.1",
            kind="loglog_slope",
            run="quadratic_s0.1",
            metric="A",
            x="T",
            prediction=4 * sgd.beta * sgd.delta_quadratic / sgd.T,
            window=(lambda: 10 * sgd.quadratic_t_star(), lambda: 1000 * sgd.quadratic_t_star()),
            tolerance=0.05,
            tolerance_reason="The same ±0.05 band as the real slope check.",
            description="log-log slope of A(T) on [10 T*, 1000 T*] equals -1.",
        ),
    ),
)
