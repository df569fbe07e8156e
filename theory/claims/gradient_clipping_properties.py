"""D7: clip-by-norm keeps the direction and caps the norm, and on f(x) = x^4/4 it removes the divergence of GD, which is exactly {|x0| > sqrt(2/eta)} (Dobriban 2019, Stat 991 notes §3.3.2; Pascanu, Mikolov & Bengio 2013, Alg. 1; Zhang, He, Sra & Jadbabaie 2020)."""

import numpy as np
import sympy as sp

from theory import rnn
from theory.claim import Check, Claim, Scale
from theory.sources import DOBRIBAN_2019


def run(n_starts: int, steps: int, n_draws: int) -> dict:
    return {"quartic": {"x0": [float(v) for v in np.linspace(-10, 10, n_starts)], "eta": 0.1, "threshold": 1.0,
                        "steps": steps, "dim": [1, 2, 10, 100, 1000], "n_draws": n_draws}}


exact = dict(run="quartic", scale="absolute", tolerance=0.0, reduce="max")

CLAIM = Claim(
    id="gradient_clipping_properties",
    short_id="D7",
    family="rnn",
    title="Gradient clipping caps the step, keeps its direction, and stops GD from diverging on $x^4/4$",
    statement=(
        r"Clip-by-norm, $g \leftarrow \theta g/\|g\|$ when $\|g\| \ge \theta$, gives $\|g_{\rm clip}\| \le \min(\|g\|, \theta)$ "
        r"and the direction of $g$. On $f(x) = x^4/4$, GD $x \leftarrow x - \eta x^3$ diverges exactly when $|x_0| > \sqrt{2/\eta}$ "
        r"(solve $|x - \eta x^3| > |x|$ in sympy), whereas clipped GD converges from every start, with $|x_t|$ never increasing."
    ),
    source=DOBRIBAN_2019.at("§3.3.2, 'Gradient clipping' ('Does gradient clipping affect convergence?')"),
    reference="Pascanu, Mikolov & Bengio (2013), Alg. 1; Zhang, He, Sra & Jadbabaie (2020), ICLR, Thm 3 ((L0, L1)-smoothness)",
    experiment="clipping",
    protocol=(
        "1000 starts $x_0$ evenly spaced in [-10, 10], $\\eta = 0.1$, threshold 1, 2000 steps in float64; divergence means "
        "$|x_T| > |x_0|$ or overflow. The clip rule is torch.nn.utils.clip_grad_norm_ applied to 2000 random gradients per "
        "dimension d in {1, 2, 10, 100, 1000} with norms log-uniform in $[e^{-3}, e^3]$ times the threshold."
    ),
    notes=(
        "The notes ask whether clipping affects convergence: on x^4/4, whose curvature grows with the gradient "
        "((L0, L1)-smooth but not L-smooth), clipping is what makes a fixed step converge from everywhere. Clipping "
        "elementwise (Dobriban 2019, §1.2.3, item 7) changes the direction and is not covered. PyTorch's clip_grad_norm_ scales by "
        "$\\theta/(\\|g\\| + 10^{-6})$, so a clipped norm sits just below the threshold (equality up to 1e-6, not exactly). Left out: the catalogue's "
        "tanh-RNN divergence rate with and without clipping on the adding task."
    ),
    scales={
        "smoke": Scale(n_seeds=1, runs=run(1000, 2000, 2000)),
        "full": Scale(n_seeds=1, runs=run(100000, 20000, 20000)),
        "test": Scale(n_seeds=1, runs=run(21, 50, 20)),
    },
    checks=(
        Check(
            name="gd_divergence_set",
            role="identity",
            metric="gd_diverged",
            x="x0",
            kind="curve",
            prediction=rnn.gd_diverges,
            tolerance_reason="An exact set: each start is predicted 0 or 1 and must match.",
            description="GD diverges at exactly the starts with |x0| > sqrt(2/eta) = sqrt(20) = 4.47 (446 of the 1000 starts converge).",
            **exact,
        ),
        Check(
            name="clipped_never_diverges",
            role="identity",
            metric="clipped_diverged",
            x="x0",
            kind="curve",
            prediction=sp.Integer(0),
            tolerance_reason="Exact: no start may diverge.",
            description="clipped GD diverges from no start ...",
            **exact,
        ),
        Check(
            name="clipped_monotone",
            role="identity",
            metric="clipped_rises",
            x="x0",
            kind="curve",
            prediction=sp.Integer(0),
            tolerance_reason="Exact: |x_t| may never increase.",
            description="... and |x_t| never increases along it.",
            **exact,
        ),
        Check(
            name="clip_caps_norm",
            role="identity",
            run="quartic",
            metric="clip_norm_ratio",
            x="dim",
            kind="bound_holds",
            prediction=sp.Integer(1) + sp.Float(1e-12),
            reduce="max",
            tolerance=0.0,
            tolerance_reason="1e-12 of float64 rounding in the prediction itself, no tolerance on top.",
            description="||clip(g)|| = min(||g||, threshold): the largest ratio to it is at most 1 + 1e-12 in every dimension ...",
        ),
        Check(
            name="clip_keeps_direction",
            role="identity",
            run="quartic",
            metric="clip_cosine",
            x="dim",
            kind="bound_holds",
            bound="lower",
            prediction=sp.Integer(1) - sp.Float(1e-12),
            reduce="min",
            scale="absolute",
            tolerance=0.0,
            tolerance_reason="1e-12 of float64 rounding in the prediction itself, no tolerance on top.",
            description="... and cos(g, clip(g)) >= 1 - 1e-12: the direction is kept.",
        ),
    ),
)
