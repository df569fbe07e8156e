"""Negative control for D4: 'the gradients of a linear RNN grow at rate log lambda1(W)' (wrong: the rate is log rho(W), and lambda1 -> 2g while rho -> g; Dobriban 2019, Stat 991 notes §3.3.2)."""

from theory import rnn
from theory.claim import Check, Claim, Scale
from theory.sources import DOBRIBAN_2019

CLAIM = Claim(
    id="rnn_control_linear_rate_is_log_lambda1",
    short_id="D4-c1",
    contradicts="D4",
    family="rnn",
    title=r"Control: the linear-RNN gradient rate is $\log\lambda_1$",
    statement=(
        r"(Wrong on purpose.) The per-step rate of $\|W^\ell\|$ is the log of the largest singular value, "
        r"$\log\lambda_1(W) \to \log 2g$, so that $\lambda_1 > 1$ would make gradients explode."
    ),
    source=DOBRIBAN_2019.at("§3.3.2, 'Vanishing or exploding gradients' (the necessary condition read as sufficient)"),
    reference="Gelfand's formula: the rate is log rho(W) -> log g (circular law), not log lambda1",
    experiment="rnn_linear",
    control=True,
    protocol="As rnn_exploding_necessary_not_sufficient at n = 256, own seeds.",
    notes="Expected to fail by about log 2 = 0.69 per step, far outside the ±0.05 band.",
    scales={
        "smoke": Scale(n_seeds=4, runs=rnn.linear_run(256)),
        "full": Scale(n_seeds=5, runs=rnn.linear_run(2048), gpu=True, runtime_min=30, mem_mb=32000),
        "test": Scale(n_seeds=3, runs=rnn.linear_run(16, fit_from=5, fit_to=20)),
    },
    checks=(
        Check(
            name="rate_is_log_lambda1",
            kind="curve",
            run="linear",
            metric="rate",
            x="g",
            prediction=rnn.linear_rate_from_lambda1,
            scale="absolute",
            tolerance=0.05,
            tolerance_reason="The band of the real check of the rate (rate_is_log_g).",
            description="the per-step rate of ||u^T W^l|| is log(2g) = log lambda1 within ±0.05.",
        ),
    ),
)
