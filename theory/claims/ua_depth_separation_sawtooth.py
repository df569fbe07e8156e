"""C7: depth separation: the sawtooth T^k is computed exactly by a depth-k width-2 ReLU net, while a one-hidden-layer net with m units has at most m + 1 pieces and L1 error at least (1/4)(1 - m/2^(k-1)) (Dobriban 2019, Stat 991 notes §7.3 'Telgarsky 16' and §7.12; Telgarsky 2016, COLT, 'Benefits of depth in neural networks', Lemma 2.1 and Thm 1.1)."""

import sympy as sp

from theory import ua
from theory.claim import Check, Claim, Scale
from theory.sources import DOBRIBAN_2019

CLAIM = Claim(
    id="ua_depth_separation_sawtooth",
    short_id="C7",
    family="ua",
    title="Depth separation: the sawtooth needs $2^k$ shallow units but only depth $k$ at width 2",
    statement=(
        r"The tent $T(x) = 2\,\mathrm{relu}(x) - 4\,\mathrm{relu}(x - \frac12)$ iterated $k$ times has $2^k$ linear pieces "
        r"on $[0, 1]$ and is computed exactly by a depth-$k$, width-2 ReLU net. A one-hidden-layer net with $m$ units "
        r"has at most $m$ breakpoints, so at most $m + 1$ pieces, and on each of the $2^{k-1}$ teeth of $T^{\circ k}$ "
        r"(width $2^{1-k}$) that holds none of them it is affine, at $L^1$ distance at least a quarter of the tooth's "
        r"width: $\int_0^1|g - T^{\circ k}| \ge \frac14(1 - m/2^{k-1})$."
    ),
    source=DOBRIBAN_2019.at("§7.3 'Approximation theory' ('Telgarsky 16') and §7.12 'Geometry' (counting linear regions)"),
    reference="Telgarsky (2016), Benefits of depth in neural networks, COLT, Lemma 2.1 (pieces of shallow nets), Thm 1.1 (separation)",
    experiment="ua_sawtooth",
    protocol=(
        "Constructions for $k \\in \\{4, 6, 8\\}$: the depth-$k$ width-2 net and a one-hidden-layer net with $2^k$ units, "
        "both written down, compared with the closed form $1 - |2\\,\\mathrm{frac}(2^{k-1}x) - 1|$ on the $2^{16} + 1$ dyadic "
        "points of $[0, 1]$ (exact in binary floating point) and at 4096 uniform random points, and their pieces counted by exact layer-by-layer breakpoint "
        "tracing. Trained shallow nets for $k = 6$: $m \\in \\{4, 8, 16, 24, 31\\}$, 8 seeds, full-batch Adam (100 steps) "
        "on 1024 points; $L^1$ error by the midpoint rule on $2^{16}$ dyadic cells; pieces traced exactly."
    ),
    notes=(
        "The separation is representational: trained shallow nets sit near the mean (L1 error about 1/4, far above the "
        "bound), and trained deep narrow nets rarely find the sawtooth, so 'a shallow net fits it only when "
        "m >= 2^k - 1' would be vacuous as a training claim; the exact constructions carry that side. The written-down "
        "shallow net uses 2^k units: with no affine term beside the units, 2^k - 1 cannot do (their slope changes are "
        "multiples of 2^(k+1), and the end slopes +-2^k would need some of them to sum to 2^k); 2^k - 1 units suffice "
        "with a linear skip term. The midpoint rule is exact on cells where both functions are affine (T^k's breakpoints "
        "are cell boundaries); the cells holding a breakpoint or a crossing of a net are off by at most slope x cell^2, "
        "under 1e-5 in all."
    ),
    deterministic=False,
    scales={
        "smoke": Scale(n_seeds=8, runs=ua.sawtooth_runs()),
        "full": Scale(n_seeds=32, runs=ua.sawtooth_runs([4, 6, 8, 10, 12], 8, [16, 32, 64, 96, 127], 5000, 20), gpu=True),
        "test": Scale(n_seeds=2, runs=ua.sawtooth_runs([3, 6], 4, [2, 6], 10, 10)),  # k = 6: rounding at the random points
    },
    checks=(
        Check(
            name="deep_net_is_the_sawtooth",
            role="identity",
            kind="curve",
            run="constructions",
            metric="deep_sup_error",
            x="k_saw",
            prediction=sp.Integer(0),
            scale="absolute",
            tolerance=1e-12,
            tolerance_reason="The construction is exact; on dyadic points every operation is exact in binary floating point, elsewhere rounding grows like 2^k x 1e-16.",
            description="the depth-k width-2 net equals T^k on the dyadic grid ...",
        ),
        Check(
            name="deep_net_pieces",
            role="identity",
            kind="curve",
            run="constructions",
            metric="deep_pieces",
            x="k_saw",
            prediction=ua.sawtooth_pieces,
            tolerance=0.0,
            tolerance_reason="Piece counts are integers: exact equality.",
            description="... with exactly 2^k pieces (traced) ...",
        ),
        Check(
            name="shallow_construction_is_the_sawtooth",
            role="identity",
            kind="curve",
            run="constructions",
            metric="shallow_sup_error",
            x="k_saw",
            prediction=sp.Integer(0),
            scale="absolute",
            tolerance=1e-9,
            tolerance_reason="Sums of 2^k terms of size up to 2^(k+1): rounding reaches ~2^(2k) x 1e-16 = 1e-11 at k = 8.",
            description="... as does a one-hidden-layer net with 2^k units ...",
        ),
        Check(
            name="shallow_pieces_at_most_m_plus_one",
            kind="bound_holds",
            run="shallow",
            metric="pieces",
            x="m",
            prediction=ua.shallow_piece_bound,
            bound="upper",
            reduce="max",
            tolerance=0.0,
            tolerance_reason="Integer counts against the claim's inequality: no margin.",
            description="... while every trained shallow net with m units has at most m + 1 pieces on [0, 1] ...",
        ),
        Check(
            name="shallow_l1_lower_bound",
            kind="bound_holds",
            run="shallow",
            metric="l1_error",
            x="m",
            prediction=ua.shallow_l1_bound,
            bound="lower",
            reduce="min",
            scale="absolute",
            tolerance=1e-5,
            tolerance_reason="The midpoint rule's error bound on 2^16 dyadic cells (notes): under 1e-5 absolute.",
            description="... and L1 error at least (1/4)(1 - m/2^(k-1)) against T^6, for every m < 32 and seed.",
        ),
    ),
)
