"""D4: lambda1 > 1/gamma is necessary, not sufficient, for exploding gradients: a linear RNN's rate is log rho(W) -> log g while lambda1 -> 2g (Dobriban 2019, Stat 991 notes §3.3.2; Gelfand's formula, the circular law (Tao & Vu 2010) and the square Marchenko-Pastur edge)."""

import sympy as sp

from theory import rnn
from theory.claim import Check, Claim, Scale
from theory.sources import DOBRIBAN_2019

SUB_CRITICAL = (0.55, 0.95)  # g in (1/2, 1): lambda1 -> 2g > 1 yet rho -> g < 1


CLAIM = Claim(
    id="rnn_exploding_necessary_not_sufficient",
    short_id="D4",
    family="rnn",
    title=r"A largest singular value above $1/\gamma$ does not make gradients explode",
    statement=(
        r"$\lambda_1 > 1/\gamma$ is only necessary for exploding gradients. For a linear RNN ($\gamma = 1$) with "
        r"$W_{ij} \sim \mathcal{N}(0, g^2/n)$, $\partial h_t/\partial h_k = W^{t-k}$ and $\frac{1}{\ell}\log\|W^\ell\| \to \log\rho(W)$ "
        r"(Gelfand), with $\rho(W) \to g$ (circular law) while $\lambda_1(W) \to 2g$: for $g \in (1/2, 1)$ the largest singular "
        r"value exceeds 1 and the gradients still vanish at rate $\log g$."
    ),
    source=DOBRIBAN_2019.at("§3.3.2, 'Vanishing or exploding gradients' ('the gradients *may* explode')"),
    reference=(
        "Pascanu, Mikolov & Bengio (2013), §2.1 (necessary condition); Gelfand's spectral radius formula; "
        "circular law (Tao & Vu 2010, Thm 1.10); largest singular value of a square Gaussian matrix 2 sqrt(n) sigma (Geman 1980)"
    ),
    experiment="rnn_linear",
    protocol=(
        "An independent $W$ per seed and gain, $n = 512$; a random unit $u$ is propagated as $u^\\top W^\\ell$ "
        "(power iteration, renormalised each step, seeds and gains one batched einsum), and the OLS slope of "
        "$\\log\\|u^\\top W^\\ell\\|$ over $\\ell \\in [50, 300]$ is the rate; $\\rho$ from eigvals (of the first 16 seeds' matrices at smoke), $\\lambda_1$ from the SVD."
    ),
    notes=(
        "At n = 512 the rate exceeds log g by +0.02 to +0.04 because $\\rho(W)$ itself exceeds g at finite n: "
        "Rider's (2003) edge term $\\sqrt{\\gamma_n/4n} + \\gamma_E/\\sqrt{4n\\gamma_n}$, $\\gamma_n = \\log(n/2\\pi) - 2\\log\\log n$, "
        "is 0.034 at n = 512 and 0.015 at n = 4096, and is added to the log g prediction. Non-normal W can grow transiently before it decays "
        "(pseudospectra): the fit starts at lag 50. The tanh version, with saturation and inputs, is rnn_meanfield_lyapunov_edge_of_chaos."
    ),
    scales={
        "smoke": Scale(n_seeds=64, runs=rnn.linear_run(512, n_spectra=rnn.LINEAR_SPECTRA_SMOKE)),
        # eigvals of n x n non-symmetric matrices has no fast GPU path: n = 2048 (70 matrices) keeps it to minutes.
        "full": Scale(n_seeds=10, runs=rnn.linear_run(2048, rnn.LINEAR_GAINS + [0.55, 1.0]), gpu=True, runtime_min=60, mem_mb=32000),
        "test": Scale(n_seeds=3, runs=rnn.linear_run(256, fit_from=5, fit_to=20)),  # n >= 200: Rider's edge term is real
    },
    checks=(
        Check(
            name="rate_is_log_g_finite_n",
            kind="curve",
            run="linear",
            metric="rate",
            x="g",
            prediction=rnn.linear_rate + rnn.ginibre_log_radius_excess(),
            scale="absolute",
            tolerance=0.017,
            tolerance_reason=(
                "±0.017 per step, about a third of the catalogue's ±0.05, so that the check resolves Rider's finite-n edge term "
                "(0.034 at n = 512): with ±0.05 the naive log g also passed, and with ±0.025 it was inconclusive at one seed "
                "(the near-miss control rnn_control_rate_without_edge_term). Rider's asymptotic form itself is about 0.006 "
                "above the measured rate at every gain (a higher-order finite-n term), which this band leaves room for."
            ),
            tuned=("Chosen after seeing data: ±0.05 -> ±0.025 with 8 -> 32 matrices after the audit showed log g without the "
                   "edge term passing ±0.05; then ±0.025 -> ±0.017 with 32 -> 64 matrices when the near-miss control came out "
                   "inconclusive at the main base seed (at 64 matrices the residuals against the corrected form were -0.006 to "
                   "-0.008 with 95% half-widths of about 0.004, and the control's gap to log g 0.025 to 0.029): the band "
                   "sits midway between the two, about 1.2 half-widths from each. "
                   "Confirmed at base seed 4242 (robustness variant rnn-seed-4242), not used to choose it."),
            description="the per-step rate of ||u^T W^l|| is log g, plus the finite-n spectral-radius excess, within ±0.017.",
        ),
        Check(
            name="rate_is_log_rho",
            kind="curve",
            run="linear",
            metric="rate_minus_log_rho",
            x="g",
            prediction=sp.Integer(0),
            scale="absolute",
            tolerance=0.02,
            tolerance_reason="±0.02 as in the catalogue: a 250-lag OLS fit of an asymptotic rate (Gelfand), per matrix.",
            description="and it equals log rho(W) of the same matrix within ±0.02 (Gelfand's formula).",
        ),
        Check(
            name="top_singular_value_is_2g",
            kind="curve",
            run="linear",
            metric="top_singular_value",
            x="g",
            prediction=rnn.linear_top_singular_value,
            tolerance=0.03,
            tolerance_reason="3%: the edge of a 512 x 512 Gaussian matrix fluctuates on the n^-2/3 (Tracy-Widom) scale, about 1%.",
            description="lambda1(W) is 2g within 3% (square Marchenko-Pastur edge).",
        ),
        Check(
            name="lambda1_above_one",
            kind="bound_holds",
            run="linear",
            metric="top_singular_value",
            x="g",
            prediction=sp.Integer(1),
            bound="lower",
            reduce="min",
            window=SUB_CRITICAL,
            tolerance=0.0,
            tolerance_reason="An inequality of the claim itself: no tolerance.",
            description="for g in {0.6, ..., 0.9} every W has lambda1 > 1 = 1/gamma, the notes' necessary condition ...",
        ),
        Check(
            name="gradients_still_vanish",
            kind="bound_holds",
            run="linear",
            metric="rate",
            x="g",
            prediction=sp.Integer(0),
            scale="absolute",
            reduce="max",
            window=SUB_CRITICAL,
            tolerance=0.0,
            tolerance_reason="An inequality of the claim itself: no tolerance.",
            description="... and yet every rate is negative: the gradients vanish.",
        ),
    ),
)
