"""F5: early-stopped gradient descent comes close to optimally tuned ridge regression, and can never beat it: the ratio of their excess errors is at least 1 (ridge at se2/sw2 is the Bayes posterior mean) and at most 1.043 over SNR in {1/4, 1, 4} and alpha in {1/2, 1, 2} (Dobriban 2019, Stat 991 notes §7.10, '2.2 Effectiveness of early stopping vs L2 regularization'; Advani & Saxe 2017, Sec. 2.2)."""

import sympy as sp

from theory import ntk
from theory.claim import Check, Claim, Scale
from theory.sources import DOBRIBAN_2019

SNRS, ALPHAS = [0.25, 1.0, 4.0], [0.5, 1.0, 2.0]


def _run(N_exact: int, snrs: list[float] = SNRS, alphas: list[float] = ALPHAS) -> dict:
    cells = [(r, a) for a in alphas for r in snrs]
    return {"sweep": "ridge", "N": 0, "N_exact": N_exact, "snr": [c[0] for c in cells], "alpha": [c[1] for c in cells],
            "eta": 0.1, "T": 40.0, "s02": 0.0, "se2": 0.25}


CLAIM = Claim(
    id="ntk_early_stopping_vs_optimal_ridge",
    short_id="F5",
    family="ntk",
    title="Early stopping comes close to optimal ridge regression (within 4.3%) and never beats it",
    statement=(
        r"With $w(0) = 0$ and SNR $= \sigma_w^2/\sigma_\epsilon^2$, let $\rho = \frac{\min_t E_g^{\rm ES}(t) - \sigma_\epsilon^2}"
        r"{E_g^{\rm ridge}(\sigma_\epsilon^2/\sigma_w^2) - \sigma_\epsilon^2}$, where ridge at penalty $\sigma_\epsilon^2/\sigma_w^2$ is the "
        r"posterior mean under the Gaussian prior. Then $\rho \ge 1$ exactly, for every design; in the Marchenko-Pastur limit "
        r"$\rho$ is the ratio of the integrals $\int\rho_{MP}[\sigma_w^2 d^2 + \frac{\sigma_\epsilon^2}{\lambda}(1-d)^2]$ (minimised over t) and "
        r"$\int\rho_{MP}[\sigma_w^2\frac{\mu^2}{(\lambda+\mu)^2} + \sigma_\epsilon^2\frac{\lambda}{(\lambda+\mu)^2}]$, $\mu = 1/{\rm SNR}$, zero "
        r"modes contributing $\sigma_w^2$ to both, and it stays close to 1."
    ),
    source=DOBRIBAN_2019.at("§7.10, item 5, '2.2 Effectiveness of early stopping vs L2 regularization: early stopping comes close'"),
    reference="Advani & Saxe (2017), High-dimensional dynamics of generalization error in neural networks, Sec. 2.2; Bayes optimality of the posterior mean",
    experiment="ntk_advani_saxe",
    protocol=(
        "Nine cells, SNR in {1/4, 1, 4} by alpha in {1/2, 1, 2}, $\\sigma_\\epsilon^2 = 0.25$, $\\sigma_0 = 0$. Per seed and cell one design "
        "of N = 400; the expected test error given the design of GD (eta = 0.1) at every step up to t = 40 (its minimum is "
        "early stopping at its best time) and of ridge at the Bayes penalty, from the design's spectrum. The prediction takes "
        "the minimum over the same steps of the Marchenko-Pastur curve. 10 designs; jackknife-t intervals."
    ),
    notes=(
        "'Comes close' made quantitative: the worst of the nine cells is alpha = 2, SNR 4, where early stopping's excess error "
        "is 4.3% above ridge's (the catalogue's measured range 1.0004-1.039 used a finer time grid); the ratio grows with SNR "
        "and alpha here. Both hold for isotropic inputs; with anisotropic spectra the two can differ more. The lower bound is "
        "a theorem that a correct computation meets for every design: an identity check."
    ),
    scales={
        "smoke": Scale(n_seeds=10, runs={"cells": _run(400)}),
        "full": Scale(n_seeds=10, runs={"cells": _run(4000)}, gpu=True, runtime_min=30, mem_mb=32000),
        "test": Scale(n_seeds=3, runs={"cells": _run(20, [1.0, 4.0], [0.5, 2.0])}),
    },
    checks=(
        Check(
            name="never_beats_ridge",
            kind="bound_holds",
            run="cells",
            metric="excess_ratio",
            x="snr",
            series="alpha",
            prediction=sp.Integer(1),
            bound="lower",
            reduce="min",
            tolerance=0.0,
            role="identity",
            tolerance_reason="Exact: the posterior mean minimises the expected error given the design, so no stopping time beats it.",
            description="In every design and cell, early stopping's best excess error is at least ridge's ...",
        ),
        Check(
            name="comes_close",
            kind="bound_holds",
            run="cells",
            metric="excess_ratio",
            x="snr",
            series="alpha",
            prediction=sp.Rational(11, 10),
            reduce="max",
            tolerance=0.0,
            tolerance_reason="The catalogue's quantification of 'comes close', at most 10% more excess error, in every design.",
            description="... at most 10% above it in every design and cell ...",
        ),
        Check(
            name="marchenko_pastur_ratio",
            kind="curve",
            run="cells",
            metric="excess_ratio",
            x="snr",
            series="alpha",
            prediction=ntk.early_stopping_ridge_ratio(),
            scale="absolute",
            tolerance=0.005,
            tolerance_reason="±0.005 on a ratio whose distance from 1 ranges over 0.001-0.043: finite-N corrections at N = 400 are O(1/N) away from alpha = 1 and below 0.001 at alpha = 1 in a pilot; the CI over 10 designs is about ±1e-4.",
            tuned="band chosen after a pilot (seed 9) that found the N = 400 ratios within 0.0007 of the limit once both sides take the minimum over the same steps; confirmed at the main base seed and at base seed 7.",
            description="... and the ratio is its Marchenko-Pastur limit within 0.005 in every cell.",
        ),
    ),
)
