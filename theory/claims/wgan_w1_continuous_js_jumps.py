"""E4: on the parallel lines, W(P_0, P_theta) = |theta| is continuous (exact sample W1 on a theta grid in [-1, 1], its OLS slope on |theta|), while JS jumps from 0 to log 2 at theta = 0 (a trained discriminator's estimate within one grid step) (Dobriban 2019, Stat 991 notes §4.4, Theorem 1 and Corollary 1; Arjovsky, Chintala & Bottou 2017, Thm 1 and Example 1)."""

from theory import wgan
from theory.claim import Check, Claim, Scale
from theory.wgan import LINES_THETA as THETA, lines_run as run, LINES_JS_REASON as JS_REASON
from theory.sources import DOBRIBAN_2019

CLAIM = Claim(
    id="wgan_w1_continuous_js_jumps",
    short_id="E4",
    family="wgan",
    title=r"Parallel lines: $W_1$ is continuous in $\theta$ (slope 1 in $|\theta|$), JS jumps from 0 to $\log 2$ at $\theta = 0$",
    statement=(
        r"For $g_\theta(z) = (\theta, z)$, $Z \sim U[0,1]$: $W(P_0, P_\theta) = |\theta|$, continuous and 1-Lipschitz in "
        r"$\theta$ (Theorem 1: $g_\theta$ is continuous in $\theta$), while $JS(P_0, P_\theta) = \log 2$ for every "
        r"$\theta \ne 0$ and 0 at $\theta = 0$ (the ½-weighted JS). Exact sample $W_1$ on $n = 200$ points per line is "
        r"$|\theta| + 1/(6(n+1)|\theta|)$ in expectation (E3), so its OLS slope on $|\theta| \in [0.2, 1]$ over the grid "
        r"$\theta \in \{-1, -0.9, \dots, 1\}$ is $1 + c\,\mathrm{cov}(1/x, x)/\mathrm{var}(x) = 0.9964$, "
        r"$c = 1/(6(n+1))$; a discriminator's JS estimate jumps by at least $0.8 \log 2$ within one grid step of 0."
    ),
    source=DOBRIBAN_2019.at("§4.4, items 5-9 (parallel lines; Theorem 1 and Corollary 1: W continuous, JS not)"),
    reference="Arjovsky, Chintala & Bottou (2017), Wasserstein GAN, ICML, Thm 1, Cor. 1 and Example 1",
    experiment="wgan_theta_grid",
    protocol=(
        "Per seed and $\\theta$ on the 21-point grid: exact sample $W_1$ between 200 points of $P_0$ and of "
        "$P_\\theta$ (the sorted matching of the $Z$'s, which is the optimal assignment: E3's oracle test), its OLS "
        "slope on $|\\theta| \\ge 0.2$ per seed; a logistic discriminator $\\sigma(wu + cv + b)$ trained from 0 by 400 "
        "Adam steps (lr 0.2) on the same 200 points per law, its JS estimate $(V(\\hat D) + \\log 4)/2$ on $10^4$ fresh "
        "points per law. 10 seeds, all $(\\text{seed}, \\theta)$ on tensor axes."
    ),
    notes=(
        "The catalogue's pass rule for the W curve (maximum adjacent-point slope in [0.9, 1.1]) amplifies the "
        "noise of two independent samples per grid point; the OLS fit over the grid does not, and its prediction "
        "carries the matching term (0.36% below 1 here). The intercept of the fit (about +0.004) is that term's "
        "share too. The training dynamics from theta_0 = 1 (WGAN-GP against minimax and non-saturating GAN "
        "generators) are the separate claim E4b (wgan_training_dynamics_parallel_lines)."
    ),
    scales={
        "smoke": Scale(n_seeds=10, runs=run(200, 400, 10_000)),
        "full": Scale(n_seeds=40, runs=run(2000, 2000, 100_000, theta=[round(-1 + 0.01 * i, 2) for i in range(201)])),
        "test": Scale(n_seeds=3, runs=run(50, 20, 200)),
    },
    checks=(
        Check(
            name="w1_ols_slope_in_abs_theta",
            kind="curve",
            run="grid",
            metric="w1_slope",
            x="n_lines",
            prediction=wgan.parallel_lines_ols_slope,
            tolerance=0.01,
            tolerance_reason=(
                "relative 1%: the per-seed OLS slope scatters by 0.15% (10-seed CI about ±0.1%); 1% resolves a "
                "Lipschitz constant of W in theta off by 1%, not the 0.36% matching term (which the prediction "
                "carries anyway)."
            ),
            description="the OLS slope of exact sample W1 on |theta| over |theta| >= 0.2 is 1 up to the matching term.",
        ),
        Check(
            name="js_zero_at_zero",
            kind="curve",
            run="grid",
            metric="js",
            x="theta",
            prediction=wgan.sp.Integer(0),
            window=(-0.05, 0.05),
            scale="absolute",
            tolerance=0.02,
            tolerance_reason="absolute 0.02 (3% of log 2): " + JS_REASON,
            description="at theta = 0 the JS estimate on held-out draws is 0.",
        ),
        Check(
            name="js_jump_within_one_step",
            kind="bound_holds",
            run="grid",
            metric="js",
            x="theta",
            prediction=wgan.sp.Rational(4, 5) * wgan.sp.log(2),
            exclude=((-0.05, 0.05),),
            bound="lower",
            reduce="min",
            scale="absolute",
            tolerance=0.0,
            tolerance_reason="none beyond the catalogue's 0.8 log 2, in the worst seed: " + JS_REASON,
            description="at every theta != 0 of the grid, down to |theta| = 0.1, the JS estimate is at least 0.8 log 2.",
        ),
    ),
)
