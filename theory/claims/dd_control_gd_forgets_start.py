"""Negative control for B5: 'GD on least squares converges to the minimum-norm solution independently of initial conditions' (the notes' sentence applied to plain GD; wrong: it keeps (I - X^+ X) theta_0; 001_ea3a814a9c5521db.txt lines 6010-6024)."""

import sympy as sp

from theory.claim import Check, Claim, Scale
from theory.claims.implicit_reg_gd_minnorm import RUN

CLAIM = Claim(
    id="dd_control_gd_forgets_start",
    family="dd",
    title="Control: plain GD reaches the min-norm solution from any start",
    statement=r"(Wrong on purpose.) Plain GD on least squares converges to $X^+y$ whatever $\theta_0$.",
    source="001_ea3a814a9c5521db.txt lines 6010-6024 ('independently of initial conditions'), read for plain GD",
    reference="GD keeps the null-space component: theta_inf = X^+ y + (I - X^+ X) theta_0",
    experiment="gd_minnorm",
    depends=("dd",),
    control=True,
    protocol="As implicit_reg_gd_minnorm, own seeds.",
    notes="Expected to fail from the random start (gap 0.95 of ||X^+ y||); it holds from theta_0 = 0.",
    scales={"smoke": Scale(n_seeds=10, runs=RUN), "full": Scale(n_seeds=100, runs=RUN)},
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
