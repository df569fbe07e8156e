"""E7: the generator gradient -E grad_theta f(g_theta(z)) through a WGAN-GP critic is that of the GP optimum, sign(theta) E_g(1 + |F_g - F_r|/(2 lam q)); Theorem 3's sign(theta) holds within 5% only for |theta| <= 1/2 at lam = 10 (Dobriban 2019, Stat 991 notes §4.4.1 item 3; Arjovsky, Chintala & Bottou 2017, Thm 3)."""

from theory import wgan
from theory.claim import Check, Claim, Scale
from theory.wgan import GP_FULL as FULL, GP_SMOKE as SMOKE, GP_TEST as TEST, gp_critic_run as critic_run
from theory.wgan import GP_THETA as THETA, GP_GRADIENT_BAND as GRADIENT_BAND
from theory.sources import DOBRIBAN_2019

CLAIM = Claim(
    id="wgan_gp_generator_gradient",
    short_id="E7",
    family="wgan",
    title=r"The generator gradient through a WGAN-GP critic: the GP optimum's, $\mathrm{sign}\,\theta$ only for small $|\theta|$",
    statement=(
        r"Theorem 3: $\nabla_\theta W(P_r, P_\theta) = -\mathbb{E}_z\nabla_\theta f(g_\theta(z))$ with $f$ the optimal "
        r"1-Lipschitz critic; for $g_\theta(z) = \theta + z$ against $P_r = \mathcal{N}(0,1)$, $W = |\theta|$ and the "
        r"gradient is $\mathrm{sign}\,\theta$. Through the WGAN-GP optimum (E6) it is "
        r"$-\mathbb{E}_{P_\theta} f^{*\prime} = \mathrm{sign}(\theta)\,\mathbb{E}_{P_\theta}\big(1 + "
        r"\frac{|F_\theta - F_r|}{2\lambda q}\big)$: 1.028, 1.057, 1.115 times $\mathrm{sign}\,\theta$ at "
        r"$|\theta| = 0.5, 1, 2$ and $\lambda = 10$, within 5% of Theorem 3's value only for $|\theta| \le 1/2$."
    ),
    source=DOBRIBAN_2019.at("§4.4.1, item 3 (Theorem 3)"),
    reference=(
        "Arjovsky, Chintala & Bottou (2017), Wasserstein GAN, ICML, Thm 3; Petzka, Fischer & Lukovnikov (2018), On the "
        "regularization of Wasserstein GANs, ICLR, §4 (the GP optimum)"
    ),
    experiment="wgan_gp_critic",
    protocol=(
        "The critics of wgan_gp_critic_dual (16-wide two-hidden-layer ReLU, zero output layer at the start, 1000 Adam "
        "steps, $\\lambda = 10$) at fixed $\\theta \\in \\{\\pm 0.5, \\pm 1, \\pm 2\\}$, own seeds; "
        "$-\\mathbb{E}_z f'(\\theta + z)$ by the midpoint rule on 6001 points against the exact density (the "
        "catalogue's $10^5$ autograd samples replaced by quadrature: no sampling error). 5 seeds. The scale family "
        "$g_\\theta(z) = \\theta z$ is left out at smoke: its optimal critic changes sign at 0, and in pilots the critics "
        "for $\\theta < 1$ kept wrong-signed stretches (sign agreement 0.63-0.88) and those for $\\theta > 1$ fell 4-10% "
        "short of the GP optimum's gradient."
    ),
    notes=(
        "Theorem 3 is about the 1-Lipschitz optimum; a WGAN-GP critic at lam = 10 is steeper where F_theta and F_r "
        "differ, so the generator's gradient is biased upwards by E_theta |F_theta - F_r|/(2 lam q), 2.8% at |theta| = "
        "0.5 and 11.5% at |theta| = 2. The issue's 'within 5% for |theta| <= 1' is at the edge: the prediction's bias at "
        "|theta| = 1 is 5.7%, the measured one (with the critic's shortfall) about 5%; the theorem check is therefore "
        "windowed to |theta| <= 1/2."
    ),
    scales={
        "smoke": Scale(n_seeds=5, runs={"location": critic_run(THETA, **SMOKE)}),
        "full": Scale(n_seeds=20, runs={"location": critic_run(THETA, **FULL)}, gpu=True, runtime_min=30, mem_mb=8000),
        "test": Scale(n_seeds=2, runs={"location": critic_run(THETA, **TEST)}),
    },
    checks=(
        Check(
            name="gradient_is_gp_optimum",
            kind="curve",
            run="location",
            metric="grad_location",
            x="mean",
            prediction=lambda: wgan.gp_location_gradient(),
            tolerance=0.03,
            tolerance_reason=GRADIENT_BAND,
            description="-E f'(theta + z) through the trained critic equals the GP optimum's at every theta.",
        ),
        Check(
            name="theorem_3_small_shifts",
            kind="curve",
            run="location",
            metric="grad_location",
            x="mean",
            prediction=wgan.w1_gradient_location(),
            window=(-0.5, 0.5),
            tolerance=0.05,
            tolerance_reason=(
                "relative 5%, the catalogue's: Theorem 3's sign(theta) with the GP bias (2.8% predicted at |theta| = "
                "0.5) inside it; the window stops where the predicted bias leaves it."
            ),
            description="at |theta| <= 1/2, -E f'(theta + z) is sign(theta) within 5%.",
        ),
    ),
)
