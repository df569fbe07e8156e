"""Negative control for B6: 'optimally tuned ridge still shows the double-descent peak' (wrong: its risk is monotone in gamma; Scaman 2023, Mathematics of Deep Learning slides, 'Overfitting in ML' and 'But... Double descent!'; Nakkiran, Venkat, Kakade & Ma 2021, Thm 1)."""

import sympy as sp

from theory import dd
from theory.claim import Check, Claim, Scale
from theory.sources import SCAMAN_2023

CLAIM = Claim(
    id="dd_control_optimal_ridge_keeps_peak",
    short_id="B6-c1",
    contradicts="B6",
    family="dd",
    title="Control: optimally tuned ridge keeps a peak at the interpolation threshold",
    statement=r"(Wrong on purpose.) With $\lambda^* = \gamma\sigma^2/r^2$ the risk still peaks near $\gamma = 1$, at least 20% above both sides.",
    source=SCAMAN_2023.at("slides 'Overfitting in ML' and 'But... Double descent!' (regularisation read as leaving the peak)"),
    reference="Nakkiran, Venkat, Kakade & Ma (2021), Optimal regularization can mitigate double descent, ICLR, Thm 1",
    experiment="least_squares",
    control=True,
    protocol="As dd_optimal_ridge_removes_peak with 300 trials.",
    notes="Expected to fail: the curve rises monotonically, so its maximum is its last point (prominence 1).",
    scales={"smoke": Scale(n_seeds=300, runs={"ratio": dd.ratio_run(100, "optimal", dd.OPTIMAL_RIDGE_GAMMAS)}),
            "full": Scale(n_seeds=200, runs={"ratio": dd.ratio_run(400, "optimal", dd.OPTIMAL_RIDGE_GAMMAS)}, gpu=True, runtime_min=60, mem_mb=32000),
            "test": Scale(n_seeds=3, runs={"ratio": dd.ratio_run(10, "optimal", [0.5, 1.0, 2.0])})},
    checks=(
        Check(
            name="ridge_peak",
            kind="peak_prominence",
            run="ratio",
            metric="excess_risk",
            x="gamma",
            prediction=sp.Rational(6, 5),
            tolerance=0.0,
            tolerance_reason="The 20% prominence of the neural-network check (dd_nn_modelwise_width_sweep).",
            description="the curve's maximum is at least 1.2 times both the lowest value before it and the last value.",
        ),
    ),
)
