"""E4b: training from theta_0 = 1 on the parallel lines with a plain-SGD generator: WGAN-GP brings |theta| down to 0.1 in the hitting time of its critic's slope 1 + |theta|/(2 lam), while the saturating minimax GAN's generator, against a near-optimal discriminator, barely moves (JS is log 2 for every theta != 0: no gradient); the non-saturating loss is reported (Dobriban 2019, Stat 991 notes §4.4, Theorem 1 and Corollary 1; Arjovsky, Chintala & Bottou 2017, Example 1; Arjovsky & Bottou 2017, Thm 2.4)."""

import sympy as sp

from theory import wgan
from theory.claim import Check, Claim, Trace
from theory.sources import DOBRIBAN_2019

CLAIM = Claim(
    id="wgan_training_dynamics_parallel_lines",
    short_id="E4b",
    family="wgan",
    title=r"Parallel lines from $\theta_0 = 1$: WGAN-GP moves $\theta$ to 0 at its critic's slope, the minimax GAN does not move",
    statement=(
        r"For $g_\theta(z) = (\theta, z)$, $Z \sim U[0, 1]$, against $P_0$, and plain SGD $\theta \leftarrow \theta - "
        r"\eta\, \partial L_G/\partial\theta$ from $\theta_0 = 1$: with a WGAN-GP critic at its optimum the generator "
        r"gradient is the optimum's slope across the generator's line, $1 + |\theta|/(2\lambda)$ (the interpolates' "
        r"first coordinate is uniform on $[0, \theta]$, $q = 1/|\theta|$, and $F_g - F_r = -\mathrm{sign}\,\theta$ "
        r"between the lines), so $|\theta|$ reaches $\theta_{stop}$ after "
        r"$\frac{2\lambda}{\eta}\log\frac{2\lambda + \theta_0}{2\lambda + \theta_{stop}}$ steps ($0.876/\eta$ at "
        r"$\lambda = 10$, $\theta_{stop} = 0.1$; $0.9/\eta$ for a 1-Lipschitz critic). The saturating minimax "
        r"generator loss $\mathbb{E}\log(1 - D(g_\theta(Z)))$ has no gradient against the optimal discriminator (JS "
        r"is $\log 2$ for every $\theta \ne 0$), so against a near-optimal one $\theta$ moves by less than a tenth "
        r"of $\theta_0$ in the same budget."
    ),
    source=DOBRIBAN_2019.at("§4.4, items 6-10 (parallel lines; Theorem 1 and Corollary 1: W continuous, JS not)"),
    reference=(
        "Arjovsky, Chintala & Bottou (2017), Wasserstein GAN, ICML, Example 1 and Thm 1; Arjovsky & Bottou (2017), "
        "Towards principled methods for training GANs, ICLR, Thm 2.4 (vanishing gradients of the saturating loss) "
        "and §2.2.2 (the non-saturating loss); Gulrajani, Ahmed, Arjovsky, Dumoulin & Courville (2017), Improved "
        "training of Wasserstein GANs, NeurIPS, Algorithm 1; Petzka, Fischer & Lukovnikov (2018), On the "
        "regularization of Wasserstein GANs, ICLR, §4 (the GP optimum's slope)"
    ),
    experiment="wgan_lines_dynamics",
    protocol=(
        "Generator $g_\\theta(z) = (\\theta, z)$ from $\\theta_0 = 1$, plain SGD $\\theta \\leftarrow \\theta - "
        "\\eta\\, \\partial L_G/\\partial\\theta$ with $\\eta = 0.005$ on 64 fresh $z$'s per step, 500 generator steps "
        "(the catalogue's budget; the predicted hitting time is 175 steps). First 500 warm-up steps of every critic "
        "and discriminator at $\\theta_0$ (the theory's premise is a critic and a discriminator near their optimum "
        "at every step). WGAN-GP arm: critic $\\mathbb{R}^2 \\to 16 \\to 16 \\to \\mathbb{R}$, ReLU, PyTorch's "
        "default initialisation with the output layer at 0, $\\lambda = 10$, 5 critic steps per generator step by "
        "Adam ($2 \\times 10^{-3}$, $\\beta = (0, 0.9)$) on $\\mathbb{E}_g f - \\mathbb{E}_r f + \\lambda\\, "
        "\\mathbb{E}(|\\nabla f(\\hat x)| - 1)^2$, $\\hat x = t x_r + (1 - t) x_g$ per independent pair, minibatches "
        "of 64, the input gradient written out so the penalty needs no double backward; generator loss "
        "$-\\mathbb{E} f(\\theta, Z)$, gradient $-\\mathbb{E}\\, \\partial_u f(\\theta, Z)$. GAN arms: a logistic "
        "$D(u, v) = \\sigma(wu + cv + b)$ from 0 per seed and arm (label 1 for $P_0$), 5 Adam steps (0.2, E4's "
        "setting) per generator step on $V$; generator losses $\\mathbb{E}\\log(1 - D(\\theta, Z))$ (saturating) and "
        "$-\\mathbb{E}\\log D(\\theta, Z)$ (non-saturating). Every (seed, arm) is a tensor slice. Measured: the "
        "first entry of the piecewise-linear path into $|\\theta| \\le 0.1$ (censored when it does not happen "
        "within the budget), $|\\theta_{500} - \\theta_0|$ per arm, each discriminator's JS estimate "
        "$(V(D) + \\log 4)/2$ after the warm-up on $10^4$ fresh draws per law. 10 seeds."
    ),
    notes=(
        "The prediction's premises, checked before the run. The interpolates' first coordinate is $(1 - t)\\theta$, "
        "uniform on $[0, \\theta]$ ($q = 1/|\\theta|$), and the first-coordinate CDFs give $F_g - F_r = "
        "-\\mathrm{sign}\\,\\theta$ between the lines, so the one-dimensional GP optimum (E6/E7's) has slope "
        "$1 + |\\theta|/(2\\lambda)$ there. In the plane the optimum need not depend on $u$ alone: its flux $V$ "
        "($\\mathrm{div}\\, V = \\mu_g - \\mu_r$, $|\\nabla f| = 1 + |V|/(2\\lambda\\rho)$, $\\nabla f \\parallel V$, "
        "$\\rho$ the interpolates' density) can bend towards the middle of the strip, where $\\rho$ is larger. But "
        "on the generator's line $V$ has normal component 1 (the source's density) and $\\rho = 1/|\\theta|$ for "
        "every $z$, so the slope across the line is $1/|V| + |\\theta|/(2\\lambda)$: the 1-D value less the "
        "tangential flux's second-order share (an estimate, not a proof: the congestion term "
        "$|V|^2/(4\\lambda\\rho) \\approx 0.025$ should bend the flux by about 0.025 rad, a few $10^{-4}$ of slope; "
        "the pilots' hitting times, 0.02-0.05% late, put the average shortfall of the trained critics' slope at "
        "about that). The prediction also assumes the critic at its "
        "optimum at every step; the warm-up provides it at $\\theta_0$, and as $\\theta$ falls the generator's line "
        "moves into the strip the critic was trained on. The SGD recursion is the ODE's Euler scheme: it arrives "
        "sooner by about $\\eta/(4\\lambda) = 1.3 \\times 10^{-4}$, relative. "
        "Pilots (one thread, run seed 777, not the pipeline's; the declared smoke settings, 10 seeds): "
        "$\\eta\\, t_{hit}$ = 0.8761-0.8766 in every seed (predicted 0.8761; 0.9 for a 1-Lipschitz critic), the "
        "ratio to the prediction 1.0003 with per-seed SD 0.0002; the critic's slope across the line after the "
        "warm-up 1.053 (seeds 1.027-1.071, predicted 1.05), and the generator gradient over the approach 0.9996 "
        "of $1 + |\\theta|/(2\\lambda)$ (per-step SD 1.8%: Adam's jitter, averaged out by the 175 steps). After "
        "the hit the WGAN-GP generator overshoots 0 (its minimum -0.17 to -0.46: the critic has to reverse its "
        "slope) and $\\theta_{500}$ ended in $[-0.07, 0.08]$ (seeds: -0.0, 0.005, -0.066, 0.008, 0.025, "
        "-0.013, 0.078, 0.001, 0.0003, -0.002). Saturating arm: $\\theta_{500} = 0.9858$ in every seed (moved "
        "0.0142), the discriminators starting at a JS estimate of 0.9975 log 2 and $D = 0.0017$ on the generator's "
        "line. Non-saturating arm, discriminators trained alike: the gradient starts at $|w|(1 - D) \\approx 12.7$, "
        "$\\theta$ crosses 0 at step 16, swings between -0.24 and 0.21 and ends at "
        "$\\theta_{500} \\in [-0.116, -0.100]$ (reported, not "
        "checked). The first pilot, with the discriminators at Adam 0.05, started them at a JS estimate of 0.978 "
        "log 2 and $D = 0.015$ on the generator's line, and the saturating generator moved 0.103 (gradient 0.12 "
        "at the start, 0.014 at step 500): an imperfect discriminator leaks gradient (the catalogue's pitfall), "
        "which the premise check on the discriminator's JS estimate now guards. Confirmation at the pipeline's "
        "smoke seeds (settings fixed before): base seed 20261122, ratio 1.00023 (SD 0.00014), saturating move "
        "0.0143, JS estimate 0.9975 log 2, WGAN-GP $\\theta_{500} \\in [-0.001, 0.062]$, non-saturating "
        "$\\theta_{500} \\in [-0.132, -0.098]$; base seed 5, ratio 1.00021 (SD 0.00016), 0.0143, 0.9975 log 2. The "
        "critic's slope after the warm-up scatters between seeds (1.03-1.07), so the 1.05 of a single critic is "
        "not checked at smoke (its interval would be most of a 2% band); the hitting time integrates it over 175 "
        "steps. Smoke run time 15-16 s on one core in the runner (12.4 s for run() alone): the critics' 3000 Adam "
        "steps take about 8 s, the discriminators' about 4 s. Full-scale pilot (run seed 778, 4 seeds, 90 s): ratio "
        "1.0004 (SD 0.0001), critic slope after the warm-up 1.03-1.08, saturating move 0.0036, JS estimate 0.9997 "
        "log 2; the full scale at base seed 20261122 (20 seeds, 270 s): ratio 1.00029 (SD 0.0001), saturating "
        "move at most 0.0036, JS estimate at least 0.9997 log 2, all three checks pass."
    ),
    scales=wgan.lines_dynamics_scales(),
    checks=(
        Check(
            name="wgan_gp_hitting_time",
            kind="curve",
            run="dynamics",
            metric="t_hit",
            x="theta_stop",
            prediction=wgan.lines_hitting_time,
            tolerance=0.01,
            tolerance_reason=(
                "relative 1%: in pilots the ratio to the prediction was 1.0003 with per-seed SD 0.0002 (10-seed CI "
                "about +-0.00015), Euler's bias is -1.3e-4 and the critic's slope over the approach 0.9996 of the "
                "optimum's. Resolution: a critic whose slope over the approach is off by 1% on average; it tells "
                "0.876/eta from a 1-Lipschitz critic's 0.9/eta (2.7% later, 1.7% outside the band), and rejects a "
                "critic that moves theta at half speed (ratio 2) or not at all (censored: never a pass)."
            ),
            tuned=(
                "the band (1%, 2% before the pilot) after the pilot at run seed 777 (ratio 1.0003, SD 0.0002), "
                "narrowed so that the 1-Lipschitz critic's hitting time falls outside it; confirmed at the "
                "pipeline's base seed 20261122 and at base seed 5, not used to choose it."
            ),
            description="the WGAN-GP generator's entry into |theta| <= 0.1 (interpolated between steps) is at the optimal critic's hitting time.",
        ),
        Check(
            name="discriminator_near_optimal",
            kind="bound_holds",
            run="dynamics",
            metric="js0_minimax",
            x="steps",
            prediction=sp.Rational(99, 100) * sp.log(2),
            bound="lower",
            reduce="min",
            scale="absolute",
            tolerance=0.0,
            tolerance_reason=(
                "none beyond 0.99 log 2, in the worst seed: the premise of minimax_barely_moves, a discriminator near "
                "its optimum, whose JS estimate is log 2 at every theta != 0 (E3, E4). Pilots: 0.9975 log 2 in every "
                "seed after the warm-up at Adam 0.2; 0.978 log 2 at Adam 0.05, where the generator leaked 0.103."
            ),
            tuned="the level 0.99 log 2, set after the first pilot (0.978 log 2 at Adam 0.05, 0.9975 at 0.2).",
            description="after the warm-up, before the first generator step, every saturating arm's discriminator has a held-out JS estimate of at least 0.99 log 2.",
        ),
        Check(
            name="minimax_barely_moves",
            kind="bound_holds",
            run="dynamics",
            metric="move_minimax",
            x="steps",
            prediction=wgan.theta0 / 10,
            bound="upper",
            reduce="max",
            scale="absolute",
            tolerance=0.0,
            tolerance_reason=(
                "none beyond the catalogue's tenth of theta_0, in the worst seed: against the optimal discriminator "
                "the saturating gradient is 0 (JS is log 2 for every theta != 0); against a near-optimal one it "
                "leaks |w| D(theta, Z). Pilots moved 0.0142 in every seed (seven times inside the bound), and 0.103 "
                "with the leaking discriminator of Adam 0.05. Resolution: it fails for a mean saturating gradient "
                "above 0.04 over the 500 steps, a twenty-fifth of WGAN-GP's."
            ),
            tuned=(
                "the discriminators' Adam step (0.2, E4's, instead of 0.05) after the first pilot at run seed 777, "
                "where the discriminators started leaking (D = 0.015 on the generator's line) and the saturating "
                "generator moved 0.103; confirmed at base seeds 20261122 and 5 (0.0143 in both), not used to choose it."
            ),
            description="in every seed the saturating minimax generator moves theta by less than theta0/10 in the 500 steps.",
        ),
    ),
    traces=(
        Trace(run="dynamics", x="step", metrics=("theta_wgan", "theta_minimax", "theta_ns"), logx=False,
              title=r"$\theta$ over generator steps: WGAN-GP, minimax (saturating), non-saturating",
              ylabel=r"$\theta$"),
    ),
)
