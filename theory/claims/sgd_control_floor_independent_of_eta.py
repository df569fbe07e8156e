"""Negative control for A4: 'the constant-step noise floor does not depend on the step size' (wrong: it grows linearly in eta; Lelarge, Vie & Scaman 2024, ENS Deep Learning notes §3.4)."""

from theory import sgd
from theory.claim import Check, Claim, Scale
from theory.sources import LELARGE_2024

CLAIM = Claim(
    id="sgd_control_floor_independent_of_eta",
    short_id="A4-c1",
    contradicts="A4",
    family="sgd",
    title=r"Control: the constant-step noise floor is independent of $\eta$",
    statement=(
        r"(Wrong on purpose.) Constant-step SGD stalls at a floor set by the noise alone, "
        r"$\lim_t \mathbb{E}\|\nabla\mathcal{L}\|^2 = \beta\sigma^2/2$, whatever the step size."
    ),
    source=LELARGE_2024.at("§3.4 (the floor read without its sqrt(eta beta) factor)"),
    reference="the exact floor eta beta sigma^2 / (2 - eta beta) of sgd_constant_step_noise_floor",
    experiment="sgd",
    control=True,
    protocol="Same instance as sgd_constant_step_noise_floor on the small-step grid, own seeds.",
    notes="Expected to fail: the measured floor has slope about +1 in eta.",
    scales={
        "smoke": Scale(n_seeds=20, runs={"floor": sgd.floor_run(etas=[0.01, 0.02, 0.05], burn_in=1000, steps=20000)}),
        "full": Scale(n_seeds=200, runs={"floor": sgd.floor_run(etas=[0.005, 0.01, 0.02, 0.05], burn_in=5000, steps=200000)}, gpu=True),
        "test": Scale(n_seeds=3, runs={"floor": sgd.floor_run(etas=[0.02, 0.05], burn_in=50, steps=100)}),
    },
    checks=(
        Check(
            name="floor_slope_small_eta",
            kind="loglog_slope",
            run="floor",
            metric="A",
            x="eta",
            prediction=sgd.beta * sgd.sigma2 / 2 + 0 * sgd.eta,
            limit_point=0,
            tolerance=0.05,
            tolerance_reason="The same ±0.05 band as the real slope check.",
            description="the floor has log-log slope 0 in eta.",
        ),
    ),
)
