"""Negative control for B5: 'GD on least squares converges to the minimum-norm solution independently of initial conditions' (wrong: plain GD keeps (I - X^+ X) theta_0; Dobriban 2019, Stat 991 notes §7.5, its sentence on vanishing regularisation read for plain GD)."""

import sympy as sp

from theory import dd
from theory.claim import Check, Claim, Scale
from theory.sources import DOBRIBAN_2019

CLAIM = Claim(
    id="dd_control_gd_forgets_start",
    short_id="B5-c1",
    contradicts="B5",
    family="dd",
    title="Control: plain GD reaches the min-norm solution from any start",
    statement=r"(Wrong on purpose.) Plain GD on least squares converges to $X^+y$ whatever $\theta_0$.",
    source=DOBRIBAN_2019.at("§7.5 Generalization ('independently of initial conditions'), read for plain GD"),
    reference="GD keeps the null-space component: theta_inf = X^+ y + (I - X^+ X) theta_0",
    experiment="gd_minnorm",
    control=True,
    protocol="As implicit_reg_gd_minnorm, own seeds.",
    notes="Expected to fail from the random start (gap 0.95 of ||X^+ y||); it holds from theta_0 = 0.",
    scales={"smoke": Scale(n_seeds=10, runs=dd.gd_run()), "full": Scale(n_seeds=100, runs=dd.gd_run()),
            "test": Scale(n_seeds=3, runs=dd.gd_run(n=10, p=40, steps=50, lam=(1e-6, 1e-5, 1e-4)))},
    checks=(
        Check(
            name="forgets_start",
            kind="bound_holds",
            run="gd",
            metric="minnorm_gap",
            x="theta0_scale",
            prediction=sp.Float(1e-6),
            reduce="max",
            scale="absolute",
            tolerance=0.0,
            tolerance_reason="The bound of the real GD check.",
            description="||theta_GD - X^+ y|| / ||X^+ y|| < 1e-6 from both starts.",
        ),
    ),
)
