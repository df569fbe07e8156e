"""E12: over a WGAN-GP training run on the 8-Gaussian ring the critic's estimate ranks the checkpoints as the exact sample W1 does and opposite to the share of high-quality samples (Dobriban 2019, Stat 991 notes §4.4.1 item 6, Fig. 63; Gulrajani et al. 2017, §5)."""

import sympy as sp

from theory.claim import Check, Claim, Scale, Trace
from theory.sources import DOBRIBAN_2019
from theory.wgan import TRAINING_FULL as FULL, TRAINING_TEST as TEST, training_run

# Both correlation checks' seed count, sized on the pilot.
SEEDS_TUNED = (
    "the seed count (20 at full), after seeing the CPU pilot's per-seed SD (0.022 for rho(estimate, W1), 0.013 for "
    "rho(estimate, quality), 3 seeds); the levels are the catalogue's, set before. Confirmed at the pipeline's seeds "
    "only when the full scale runs on a GPU."
)

CLAIM = Claim(
    id="wgan_estimate_tracks_sample_quality",
    short_id="E12",
    family="wgan",
    title="The WGAN critic's estimate tracks $W_1$ and sample quality over training",
    statement=(
        r"Over a WGAN-GP training run the critic's estimate $\hat W = \mathbb{E}_{P_r} f - \mathbb{E}_{P_g} f$ is a "
        r"monotone function of the generator's distance to the data, so it orders the checkpoints as the exact "
        r"$W_1(P_r, P_g)$ does (Spearman $\rho = 1$) and opposite to the sample quality ($\rho = -1$ with the share "
        r"of samples within $3\sigma$ of a mode): the notes' \"Wasserstein distance is highly correlated with the "
        r"generator's convergence and sample quality\". Training converges: $W_1$ falls at least twofold from the "
        r"start."
    ),
    source=DOBRIBAN_2019.at("§4.4.1, item 6 (Benefits of WGAN 1, Fig. 63)"),
    reference=(
        "Arjovsky, Chintala & Bottou (2017), Wasserstein GAN, ICML, §4.2 and Fig. 3-4 (the estimate correlates with "
        "sample quality); Gulrajani, Ahmed, Arjovsky, Dumoulin & Courville (2017), Improved training of Wasserstein "
        "GANs, NeurIPS, Algorithm 1 and §5 (the gradient penalty; the 8-Gaussian toy); Srivastava, Valkov, Russell, "
        "Gutmann & Sutton (2017), VEEGAN, NeurIPS, §5.1 (modes covered and high-quality samples within 3 sigma)"
    ),
    experiment="wgan_training_run",
    protocol=(
        "Data: the equal mixture of $\\mathcal{N}(m_k, \\sigma^2 I)$, $m_k = 2(\\cos k\\pi/4, \\sin k\\pi/4)$, "
        "$\\sigma = 0.02$. Generator $\\mathbb{R}^2 \\to 64 \\to 64 \\to 64 \\to \\mathbb{R}^2$ on $z \\sim "
        "\\mathcal{N}(0, I_2)$ and critic $\\mathbb{R}^2 \\to 64 \\to 64 \\to 64 \\to \\mathbb{R}$, ReLU, PyTorch's "
        "default initialisation; WGAN-GP (Gulrajani et al. 2017, Algorithm 1: $\\lambda = 10$, 5 critic steps per "
        "generator step, Adam $10^{-4}$, $\\beta = (0, 0.9)$, minibatches of 256), 20 000 generator steps; every "
        "seed's two networks are slices of one batched MLP (bmm), the critic's input gradient written out by the "
        "chain rule so the penalty needs no double backward. Every 500 generator steps (and at 0): the critic's "
        "estimate on $2 \\times 10^4$ fresh draws per law; the exact $W_1$ between 2000 generated and 2000 real draws "
        "by optimal assignment (POT's network simplex); the modes covered (at least 20 of the 2000 within $3\\sigma$) "
        "and the high-quality fraction (within $3\\sigma$ of some mode). The same-distribution baseline: $W_1$ of two "
        "real samples of 2000. Per seed, Spearman $\\rho$ over the checkpoints from step 500 on (at step 0 the "
        "critic is untrained and its estimate is about 0 whatever the generator), then the mean over 20 seeds with "
        "its jackknife-t interval. GPU only: on an idle CPU core one generator step (with its 5 critic steps) takes "
        "about 17 ms per seed, so 20 seeds of 20 000 steps would take about 2 hours, and 300 steps learn nothing."
    ),
    notes=(
        "CPU pilot (one thread, base seed 20261201, not the pipeline's), the declared settings but 12 000 generator "
        "steps with checkpoints every 400 and 1e4 critic draws per law, 3 seeds: Spearman rho(estimate, W1) = 0.975, "
        "0.932, 0.951 (mean 0.953, SD 0.022); rho(estimate, high-quality fraction) = -0.981, -0.957, -0.976 (mean "
        "-0.971, SD 0.013); rho(estimate, modes covered) = -0.78, -0.87, -0.91 (the mode count saturates at 8, so its "
        "ranks tie: reported, not checked). Exact W1 fell from 1.96-1.98 at step 0 (the generator sits near the centre, "
        "the ring's radius away) to 0.13, 0.27, 0.17 at step 12 000 (end ratios 15, 7.4, 11.5); the two-real-sample "
        "baseline was 0.084, 0.094, 0.065 (one pair per seed: the multinomial mode counts of 2000 draws dominate it). "
        "High-quality fraction 0 -> 0.69, 0.41, 0.59; modes covered 0 -> 8, 6, 8. Scored by the comparator on these 3 "
        "seeds (t with 2 degrees of freedom): rho(estimate, W1) 0.953 [0.900, 1.005], inconclusive; rho(estimate, "
        "quality) -0.971 [-1.003, -0.939], pass; end ratio 10.4 [-0.2, 21.0], inconclusive. The estimate is not "
        "W1's scale: it sits below the sample W1 late in training (0.08-0.17 against 0.13-0.27), as the sample W1 "
        "carries the "
        "finite-sample bias that the baseline shows. In the first 400-1200 steps it is out of step with W1 (at step "
        "800 it had fallen to 0.40-1.04 while W1 was still 1.58-2.06, and at 1200 it rose again for two seeds): the "
        "critic lags a generator that moves fast, which is what costs the rank correlation most. A second pilot at "
        "Gulrajani et al.'s toy-code optimiser (Adam 3e-4, beta = (0.5, 0.9)), 2 seeds, gave rho(estimate, W1) = "
        "0.881, 0.913 and rho(estimate, quality) = -0.878, -0.862, with larger early excursions (an estimate of 2.09 "
        "at step 800): the correlation depends on the optimiser, and the paper's Algorithm 1 defaults, "
        "fixed before either pilot, are the ones declared. Wall time: 143 ms per generator step for the 3 seeds on a "
        "core shared with other jobs (about a third of it), about 50 ms on an idle core; on the GPU the batched run is "
        "launch-bound, estimated 1-2 min for 20 000 steps of 20 seeds, and the 840 assignments (about 0.8 s each "
        "on one core; POT releases the GIL) about 1.5 min on the 8 threads declared. Not run on a GPU yet: the "
        "pilot's 12 000 steps do not show whether the 20 000-step run's longer plateau, where W1 changes by less than "
        "its sampling noise, lowers rho. The catalogue's comparison with a JS-GAN discriminator's loss is left out."
    ),
    scales={
        "smoke": None,
        "full": Scale(n_seeds=20, runs={"training": training_run(20_000, 500, **FULL)}, gpu=True, runtime_min=10,
                      mem_mb=4000, threads=8),  # 8 threads for the 840 exact assignments after training
        "test": Scale(n_seeds=2, runs={"training": training_run(6, 2, **TEST)}),
    },
    checks=(
        Check(
            name="estimate_ranks_as_w1",
            kind="bound_holds",
            bound="lower",
            run="training",
            metric="rho_w1",
            x="steps",
            scale="absolute",
            prediction=sp.Integer(1),
            tolerance=0.1,
            tolerance_reason=(
                "absolute 0.1 below the monotone relation's rho = 1, the catalogue's level 0.9: the estimate lags the "
                "generator early and both it and W1 carry sampling noise on the late plateau, so a perfect 1 is not "
                "expected of a correct claim (the pilot's seeds 0.93-0.98). With the pilot's per-seed SD 0.022 the "
                "20-seed jackknife-t CI is about +-0.01, a fifth of the band's 0.1: resolution about 0.01, a true mean "
                "rho below about 0.89 fails and one above 0.91 passes, so it catches a critic that tracks W1 as loosely "
                "as the mode count does (|rho| about 0.85 in the pilot)."
            ),
            tuned=SEEDS_TUNED,
            description=("the seed mean of the per-seed Spearman rho between the critic's estimate and the exact W1 "
                         "over the checkpoints is at least 0.9 (the catalogue's level)."),
        ),
        Check(
            name="estimate_ranks_against_quality",
            kind="bound_holds",
            bound="upper",
            run="training",
            metric="rho_quality",
            x="steps",
            scale="absolute",
            prediction=sp.Integer(-1),
            tolerance=0.2,
            tolerance_reason=(
                "absolute 0.2 above the monotone relation's rho = -1, the catalogue's level -0.8: the high-quality "
                "share of 2000 draws has binomial noise (SD about 0.011 at 0.5) besides the estimate's lag. With the "
                "pilot's per-seed SD 0.013 the 20-seed jackknife-t CI is about +-0.006, a sixteenth of the band's 0.2: "
                "resolution about 0.01, a true mean rho above about -0.79 fails and one below -0.81 passes."
            ),
            tuned=SEEDS_TUNED,
            description=("the seed mean of the per-seed Spearman rho between the critic's estimate and the "
                         "high-quality fraction over the checkpoints is at most -0.8 (the catalogue's level)."),
        ),
        Check(
            name="training_lowers_w1",
            kind="end_ratio",
            bound="lower",
            run="training",
            metric="w1",
            x="checkpoints",
            prediction=sp.Integer(2),
            tolerance=0.0,
            tolerance_reason=(
                "none beyond the CI: 'training works' is read as at least halving the distance from the start (W1 about "
                "the ring's radius 2, the generator near the centre) on the way to the baseline (about 0.08); a run "
                "that learned nothing (300 steps on a CPU) has a ratio near 1 and fails. The ratio of seed means has a "
                "jackknife-t CI; the pilot's ratios were 7.4-15 at 12 000 steps, so the check resolves only a gross "
                "failure of training, which is all it is for."
            ),
            description="the exact W1 at the start over its value at the end, seed means, is at least 2.",
        ),
    ),
    traces=(
        Trace(run="training", x="checkpoints", metrics=("critic_estimate", "w1", "w1_baseline_line"),
              logx=False, title="the critic's estimate, the exact sample W1 and its two-real-sample baseline",
              ylabel="distance"),
        Trace(run="training", x="checkpoints", metrics=("hq_fraction",), logx=False,
              title="share of generated draws within 3 sigma of a mode", ylabel="high-quality fraction"),
    ),
)
