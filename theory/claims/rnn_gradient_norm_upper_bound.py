"""D2: ||dh_t/dh_k|| <= (lambda1 gamma)^(t-k) with gamma = sup |sigma'| = 1 (tanh), 1/4 (sigmoid) (Dobriban 2019, Stat 991 notes §3.3.2; Pascanu, Mikolov & Bengio 2013, eq. 7)."""

from theory import rnn
from theory.claim import Claim, Scale
from theory.sources import DOBRIBAN_2019

FULL_LAGS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
LAGS = {"smoke": rnn.SMOKE_LAGS, "full": FULL_LAGS, "test": [1, 2, 5, 10]}
SIZES = {"smoke": {"small": 64, "large": 256}, "full": {"small": 1024, "large": 4096}, "test": {"small": 8, "large": 16}}


def runs(scale: str, levels=rnn.LAMBDA1) -> dict:
    """Run names say small/large so that the same checks apply at every scale (n = 64/256 smoke, 1024/4096 full)."""
    out = {}
    for a in rnn.ACTIVATIONS:
        for size, n in SIZES[scale].items():
            run = rnn.bound_run(a, n, LAGS[scale] if n <= 1024 else LAGS[scale][:7], levels)
            if n > 1024:
                run["n_seeds"] = 4  # 4096^3 products at 100 lags: a few seeds already fill an H100
            out[f"{a}_{size}"] = run
    return out


CLAIM = Claim(
    id="rnn_gradient_norm_upper_bound",
    short_id="D2",
    family="rnn",
    title=r"The Jacobian product of an RNN is bounded by $(\lambda_1\gamma)^{t-k}$",
    statement=(
        r"For $h_t = W\sigma(h_{t-1}) + Ux_t + b$, $\|\partial h_{k+1}/\partial h_k\| \le \|W\|\,\|\mathrm{diag}\,\sigma'(h_k)\| "
        r"\le \lambda_1\gamma$, hence $\|\partial h_t/\partial h_k\| \le (\lambda_1\gamma)^{t-k}$, with $\lambda_1$ the largest "
        r"singular value of $W$ and $\gamma = \sup|\sigma'|$: 1 for tanh, 1/4 for the sigmoid (both derived in sympy)."
    ),
    source=DOBRIBAN_2019.at("§3.3.2, 'Vanishing or exploding gradients'"),
    reference="Pascanu, Mikolov & Bengio (2013), On the difficulty of training RNNs, ICML, §2.1 eq. (7)",
    experiment="rnn_jacobian",
    protocol=(
        "One Gaussian $W_0$ per seed rescaled to unit spectral norm, $W = \\lambda_1 W_0$ for $\\lambda_1 \\in \\{0.5, 1, 2, 4\\}$; "
        "drive $\\xi_t \\sim \\mathcal{N}(0, 0.25 I)$ (the catalogue's $Ux_t$ with $U$ scaled by 0.5), $h_0 = 0$, $T = 101$. "
        "The products $\\partial h_T/\\partial h_{T-\\ell}$ are formed explicitly in float64 for all lags and their spectral norms "
        "taken by SVD at the lags of the grid; seeds and $\\lambda_1$ values are one batch of matrix products."
    ),
    notes=(
        "The bound is loose, and tightness is not part of the claim: saturation makes $\\|\\mathrm{diag}\\,\\sigma'\\| < \\gamma$ "
        "and a product of random Jacobians grows more slowly than its factors' norms. The measured per-step rate "
        "(metric fitted_rate) sits 0.6-1.3 below $\\log\\lambda_1\\gamma$ at smoke scale. The notes write the product with "
        "$W^\\top$ factors (Pascanu's denominator layout); norms are identical in both layouts (see rnn_jacobian_product_formula)."
    ),
    scales={
        "smoke": Scale(n_seeds=5, runs=runs("smoke")),
        "full": Scale(n_seeds=20, runs=runs("full"), gpu=True, runtime_min=60, mem_mb=32000),
        "test": Scale(n_seeds=3, runs=runs("test")),
    },
    checks=tuple(rnn.bound_check(run, run.split("_")[0]) for run in runs("smoke")),
)
