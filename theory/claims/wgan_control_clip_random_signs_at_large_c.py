"""Control for E9: 'the random-sign gain c sqrt(h/2) also sets the slope at c = 0.1, so c = 0.1 < c* = sqrt(2/128) vanishes at h = 128' (wrong: trained weights at c = 0.1 are correlated, not saturated with independent signs; Dobriban 2019, Stat 991 notes §4.4.2, item 2; Gulrajani et al. 2017, Fig. 1b)."""

from theory import wgan
from theory.claim import Check, Claim
from theory.sources import DOBRIBAN_2019

CLAIM = Claim(
    id="wgan_control_clip_random_signs_at_large_c",
    short_id="E9-c1",
    contradicts="E9",
    family="wgan",
    title=r"Control: at $c = 0.1$ too a clipped critic's per-layer gradient gain is $c\sqrt{h/2}$ (so it vanishes at $h = 128$)",
    statement=(
        r"(Wrong on purpose.) The saturated random-sign heuristic read at every clip: the slope of $\log\|\partial f/"
        r"\partial h_l\|$ per layer is $\log(c\sqrt{h/2})$ at $c = 0.1$ as well, $-0.22$ at $h = 128$ (vanishing, since "
        r"$c < c^* = \sqrt{2/h} = 0.125$) and $+0.47$ at $h = 512$. Trained at $c = 0.1$ the weights are not all at "
        r"$\pm c$, and the ones that move align with the critic's gradient, so the gain is set by their correlation, "
        r"not by $c\sqrt{h/2}$."
    ),
    source=DOBRIBAN_2019.at("§4.4.2, item 2 and Fig. 64 (left)"),
    reference="Gulrajani et al. (2017), Improved training of Wasserstein GANs, NeurIPS, Fig. 1b (c = 0.1 explodes)",
    experiment="wgan_clipped_deep",
    control=True,
    protocol=("As wgan_clipping_gradients_explode_or_vanish: the same run, so it reads E9's critics rather than training "
              "its own. GPU only."),
    notes=(
        "CPU pilots (8 layers, 1000 RMSProp steps at 5e-5) measured +0.87/+0.86/+0.90 per layer at c = 0.1, h = 128 "
        "(3 seeds) against the wrong prediction -0.22, about 11 bands off with the sign wrong, and +2.92 at h = 512 "
        "(1 seed) against +0.47; at 12 layers +0.77 to +0.84 (h = 128, 3 seeds) and +2.96 (h = 512, 1 seed). Its failure shows that "
        "E9's magnitude check is confined to the saturated arms for a reason, and that the width dependence of the "
        "neutral clip sqrt(2/h) is a statement about saturated random-sign weights only."
    ),
    scales=wgan.clip_deep_scales(),
    checks=(
        Check(
            name="random_sign_slope_at_large_clip",
            kind="curve",
            run="critics",
            metric="slope",
            x="clip",
            series="width",
            window=(0.05, 1),
            scale="absolute",
            prediction=lambda: wgan.clipped_layer_slope(),
            tolerance=0.1,
            tolerance_reason=("E9's band for the saturated arms, absolute 0.1 per layer (a 10% error in the gain); "
                              "the 10-seed CI from pilots at c = 0.1 is about +-0.02."),
            description="at c = 0.1 the per-layer slope of log |df/dh_l| is log(c sqrt(h/2)) at h = 128 and 512.",
        ),
    ),
)
