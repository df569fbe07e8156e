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
    statement=r"(Wrong on purpose.) $t_{\rm gen}$ does not fall as the weight decay grows: $t_{\rm gen}(\lambda_{i+1})/t_{\rm gen}(\lambda_i) \ge 1$ between consecutive weight decays.",
    source=SCAMAN_2023.at("slide 'But... Grokking!?' (a plateau read as a fixed time)"),
    reference="Lyu et al. (2024), Thm 3.3: t ~ log(alpha)/(eta lambda); Power et al. (2022), Fig. 2",
    experiment="grokking",
    control=True,
    protocol=grokking.PROTOCOL + " The run of grokking_time_vs_weight_decay (init scale 4, weight decay in {0.5, 0.7, 1}, 5 seeds), scored against the wrong prediction.",
    notes=("Expected to fail: 1/(eta lambda) gives a ratio of 0.5, and every run so far fell by at least 0.3. It scores "
           "B9's own run (until 2026-12 it had a run of its own, 3 seeds at weight decays 0.5 and 1, which cost 44 s of "
           "the smoke report's experiments and showed nothing B9's run does not)."),
    scales=grokking.weight_decay_sweep(),
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
            description="mean t_gen does not decrease as lambda grows from 0.5 to 1.",
        ),
    ),
)
