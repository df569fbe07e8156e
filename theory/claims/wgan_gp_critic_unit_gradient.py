"""E11: a WGAN-GP critic's slope on the interpolates is not 1 (Proposition 1 is about the 1-Lipschitz optimum) but that of the GP optimum, whose mean over the interpolates is exactly 1 + W1/(2 lam), with the sign of F_g - F_r (Dobriban 2019, Stat 991 notes §4.4.2, items 4-7; Gulrajani et al. 2017, Prop. 1; Petzka, Fischer & Lukovnikov 2018)."""

from theory import wgan
from theory.claim import Check, Claim, Scale
from theory.wgan import (
    GP_FULL as FULL,
    GP_SHIFTS as SHIFTS,
    GP_SMOKE as SMOKE,
    GP_TEST as TEST,
    gp_critic_run as critic_run,
)
from theory.wgan import GP_SLOPE_BAND as SLOPE_BAND
from theory.sources import DOBRIBAN_2019

CLAIM = Claim(
    id="wgan_gp_critic_unit_gradient",
    short_id="E11",
    family="wgan",
    title=r"The WGAN-GP critic's slope on interpolates: mean $1 + W_1/(2\lambda)$, not 1, with the sign of $F_g - F_r$",
    statement=(
        r"Proposition 1: the optimal 1-Lipschitz critic has $\|\nabla f^*\| = 1$ on the optimal coupling's segments, "
        r"in 1-D $f^{*\prime} = \mathrm{sign}(F_g - F_r)$. The WGAN-GP objective's optimum (E6) has instead "
        r"$|f'| = 1 + |F_g - F_r|/(2\lambda q)$ on the interpolates' density $q$, so the mean slope over the interpolates "
        r"is exactly $\mathbb{E}_q|f'| = 1 + \int|F_g - F_r|\,dx/(2\lambda) = 1 + W_1/(2\lambda)$ ($q$ cancels): "
        r"$1.025$, $1.05$, $1.1$ for shifts $a = 0.5, 1, 2$ at $\lambda = 10$; the sign of $f'$ is still that of $F_g - F_r$."
    ),
    source=DOBRIBAN_2019.at("§4.4.2, items 4-7 (Proposition 1, Corollary 1, the WGAN-GP objective)"),
    reference=(
        "Gulrajani, Ahmed, Arjovsky, Dumoulin & Courville (2017), Improved training of Wasserstein GANs, NeurIPS, "
        "Prop. 1; Petzka, Fischer & Lukovnikov (2018), On the regularization of Wasserstein GANs, ICLR, §4; Milne & "
        "Nachman (2022), Wasserstein GANs with gradient penalty compute congested transport, COLT"
    ),
    experiment="wgan_gp_critic",
    protocol=(
        "The critics of wgan_gp_critic_dual (16-wide two-hidden-layer ReLU, zero output layer at the start, 1000 Adam "
        "steps, $\\lambda = 10$), own seeds; $|f'|$ on $5 \\times 10^4$ fresh interpolates per critic (independent "
        "pairs, $t \\sim U[0,1]$), exact by the pushed-forward tangent. 8 seeds."
    ),
    notes=(
        "The catalogue's criterion, a median slope in [0.95, 1.05] with at least 80% of interpolates within ±0.1 of 1, "
        "is the 1-Lipschitz critic's; the GP optimum puts 99.9%, 98.1% and 67.2% of the interpolates within ±0.1 at "
        "a = 0.5, 1, 2 (quadrature). That share is recorded (near_unit_fraction) but not checked: at a = 2 the "
        "optimum's median |f'| - 1 is 0.091, just inside the 0.1 threshold, so the share swings with small errors of "
        "the critic's slope profile (at a = 2, seed means 0.75-0.79 at base seeds 7 and 90210, single critics "
        "0.63-0.86, against 0.67; the median |f'|, 1.095, is within 0.5% of the optimum's 1.091), while the mean "
        "slope, a smooth functional with a closed form, is resolved to 0.1%. The 2-D cosine to the coupling direction is "
        "left out at smoke."
    ),
    scales={
        "smoke": Scale(n_seeds=8, runs={"critic": critic_run(SHIFTS, **SMOKE)}),
        "full": Scale(n_seeds=40, runs={"critic": critic_run(SHIFTS, **FULL)}, gpu=True, runtime_min=30, mem_mb=8000),
        "test": Scale(n_seeds=2, runs={"critic": critic_run(SHIFTS, **TEST)}),
    },
    checks=(
        Check(
            name="mean_slope_on_interpolates",
            kind="curve",
            run="critic",
            metric="mean_slope",
            x="mean",
            prediction=wgan.gp_mean_slope(),
            tolerance=0.01,
            tolerance_reason=SLOPE_BAND,
            description="the mean |f'| over fresh interpolates equals 1 + W1/(2 lam) at every shift.",
        ),
        Check(
            name="slope_sign_is_that_of_cdf_gap",
            kind="bound_holds",
            run="critic",
            metric="sign_agreement",
            x="mean",
            prediction=wgan.sp.Rational(95, 100),
            bound="lower",
            reduce="min",
            scale="absolute",
            tolerance=0.0,
            tolerance_reason=(
                "none beyond the catalogue's threshold: at least 95% of the interpolates with |F_g - F_r| > 0.01 have "
                "sign f' = sign(F_g - F_r), in the worst critic; a critic with a wrong-signed stretch (as with a "
                "random start, see E6) falls to 60-90%."
            ),
            description="in every critic, f' has the sign of F_g - F_r on at least 95% of the interpolates away from crossings.",
        ),
    ),
)
