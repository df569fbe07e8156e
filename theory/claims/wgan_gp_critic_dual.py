"""E6: a WGAN-GP critic's dual value E_r f - E_g f is not W1 but the dual value of the GP objective's own optimum, slope 1 + |F_g - F_r|/(2 lam q) with q the interpolates' density, which overshoots W1 by 2.8%, 5.4% and 10.5% at lam = 10 and shifts 0.5, 1, 2 (Dobriban 2019, Stat 991 notes §4.4.1 item 1 and §4.4.2; Petzka, Fischer & Lukovnikov 2018; Milne & Nachman 2022)."""

from theory import wgan
from theory.claim import Check, Claim, Erratum, Scale
from theory.wgan import (
    GP_SHIFTS as SHIFTS,
    gp_critic_run as critic_run,
    GP_SMOKE as SMOKE,
    GP_FULL as FULL,
    GP_TEST as TEST,
    GP_DUAL_BAND as DUAL_BAND,
)
from theory.sources import DOBRIBAN_2019

CLAIM = Claim(
    id="wgan_gp_critic_dual",
    short_id="E6",
    family="wgan",
    title=r"Kantorovich-Rubinstein with a WGAN-GP critic: the dual value is that of the GP optimum, above $W_1$",
    statement=(
        r"$W_1(P_r, P_g) = \sup_{\|f\|_L \le 1} \mathbb{E}_{P_r} f - \mathbb{E}_{P_g} f$, attained in 1-D by "
        r"$f' = \mathrm{sign}(F_g - F_r)$. A WGAN-GP critic maximises instead $\mathbb{E}_{P_r} f - \mathbb{E}_{P_g} f - "
        r"\lambda\,\mathbb{E}_{q}(|f'| - 1)^2$ with $q$ the density of $\hat x = t x_r + (1-t) x_g$, $t \sim U[0,1]$, "
        r"$(x_r, x_g)$ independent. Since $\mathbb{E}_{P_r} f - \mathbb{E}_{P_g} f = \int f'(F_g - F_r)\,dx$, the "
        r"objective is pointwise in $f'$ and its optimum is $f^{*\prime} = \mathrm{sign}(F_g - F_r)"
        r"\big(1 + \frac{|F_g - F_r|}{2\lambda q}\big)$, with dual value $W_1 + \int \frac{(F_g - F_r)^2}{2\lambda q}dx$: "
        r"at $\lambda = 10$ and $P_r = \mathcal{N}(0,1)$, $P_g = \mathcal{N}(a,1)$ that is $1.028a$, $1.054a$, $1.105a$ "
        r"for $a = 0.5, 1, 2$ ($q(x) = \int_0^1 \mathcal{N}(x; (1-t)a, t^2 + (1-t)^2)\,dt$)."
    ),
    source=DOBRIBAN_2019.at("§4.4.1, item 1 (Kantorovich-Rubinstein duality) and §4.4.2, items 6-7 (the WGAN-GP objective)"),
    reference=(
        "Villani (2009), Optimal transport: old and new, Thm 5.10 (the duality); Gulrajani, Ahmed, Arjovsky, Dumoulin & "
        "Courville (2017), Improved training of Wasserstein GANs, NeurIPS, §4 (the objective); Petzka, Fischer & "
        "Lukovnikov (2018), On the regularization of Wasserstein GANs, ICLR, §4 (the GP optimum is not the W1 critic); "
        "Milne & Nachman (2022), Wasserstein GANs with gradient penalty compute congested transport, COLT (the "
        "optimum in general: congested transport with congestion set by the interpolates' density)"
    ),
    experiment="wgan_gp_critic",
    protocol=(
        "Per seed and shift $a \\in \\{0.5, 1, 2\\}$: a ReLU critic $1 \\to 16 \\to 16 \\to 1$ (output layer started "
        "at 0) trained 1000 steps by Adam ($2 \\times 10^{-3}$, $\\beta = (0, 0.9)$, the last fifth decaying linearly "
        "to 0) on fresh minibatches of 128 real, 128 generated and 128 interpolates (independent pairs) at "
        "$\\lambda = 10$; every (seed, shift) critic one slice of a batched MLP (bmm), the slope pushed forward beside "
        "the value. The dual value $\\int f\\,(p_r - p_g)$ by the midpoint rule on 6001 points against the exact "
        "densities, and on $2 \\times 10^5$ fresh draws per law. 10 seeds. The prediction by float64 quadrature "
        "(Gauss-Legendre in $t$ for $q$, trapezoid in $x$)."
    ),
    notes=(
        "Resolving the discrepancy found while preparing (+0.3% at a = 0.5, against the derivation's +2.8%): the "
        "derivation is right, the critic was not converged. Adam at 1e-4 for 1500 steps left many 2x64 critics with "
        "wrong-signed stretches (duals 0-70% of W1 at some seeds): the two-sided penalty makes f' = -sign(D)(1 - "
        "|D|/(2 lam q)) a local optimum wherever 2 lam q > |D|, so the sign a random start has is locked in. Started "
        "with a zero output layer (f' = 0, so the first steps follow the dual's sign) and trained at 2e-3 with the step "
        "decaying to 0, every critic in the pilots had the sign of F_g - F_r on all interpolates away from crossings, "
        "and the dual sat 0.3-0.45% below the GP optimum at every shift. The pointwise optimum holds for the objective "
        "with the interpolates' law fixed (it does not depend on f), so it is explicit, no fixed point; Petzka et al. "
        "(2018) point out that the GP optimum is not the 1-Lipschitz critic and propose a one-sided penalty, and Milne "
        "& Nachman (2022) identify the optimum as congested transport. Dividing the dual by the measured Lipschitz "
        "constant over-corrects (-3.6% to -6.8% measured while preparing) since the slope excess is not uniform; that "
        "estimate is not used. The 2-D case (8 Gaussians against N(0, I)) is left out at smoke."
    ),
    errata=(
        Erratum(
            kind="imprecise",
            notes_say=(r"the WGAN-GP critic, trained on $L = \mathbb{E}_{P_g} D - \mathbb{E}_{P_r} D + \lambda\,"
                       r"\mathbb{E}_{\hat x}(\|\nabla D(\hat x)\|_2 - 1)^2$, is read as the optimal 1-Lipschitz critic of "
                       r"Proposition 1, whose gradient has norm 1 and whose value is $W_1$."),
            correction=(r"At finite $\lambda$ the minimiser of $L$, with $\hat x$ on segments between independent draws, "
                        r"has $|f'| = 1 + |F_g - F_r|/(2\lambda q)$ in 1-D: its dual value exceeds $W_1$ (by 2.8%, 5.4%, "
                        r"10.5% at $\lambda = 10$ for unit-variance shifts 0.5, 1, 2; measured 2.4%, 5.0%, 10.1%) and its "
                        r"mean slope on interpolates is $1 + W_1/(2\lambda)$."),
            reference=("Petzka, Fischer & Lukovnikov (2018), On the regularization of Wasserstein GANs, ICLR, §4; "
                       "Milne & Nachman (2022), Wasserstein GANs with gradient penalty compute congested transport, COLT"),
        ),
    ),
    scales={
        "smoke": Scale(n_seeds=10, runs={"critic": critic_run(SHIFTS, **{**SMOKE, "n_eval": 200_000})}),
        "full": Scale(n_seeds=40, runs={"critic": critic_run(SHIFTS, **FULL)}, gpu=True, runtime_min=30, mem_mb=8000),
        "test": Scale(n_seeds=2, runs={"critic": critic_run(SHIFTS, **TEST)}),
    },
    checks=(
        Check(
            name="dual_is_gp_optimum",
            kind="curve",
            run="critic",
            metric="dual",
            x="mean",
            prediction=lambda: wgan.gp_dual_value(),
            tolerance=0.01,
            tolerance_reason=DUAL_BAND,
            tuned=("the critic's training (zero output layer, Adam 2e-3 decaying to 0, width 16, 1000 steps), after "
                   "seeing data at another seed: Adam 1e-4 left wrong-signed critics, a random start at 2e-3 did so too."),
            description="the critic's dual value by quadrature equals W1 + int D^2/(2 lam q) at every shift.",
        ),
        Check(
            name="dual_on_fresh_samples",
            kind="curve",
            run="critic",
            metric="dual_fresh",
            x="mean",
            prediction=lambda: wgan.gp_dual_value(),
            tolerance=0.03,
            tolerance_reason=(
                "relative 3%: the same value on 2e5 fresh draws per law, so Monte-Carlo error adds (per critic about "
                "0.65% of the dual at a = 0.5, 0.2% at a = 2; the 10-seed CI about +-0.5% at a = 0.5); it resolves "
                "the GP excess at a = 1 and 2, not at 0.5."
            ),
            tuned=("the fresh draws per law, after seeing data: 5e4 left the check under-powered at base seed 7 "
                   "(CI/band 0.35 at a = 0.5); raised to 2e5."),
            description="the dual value on held-out samples equals the GP optimum's at every shift.",
        ),
    ),
)
