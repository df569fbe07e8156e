"""Negative control for D2/D3: 'sigmoid RNN gradients vanish iff lambda1 < 1' (wrong critical value: with gamma = 1/4 the threshold of the bound is lambda1 = 1/gamma = 4; Dobriban 2019, Stat 991 notes §3.3.2)."""

import sympy as sp

from theory import rnn
from theory.claim import Check, Claim, Scale
from theory.sources import DOBRIBAN_2019

CLAIM = Claim(
    id="rnn_control_sigmoid_critical_lambda1_is_one",
    short_id="D2-c1",
    contradicts="D2",
    family="rnn",
    title=r"Control: sigmoid RNN gradients vanish only below $\lambda_1 = 1$",
    statement=(
        r"(Wrong on purpose.) The critical value is $\lambda_1 = 1$ for every activation, so a sigmoid RNN with "
        r"$\lambda_1 \in \{2, 3\}$ keeps $\|\partial h_T/\partial h_{T-\ell}\| \ge 1/10$ at every lag up to 100."
    ),
    source=DOBRIBAN_2019.at("§3.3.2, 'Vanishing or exploding gradients', with gamma = 1 taken for the sigmoid"),
    reference="Pascanu, Mikolov & Bengio (2013), §2.1: the threshold is 1/gamma, and gamma = 1/4 for the sigmoid",
    experiment="rnn_jacobian",
    control=True,
    protocol="As rnn_gradient_norm_upper_bound with the sigmoid, n = 64, lambda1 in {2, 3}, own seeds.",
    notes="Expected to fail: lambda1 gamma = 0.5 and 0.75, so the norm is below 0.75^100 = 3e-13 at lag 100.",
    scales={
        "smoke": Scale(n_seeds=5, runs={"sigmoid": rnn.bound_run("sigmoid", 64, rnn.SMOKE_LAGS, [2.0, 3.0])}),
        "full": Scale(n_seeds=20, runs={"sigmoid": rnn.bound_run("sigmoid", 1024, [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000], [2.0, 3.0])},
                      gpu=True, runtime_min=30, mem_mb=16000),
        "test": Scale(n_seeds=3, runs={"sigmoid": rnn.bound_run("sigmoid", 8, [1, 2, 5, 10], [2.0, 3.0])}),
    },
    checks=(
        Check(
            name="no_vanishing_sigmoid",
            kind="bound_holds",
            run="sigmoid",
            metric="log_norm",
            x="lag",
            series="lambda1",
            prediction=-sp.log(10),
            bound="lower",
            reduce="min",
            scale="absolute",
            tolerance=0.0,
            tolerance_reason="A factor 10 of slack is already in the prediction (log 1/10); none on top.",
            description="log ||dh_T/dh_(T-lag)|| >= log(1/10) at every lag, lambda1 in {2, 3}, in every seed.",
        ),
    ),
)
