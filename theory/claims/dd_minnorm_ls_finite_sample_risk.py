"""B1: the exact finite-sample risk of min-norm least squares on the first p of D isotropic Gaussian features peaks at p = n and descends again beyond (Scaman 2023, Mathematics of Deep Learning slides, 'But... Double descent!'; Belkin, Hsu & Xu 2020, Thm 1)."""

import sympy as sp

from theory import dd
from theory.claim import Check, Claim, Scale
from theory.sources import SCAMAN_2023
from theory.comparisons import X_MAX

POLE = (dd.n - 5, dd.n + 5)

CLAIM = Claim(
    id="dd_minnorm_ls_finite_sample_risk",
    short_id="B1",
    family="dd",
    title="Min-norm least squares: the exact finite-sample double-descent curve, its pole at $p = n$ and second descent",
    statement=(
        r"With $x \sim \mathcal{N}(0, I_D)$, $y = x^\top\beta + \sigma\epsilon$, n samples and the min-norm fit $X_T^+y$ on the "
        r"first p features, $R(p) = \mathbb{E}(y - x_T^\top\hat\beta_T)^2$ is $(\|\beta_{T^c}\|^2+\sigma^2)(1+\frac{p}{n-p-1})$ for "
        r"$p \le n-2$, infinite for $n-1 \le p \le n+1$, and $\|\beta_T\|^2(1-\frac np)+(\|\beta_{T^c}\|^2+\sigma^2)(1+\frac{n}{p-n-1})$ "
        r"for $p \ge n+2$: the test risk peaks at the interpolation threshold p = n and descends again."
    ),
    source=SCAMAN_2023.at("slide 'But... Double descent!'; also Dobriban (2019), §7.5"),
    reference="Belkin, Hsu & Xu (2020), Two models of double descent for weak features, SIAM J. Math. Data Sci., Thm 1; Breiman & Freedman (1983) for p < n",
    experiment="least_squares",
    protocol=(
        "n = 100, D = 500, equal-energy $\\beta_j = \\pm\\sqrt{r^2/D}$ with $r^2 = 1$, $\\sigma^2 = 0.25$; 2000 independent trials "
        "(design, signs, noise) as one batch; per p one batched SVD gives $X_T^+y$, and the risk is computed exactly from the fit as "
        "$\\|\\beta_T - \\hat\\beta_T\\|^2 + \\|\\beta_{T^c}\\|^2 + \\sigma^2$ (no test sampling). Each trial's risk is averaged exactly over its signal and noise given its design (from the design's singular values; the realised risk of the fit is kept beside it as a metric): the same expectation, a Monte Carlo over designs only, with the signal and noise variance removed (Rao-Blackwell). Jackknife-t intervals over trials."
    ),
    notes=(
        "The notes show the curve without a formula; the closed form is Belkin, Hsu & Xu's. The mean is infinite at "
        "p in {n-1, n, n+1} and the variance infinite for |p - n| <= 3, so the points within 5 of n are measured and drawn but "
        "excluded from the pointwise comparison (declared, not hidden); they carry the peak checks. The over-parameterised "
        "minimum sits at p = D here (the second descent continues to the full model)."
    ),
    scales={
        "smoke": Scale(n_seeds=2000, runs=dd.features_run(100)),
        "full": Scale(n_seeds=200, runs=dd.features_run(1000, 10), gpu=True, runtime_min=60, mem_mb=64000),
        "test": Scale(n_seeds=3, runs=dd.features_run(10)),
    },
    checks=(
        Check(
            name="risk_curve",
            kind="curve",
            run="features",
            metric="risk",
            x="p",
            prediction=dd.minnorm_risk(),
            exclude=(POLE,),
            marks=(("interpolation threshold p = n", dd.n),),
            tolerance=0.05,
            tolerance_reason="5% as in the catalogue; with the risk averaged exactly over signal and noise per design, 2000 designs give a CI of a fifth of the band or less at |p - n| >= 6.",
            tuned="n = 40 -> 100 and 5000 -> 2000 trials after the rules of evidence found the peak location's grid-quantised CI [38, 42] half the ±10% band at n = 40 (the points nearest the pole are n +- 2, 5% away at n = 40, 2% at n = 100); confirmed by make robustness at two other base seeds.",
            description="the mean risk is the closed form within 5% at every p with |p - n| > 5.",
        ),
        Check(
            name="peak_at_n",
            kind="extremum_location",
            run="features",
            metric="risk",
            x="p",
            prediction=dd.n,
            tolerance=0.1,
            tolerance_reason="±10% of n: the grid's points nearest the pole are n - 2 and n + 2 (5% away), where the mean is finite.",
            description="the measured curve peaks at p = n (within ±10%) ...",
        ),
        Check(
            name="peak_prominence",
            kind="peak_prominence",
            run="features",
            metric="risk",
            x="p",
            prediction=sp.Integer(5),
            window=(dd.n / 2, 2 * dd.n),
            tolerance=0.0,
            tolerance_reason="The catalogue's factor 5, no tolerance.",
            description="... at least 5 times above the risk at p = n/2 and at p = 2n ...",
        ),
        Check(
            name="second_descent_minimum",
            kind="extremum_location",
            run="features",
            metric="risk",
            x="p",
            prediction=dd.overparameterised_argmin_features(),
            extremum="min",
            window=(dd.n + 2, X_MAX),
            tolerance=0.25,
            tolerance_reason="One grid step: the last two grid points are 3.75 n and 5 n.",
            description="... and the over-parameterised minimum sits where the closed form puts it (p = D for this signal).",
        ),
    ),
)
