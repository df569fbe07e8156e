"""Negative control for C2: 'x^2 networks approach |x| as the width grows', at the rate a non-polynomial activation achieves on a 1-Lipschitz target (Massias 2025, Deep learning 1/2, one-layer theorem with its hypothesis dropped)."""

from theory import ua
from theory.claim import Check, Claim, Scale
from theory.comparisons import X_MAX
from theory.sources import MASSIAS_2025

CLAIM = Claim(
    id="ua_control_square_nets_approach_abs",
    short_id="C2-c1",
    contradicts="C2",
    family="ua",
    title="Control: $x^2$ networks approach $|x|$ as the width grows",
    statement=(
        r"(Wrong on purpose.) Universal approximation without the non-polynomial hypothesis: the best $x^2$ network of "
        r"width $w$ is within $1/(w - 1)$ of $|x|$ in sup norm, the interpolation rate of a width-$w$ ReLU layer on a "
        r"1-Lipschitz target."
    ),
    source=MASSIAS_2025.at("'Approximation property: two universal approximation theorems', Theorem (1 layer), hypothesis dropped"),
    reference="Leshno et al. (1993), Thm 1: polynomial activations are exactly the non-universal ones",
    experiment="ua_polynomial",
    control=True,
    protocol="As ua_polynomial_activation_fails, own seeds.",
    notes="Expected to fail from width 8 on: the best sup error stays near 0.188 (at least 1/8) against 1/7, 1/31, ...",
    scales={
        "smoke": Scale(n_seeds=10, runs=ua.square_net_run()),
        "full": Scale(n_seeds=50, runs=ua.square_net_run(ua.C2_WIDTHS + [4096], 20001, 2000, 50), gpu=True),
        "test": Scale(n_seeds=3, runs=ua.square_net_run([2, 16], 201, 30, 3)),
    },
    checks=(
        Check(
            name="sup_error_shrinks_with_width",
            kind="bound_holds",
            run="square_nets",
            metric="sup_error",
            x="width",
            prediction=ua.c2_lipschitz_rate,
            bound="upper",
            reduce="min",
            window=(8, X_MAX),
            tolerance=0.0,
            tolerance_reason="An upper bound as the claim states it: no margin.",
            description="the best x^2 network of width w has sup error at most 1/(w - 1) for w >= 8.",
        ),
    ),
)
