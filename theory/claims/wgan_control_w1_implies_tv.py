"""Control for E5: 'W1 -> 0 implies TV -> 0', at W1's rate, on U[0,1]'s midpoint discretisations (the converse of Theorem 2.4; Dobriban 2019, Stat 991 notes §4.4 item 11; Arjovsky, Chintala & Bottou 2017, Thm 2)."""

from theory import wgan
from theory.claim import Check, Claim, Scale
from theory.sources import DOBRIBAN_2019

RUN = {"sequences": {"n": [1, 2, 4, 8, 16, 32, 64]}}

CLAIM = Claim(
    id="wgan_control_w1_implies_tv",
    short_id="E5-c1",
    contradicts="E5",
    family="wgan",
    title=r"Control: $W_1 \to 0$ implies $\mathrm{TV} \to 0$ at the same rate",
    statement=(
        r"(Wrong on purpose.) Reading Theorem 2.4 ($\delta \to 0 \Rightarrow W \to 0$) backwards: along the midpoint "
        r"discretisations of $U[0,1]$, where $W_1 = 1/(4n)$, the total variation decays like $n^{-1}$ too."
    ),
    source=DOBRIBAN_2019.at("§4.4, item 11 (Theorem 2.4, read as an equivalence)"),
    reference="Arjovsky, Chintala & Bottou (2017), Theorem 2 (TV convergence implies W convergence, not conversely)",
    experiment="wgan_divergences",
    control=True,
    deterministic=True,
    protocol="As wgan_convergence_hierarchy.",
    notes="TV is 1 for every n (disjoint supports): its log-log slope is 0, not -1.",
    scales={"smoke": Scale(n_seeds=1, runs=RUN), "full": Scale(n_seeds=1, runs=RUN),
            "test": Scale(n_seeds=1, runs={"sequences": {"n": [1, 2, 4]}})},
    checks=(
        Check(
            name="tv_decays_like_w1",
            kind="loglog_slope",
            run="sequences",
            metric="tv_midpoint",
            x="n",
            prediction=lambda: wgan.midpoint_w1(),
            tolerance=0.01,
            tolerance_reason="E5's band for a noiseless log-log slope.",
            description="TV(U[0,1], midpoints) decays like W1 = 1/(4n): log-log slope -1.",
        ),
    ),
)
