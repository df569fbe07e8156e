"""Negative control for B1: 'the double-descent peak sits at p = n/2' (wrong: the interpolation threshold is p = n; Scaman 2023, Mathematics of Deep Learning slides, 'But... Double descent!'; Belkin, Hsu & Xu 2020, Thm 1)."""

from theory import dd
from theory.claim import Check, Claim, Scale
from theory.sources import SCAMAN_2023

CLAIM = Claim(
    id="dd_control_peak_at_half_n",
    short_id="B1-c1",
    contradicts="B1",
    family="dd",
    title="Control: the min-norm least-squares risk peaks at $p = n/2$",
    statement=r"(Wrong on purpose.) The test risk of min-norm least squares is largest when the model uses p = n/2 features.",
    source=SCAMAN_2023.at("slide 'But... Double descent!', with the threshold misplaced"),
    reference="Belkin, Hsu & Xu (2020), Thm 1: the pole is at p = n",
    experiment="least_squares",
    control=True,
    protocol="As dd_minnorm_ls_finite_sample_risk with 500 trials.",
    notes="Expected to fail: the measured peak is at n +- 2.",
    scales={"smoke": Scale(n_seeds=500, runs=dd.features_run(40)), "full": Scale(n_seeds=100, runs=dd.features_run(1000, 10), gpu=True, runtime_min=60, mem_mb=64000),
            "test": Scale(n_seeds=3, runs=dd.features_run(10))},
    checks=(
        Check(
            name="peak_at_half_n",
            kind="extremum_location",
            run="features",
            metric="risk",
            x="p",
            prediction=dd.n / 2,
            tolerance=0.1,
            tolerance_reason="The band of the real peak check.",
            description="the measured curve peaks at p = n/2 (within ±10%).",
        ),
    ),
)
