"""Negative control for B9: 'the grokking time does not depend on the weight decay' (wrong: it scales as 1/(eta lambda), Lyu et al. 2024, Thm 3.3; Scaman 2023, Mathematics of Deep Learning slides, 'But... Grokking!?')."""

import sympy as sp

from theory import grokking
from theory.claim import Check, Claim
from theory.sources import SCAMAN_2023

CLAIM = Claim(
    id="grokking_control_time_independent_of_weight_decay",
    short_id="B9-c1",
    contradicts="B9",
    family="grokking",
    title="Control: the grokking time does not depend on the weight decay",
    statement=r"(Wrong on purpose.) $t_{\rm gen}$ does not fall as the weight decay grows: $t_{\rm gen}(1)/t_{\rm gen}(0.5) \ge 1$.",
    source=SCAMAN_2023.at("slide 'But... Grokking!?' (a plateau read as a fixed time)"),
    reference="Lyu et al. (2024), Thm 3.3: t ~ log(alpha)/(eta lambda); Power et al. (2022), Fig. 2",
    experiment="grokking",
    control=True,
    protocol=grokking.PROTOCOL + " As grokking_time_vs_weight_decay (init scale 4) with weight decay in {0.5, 1}, 3 seeds, own seeds.",
    notes="Expected to fail: 1/(eta lambda) gives a ratio of 0.5, and every run so far fell by at least 0.3.",
    # The full grid mirrors the smoke one within the real claim's full range.
    scales=grokking.scales("sweep", 3, 5, init_scale=4.0, smoke={"weight_decay": [0.5, 1.0]},
                           full={"weight_decay": [0.3, 1.0]}, test={"weight_decay": [0.5, 1.0]}),
    checks=(
        Check(
            name="not_decreasing",
            kind="monotone",
            run="sweep",
            metric="t_gen",
            x="weight_decay",
            prediction=sp.Integer(1),
            bound="lower",
            tolerance=0.0,
            tolerance_reason="The ordering of the real check, reversed.",
            description="mean t_gen does not decrease from lambda = 0.5 to 1.",
        ),
    ),
)
