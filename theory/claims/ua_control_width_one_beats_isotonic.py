"""Negative control for C3a: 'a deep enough width-1 ReLU net beats the isotonic bound on the tent', depth read as a substitute for width (Massias 2025, Deep learning 1/2, minimal-width theorem; Park, Yun, Lee & Shin 2021, ICLR, Thm 1)."""

import sympy as sp

from theory import ua
from theory.claim import Check, Claim, Scale
from theory.sources import MASSIAS_2025

CLAIM = Claim(
    id="ua_control_width_one_beats_isotonic",
    short_id="C3a-c1",
    contradicts="C3a",
    family="ua",
    title="Control: a deep width-1 ReLU net can beat the isotonic bound",
    statement=(
        r"(Wrong on purpose.) Depth makes up for width: some width-1 net of depth up to 10 has MSE on the tent below "
        r"$(19 - 7\sqrt7)/6$."
    ),
    source=MASSIAS_2025.at("'Approximation property: two universal approximation theorems', Theorem (ReLU activation, arbitrary depth, minimal width)"),
    reference="Park et al. (2021), Thm 1: below width max(n + 1, m) no depth suffices",
    experiment="ua_narrow",
    control=True,
    protocol="As ua_minimal_width_relu_lp's width-1 run, own seeds.",
    notes="Expected to fail at every depth: a monotone function cannot go below the isotonic bound.",
    scales={
        "smoke": Scale(n_seeds=16, runs={"width1": ua.narrow_runs()["width1"]}),
        "full": Scale(n_seeds=64, runs={"width1": ua.narrow_runs(list(range(1, 21)), (2,), 100000, 2000, 2000)["width1"]}, gpu=True),
        "test": Scale(n_seeds=3, runs={"width1": ua.narrow_runs([1, 3], (2,), 1000, 50, 20)["width1"]}),
    },
    checks=(
        Check(
            name="width_one_below_isotonic_bound",
            kind="bound_holds",
            run="width1",
            metric="mse",
            x="depth",
            prediction=lambda: ua.isotonic_bound() * (1 - sp.Rational(1, 10**6)),
            bound="upper",
            reduce="min",
            tolerance=0.0,
            tolerance_reason=(
                "No margin, as the real separation check; the bound is lowered by the 1e-6 grid resolution of the real "
                "lower-bound check, so that a net sitting on the grid's own optimum (6.9e-8 below the integral) does "
                "not count as beating it."
            ),
            description="the best width-1 net over seeds goes below the isotonic bound at every depth.",
        ),
    ),
)
