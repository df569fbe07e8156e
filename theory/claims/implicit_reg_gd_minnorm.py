"""B5: gradient descent on least squares converges to X^+ y + (I - X^+ X) theta_0, the min-norm interpolant only from theta_0 = 0, and ridge tends to X^+ y linearly in lam (Scaman 2023, Mathematics of Deep Learning slides, 'But... Double descent!', on implicit regularisation; Dobriban 2019, Stat 991 notes §7.5; Gunasekar, Lee, Soudry & Srebro 2018, §2)."""

import sympy as sp

from theory import dd
from theory.claim import Check, Claim, Erratum, Scale
from theory.sources import SCAMAN_2023

scale_sym = sp.Symbol("theta0_scale", nonnegative=True)

CLAIM = Claim(
    id="implicit_reg_gd_minnorm",
    short_id="B5",
    family="dd",
    title="Gradient descent on least squares converges to $X^+y$ plus the start's null-space part",
    statement=(
        r"GD on $\frac12\|X\theta - y\|^2$ with $0 < \eta < 2/\lambda_{\max}(X^\top X)$ converges to "
        r"$\theta_\infty = X^+y + (I - X^+X)\theta_0$: the minimum-norm interpolant when $\theta_0 = 0$, and otherwise the "
        r"interpolant nearest $\theta_0$; ridge $(X^\top X + n\lambda I)^{-1}X^\top y \to X^+y$ as $\lambda \to 0^+$, at rate $O(\lambda)$."
    ),
    source=SCAMAN_2023.at("slide 'But... Double descent!' ('implicit regularization'); also Dobriban (2019), §7.5"),
    reference="Standard least-squares GD analysis, e.g. Gunasekar, Lee, Soudry & Srebro (2018), §2; Hastie et al. (2022), Prop. 1",
    experiment="gd_minnorm",
    protocol=(
        "n = 50, p = 500, float64, 20 seeds (design, targets, start direction); $\\theta_0 = c\\,u$ with $\\|u\\| = \\|X^+y\\|$, "
        "c in {0, 1}; 400 steps of GD with $\\eta = 1/\\lambda_{\\max}$, all seeds and starts in one batched product; ridge at "
        "$\\lambda = 10^{-7}$ to $10^{-3}$ through the SVD."
    ),
    notes=(
        "Dobriban (2019, §7.5) says the vanishing-regularisation scheme converges to the minimum-norm minimiser "
        "'independently of initial conditions'. That is right for the scheme, but plain GD keeps the null-space part of "
        "$\\theta_0$: from a random start of the same norm as $X^+y$ it ends $\\sqrt{1 - n/p} = 0.95$ of $\\|X^+y\\|$ away from it "
        "(check keeps_start, and the control dd_control_gd_forgets_start)."
    ),
    errata=(
        Erratum(
            kind="imprecise",
            notes_say=r"The limit of vanishing regularisation converges to the minimum-norm minimiser 'independently of initial conditions'.",
            correction=(r"True of the vanishing-regularisation scheme, not of plain gradient descent: GD on least squares "
                        r"converges to $X^+y + (I - X^+X)\theta_0$ and keeps the null-space part of its start, "
                        r"$\sqrt{1 - n/p} = 0.95$ of $\|X^+y\|$ from a random start here (the control B5-c1 fails)."),
            reference="Gunasekar, Lee, Soudry & Srebro (2018), Characterizing implicit bias in terms of optimization geometry, ICML, §2",
        ),
    ),
    scales={"smoke": Scale(n_seeds=20, runs=dd.gd_run()), "full": Scale(n_seeds=100, runs=dd.gd_run()),
            "test": Scale(n_seeds=3, runs=dd.gd_run(n=10, p=40, steps=50, lam=(1e-6, 1e-5, 1e-4)))},
    checks=(
        Check(
            name="gd_limit",
            role="identity",
            kind="bound_holds",
            run="gd",
            metric="gd_error",
            x="theta0_scale",
            prediction=sp.Float(1e-6),
            reduce="max",
            scale="absolute",
            tolerance=0.0,
            tolerance_reason="The catalogue's 1e-6 relative error is the bound itself; GD reaches about 1e-15 here.",
            description="||theta_GD - (X^+ y + (I - X^+ X) theta_0)|| / ||theta_pred|| < 1e-6 from both starts, in every seed ...",
        ),
        Check(
            name="keeps_start",
            kind="curve",
            run="gd",
            metric="minnorm_gap",
            x="theta0_scale",
            prediction=scale_sym * sp.sqrt(1 - sp.Symbol("n", positive=True) / sp.Symbol("p", positive=True)),
            scale="absolute",
            tolerance=0.02,
            tolerance_reason="±0.02: the null-space share of a random direction fluctuates by about 1/sqrt(2(p - n)) = 0.03 per seed, 0.007 over 20.",
            tuned=("10 -> 20 seeds after the robustness run at base seed 7 found the CI 0.40 of the band (0.30 at the main seed); "
                   "confirmed at a further base seed added to config/robustness.yaml."),
            description="... so that it lands c sqrt(1 - n/p) ||X^+ y|| away from the min-norm solution (0 from theta_0 = 0) ...",
        ),
        Check(
            name="ridge_path_rate",
            kind="loglog_slope",
            run="gd",
            metric="ridge_gap",
            x="lam",
            prediction=dd.lam,
            limit_point=0,
            tolerance=0.05,
            tolerance_reason="±0.05 on the slope of an O(lam) error over four decades.",
            description="... and ||b_ridge(lam) - X^+ y|| falls like lam (log-log slope 1).",
        ),
    ),
)
