"""Negative control for C5: 'the n-term rate is the fixed-basis n^(-2/p)', Barron's lower bound for non-adaptive bases read as the rate of the random-cosine construction (Dobriban 2019, Stat 991 notes, Theorem 7.2; Barron 1993, IEEE Trans. Inf. Theory 39, the lower bound for linear approximation)."""

from theory import ua
from theory.claim import Check, Claim, Scale
from theory.sources import DOBRIBAN_2019

CLAIM = Claim(
    id="ua_control_barron_fixed_basis_rate",
    short_id="C5-c1",
    contradicts="C5",
    family="ua",
    title="Control: the random-cosine error decays like the fixed-basis rate $n^{-2/p}$",
    statement=(
        r"(Wrong on purpose.) The squared error of $n$ terms decays like $n^{-2/p}$, the curse of dimensionality of "
        r"fixed bases: slope $-1/16$ at $p = 32$."
    ),
    source=DOBRIBAN_2019.at("§7.3 'Approximation theory', Theorem 7.2 (Barron, 1993) and 'Curse of dimensionality'"),
    reference="Barron (1993): n^(-2/p) bounds fixed (non-adaptive) bases; adaptive ridge functions reach 1/n",
    experiment="ua_maurey",
    control=True,
    protocol="As ua_barron_rate at p = 32, its own seeds.",
    notes="Expected to fail by about 0.94 in the slope, far outside the ±0.05 band.",
    scales={
        "smoke": Scale(n_seeds=16, runs={"p32": {"p": 32, "n": ua.C5_NS, "n_points": 2000}}),
        "full": Scale(n_seeds=50, runs={"p32": {"p": 32, "n": ua.C5_NS + [1000, 3162], "n_points": 4000}}, gpu=True),
        "test": Scale(n_seeds=3, runs={"p32": {"p": 32, "n": [10, 32, 100], "n_points": 200}}),
    },
    checks=(
        Check(
            name="slope_fixed_basis",
            kind="loglog_slope",
            run="p32",
            metric="mse",
            x="n",
            prediction=ua.fixed_basis_rate,
            tolerance=0.05,
            tolerance_reason="The band of the real slope checks (slope_p32).",
            description="the log-log slope of the MSE in n is -2/p = -1/16 within ±0.05.",
        ),
    ),
)
