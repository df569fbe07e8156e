"""Negative control for A1: 'the theorem's bound is attained on the quadratic' (wrong: A(T) tends to half of the bound's noise term; Lelarge, Vie & Scaman 2024, ENS Deep Learning notes §3.4)."""

from theory import sgd
from theory.claim import Check, Claim, Scale
from theory.sources import LELARGE_2024


def _run(n: int, t_max: float) -> dict:
    return {"quadratic_s1": sgd.quadratic_run(d=10, beta_=1.0, theta0_sq_=2.0, sigma2_=1.0, horizons=sgd.log_grid(10, t_max, n))}


CLAIM = Claim(
    id="sgd_control_bound_is_tight",
    short_id="A1-c1",
    contradicts="A1",
    family="sgd",
    title="Control: the SGD bound is attained (within 3%) on the isotropic quadratic",
    statement=(
        r"(Wrong on purpose.) On the isotropic quadratic the average squared gradient of tuned SGD equals the bound "
        r"$4\beta\Delta/T + \sqrt{8\beta\Delta\sigma^2/T}$."
    ),
    source=LELARGE_2024.at("§3.4, the theorem"),
    reference="the exact geometric sum of sgd_nonconvex_stationary_bound: A(T) ~ sqrt(2 beta Delta sigma^2 / T)",
    experiment="sgd",
    control=True,
    protocol="Quadratic, sigma^2 = 1, as in sgd_nonconvex_stationary_bound, own seeds.",
    notes="Expected to fail: the measured A(T) is about half the bound.",
    scales={
        "smoke": Scale(n_seeds=50, runs=_run(8, 2000)),
        "full": Scale(n_seeds=500, runs=_run(16, 1e5), gpu=True),
        "test": Scale(n_seeds=3, runs=_run(3, 100)),
    },
    checks=(
        Check(
            name="bound_as_curve",
            kind="curve",
            run="quadratic_s1",
            metric="A",
            x="T",
            prediction=sgd.bound.subs(sgd.Delta, sgd.delta_quadratic),
            tolerance=0.03,
            tolerance_reason="The same 3% as the exact-curve check.",
            description="A(T) equals B(T) within 3% at every horizon.",
        ),
    ),
)
