"""B8: on modular addition a network fits its training set long before it generalises, t_gen / t_mem >= 10, with validation accuracy at chance or below when it memorises (Scaman 2023, Mathematics of Deep Learning slides, 'But... Grokking!?'; Power et al. 2022, Fig. 1)."""

import sympy as sp

from theory import grokking
from theory.claim import Check, Claim, Trace
from theory.sources import SCAMAN_2023

CLAIM = Claim(
    id="grokking_delayed_generalization",
    short_id="B8",
    family="grokking",
    title="Grokking: validation accuracy reaches 99% at least ten times later than training accuracy",
    statement=(
        r"Trained on half of the pairs of $(a + b) \bmod p$, the network reaches 99% training accuracy at $t_{\rm mem}$ "
        r"while its validation accuracy is still near chance ($\le 20\%$), and reaches 99% validation accuracy only at "
        r"$t_{\rm gen} \ge 10\, t_{\rm mem}$: generalisation long after overfitting."
    ),
    source=SCAMAN_2023.at("slide 'But... Grokking!?' ('Generalization beyond overfitting ... very (very) large plateaux')"),
    reference="Power, Burda, Edwards, Babuschkin & Misra (2022), Grokking, Fig. 1; Gromov (2023), Grokking modular arithmetic, §2",
    experiment="grokking",
    protocol=grokking.PROTOCOL + " Here weight decay 1, 5 seeds.",
    notes=(
        "Phenomenological: the notes name the effect and call it unexplained; there is no closed form, so the checks are "
        "the catalogue's measurable signature, applied to every seed (the catalogue asks for 4 of 5). "
        + grokking.SETTING_NOTES
        + " Validation accuracy at t_mem is 0, below the chance level 1/p: a memorising network is systematically wrong "
        "off its training set, not merely uninformed. Power et al.'s transformers (p = 97) and Nanda et al.'s "
        "one-layer transformer (p = 113) are not run: the full scale is the same MLP at p = 97."
    ),
    scales=grokking.scales("grok", 5, 20, weight_decay=[1.0]),
    checks=(
        Check(
            name="delay_at_least_10",
            kind="bound_holds",
            run="grok",
            metric="delay_ratio",
            x="weight_decay",
            prediction=sp.Integer(10),
            bound="lower",
            reduce="min",
            tolerance=0.0,
            tolerance_reason="The catalogue's factor 10, in every seed (the smallest ratio over seeds), no tolerance.",
            description="t_gen / t_mem >= 10 in every seed ...",
        ),
        Check(
            name="chance_at_memorisation",
            kind="bound_holds",
            run="grok",
            metric="val_acc_at_mem",
            x="weight_decay",
            prediction=sp.Rational(1, 5),
            scale="absolute",
            reduce="max",
            tolerance=0.0,
            tolerance_reason="The catalogue's 20%, in every seed.",
            description="... with validation accuracy at most 20% when training accuracy reaches 99% ...",
        ),
        Check(
            name="no_better_than_chance_at_memorisation",
            kind="bound_holds",
            run="grok",
            metric="val_acc_at_mem",
            x="weight_decay",
            prediction=1 / sp.Symbol("p", positive=True),
            scale="absolute",
            reduce="max",
            tolerance=0.0,
            tolerance_reason="Chance, 1/p, in every seed: memorisation without any generalisation.",
            description="... indeed no better than chance, 1/p, in every seed ...",
        ),
        Check(
            name="generalises",
            kind="bound_holds",
            run="grok",
            metric="final_val_acc",
            x="weight_decay",
            prediction=sp.Rational(99, 100),
            scale="absolute",
            bound="lower",
            reduce="min",
            tolerance=0.0,
            tolerance_reason="The catalogue's 99%, in every seed.",
            description="... and at least 99% at the end of the run.",
        ),
    ),
    traces=(
        Trace(run="grok", x="steps", metrics=("train_acc_curve", "val_acc_curve"), events=("t_mem", "t_gen"),
              title="accuracy against training steps (log axis)", ylabel="accuracy"),
    ),
)
