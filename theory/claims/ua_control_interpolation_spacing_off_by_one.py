"""Negative control (near miss) for C1: 'k knots make k intervals', h = 2/k instead of 2/(k - 1) in ||f''|| h^2/8 (Massias 2025, Deep learning 1/2, one-layer theorem; the interpolation bound)."""

from theory import ua
from theory.claim import Check, Claim, Scale
from theory.comparisons import X_MAX
from theory.sources import MASSIAS_2025

SHARP_FROM = 65

CLAIM = Claim(
    id="ua_control_interpolation_spacing_off_by_one",
    short_id="C1-c1",
    contradicts="C1",
    near_miss=True,
    family="ua",
    title=r"Control: the interpolant's sup error with the knot spacing miscounted, $2\pi^2/k^2$",
    statement=(
        r"(Wrong on purpose, by an off-by-one.) With $k$ knots on $[-1, 1]$ the spacing is taken as $h = 2/k$, so the sup "
        r"error would be $\|f''\|_\infty h^2/8 = 2\pi^2/k^2$."
    ),
    source=MASSIAS_2025.at("'Approximation property: two universal approximation theorems', Theorem (1 layer on compact sets)"),
    reference="k knots make k - 1 intervals: h = 2/(k - 1)",
    experiment="ua_interpolant",
    control=True,
    deterministic=True,
    protocol="As ua_one_hidden_layer_nonpolynomial: the same construction and sweep, its own run.",
    notes=(
        "A near miss: the wrong prediction is (k/(k - 1))^2 - 1 = 3.1% below the right one at k = 65 and 1.6% at "
        "k = 129, that is 1.6 and 0.8 band widths of the real check's ±1% band (width 2%); the check fails at k = 65 "
        "(measured/predicted 1.025) and k = 129 (1.014). The experiment is deterministic, so the failure is the same at "
        "every base seed."
    ),
    scales={
        "smoke": Scale(n_seeds=1, runs=ua.interpolant_run()),
        "full": Scale(n_seeds=1, runs=ua.interpolant_run(ua.C1_KNOTS + [2049, 4097, 8193])),
        "test": Scale(n_seeds=1, runs={"interpolant": {"k": [5, 65, 129], "probes": 9}}),
    },
    checks=(
        Check(
            name="bound_is_sharp_with_h_2_over_k",
            kind="curve",
            run="interpolant",
            metric="sup_error",
            x="k",
            prediction=ua.c1_sup_error_off_by_one,
            window=(SHARP_FROM, X_MAX),
            tolerance=float(ua.C1_RATIO_TOLERANCE),
            tolerance_reason="The band and window of the real check (bound_is_sharp).",
            description="the sup error is within 1% of 2 pi^2/k^2 from k = 65 on.",
        ),
    ),
)
