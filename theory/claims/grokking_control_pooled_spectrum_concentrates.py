"""Negative control for B10: the transformer's criterion applied to the MLP, 'the pooled embedding spectrum concentrates on a few key frequencies' (wrong for an MLP, whose units spread over all frequencies: Gromov 2023 §3; Scaman 2023, Mathematics of Deep Learning slides, 'But... Grokking!?', read with Nanda et al. 2023 §4)."""

import sympy as sp

from theory import grokking
from theory.claim import Check, Claim
from theory.sources import SCAMAN_2023

CLAIM = Claim(
    id="grokking_control_pooled_spectrum_concentrates",
    short_id="B10-c1",
    contradicts="B10",
    family="grokking",
    title="Control: the MLP's pooled embedding spectrum concentrates on 8 frequencies",
    statement=(
        r"(Wrong for this model.) After grokking the top 8 frequencies of the embedding's power pooled over all units "
        r"carry at least 80% of it, as for Nanda et al.'s transformer."
    ),
    source=SCAMAN_2023.at("slide 'But... Grokking!?', read with the transformer's Fourier criterion (Nanda et al. 2023)"),
    reference="Nanda et al. (2023), §4 (a shared embedding); Gromov (2023), §3 (an MLP uses one frequency per unit, all frequencies)",
    experiment="grokking",
    control=True,
    protocol=grokking.PROTOCOL + " Weight decay 1, 3 seeds, own seeds; top 8 of the (p+1)/2 = 16 frequency bins.",
    notes=(
        "Expected to fail: a flat spectrum puts 8/16 of the power in any 8 bins, and the units' frequencies stay spread. "
        "This is the catalogue's B10 criterion, which holds for a transformer's shared embedding; see "
        "grokking_fourier_circuit_progress_measures for the unit-wise measure that applies to an MLP."
    ),
    scales=grokking.scales("grok", 3, 5, weight_decay=[1.0]),
    checks=(
        Check(
            name="pooled_top8_at_least_80pct",
            kind="bound_holds",
            run="grok",
            metric="pooled_top_power_end",
            x="weight_decay",
            prediction=sp.Rational(4, 5),
            scale="absolute",
            bound="lower",
            reduce="mean",
            tolerance=0.0,
            tolerance_reason="The catalogue's 80%.",
            description="the top 8 pooled frequencies carry >= 80% of the embedding's power after grokking.",
        ),
    ),
)
