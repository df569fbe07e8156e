"""F3: the training error of gradient descent on a linear student, (1/P)[sum_{lambda_i > 0} (lambda_i (sw2 + s02) + se2) d_i^2 + se2 max(P - N, 0)], exact at a fixed design, with its limits se2 (1 - 1/alpha) above alpha = 1 and 0 below (Dobriban 2019, Stat 991 notes §7.10, 'Training error dynamics'; Advani & Saxe 2017, Sec. 2.6)."""

import sympy as sp

from theory import ntk
from theory.claim import Check, Claim, Scale
from theory.comparisons import X_MAX
from theory.sources import DOBRIBAN_2019

EXTRA = {0.5: (100, 250), 2.0: (200, 500)}  # steps reaching t = 20 and 50 at each ratio's eta
# Draws per design: at alpha = 1/2 (P = 50) the training error is a mean over few residuals and varies more.
DRAWS = {0.5: 2500, 2.0: 1000}
RUNS = {name: ntk.curves_run(a, draws=DRAWS[a], N_exact=400, extra_steps=EXTRA[a]) for name, a in (("alpha_half", 0.5), ("alpha_two", 2.0))}
TEST = {name: ntk.curves_run(a, N_=10, draws=20, N_exact=20, extra_steps=EXTRA[a], scale_steps=0.1)
        for name, a in (("alpha_half", 0.5), ("alpha_two", 2.0))}
# Below alpha = 1 the training error falls towards 0 and is carried, late, by the smallest eigenvalues, whose finite-N
# spread near the lower edge the limit does not see: compared where it is still above a tenth of its start.
EARLY = (sp.Integer(0), sp.Integer(1))
TUNED_EARLY = ("window t <= 1 at alpha = 1/2, chosen after a pilot (seed 102) found the N = 400 formula 1.4% above the "
               "integral at t = 2 and 10% at t = 10 (values 0.02 and 0.0002); confirmed at base seed 7.")
TUNED_DRAWS = ("; 1000 -> 2500 draws per design at alpha = 1/2 after the robustness run at base seed 90210 found the Monte "
               "Carlo's CI 0.43 of the band at t = 0.4 (0.32 at the main seed); confirmed at base seed 31337.")


def _checks(run: str, alpha: float) -> tuple[Check, ...]:
    early = dict(window=EARLY, tuned=TUNED_EARLY) if alpha < 1 else {}
    mc_early = dict(window=EARLY, tuned=TUNED_EARLY + TUNED_DRAWS) if alpha < 1 else {}
    limit = (dict(scale="absolute", tolerance=0.0025, tolerance_reason="An absolute band of 1% of the noise variance around the limit 0 (interpolation).")
             if alpha < 1 else
             dict(tolerance=0.01, tolerance_reason="1%: at t = 50 the slowest mode's remainder exp(-2 lambda_- t) is below 1e-7; the CI over 10 designs is about ±0.01%."))
    return (
        Check(
            name=f"fixed_design_formula_{run}",
            kind="curve",
            run=run,
            metric="etrain_mc_ratio",
            x="t",
            prediction=sp.Integer(1),
            tolerance=0.02,
            tolerance_reason="2% as in the catalogue; 1000 draws per design at alpha = 2 and 2500 at alpha = 1/2 over 10 designs give a CI near ±0.3-0.5% (±1% where the error is small, which the window at alpha = 1/2 leaves out).",
            description="At each design the Monte-Carlo training error of GD is the fixed-design formula within 2% ...",
            **mc_early,
        ),
        Check(
            name=f"marchenko_pastur_integral_{run}",
            kind="curve",
            run=run,
            metric="etrain_exact",
            x="t",
            prediction=ntk.training_curve(),
            tolerance=0.02,
            tolerance_reason="2% as in the catalogue, for the formula averaged over 10 designs of N = 400 (CI below ±0.2%).",
            description="... the formula averaged over designs of N = 400 is the Marchenko-Pastur integral within 2% ...",
            **early,
        ),
        Check(
            name=f"long_time_limit_{run}",
            kind="curve",
            run=run,
            metric="etrain_exact",
            x="t",
            prediction=ntk.training_limit(),
            window=(X_MAX, X_MAX),
            description="... and at t = 50 it has reached se2 (1 - 1/alpha) above alpha = 1 (the degrees-of-freedom correction) and 0 below (interpolation).",
            **limit,
        ),
    )


CLAIM = Claim(
    id="ntk_advani_saxe_training_error_curve",
    short_id="F3",
    family="ntk",
    title=r"Advani-Saxe training-error curve, with the classical limit $\sigma^2(1 - 1/\alpha)$ above $\alpha = 1$ and interpolation below",
    statement=(
        r"In F2's setting the expected training error $E_{\rm train} = \frac1P\|y - Xw\|^2$ after $t/\eta$ steps of GD is "
        r"$\frac1P\big[\sum_{\lambda_i > 0}(\lambda_i(\sigma_w^2+\sigma_0^2)+\sigma_\epsilon^2)d_i^2 + \sigma_\epsilon^2\max(P-N, 0)\big]$, "
        r"$d_i = (1-\eta\lambda_i)^{t/\eta}$; as $t \to \infty$ it tends to $\sigma_\epsilon^2(1 - 1/\alpha)$ for $\alpha > 1$ and to 0 "
        r"for $\alpha < 1$."
    ),
    source=DOBRIBAN_2019.at("§7.10, item 5, '2.6 Training error dynamics' (named; the formula is derived here)"),
    reference="Advani & Saxe (2017), High-dimensional dynamics of generalization error in neural networks, Sec. 2.6",
    experiment="ntk_advani_saxe",
    protocol=(
        "As F2 with the time grid extended to t = 20 and 50, 1000 draws per design of N = 100 for the Monte Carlo (2500 at alpha = 1/2; the training "
        "error $\\|y - Xw\\|^2/P$ of each draw, averaged), and the fixed-design formula on 10 designs of N = 400 for the limit. "
        "Jackknife-t intervals over designs."
    ),
    notes=(
        "The notes name the training-error dynamics without a formula; this one follows from the mode solution: in the basis U "
        "the residual of mode i is $(\\lambda_i^{1/2}(\\bar z_i - z_i(0)) + \\tilde\\epsilon_i)d_i$, and the P - rank(X) noise directions "
        "outside the range of X are never fitted."
    ),
    scales={
        "smoke": Scale(n_seeds=10, runs=RUNS),
        "full": Scale(n_seeds=20, runs={k: {**v, "N": 400, "N_exact": 4000} for k, v in RUNS.items()}, gpu=True, runtime_min=60, mem_mb=32000),
        "test": Scale(n_seeds=3, runs=TEST),
    },
    checks=_checks("alpha_half", 0.5) + _checks("alpha_two", 2.0),
)
