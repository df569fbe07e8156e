"""F17: lazy training: during gradient descent the tangent kernel and the weights of a wide network move less and less as the width m grows, the weights by O(m^(-1/2)) relative to their size and the kernel at least as fast (Jacot, Gabriel & Hongler 2018, Thm 2; Lee et al. 2019, Thm 2.1)."""

import sympy as sp

from theory import ntk
from theory.claim import Check, Claim
from theory.sources import SCAMAN_2023

TUNED = ("smoke sizes (n = 24, 100 steps, 32 data sets, widths 256-4096) chosen from a pilot at seed 1 that put each "
         "slope's standard error near 0.02; the bands are the catalogue's. Confirmed at base seeds 7 and 90210. Since 2026-12 "
         "48 data sets, F19's run, so that F17, F17-c1 and F19 read one measurement.")


CLAIM = Claim(
    id="ntk_lazy_training_kernel_constancy",
    short_id="F17",
    family="ntk",
    title="Lazy training: the weights move by $O(m^{-1/2})$ and the tangent kernel at least as little",
    statement=(
        r"For the one-hidden-layer ReLU network $f(x) = \sqrt{2/m}\,a\cdot{\rm relu}(Wx)$ with $\mathcal{N}(0, 1)$ weights, trained by "
        r"gradient descent on the squared loss for a fixed number of steps at a fixed step, the parameters' relative change "
        r"$\|\theta_T - \theta_0\|/\|\theta_0\|$ is $O(m^{-1/2})$ and the empirical NTK's relative change "
        r"$\|\Theta_T - \Theta_0\|_F/\|\Theta_0\|_F$ is $O(m^{-1/2})$ or smaller: as $m \to \infty$ the network trains in the lazy "
        r"regime, with the kernel frozen at initialisation. The statement is from the literature (Jacot et al. 2018; Lee et al. "
        r"2019), not from the notes."
    ),
    source=SCAMAN_2023.at("course outline, lecture 6 'Infinite width limit of NNs' (title only); the claim is from the literature"),
    reference=("Jacot, Gabriel & Hongler (2018), Neural tangent kernel, Thm 2; Lee, Xiao, Schoenholz, Bahri, Novak, "
               "Sohl-Dickstein & Pennington (2019), Wide neural networks of any depth evolve as linear models under gradient "
               "descent, Thm 2.1 (both changes O(m^(-1/2))); Dyer & Gur-Ari (2019), Asymptotics of wide networks "
               "from Feynman diagrams, and Huang & Yau (2020), Dynamics of deep neural networks and neural tangent hierarchy "
               "(the kernel's typical change O(1/m) for smooth activations)"),
    experiment="ntk_training",
    protocol=(
        "Per data set n = 24 training points uniform on $S^7$, labels $\\tanh(2u\\cdot x) + 8x_1x_2$ for a random unit u; at each "
        "width m in {256, 1024, 4096} one network with antisymmetric initialisation ($f_0 = 0$), trained by 100 steps of "
        "full-batch GD on $\\frac1{2n}\\|f - y\\|^2$ at $\\eta = 2$ ($\\eta\\lambda_{\\max}(\\Theta)/n \\approx 1.2$), float64, with "
        "hand-written gradients (the oracle tests check them and the closed-form empirical NTK against torch.func). Measured: "
        "the relative change of all parameters and of the training Gram of the empirical NTK. 48 data sets (F19's run); jackknife-t "
        "intervals."
    ),
    notes=(
        "From the literature (the notes have the lecture title only). Lee et al.'s bound is $O(m^{-1/2})$ for both; the weights "
        "meet it as a rate (the weight vector moves by O(1) in norm, each weight by $O(m^{-1/2})$, while its norm grows like "
        "$\\sqrt m$). For the kernel of a smooth activation the bound is not the typical rate: Dyer & Gur-Ari (2019) derive, and Huang & Yau (2020) prove, "
        "a change of order $1/m$ for smooth activations. With ReLU it measures a slope near $-0.85$ over widths 256-4096, and a CPU pilot to "
        "m = 65536 (8 data sets) found local slopes $-0.86$, $-0.70$, $-0.64$ between 1024, 4096, 16384 and 65536: the rate "
        "flattens with width. Our reading (not a result of the cited papers): the $O(m^{-1/2})$ fraction of units whose "
        "activation pattern flips on a training point adds a term that falls more slowly than the smooth $1/m$ change, so "
        "for ReLU the bound may be the asymptotic rate; these widths do not settle it. So the kernel is checked against "
        "the bound (it must shrink at least like $m^{-1/2}$ across the sweep), and the smooth-activation rate $1/m$ is the "
        "near-miss control ntk_control_relu_kernel_change_is_one_over_m. The catalogue's 'train to loss 1e-3' becomes a fixed "
        "number of steps, the same at every width, so that the widths are compared at the same point of training."
    ),
    scales=ntk.training_scales(48),
    checks=(
        Check(
            name="weight_change_rate",
            kind="loglog_slope",
            run="widths",
            metric="weight_change",
            x="m",
            prediction=ntk.m ** sp.Rational(-1, 2),
            tolerance=0.1,
            tuned=TUNED,
            tolerance_reason="±0.1 as in the catalogue ([-0.6, -0.4]): the weights' change is O(1) in norm against a norm that grows like sqrt(m), up to O(1/m) corrections of the training trajectory at the smallest width.",
            description="The parameters' relative change falls like m^(-1/2) ...",
        ),
        Check(
            name="kernel_change_beats_the_bound",
            kind="end_ratio",
            run="widths",
            metric="kernel_change",
            x="m",
            bound="lower",
            prediction=lambda p: sp.sqrt(sp.Integer(max(p["m"])) / min(p["m"])),
            tolerance=0.0,
            tuned=TUNED,
            tolerance_reason="no margin: the bound O(m^(-1/2)) read across the sweep, the smallest width's kernel change over the widest's at least (m_max/m_min)^(1/2); the CI decides.",
            description="... and the kernel's relative change shrinks across the sweep at least as fast as m^(-1/2).",
        ),
    ),
)
