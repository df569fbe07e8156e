"""D1: dh_t/dh_k is the product J_t ... J_(k+1), J_i = W diag(sigma'(h_(i-1))), in numerator layout (Dobriban 2019, Stat 991 notes §3.3.2 and its footnote 1; Pascanu, Mikolov & Bengio 2013, eq. 5)."""

import sympy as sp

from theory.claim import Check, Claim, Erratum, Scale
from theory.sources import DOBRIBAN_2019

LAGS = [1, 2, 5, 10, 20, 35, 50]
# Spectral norms near the activation's critical value 1/gamma keep the products O(1) over 50 steps.
SPECTRAL_NORM = {"tanh": 1.5, "sigmoid": 4.0}


def runs(n: int, lags: list[int]) -> dict:
    return {a: {"activation": a, "n": n, "lag": lags, "spectral_norm": s, "sigma_in": 0.5} for a, s in SPECTRAL_NORM.items()}


def checks(activation: str) -> tuple[Check, ...]:
    exact = dict(kind="bound_holds", run=activation, x="lag", reduce="max", scale="absolute", tolerance=0.0)
    return (
        Check(
            name=f"product_{activation}",
            role="identity",
            metric="product_error",
            prediction=sp.Float(1e-10),
            tolerance_reason="The catalogue's 1e-10 relative error is the bound itself (tolerance 0): float64 products of at most 50 factors accumulate about 1e-14.",
            description=f"max |autograd - product| / max |product| < 1e-10 at every lag and in every seed ({activation}).",
            **exact,
        ),
        Check(
            name=f"footnote_conjugation_{activation}",
            role="identity",
            metric="footnote_error",
            prediction=sp.Float(1e-10),
            tolerance_reason="As for the product: an exact identity checked in float64.",
            description=(
                "for the footnote's form s_t = sigma(W s_(t-1) + ...), s = sigma(h), autograd's ds_T/ds_k equals "
                "diag sigma'(h_T) dh_T/dh_k diag sigma'(h_k)^-1 to 1e-10."
            ),
            **exact,
        ),
        Check(
            name=f"footnote_not_equal_{activation}",
            role="identity",
            metric="footnote_difference",
            prediction=sp.Float(1e-2),
            tolerance_reason="A lower bound with tolerance 0: 'equivalent' Jacobians would differ by rounding only (1e-15); 1% is far from both.",
            description="yet ||ds_T/ds_k - dh_T/dh_k||_F / ||dh_T/dh_k||_F >= 0.01: the two formulations do not share their Jacobians.",
            **{**exact, "reduce": "min"},
            bound="lower",
        ),
    )


CLAIM = Claim(
    id="rnn_jacobian_product_formula",
    short_id="D1",
    family="rnn",
    title=r"Back-propagation through time multiplies the Jacobians $W\mathrm{diag}(\sigma'(h))$",
    statement=(
        r"For $h_t = W\sigma(h_{t-1}) + Ux_t + b$, $\partial h_t/\partial h_k = \prod_{t \ge i > k} W\,\mathrm{diag}(\sigma'(h_{i-1}))$, "
        r"ordered latest factor first, and $\partial\mathcal{E}_t/\partial W = \sum_{k \le t} \frac{\partial\mathcal{E}_t}{\partial h_t}"
        r"\frac{\partial h_t}{\partial h_k}\frac{\partial^+ h_k}{\partial W}$ with the immediate partial $\partial^+ h_k/\partial W$."
    ),
    source=DOBRIBAN_2019.at("§3.3.2, 'Vanishing or exploding gradients' (the Jacobian product) and its footnote 1"),
    reference="Pascanu, Mikolov & Bengio (2013), ICML, §2 eqs. (3)-(5)",
    experiment="rnn_autograd",
    protocol=(
        "n = 32, float64 on the CPU, Gaussian $W$ rescaled to spectral norm 1.5 (tanh) or 4 (sigmoid), drive "
        "$\\xi_t \\sim \\mathcal{N}(0, 0.25 I)$, random $h_0$; $\\partial h_T/\\partial h_{T-\\ell}$ from torch.func.jacrev of the "
        "unrolled map, vmapped over seeds, against the explicit product; lags up to 50."
    ),
    notes=(
        "Layout: the notes write the factors as $W^\\top\\mathrm{diag}(\\sigma'(h_{i-1}))$, which is Pascanu et al.'s transposed "
        "(denominator) layout; in the numerator layout used here $\\partial h_i/\\partial h_{i-1} = W\\,\\mathrm{diag}(\\sigma'(h_{i-1}))$ "
        "and the product runs latest-left. Norms and singular values agree in both layouts. The notes' $\\partial h_k/\\partial W$ "
        "must be read as the immediate partial. Footnote 1 calls $h_t = W\\sigma(h_{t-1}) + \\dots$ 'equivalent' to "
        "$s_t = \\sigma(Ws_{t-1} + \\dots)$: true for the dynamics ($s = \\sigma(h)$), but the Jacobians differ by the end "
        "factors $\\mathrm{diag}\\,\\sigma'$ (checks footnote_*), by 20-50% in Frobenius norm here."
    ),
    errata=(
        Erratum(
            kind="imprecise",
            notes_say=r"Footnote 1: the recursion $h_t = W\sigma(h_{t-1}) + \dots$ is 'equivalent' to $s_t = \sigma(Ws_{t-1} + \dots)$.",
            correction=(r"Equivalent as dynamics ($s = \sigma(h)$), not in their Jacobians: the two products differ by the "
                        r"end factors $\mathrm{diag}\,\sigma'$, by 20-50% in Frobenius norm here (checks footnote_*)."),
            reference="Pascanu, Mikolov & Bengio (2013), On the difficulty of training recurrent neural networks, ICML, §2 eqs. (3)-(5)",
        ),
    ),
    scales={
        "smoke": Scale(n_seeds=5, runs=runs(32, LAGS)),
        "full": Scale(n_seeds=20, runs=runs(128, LAGS + [100, 200])),
        "test": Scale(n_seeds=3, runs=runs(8, [1, 2, 5])),
    },
    checks=checks("tanh") + checks("sigmoid"),
)
