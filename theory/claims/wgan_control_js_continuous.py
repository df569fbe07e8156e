"""Control for E4: 'JS is continuous in theta on the parallel lines' (JS(P_0, P_theta) -> JS(P_0, P_0) = 0 as theta -> 0; wrong: it is log 2 for every theta != 0; Dobriban 2019, Stat 991 notes §4.4, Corollary 1; Arjovsky, Chintala & Bottou 2017, Thm 1)."""

from theory import wgan
from theory.claim import Check, Claim, Scale
from theory.wgan import LINES_JS_REASON as JS_REASON, lines_run as run
from theory.sources import DOBRIBAN_2019

CLAIM = Claim(
    id="wgan_control_js_continuous",
    short_id="E4-c1",
    contradicts="E4",
    family="wgan",
    title=r"Control: JS is continuous in $\theta$ on the parallel lines",
    statement=(
        r"(Wrong on purpose.) $JS(P_0, P_\theta) \to JS(P_0, P_0) = 0$ as $\theta \to 0$, so a discriminator's JS estimate "
        r"at $|\theta| \le 0.1$ is near 0. The supports are disjoint for every $\theta \ne 0$, and JS is $\log 2$ there."
    ),
    source=DOBRIBAN_2019.at("§4.4, items 5-9 (Corollary 1: the statements for W are false for JS)"),
    reference="Arjovsky, Chintala & Bottou (2017), Wasserstein GAN, ICML, Thm 1 and Example 1",
    experiment="wgan_theta_grid",
    control=True,
    protocol="As wgan_w1_continuous_js_jumps, 6 seeds, own seeds.",
    scales={
        "smoke": Scale(n_seeds=6, runs=run(200, 400, 10_000)),
        "full": Scale(n_seeds=20, runs=run(2000, 2000, 100_000, theta=[round(-1 + 0.01 * i, 2) for i in range(201)])),
        "test": Scale(n_seeds=3, runs=run(50, 20, 200)),
    },
    checks=(
        Check(
            name="js_continuous_at_zero",
            kind="curve",
            run="grid",
            metric="js",
            x="theta",
            prediction=wgan.sp.Integer(0),
            window=(-0.15, 0.15),
            scale="absolute",
            tolerance=0.02,
            tolerance_reason="E4's band at theta = 0: " + JS_REASON,
            description="at |theta| <= 0.1 the JS estimate is within 0.02 of its value 0 at theta = 0.",
        ),
    ),
)
