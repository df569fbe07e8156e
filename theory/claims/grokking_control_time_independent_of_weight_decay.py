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
    statement=r"(Wrong on purpose.) $t_{\rm gen}$ is the same for every weight decay: slope 0 of $\log t_{\rm gen}$ against $\log\lambda$.",
    source=SCAMAN_2023.at("slide 'But... Grokking!?' (a plateau read as a fixed time)"),
    reference="Lyu et al. (2024), Thm 3.3: t ~ log(alpha)/(eta lambda); Power et al. (2022), Fig. 2",
    experiment="grokking",
    control=True,
    protocol=grokking.PROTOCOL + " As grokking_time_vs_weight_decay (init scale 4) with weight decay in {0.5, 1}, 3 seeds, own seeds.",
    notes="Expected to fail by about one unit of slope, outside the ±0.4 band of the real check.",
    # The full grid mirrors the smoke one within the real claim's full range.
    scales=grokking.scales("sweep", 3, 5, init_scale=4.0, smoke={"weight_decay": [0.5, 1.0]},
                           full={"weight_decay": [0.3, 1.0]}, test={"weight_decay": [0.5, 1.0]}),
    checks=(
        Check(
            name="slope_zero",
            kind="loglog_slope",
            run="sweep",
            metric="t_gen",
            x="weight_decay",
            prediction=1 / sp.Symbol("lr", positive=True),
            tolerance=0.4,
            tolerance_reason="The band of the real check (grokking_time_vs_weight_decay).",
            description="log t_gen against log lambda has slope 0.",
        ),
    ),
)
