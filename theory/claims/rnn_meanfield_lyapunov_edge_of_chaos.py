"""D6: the per-step growth rate of ||J_l v|| in a tanh RNN with W ~ N(0, g^2/n) is (1/2) log chi(g, sigma_in) from the mean-field fixed point, critical at g = 1 without input (Dobriban 2019, Stat 991 notes §3.3.2 and §7.9; Chen, Pennington & Schoenholz 2018, eqs. 4-6 and §3; Molgedey, Schuchhardt & Schuster 1992)."""

import numpy as np
import sympy as sp

from theory import rnn
from theory.claim import Check, Claim, Scale
from theory.sources import DOBRIBAN_2019

INPUTS = rnn.MEANFIELD_INPUTS
SMOKE_GAINS = np.linspace(0.5, 2.0, 16)
crit_sigma_in = sp.Symbol("crit_sigma_in", nonnegative=True)
crit_level = sp.Symbol("crit_level", real=True)

CLAIM = Claim(
    id="rnn_meanfield_lyapunov_edge_of_chaos",
    short_id="D6",
    family="rnn",
    title=r"The tanh RNN's gradient growth rate is $\frac{1}{2}\log\chi$, with the edge of chaos at $g = 1$",
    statement=(
        r"For $h_t = W\phi(h_{t-1}) + \xi_t$, $W_{ij} \sim \mathcal{N}(0, g^2/n)$, $\xi_t \sim \mathcal{N}(0, \sigma_{\rm in}^2 I)$ "
        r"and large n, the state variance solves $q^* = g^2\,\mathbb{E}_z\phi(\sqrt{q^*}z)^2 + \sigma_{\rm in}^2$ and "
        r"$\|J_\ell\cdots J_1 v\|$ grows per step at rate $\frac12\log\chi$, $\chi = g^2\,\mathbb{E}_z\phi'(\sqrt{q^*}z)^2$. "
        r"For tanh without input $q^* = 0$ up to $g = 1$, so $\chi = g^2$ and the gradients vanish below $g = 1$ and explode above: "
        r"the edge of chaos. An input moves the edge up ($g_c = 1.55$ at $\sigma_{\rm in} = 0.5$)."
    ),
    source=DOBRIBAN_2019.at("§3.3.2, 'Vanishing or exploding gradients', with the edge-of-chaos remark of §7.9"),
    reference="Chen, Pennington & Schoenholz (2018), Dynamical isometry and a mean field theory of RNNs, ICML, eqs. (4)-(6); Molgedey, Schuchhardt & Schuster (1992)",
    experiment="rnn_meanfield",
    protocol=(
        "n = 1000, float32; one $W_0 \\sim \\mathcal{N}(0, 1/n)$ per seed, $W = gW_0$ for 16 gains in [0.5, 2] and "
        "$\\sigma_{\\rm in} \\in \\{0, 0.5\\}$, all gains and inputs of a seed as columns of one matrix product per step; "
        "100 burn-in steps from $q_0 = 1$, then the tangent $v_t = J_t v_{t-1}$ is renormalised every step for 300 steps and "
        "its log growth averaged. Theory: $q^*$ by brentq on 61-point Gauss-Hermite quadrature; $g_c$ by a root solve of $\\chi = 1$."
    ),
    notes=(
        "The mean field is annealed: a fresh W each step. Here W is fixed (quenched), which the theory still predicts for odd "
        "activations at large n; for the sigmoid, whose mean is not zero, it does not (rnn_control_meanfield_sigmoid_quenched). "
        "Without input and below g = 1 the state decays to 0 and the Jacobian is W: the rate is log rho(W), whose excess over "
        "log g at finite n is Rider's (2003) edge term $\\sqrt{\\gamma_n/4n} + \\gamma_E/\\sqrt{4n\\gamma_n}$, "
        "$\\gamma_n = \\log(n/2\\pi) - 2\\log\\log n$ (0.026 at n = 1000; stated for complex Gaussian matrices, and it "
        "matches the real ones measured here within 0.002); it is added to the prediction there. "
        "$\\|Jv\\|$ for a random v is not $\\|J\\|$, which grows faster. The critical gain without input is derived in sympy: "
        "$\\chi = g^2\\phi'(0)^2 = 1$ at $q^* = 0$. Just above it $q^* \\approx (1 - g^{-2})/2$ and $\\chi = 1 + O((g-1)^2)$: "
        "the rate is flat at 0, so the edge is measured where the rate reaches -0.02 from below (theory $e^{-0.02} = 0.980$)."
    ),
    scales={
        "smoke": Scale(n_seeds=40, runs={"tanh": rnn.meanfield_run("tanh", 1000, SMOKE_GAINS)}),
        # 10 W of n = 4096, 48 (gain, input) columns, 1000 steps: about 30 TFLOP of float32 products on the GPU.
        "full": Scale(n_seeds=10, runs={"tanh": rnn.meanfield_run("tanh", 4096, np.linspace(0.5, 2.0, 16), [0.0, 0.5, 1.0], 300, 700)},
                      gpu=True, runtime_min=60, mem_mb=16000),
        # n >= 200 keeps Rider's edge term real; a gain of 4 makes sure every seed reaches the level (no NaN g_crit).
        "test": Scale(n_seeds=3, runs={"tanh": rnn.meanfield_run("tanh", 256, [0.5, 1.0, 2.0, 4.0], burn_in=10, steps=20)}),
    },
    checks=(
        Check(
            name="rate_tanh",
            kind="curve",
            run="tanh",
            metric="rate",
            x="g",
            series="sigma_in",
            prediction=rnn.meanfield_rate_finite_n("tanh"),
            marks=tuple((f"theory g_c, sigma_in = {s:g}", rnn.critical_gain_function("tanh")(s, 0)) for s in INPUTS),
            scale="absolute",
            tolerance=0.03,
            tolerance_reason=(
                "±0.03 per step as in the catalogue (n = 1000, 40 W): finite n and a 300-step average. Below g = 1 without "
                "input the Jacobian is W itself and the rate is log rho(W), which exceeds log g by Rider's finite-n edge "
                "term (0.026 at n = 1000, added to the prediction there; measured 0.024 ± 0.008 per W)."
            ),
            description=(
                "the measured rate is (1/2) log chi(g, sigma_in) within ±0.03 at every gain and both inputs (plus the "
                "finite-n spectral-radius excess where the dynamics is linear: no input, g < 1)."
            ),
        ),
        Check(
            name="critical_gain_tanh",
            kind="curve",
            run="tanh",
            metric="g_crit",
            x="crit_sigma_in",
            prediction=rnn.critical_gain_function("tanh")(crit_sigma_in, crit_level),
            scale="absolute",
            tolerance=0.05,
            tolerance_reason="±0.05 as in the catalogue: the zero crossing interpolated on a 0.1-spaced gain grid.",
            tuned=("20 -> 40 seeds after the robustness run at base seed 90210 found the crossing's CI 0.35 of the band at "
                   "sigma_in = 0 (0.04 at the main seed: one seed's crossing on the flat side moves it); confirmed at a "
                   "further base seed added to config/robustness.yaml."),
            description=(
                "the vanishing regime ends where theory puts it: the rate reaches -0.02 at g_c within ±0.05 "
                "(exp(-0.02) = 0.980 without input, 1.491 at sigma_in = 0.5)."
            ),
        ),
    ),
)
