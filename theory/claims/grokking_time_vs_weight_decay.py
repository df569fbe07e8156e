"""B9: the time to generalise falls as the weight decay grows; the 1/(eta lambda) scaling's exponent -1 is reported, not confirmed, outside the theorem's hypotheses (Scaman 2023, Mathematics of Deep Learning slides, 'But... Grokking!?'; Lyu, Jin, Li, Du, Lee & Hu 2024, Thm 3.3; Power et al. 2022, Fig. 2)."""

import sympy as sp

from theory import grokking
from theory.claim import Check, Claim, Trace
from theory.sources import SCAMAN_2023


CLAIM = Claim(
    id="grokking_time_vs_weight_decay",
    short_id="B9",
    family="grokking",
    title="The grokking time falls as the weight decay grows",
    statement=(
        r"With decoupled weight decay $\lambda$ and step size $\eta$ the transition to the generalising solution happens at "
        r"$t \approx c \log\alpha_{\rm init} / (\eta\lambda)$ (Lyu et al., for gradient flow and a large init), so "
        r"$t_{\rm gen}$ decreases in $\lambda$. Checked here: $t_{\rm gen}$ decreases from each weight decay to the next. "
        r"The theorem's exponent ($\log t_{\rm gen}$ linear in $\log\lambda$ with slope $-1$) is reported, not checked: "
        r"with Adam it is not stable across seeds and primes (notes)."
    ),
    source=SCAMAN_2023.at("slide 'But... Grokking!?' (the phenomenon); the scaling is from the literature"),
    reference=(
        "Lyu, Jin, Li, Du, Lee & Hu (2024), Dichotomy of early and late phase implicit biases can provably induce grokking, "
        "ICLR, Thm 3.3 (t ~ log(alpha)/(eta lambda)); Power et al. (2022), Fig. 2 (weight decay the most effective intervention)"
    ),
    experiment="grokking",
    protocol=grokking.PROTOCOL + (
        " Init scale alpha = 4 (every initial weight times 4); weight decay lambda in {0.5, 0.7, 1} with the same 5 "
        "seeds (split and init shared across lambda: a paired sweep); the largest ratio of mean t_gen between "
        "consecutive lambdas, with a jackknife-t interval over seeds."
    ),
    notes=(
        "Restated after an audit: the slope of log t_gen against log lambda was -1.26 [-1.38, -1.13] at p = 31 with the "
        "pipeline's base seed, -0.73 [-0.82, -0.64] at p = 37 and -1.61 [-1.93, -1.28] at another base seed, at opposite "
        "edges of the catalogue's [-1.4, -0.6]; a 3-point slope over 5 seeds also had a CI of 0.78 of that band. The "
        "exponent is therefore not a stable property of this setting, and the claim checked is the direction of the "
        "effect, which every run showed. "
        "Assumptions of Lyu et al.'s theorem that the experiment meets: decoupled weight decay (AdamW's theta <- "
        "theta (1 - eta lambda)), a fixed init scale and step size, a model homogeneous in its parameters apart from the "
        "biases (x -> W2 (E x + b1)^2 is 3-homogeneous in (E, W2) with the biases 0). Assumptions it does not meet: the "
        "theorem is for gradient flow or GD with small eta and large init alpha -> infinity, with a loss whose late phase "
        "is a margin-maximisation problem; here the optimiser is Adam (a sign-like, not a gradient, step) and the biases "
        "break exact homogeneity, so the slope is an empirical test of the theorem's scaling outside its hypotheses. "
        "The theorem needs a large init: with PyTorch's default (alpha = 1) t_gen was not monotone in lambda (means over 3 "
        "seeds: 2284, 1628, 2121 steps at lambda = 0.5, 1, 2, and no generalisation at lambda = 4 in 8000 steps), the "
        "'Goldilocks' window of the catalogue's pitfalls; with alpha = 4 and lambda <= 1 (below that window) it fell "
        "with lambda (2 seeds: 6136, 3136, 2088, 1776 at lambda = 0.35, 0.5, 0.7, 1). The init scale and the grid were "
        "chosen after those two runs, and lambda = 0.35 was dropped after a 5-seed run in which 3 seeds had not "
        "generalised within the 8000-step budget (a censored t_gen would bias the slope towards 0). The catalogue's grid {0.1, 0.3, 1, 3} is not usable here: lambda = 3 lies past the "
        "window and lambda = 0.1 needs far more than the smoke budget. Even in this range log t_gen is convex in "
        "log lambda (local slopes about -1.9 between 0.35 and 0.5, -0.8 between 0.5 and 1), so the fitted slope depends "
        "on the range; the catalogue's companion sweep over the init scale is not run. "
        + grokking.SETTING_NOTES
    ),
    scales=grokking.weight_decay_sweep(),
    checks=(
        Check(
            name="decreasing_in_weight_decay",
            kind="monotone",
            run="sweep",
            metric="t_gen",
            x="weight_decay",
            prediction=sp.Integer(1),
            tolerance=0.0,
            tolerance_reason="An ordering: every ratio t_gen(lambda_next)/t_gen(lambda) at most 1, no margin.",
            description="mean t_gen decreases from each weight decay to the next (1/(eta lambda) would give ratios 0.71 and 0.70) ...",
            tuned=("Restated from the slope -1 +- 0.4 after the audit's runs at other seeds and p = 37 (notes); the "
                   "ordering is confirmed by make robustness at two base seeds and p = 37."),
        ),
        grokking.every_seed_generalises("sweep", "weight_decay", None, "A censored t_gen (a member that never generalised) would bias the slope: none is allowed."),
    ),
    traces=(
        Trace(run="sweep", x="steps", metrics=("val_acc_curve",), events=("t_gen",), grid="weight_decay",
              title="validation accuracy, one colour per weight decay", ylabel="validation accuracy"),
    ),
)
