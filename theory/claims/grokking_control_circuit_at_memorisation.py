"""Negative control for B10: 'the Fourier circuit is already built when the network memorises' (wrong: the circuit forms after memorisation, in the plateau before t_gen; Nanda et al. 2023, §5, progress measures; Scaman 2023, Mathematics of Deep Learning slides, 'But... Grokking!?')."""

import sympy as sp

from theory import grokking
from theory.claim import Check, Claim
from theory.sources import SCAMAN_2023

CLAIM = Claim(
    id="grokking_control_circuit_at_memorisation",
    short_id="B10-c1",
    contradicts="B10",
    family="grokking",
    title="Control: the Fourier circuit is already built at memorisation",
    statement=(
        r"(Wrong on purpose.) Generalisation is late only because accuracy lags: the units already read one frequency each "
        r"when training accuracy reaches 99%, one frequency holding at least half of each unit's power at $t_{\rm mem}$."
    ),
    source=SCAMAN_2023.at("slide 'But... Grokking!?' (grokking read as a lag of the accuracy, not of the circuit)"),
    reference="Nanda et al. (2023), §5 (circuit formation happens between memorisation and generalisation); Gromov (2023), §3",
    experiment="grokking",
    control=True,
    protocol=grokking.PROTOCOL + " Weight decay 1, 3 seeds, own seeds; the power-weighted share of each unit's top frequency at t_mem.",
    notes="Expected to fail: at t_mem the units' spectra are still spread (about a quarter of the power in the top frequency at p = 31).",
    scales=grokking.scales("grok", 3, 5, weight_decay=[1.0]),
    checks=(
        Check(
            name="concentrated_at_memorisation",
            kind="bound_holds",
            run="grok",
            metric="unit_top_power_mem",
            x="weight_decay",
            prediction=sp.Rational(1, 2),
            scale="absolute",
            bound="lower",
            tolerance=0.0,
            tolerance_reason="B10's majority criterion, applied at t_mem.",
            description="at t_mem one frequency holds at least half of each unit's power (mean over seeds).",
        ),
    ),
)
