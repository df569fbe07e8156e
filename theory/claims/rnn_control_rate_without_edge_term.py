"""Near-miss negative control for D4: 'at n = 512 the gradient rate of a linear RNN is log g' (wrong by Rider's finite-n edge term of the Ginibre spectral radius, 0.034 at n = 512, about two band widths; Dobriban 2019, Stat 991 notes §3.3.2; Rider 2003)."""

from theory import rnn
from theory.claim import Check, Claim, Scale
from theory.sources import DOBRIBAN_2019

CLAIM = Claim(
    id="rnn_control_rate_without_edge_term",
    short_id="D4-c2",
    contradicts="D4",
    family="rnn",
    title=r"Control (near miss): the linear-RNN gradient rate at $n = 512$ is $\log g$, without the finite-n edge term",
    statement=(
        r"(Wrong on purpose, by little.) The per-step rate of $\|u^\top W^\ell\|$ for $W_{ij} \sim \mathcal{N}(0, g^2/n)$ at "
        r"$n = 512$ is the circular law's $\log g$ within D4's band. At finite n the spectral radius exceeds g by Rider's "
        r"edge term, $\sqrt{\gamma_n/4n} + \gamma_E/\sqrt{4n\gamma_n}$ with $\gamma_n = \log(n/2\pi) - 2\log\log n$, 0.034 at "
        r"$n = 512$: the control shows that D4's check resolves it."
    ),
    source=DOBRIBAN_2019.at("§3.3.2, 'Vanishing or exploding gradients' (the limit read at finite n)"),
    reference="Rider (2003), A limit theorem at the edge of a non-Hermitian random matrix ensemble, J. Phys. A 36, Thm 1; circular law (Tao & Vu 2010)",
    experiment="rnn_linear",
    control=True,
    near_miss=True,
    protocol="As rnn_exploding_necessary_not_sufficient (n = 512, 64 matrices per gain), own seeds.",
    notes=(
        "A near miss: the wrong prediction is 0.034 from the right one, about two widths of D4's ±0.017 band, so its "
        "failure shows that the check tells the finite-n form from the limit. The history is recorded in D4's check: "
        "with ±0.025 the measured gap to log g (0.025 to 0.029, about 1.1 band widths) left this control inconclusive at "
        "the main base seed, so D4's band was narrowed to ±0.017 on 64 matrices."
    ),
    scales={
        "smoke": Scale(n_seeds=64, runs=rnn.linear_run(512, n_spectra=rnn.LINEAR_SPECTRA_SMOKE)),
        "full": Scale(n_seeds=32, runs=rnn.linear_run(512), gpu=True, runtime_min=30, mem_mb=16000),
        "test": Scale(n_seeds=3, runs=rnn.linear_run(256, fit_from=5, fit_to=20)),
    },
    checks=(
        Check(
            name="rate_is_log_g",
            kind="curve",
            run="linear",
            metric="rate",
            x="g",
            prediction=rnn.linear_rate,
            scale="absolute",
            tolerance=0.017,
            tolerance_reason="D4's band for the finite-n form.",
            description="the per-step rate of ||u^T W^l|| is log g within ±0.017 at every gain.",
        ),
    ),
)
