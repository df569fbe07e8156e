"""Negative control for D6: 'the annealed mean-field rate (1/2) log chi also holds for a sigmoid RNN with a fixed W above its critical gain' (wrong: the sigmoid's nonzero mean makes W sigma(h) carry a quenched rank-one part; Chen, Pennington & Schoenholz 2018 assume a fresh W per step; Dobriban 2019, Stat 991 notes §3.3.2)."""

import numpy as np

from theory import rnn
from theory.claim import Check, Claim, Scale
from theory.sources import DOBRIBAN_2019

CLAIM = Claim(
    id="rnn_control_meanfield_sigmoid_quenched",
    short_id="D6-c1",
    contradicts="D6",
    family="rnn",
    title="Control: the mean-field growth rate holds for a sigmoid RNN with fixed weights",
    statement=(
        r"(Wrong on purpose.) For $h_t = W\sigma(h_{t-1}) + \xi_t$ with the logistic sigmoid, fixed $W \sim \mathcal{N}(0, g^2/n)$ "
        r"and $g$ from 4 to 32 (the theory's edge is at $g_c = 9.31$ without input), the gradient growth rate is $\frac12\log\chi(g)$."
    ),
    source=DOBRIBAN_2019.at("§3.3.2 (sigmoid, gamma = 1/4) with the mean field of D6"),
    reference="Chen, Pennington & Schoenholz (2018): the annealed approximation; Molgedey, Schuchhardt & Schuster (1992)",
    experiment="rnn_meanfield",
    control=True,
    protocol="As rnn_meanfield_lyapunov_edge_of_chaos with the sigmoid, n = 500, 10 gains log-spaced in [4, 32], no input.",
    notes=(
        "Expected to fail above the edge: the measured rate stays far below (1/2) log chi (by about 0.6 at g = 32 when "
        "first measured), because sigma has mean 1/2 and the fixed W maps that mean to the same direction every step. "
        "The sigmoid figure is kept for the reader: it shows where the annealed theory stops describing a fixed-W network."
    ),
    scales={
        "smoke": Scale(n_seeds=4, runs={"sigmoid": rnn.meanfield_run("sigmoid", 500, np.geomspace(4, 32, 10), [0.0])}),
        "full": Scale(n_seeds=10, runs={"sigmoid": rnn.meanfield_run("sigmoid", 2048, np.geomspace(2, 32, 21), [0.0, 0.5], 300, 700)},
                      gpu=True, runtime_min=30, mem_mb=16000),
        # n = 256: smaller sigmoid networks often settle on a non-chaotic attractor, and g_crit is then NaN.
        "test": Scale(n_seeds=3, runs={"sigmoid": rnn.meanfield_run("sigmoid", 256, np.geomspace(4, 32, 4), [0.0], 10, 20)}),
    },
    checks=(
        Check(
            name="rate_sigmoid",
            kind="curve",
            run="sigmoid",
            metric="rate",
            x="g",
            series="sigma_in",
            prediction=rnn.meanfield_rate("sigmoid"),
            marks=(("theory g_c", rnn.critical_gain_function("sigmoid")(0, 0)),),
            scale="absolute",
            tolerance=0.03,
            tolerance_reason="The band of the real tanh check.",
            description="the measured rate is (1/2) log chi(g) within ±0.03 at every gain.",
        ),
    ),
)
