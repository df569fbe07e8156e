"""E2: the value of the GAN game at the optimal discriminator is C(G) = 2 JS(P_n, P_G) - log 4, with the 1/2-weighted JS (Dobriban 2019, Stat 991 notes §4.3; Goodfellow et al. 2014, Thm 1)."""

from theory import wgan
from theory.claim import Check, Claim, Erratum, Scale
from theory.sources import DOBRIBAN_2019

MU = [0.5, 1.0, 2.0]


def run(n_train: int, n_eval: int) -> dict:
    return {"value": {"mu": MU, "n_train": n_train, "n_eval": n_eval, "newton_steps": 8}}


VALUE_BAND = ("absolute 0.002: the identity is exact, so only Monte-Carlo error remains; one seed's estimate from "
              "1e6 draws per class has SE about 5e-4, the 20-seed mean about 1.2e-4, and the band is sized so that the "
              "mean's 95% CI is well inside a third of it (power rule); 2JS - log 4 changes by 0.002 when mu changes by "
              "about 0.5% near mu = 1.")

CLAIM = Claim(
    id="wgan_value_equals_2js_minus_log4",
    short_id="E2",
    family="wgan",
    title=r"$C(G) = \max_D V(D, G) = 2\,\mathrm{JS} - \log 4$, and no fitted discriminator beats $D^*$ on held-out samples",
    statement=(
        r"$C(G) = V(D^*, G) = 2\,JS(P_n\|P_G) - \log 4$ with $JS(P\|Q) = \tfrac12 KL(P\|M) + \tfrac12 KL(Q\|M)$, "
        r"$M = (P + Q)/2$; so the GAN minimises JS, with minimum $-\log 4$ at $P_G = P_n$. Any other discriminator, "
        r"evaluated on fresh samples, has $V(D, G) \le C(G)$."
    ),
    source=DOBRIBAN_2019.at("§4.3, item 6 (equilibrium value of the game)"),
    reference="Goodfellow et al. (2014), Generative adversarial nets, NeurIPS, Theorem 1",
    experiment="wgan_logistic",
    protocol=(
        "Per seed and $\\mu \\in \\{0.5, 1, 2\\}$ ($P_n = \\mathcal{N}(0,1)$, $P_G = \\mathcal{N}(\\mu, 1)$): "
        "$V(D^*, G)$ by Monte Carlo on $10^6$ fresh draws per class; a logistic discriminator fitted on $10^4$ "
        "draws per class (Newton), its value on the same held-out draws; 20 seeds batched. JS by mpmath quadrature "
        "of the sympy integral."
    ),
    notes=(
        "The notes write 'G(G) = 2JS - log 4' for C(G), and say JS is 'minimized at P_G'; it is minimised at "
        "P_G = P_n, where C = -log 4. The JS of §4.3 carries the 1/2 weights; §4.4 (item 4) defines JS without them, "
        "as does Arjovsky, Chintala & Bottou (2017, §2), under which the identity would read C = JS - log 4 and the "
        "parallel-lines value would be 2 log 2; the ½-weighted form (Lin 1991, Divergence measures based on the "
        "Shannon entropy, IEEE Trans. Inf. Theory 37) is the one for which JS <= log 2 and Goodfellow's Theorem 1 "
        "holds as written. The control wgan_control_js_without_half uses the other. In-sample values of a fitted "
        "discriminator are optimistic (they exceed V(D*) on the training draws); the run records them "
        "(value_in_sample) and the check uses held-out draws."
    ),
    errata=(
        Erratum(
            kind="inconsistent",
            notes_say=r"§4.3 defines JS with the weights $1/2$; §4.4 (item 4) defines it without them.",
            correction=(r"$C(G) = 2\,\mathrm{JS} - \log 4$ holds for the $1/2$-weighted JS, the one bounded by $\log 2$; "
                        r"with §4.4's definition it would read $C(G) = \mathrm{JS} - \log 4$ and the parallel-lines value "
                        r"would be $2\log 2$ (the control E2-c1 fails by 0.67)."),
            reference="Lin (1991), Divergence measures based on the Shannon entropy, IEEE Trans. Inf. Theory 37(1); Goodfellow et al. (2014), Generative adversarial nets, NeurIPS, Thm 1",
        ),
        Erratum(
            kind="typo",
            notes_say=r"'$G(G) = 2JS(P_n\|P_G) - \log 4$' ... 'this is minimized at $P_G$'.",
            correction=r"$C(G) = 2\,\mathrm{JS}(P_n\|P_G) - \log 4$, minimised at $P_G = P_n$, where $C = -\log 4$.",
            reference="Goodfellow et al. (2014), Generative adversarial nets, NeurIPS, Thm 1",
        ),
    ),
    scales={
        "smoke": Scale(n_seeds=20, runs=run(10_000, 1_000_000)),
        "full": Scale(n_seeds=40, runs=run(100_000, 10_000_000)),
        "test": Scale(n_seeds=3, runs=run(1_000, 5_000)),
    },
    checks=(
        Check(
            name="value_at_optimal_discriminator",
            kind="curve",
            run="value",
            metric="value_optimal",
            x="mu",
            prediction=lambda: wgan.game_value(half=True),
            scale="absolute",
            tolerance=0.002,
            tolerance_reason=VALUE_BAND,
            tuned=("the seed count, after seeing data: 10 seeds left the check under-powered at the main base seed "
                   "(CI/band 0.36); 20 seeds gave 0.23 there and 0.17 at base seed 7 (not used to choose it)."),
            description="Monte-Carlo V(D*, G) equals 2 JS - log 4 at every shift.",
        ),
        Check(
            name="fitted_no_better_held_out",
            kind="bound_holds",
            run="value",
            metric="value_gap",
            x="mu",
            prediction=wgan.sp.Integer(0),
            scale="absolute",
            tolerance=1e-5,
            tolerance_reason=(
                "absolute 1e-5, six times the paired Monte-Carlo SE of the 20-seed mean of V(D_hat) - V(D*) on common "
                "held-out draws (about 1.8e-6, from 2.6e-6 at 10 seeds in a pilot at another seed); the expected gap is -O(1/n_train), about -1e-5."
            ),
            description="V(D_hat, G) - V(D*, G) on held-out draws is at most 0: D* is the maximiser.",
        ),
    ),
)
