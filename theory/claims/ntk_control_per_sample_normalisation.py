"""Negative control for F2: the notes' generalization curve as written, the sum over modes divided by the number of samples P instead of the number of parameters N (Dobriban 2019, Stat 991 notes §7.10, item 4; Advani & Saxe 2017, Eq. 10 has 1/N)."""

from theory import ntk
from theory.claim import Check, Claim, Scale
from theory.sources import DOBRIBAN_2019

RUNS = {name: ntk.curves_run(a, N_exact=400) for name, a in (("alpha_half", 0.5), ("alpha_two", 2.0))}
TEST = {name: ntk.curves_run(a, N_=10, N_exact=20, scale_steps=0.2) for name, a in (("alpha_half", 0.5), ("alpha_two", 2.0))}

CLAIM = Claim(
    id="ntk_control_per_sample_normalisation",
    short_id="F2-c1",
    contradicts="F2",
    family="ntk",
    title="Control: the notes' $1/n$ (per sample) normalisation of the generalization curve",
    statement=(
        r"(Wrong on purpose: the notes as written.) $E_g(t) = n^{-1}\sum_i[\dots] + \sigma_\epsilon^2$ with n = P the number of "
        r"samples, i.e. the Marchenko-Pastur average divided by $\alpha$: twice too large at $\alpha = 1/2$, half at $\alpha = 2$."
    ),
    source=DOBRIBAN_2019.at("§7.10, 'Random Matrix Theory', item 4 (as written)"),
    reference="Advani & Saxe (2017), Eq. 10 (with 1/N)",
    experiment="ntk_advani_saxe",
    control=True,
    protocol="As F2's limit check: the fixed-design formula on 10 designs of N = 400 per alpha, own seeds.",
    notes="Off by a factor alpha in the mode sum, far outside F2's 1% band at both ratios.",
    scales={
        "smoke": Scale(n_seeds=10, runs=RUNS),
        "full": Scale(n_seeds=10, runs={k: {**v, "N_exact": 4000} for k, v in RUNS.items()}, gpu=True),
        "test": Scale(n_seeds=3, runs=TEST),
    },
    checks=tuple(
        Check(
            name=f"per_sample_curve_{run}",
            kind="curve",
            run=run,
            metric="eg_exact",
            x="t",
            prediction=ntk.generalization_curve(per_sample=True),
            tolerance=0.01,
            tolerance_reason="F2's band.",
            description="the test error is the notes' formula with 1/P within 1%.",
        )
        for run in RUNS
    ),
)
