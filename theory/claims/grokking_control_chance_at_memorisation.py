"""Near-miss negative control for B8: 'at memorisation the network is merely uninformed, its validation accuracy at chance 1/p' (wrong: it is 0, systematically wrong off the training set, 1/p = 0.032 below chance at p = 31, 1.6 band widths; Power et al. 2022, Fig. 1; Scaman 2023, Mathematics of Deep Learning slides, 'But... Grokking!?')."""

import sympy as sp

from theory import grokking
from theory.claim import Check, Claim
from theory.sources import SCAMAN_2023

CLAIM = Claim(
    id="grokking_control_chance_at_memorisation",
    short_id="B8-c2",
    contradicts="B8",
    family="grokking",
    title="Control (near miss): validation accuracy is at chance when the network memorises",
    statement=(
        r"(Wrong on purpose, by little.) When training accuracy reaches 99% the network is merely uninformed off its "
        r"training set: validation accuracy is the chance level $1/p$ within $\pm 0.02$. Measured, it is below chance: a "
        r"memorising network is systematically wrong on the held-out pairs (B8's notes)."
    ),
    source=SCAMAN_2023.at("slide 'But... Grokking!?' (the plateau read as chance-level validation accuracy)"),
    reference="Power et al. (2022), Fig. 1 (validation accuracy near chance during the plateau)",
    experiment="grokking",
    control=True,
    near_miss=True,
    protocol=grokking.PROTOCOL + " The run of grokking_delayed_generalization (weight decay 1, 5 seeds), scored against the wrong prediction: validation accuracy at t_mem, mean over seeds.",
    notes=(
        "A near miss: chance is 1/p = 0.032 at p = 31 and 0.027 at p = 37, within twice the ±0.02 band of the measured "
        "value. The band is about 2.5 binomial standard errors of an accuracy of 1/p on the 480 validation pairs at p = 31. Until 2026-12 it had a run of its own (3 seeds, 16 s of the smoke "
        "report's experiments), the same training as B8's."
    ),
    scales=grokking.scales("grok", 5, 20, weight_decay=[1.0]),  # B8's, so that the two read one run
    checks=(
        Check(
            name="chance_at_memorisation",
            kind="curve",
            run="grok",
            metric="val_acc_at_mem",
            x="weight_decay",
            prediction=1 / sp.Symbol("p", positive=True),
            scale="absolute",
            tolerance=0.02,
            tolerance_reason="About 2.5 binomial standard errors of a 1/p accuracy on the validation pairs.",
            description="validation accuracy at t_mem is 1/p within ±0.02.",
        ),
    ),
)
