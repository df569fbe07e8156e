"""D10: a GRU layer has exactly 3/4 of the parameters of an LSTM layer of the same sizes, 3(h(h+x)+2h) against 4(h(h+x)+2h) in PyTorch (Dobriban 2019, Stat 991 notes §3.3.3; Cho et al. 2014; PyTorch nn.GRU and nn.LSTM documentation)."""

import sympy as sp

from theory import rnn
from theory.claim import Check, Claim, Scale
from theory.sources import DOBRIBAN_2019

INPUTS = [1, 2, 16, 100]
HIDDEN = [1, 8, 64, 256]


def grid(inputs=INPUTS, hidden=HIDDEN) -> dict:
    return {"counts": {"input_size": [x for h in hidden for x in inputs], "hidden": [h for h in hidden for _ in inputs]}}


def count_check(cell: str) -> Check:
    return Check(
        name=f"{cell}_count",
        role="identity",
        kind="curve",
        run="counts",
        metric=f"{cell}_params",
        x="input_size",
        series="hidden",
        prediction=rnn.parameter_count(cell),
        tolerance=0.0,
        tolerance_reason="Parameter counts are integers: exact equality.",
        description=f"torch.nn.{cell.upper()} has exactly G(h(h + x) + 2h) parameters with G = {rnn.GATES[cell]}.",
    )


def ratio() -> sp.Expr:
    """The GRU/LSTM ratio, simplified in sympy (to 3/4) when the prediction is written."""
    return sp.simplify(rnn.parameter_count("gru") / rnn.parameter_count("lstm"))

CLAIM = Claim(
    id="gru_fewer_parameters_than_lstm",
    short_id="D10",
    family="rnn",
    title="A GRU has 3/4 of the parameters of an LSTM",
    statement=(
        r"With input size $x$ and hidden size $h$, an LSTM layer has four gate blocks and a GRU three, each with "
        r"$W_{ih} \in \mathbb{R}^{h\times x}$, $W_{hh} \in \mathbb{R}^{h\times h}$ and PyTorch's two bias vectors: "
        r"$4(h(h+x)+2h)$ against $3(h(h+x)+2h)$ parameters, a ratio of exactly 3/4 (simplified in sympy)."
    ),
    source=DOBRIBAN_2019.at("§3.3.3, 'Gated Recurrent Unit' ('similar performance to LSTM, but fewer parameters')"),
    reference="Cho et al. (2014), EMNLP, §2.3 (GRU); Hochreiter & Schmidhuber (1997) with the forget gate of Gers et al. (2000); PyTorch nn.GRU/nn.LSTM",
    experiment="param_count",
    deterministic=True,  # parameter counts: the seed plays no part
    protocol="Count the parameters of one-layer torch.nn.RNN, GRU and LSTM modules on a grid of 16 (input size, hidden size) pairs.",
    notes=(
        "Textbooks with one bias per gate write 4(h(h+x)+h) and 3(h(h+x)+h); the ratio is 3/4 either way. 'Similar "
        "performance' is checked on the adding problem in lstm_gru_learn_long_dependencies."
    ),
    scales={
        "smoke": Scale(n_seeds=1, runs=grid()),
        "full": Scale(n_seeds=1, runs=grid(INPUTS + [512], HIDDEN + [1024])),
        "test": Scale(n_seeds=1, runs=grid([1, 2, 3], [1, 2])),
    },
    checks=(
        count_check("lstm"),
        count_check("gru"),
        Check(
            name="ratio",
            role="identity",
            kind="curve",
            run="counts",
            metric="gru_over_lstm",
            x="input_size",
            series="hidden",
            prediction=ratio,
            tolerance=1e-15,
            tolerance_reason="A ratio of integers in float64: equality up to one rounding.",
            description="the GRU/LSTM ratio is 3/4 at every grid point.",
        ),
    ),
)
