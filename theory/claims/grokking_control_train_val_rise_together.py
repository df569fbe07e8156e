"""Negative control for B8: 'training and validation accuracy rise together' (wrong: on modular addition validation accuracy reaches 99% 20-30 times later here, Power et al. 2022, Fig. 1; Scaman 2023, Mathematics of Deep Learning slides, 'Overfitting in ML')."""

import sympy as sp

from theory import grokking
from theory.claim import Check, Claim
from theory.sources import SCAMAN_2023

CLAIM = Claim(
    id="grokking_control_train_val_rise_together",
    short_id="B8-c1",
    contradicts="B8",
    family="grokking",
    title="Control: training and validation accuracy reach 99% together",
    statement=r"(Wrong on purpose.) $t_{\rm gen}/t_{\rm mem} = 1$ within a factor 2: a network generalises as soon as it fits.",
    source=SCAMAN_2023.at("slide 'Overfitting in ML' (the usual picture that grokking contradicts)"),
    reference="Power et al. (2022), Fig. 1",
    experiment="grokking",
    control=True,
    protocol=grokking.PROTOCOL + " Weight decay 1, 3 seeds, own seeds.",
    notes="Expected to fail by a factor of about 20 (log ratio about 3 against the band log 2).",
    scales=grokking.scales("grok", 3, 5, weight_decay=[1.0]),
    checks=(
        Check(
            name="ratio_one",
            kind="curve",
            run="grok",
            metric="delay_ratio",
            x="weight_decay",
            prediction=sp.Integer(1),
            scale="log",
            tolerance=1.0,
            tolerance_reason="Within a factor 2.",
            description="t_gen / t_mem = 1 within a factor 2.",
        ),
    ),
)
