"""E3: for the parallel lines P_0 = law of (0, Z) and P_theta = law of (theta, Z), Z ~ U[0,1], W1 = |theta|; exact sample W1 approaches it with a derived matching term, and at theta = 0 it is the two-sample baseline, exactly known at finite n (Dobriban 2019, Stat 991 notes §4.4 item 6; Arjovsky, Chintala & Bottou 2017, Example 1)."""

from theory import wgan
from theory.claim import Check, Claim, Scale
from theory.sources import DOBRIBAN_2019

THETA = [0.25, 0.35, 0.5, 0.7, 1.0]  # W is even in theta; positive values keep the figure on log axes
SIZES = [20, 30, 50, 100]


def run(replicates: int, baseline_replicates: int, sizes=SIZES, n_lines: int = 200) -> dict:
    return {"lines": {"theta": THETA, "n_lines": n_lines, "replicates": replicates, "n": sizes,
                      "baseline_replicates": baseline_replicates}}


BASELINE_BAND = (
    "relative 0.0075: the binomial sum is exact, so only Monte-Carlo error remains (one seed's mean over 2.4e4 pairs has "
    "relative SE about 0.3%, the 20-seed mean's CI about ±0.15%); the band is over four such CIs wide, and fine enough to "
    "resolve the 3/(8n) finite-n term of the large-n form at n <= 30 (1.9% at n = 20), which the near-miss control "
    "wgan_control_baseline_at_its_limit leaves out."
)

CLAIM = Claim(
    id="wgan_parallel_lines_w1",
    short_id="E3",
    family="wgan",
    title=r"Parallel lines: exact sample $W_1$ tends to $|\theta|$, and the same-distribution baseline is exactly known",
    statement=(
        r"With $Z \sim U[0,1]$, $P_0 = (0, Z)$ and $P_\theta = (\theta, Z)$: $W(P_0, P_\theta) = |\theta|$ while "
        r"$\delta = 1$, $KL = \infty$ and $JS = \log 2$ for $\theta \ne 0$. Between $n$-point samples the optimal "
        r"assignment matches the sorted $Z$'s (the cost $\sqrt{\theta^2 + d^2}$ is convex in $d$), so "
        r"$\mathbb{E}\,W_n(\theta) = |\theta| + \frac{1}{6(n+1)|\theta|} + O(n^{-2}|\theta|^{-3})$, and at $\theta = 0$ "
        r"$W_n$ is the two-sample baseline $\mathbb{E}\,W_1(U_n, V_n) = \frac1n \sum_{a,b} |a-b| \binom{n}{a}\binom{n}{b}"
        r" B(a+b+1, 2n-a-b+1) \sim \sqrt{\pi}/(4\sqrt{n})$."
    ),
    source=DOBRIBAN_2019.at("§4.4, items 5-7 (Example: learning parallel lines)"),
    reference=("Arjovsky, Chintala & Bottou (2017), Wasserstein GAN, ICML, Example 1; del Barrio, Giné & Matrán (1999), "
               "Central limit theorems for the Wasserstein distance between the empirical and the true distributions, "
               "Ann. Probab. 27, Thm 2.1 (the large-n form)"),
    experiment="wgan_parallel_lines",
    protocol=(
        "Exact 2-D sample W1 between 200 points of $P_0$ and of $P_\\theta$ by optimal assignment (POT, ot.emd2, "
        "Euclidean cost), 6 pairs per seed and $\\theta \\in \\{0.25, 0.35, 0.5, 0.7, 1\\}$; beside each pair the "
        "same-distribution baseline, the 1-D W1 of its two Z-samples (sorting). The baseline alone at "
        "$n \\in \\{20, 30, 50, 100\\}$ from $2.4 \\times 10^4$ pairs per seed (sorted samples by Rényi's exponential-spacings representation). 20 seeds, float64."
    ),
    notes=(
        "The catalogue's pass rule |W_n - |theta|| <= 3/sqrt(n) is 7-13 times looser than the matching term it "
        "bounds; here the matching term is derived (E(U_(i) - V_(i))^2 = 2 Var U_(i), summed: 1/(3(n+1))) and the "
        "check is relative 1%, at which leaving the term out (1.3% at |theta| = 0.25) would be resolved only "
        "marginally. The notes' JS = log 2 for theta != 0 holds for the ½-weighted JS of §4.3; under §4.4's own "
        "definition (no ½) the value would be 2 log 2 (see E2). The discriminator-based JS estimate and the gradients "
        "in theta (parts ii-iii of the catalogue) need trained networks and are not run at smoke."
    ),
    scales={
        "smoke": Scale(n_seeds=20, runs=run(6, 24_000)),
        "full": Scale(n_seeds=40, runs=run(16, 40_000, n_lines=1000)),
        "test": Scale(n_seeds=3, runs=run(1, 50, n_lines=30)),
    },
    checks=(
        Check(
            name="sample_w1_parallel_lines",
            kind="curve",
            run="lines",
            metric="w1",
            x="theta",
            prediction=lambda: wgan.parallel_lines_sample_w1(),
            tolerance=0.01,
            tolerance_reason=(
                "relative 1%: the neglected fourth-order matching term is below 0.1% at |theta| = 0.25 and n = 200; "
                "the band is four times the 20-seed CI (±0.2% at |theta| = 0.25, where the matching term "
                "fluctuates most)."
            ),
            tuned=("the pairs per seed, after seeing data: 4 gave CI/band 0.31 at the main base seed (on a +-theta grid); "
                   "6 gave 0.25 there and 0.22 at base seed 7. The grid then moved to positive theta only (W is even in "
                   "theta; the figure's log axis dropped the negative points): CI/band 0.14 at the main seed, 0.15 at "
                   "base seed 7 and 0.21 at base seed 90210, neither used to choose it."),
            description="the mean exact sample W1 is |theta| + 1/(6(n+1)|theta|) at every theta.",
        ),
        Check(
            name="excess_within_baseline",
            kind="bound_holds",
            run="lines",
            metric="excess_over_baseline",
            x="theta",
            prediction=wgan.sp.Integer(0),
            reduce="max",
            scale="absolute",
            role="identity",
            tolerance=1e-12,
            tolerance_reason="1e-12: an inequality that holds pair by pair (the triangle inequality), float64 rounding only.",
            description=("in every pair, W_n(theta) - |theta| is at most the same pair's baseline W1 of the Z-samples: "
                         "sqrt(theta^2 + d^2) <= |theta| + |d| along the sorted matching."),
        ),
        Check(
            name="baseline_exact_finite_n",
            kind="curve",
            run="lines",
            metric="baseline",
            x="n",
            prediction=lambda: wgan.two_sample_baseline(),
            tolerance=0.0075,
            tolerance_reason=BASELINE_BAND,
            tuned=("the pairs per seed, after seeing data: 1e4 gave CI/band 0.30 at the main base seed, 1.6e4 gave 0.25 "
                   "there and 0.30 at base seed 7; raised to 2.4e4 for margin: 0.21 at the main seed, 0.19 at base seed 7 "
                   "and 0.20 at base seed 90210 (not used to choose it)."),
            description="the two-sample baseline W1 of U[0,1] equals the exact binomial sum at every n.",
        ),
    ),
)
