"""Control for E2: C(G) = 4 JS - log 4, i.e. 2 JS with §4.4's JS without the 1/2 weights (Dobriban 2019, Stat 991 notes §4.4 item 4; Goodfellow et al. 2014, Thm 1 holds for the 1/2-weighted JS)."""

from theory import wgan
from theory.claim import Check, Claim, Scale
from theory.sources import DOBRIBAN_2019


def run(n_train: int, n_eval: int) -> dict:
    return {"value": {"mu": [0.5, 1.0, 2.0], "n_train": n_train, "n_eval": n_eval, "newton_steps": 8}}


CLAIM = Claim(
    id="wgan_control_js_without_half",
    short_id="E2-c1",
    contradicts="E2",
    family="wgan",
    title=r"Control: $C(G) = 2\,\mathrm{JS} - \log 4$ with JS defined without the $1/2$ weights (§4.4's definition)",
    statement=(
        r"(Wrong on purpose.) Reading §4.4's definition $JS(P_r, P_g) = KL(P_r\|P_m) + KL(P_g\|P_m)$ into §4.3's "
        r"identity gives $C(G) = 2\,[KL(P_n\|M) + KL(P_G\|M)] - \log 4$, twice the divergence term of the true value."
    ),
    source=DOBRIBAN_2019.at("§4.4, item 4 (JS without the 1/2 weights) read into §4.3, item 6"),
    reference="Goodfellow et al. (2014), Theorem 1 (½-weighted JS); Arjovsky, Chintala & Bottou (2017), §2 (unweighted)",
    experiment="wgan_logistic",
    control=True,
    protocol="As wgan_value_equals_2js_minus_log4, with 2e5 held-out draws per class (the gap is far beyond the band).",
    notes="The two definitions differ by a factor 2; only the ½-weighted one is bounded by log 2.",
    scales={
        "smoke": Scale(n_seeds=10, runs=run(10_000, 200_000)),
        "full": Scale(n_seeds=10, runs=run(10_000, 1_000_000)),
        "test": Scale(n_seeds=3, runs=run(1_000, 5_000)),
    },
    checks=(
        Check(
            name="value_with_unweighted_js",
            kind="curve",
            run="value",
            metric="value_optimal",
            x="mu",
            prediction=lambda: wgan.game_value(half=False),
            scale="absolute",
            tolerance=0.002,
            tolerance_reason="E2's band.",
            description="Monte-Carlo V(D*, G) equals 2 (KL(P_n||M) + KL(P_G||M)) - log 4 at every shift.",
        ),
    ),
)
