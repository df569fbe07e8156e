"""F9: the eigenvalues of X^T X for P = alpha N Gaussian examples of variance 1/N follow the Marchenko-Pastur law: its CDF, an atom 1 - alpha at 0 below alpha = 1, and a top eigenvalue at the edge (1 + sqrt(alpha))^2 less a Tracy-Widom shift of order N^(-2/3) (Dobriban 2019, Stat 991 notes §7.10, LeCun, Kanter & Solla 1991; Marchenko & Pastur 1967; Johnstone 2001, Thm 1)."""

import sympy as sp

from theory import ntk
from theory.claim import Check, Claim, Scale
from theory.sources import DOBRIBAN_2019

CDF_ALPHAS = {"cdf_quarter": 0.25, "cdf_half": 0.5, "cdf_two": 2.0, "cdf_four": 4.0}


def _cdf_run(alpha: float, N: int) -> dict:
    return {"sweep": "cdf", "N": N, "alpha": alpha, "x": ntk.cdf_grid(alpha)}


RUNS = {**{k: _cdf_run(a, 1000) for k, a in CDF_ALPHAS.items()}, "edges": {**ntk.edges_run(200), "n_seeds": 200}}

TOP_EDGE = Check(
    name="top_eigenvalue",
    kind="curve",
    run="edges",
    metric="top",
    x="alpha",
    prediction=ntk.top_eigenvalue_mean(),
    tolerance=0.02,
    tolerance_reason="2% as the catalogue's edge criterion; at N = 200 one matrix's top eigenvalue spreads by 1.3-3.4% (the Tracy-Widom scale), 200 matrices give a CI near ±0.45%.",
    tuned="100 -> 200 designs after the first smoke run at the main base seed found the CI 0.43 of the band at alpha = 1/4 (where one matrix spreads by 3.4%); confirmed at base seed 7.",
    description="... the mean largest eigenvalue at N = 200 is the edge less the Tracy-Widom shift, within 2% ...",
)

CLAIM = Claim(
    id="ntk_marchenko_pastur_spectrum",
    short_id="F9",
    family="ntk",
    title=r"Marchenko-Pastur spectrum of $X^\top X$: distribution, atom at zero, and the top edge with its Tracy-Widom shift",
    statement=(
        r"For $X \in \mathbb{R}^{P\times N}$ with i.i.d. $\mathcal{N}(0, 1/N)$ entries and $P/N = \alpha$, the empirical spectral "
        r"distribution of $X^\top X$ converges to the Marchenko-Pastur law with density $\sqrt{(\lambda_+-\lambda)(\lambda-\lambda_-)}/(2\pi\lambda)$ "
        r"on $[\lambda_-, \lambda_+] = [(\sqrt\alpha-1)^2, (\sqrt\alpha+1)^2]$ plus an atom $1-\alpha$ at 0 when $\alpha < 1$ (exactly N - P "
        r"zeros: the rank); the largest eigenvalue sits at $\lambda_+$ less a shift $E[TW_1]\,\sigma_{np}/N$ of order $N^{-2/3}$ "
        r"(Johnstone's centring and scale, $E[TW_1] = -1.2065$)."
    ),
    source=DOBRIBAN_2019.at("§7.10, item 2 (LeCun, Kanter & Solla 1991, 'Eigenvalues of covariance matrices'); the law is implicit in item 5"),
    reference="Marchenko & Pastur (1967); Johnstone (2001), On the distribution of the largest eigenvalue in principal components analysis, Ann. Statist., Thm 1; Tracy & Widom (1996)",
    experiment="ntk_marchenko_pastur",
    protocol=(
        "CDF: N = 1000, alpha in {1/4, 1/2, 2, 4}, 4 designs each (8 at full scale, N = 4000); the fraction of eigenvalues at most x on 11 points (half "
        "the lower edge, 9 inside the support, 10% beyond the top), eigenvalues below 1e-9 of the largest set to 0 (eigvalsh "
        "returns the zeros as ±1e-15). Edges: N = 200, the same ratios, 200 designs; the largest eigenvalue and the zero "
        "fraction. Jackknife-t intervals over designs."
    ),
    notes=(
        "The notes cite LeCun, Kanter & Solla's covariance eigenvalues without naming the law. The catalogue's KS distance is "
        "read here at 11 points of the CDF (a lower bound on the KS distance, with the same 0.02 band); the measured gaps are "
        "below 0.001 at N = 1000. 'Edges within 2%' is only half true at finite N: the top eigenvalue sits below the edge by "
        "the Tracy-Widom shift, 1.3-3.8% at N = 200 (1.5-2.2% at N = 1000 for alpha < 1), so the naive edge fails a 2% check "
        "(the near-miss control ntk_control_top_eigenvalue_at_the_edge) while Johnstone's finite-N mean passes it. The zero "
        "fraction is the rank deficit, exact for every full-rank design: an identity check."
    ),
    scales={
        "smoke": Scale(n_seeds=4, runs=RUNS),
        "full": Scale(n_seeds=8, runs={**{k: _cdf_run(a, 4000) for k, a in CDF_ALPHAS.items()}, "edges": {**ntk.edges_run(400), "n_seeds": 400}}, gpu=True, runtime_min=30, mem_mb=16000),
        "test": Scale(n_seeds=3, runs={**{k: _cdf_run(a, 40) for k, a in CDF_ALPHAS.items()}, "edges": ntk.edges_run(20)}),
    },
    checks=tuple(
        Check(
            name=f"spectral_cdf_{run}",
            kind="curve",
            run=run,
            metric="ecdf",
            x="x",
            prediction=ntk.mp_cdf(),
            scale="absolute",
            tolerance=0.02,
            tolerance_reason="0.02 as the catalogue's KS criterion; the finite-N error of the CDF is O(1/N) in the bulk and O(N^(-2/3)) at the edges.",
            description=f"At alpha = {a:g} the empirical spectral CDF is the Marchenko-Pastur CDF (atom included) within 0.02 at every point ...",
        )
        for run, a in CDF_ALPHAS.items()
    ) + (
        Check(
            name="zero_fraction",
            kind="curve",
            run="edges",
            metric="zero_fraction",
            x="alpha",
            prediction=sp.Max(1 - ntk.alpha, 0),
            scale="absolute",
            tolerance=0.0,
            role="identity",
            tolerance_reason="Exact: a full-rank design has N - P zero eigenvalues when P < N.",
            description="... the fraction of zero eigenvalues is exactly max(1 - alpha, 0) ...",
        ),
        TOP_EDGE,
    ),
)
