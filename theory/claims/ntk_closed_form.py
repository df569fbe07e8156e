"""F16: the empirical neural tangent kernel of a finite ReLU MLP converges to the analytic NTK of the same parameterisation, its relative Frobenius fluctuation falling like m^(-1/2) (Scaman 2023, Mathematics of Deep Learning, lecture 6 'Infinite width limit of NNs'; Jacot, Gabriel & Hongler 2018, Thm 1; Arora et al. 2019, Thm 3.1)."""

import sympy as sp

from theory import ntk
from theory.claim import Check, Claim, Scale
from theory.sources import SCAMAN_2023

BAND = {1: 0.02, 2: 0.04}
RUNS = {f"depth_{L}": ntk.kernels_run(L, ntk.KERNEL_SEEDS[L]) for L in (1, 2)}
TUNED = ("smoke sizes chosen after the first smoke run at the main base seed (100 pairs; depth 2 at widths 64-1024) left the slopes' CIs 0.34-0.51 and the depth-2 mean's 0.39-0.41 of their bands: 250 pairs at depth 1, 400 at depth 2 on widths 32-512 (a quarter of the cost per pair); confirmed at base seed 7.")
TEST = {f"depth_{L}": ntk.kernels_run(L, 3, [8, 16]) for L in (1, 2)}


def _checks(L: int) -> tuple[Check, ...]:
    run = f"depth_{L}"
    return (
        Check(
            name=f"mean_kernel_{run}",
            kind="curve",
            run=run,
            metric="ntk",
            x="rho",
            prediction=ntk.ntk_kernel(L),
            tolerance=BAND[L],
            tuned=TUNED,
            tolerance_reason=(f"{BAND[L]:.0%}, within neural-tangents' own rtol of 2-4% for a mean over initialisations: "
                              f"500-800 networks at the widest width put the CI near ±{BAND[L] / 4:.1%}; the finite-width bias "
                              "of the mean kernel is O(1/m) (0 for one hidden layer)."),
            description=f"With {L} hidden layer(s), the mean over networks of the empirical NTK at the widest width is the analytic kernel within {BAND[L]:.0%} at every cosine ...",
        ),
        Check(
            name=f"fluctuation_rate_{run}",
            kind="loglog_slope",
            run=run,
            metric="ntk_spread",
            x="m",
            prediction=ntk.m ** sp.Rational(-1, 2),
            tolerance=0.1,
            tuned=TUNED,
            tolerance_reason="±0.1 as in the catalogue: the kernel is a mean over m (or m^2) weakly dependent terms, so its relative fluctuation is c/sqrt(m) up to O(1/m) corrections at the smallest widths.",
            description="... and one network's relative Frobenius distance to the mean kernel falls like m^(-1/2).",
        ),
    )


CLAIM = Claim(
    id="ntk_closed_form",
    short_id="F16",
    family="ntk",
    title="The empirical NTK of a finite ReLU network converges to the analytic NTK at rate $m^{-1/2}$",
    statement=(
        r"For the ReLU network $f = W^{(L+1)}g^{(L)}$, $g^{(h)} = \sqrt{2/m}\,{\rm relu}(W^{(h)}g^{(h-1)})$, $g^{(0)} = x$, all weights "
        r"$\mathcal{N}(0, 1)$ (Arora et al.'s parameterisation, $c_\sigma = 2$), the tangent kernel "
        r"$\Theta_m(x, x') = \langle\nabla_\theta f(x), \nabla_\theta f(x')\rangle$ converges as $m \to \infty$ to "
        r"$\Theta^{(L)} = \sum_{h=1}^{L+1}\Sigma^{(h-1)}\prod_{h'=h}^{L+1}\dot\Sigma^{(h')}$ ($\dot\Sigma^{(L+1)} = 1$), which for unit inputs "
        r"at cosine $\rho$ is built from the arc-cosine kernels $\kappa_1(\rho) = (\sqrt{1-\rho^2} + (\pi - \arccos\rho)\rho)/\pi$ and "
        r"$\kappa_0(\rho) = (\pi - \arccos\rho)/\pi$; one network's fluctuation around it is $O(m^{-1/2})$."
    ),
    source=SCAMAN_2023.at("course outline, lecture 6 'Infinite width limit of NNs' (title only); the closed forms are from the literature"),
    reference="Jacot, Gabriel & Hongler (2018), Neural tangent kernel, Thm 1; Arora, Du, Hu, Li, Salakhutdinov & Wang (2019), On exact computation with an infinitely wide neural net, Thm 3.1 and Eqs. 4-9; Cho & Saul (2009)",
    experiment="ntk_kernels",
    protocol=(
        "Unit inputs $x_0 = e_1$ and $x_k$ at cosines rho in {0, 0.25, 0.5, 0.75, 0.9, 1} (d = 3). Depth 1: widths 256-16384; depth "
        "2: 32-512. Per seed two independent networks per width; the empirical NTK of each from one forward and one backward "
        "pass, $\\Theta = \\sum_h (\\delta_h\\delta_h^\\top)\\odot(g_{h-1}g_{h-1}^\\top)$ (tests/test_ntk.py checks it against torch.func "
        "Jacobians to 1e-15), float64. Compared: the pair's mean kernel $\\Theta(x_0, x_k)$ at the widest width, averaged over "
        "250 seeds (500 networks) at depth 1 and 400 (800) at depth 2, and the log-log slope in m of $\\|\\Theta_a - \\Theta_b\\|_F/(\\sqrt2\\|\\bar\\Theta\\|_F)$ on the "
        "7-input Gram. Jackknife-t intervals over seeds."
    ),
    notes=(
        "From the literature the notes point to (the seeds give only a lecture title). One parameterisation throughout: the "
        "catalogue's two-layer formula $(x\\cdot x')\\frac{\\pi-\\theta}{2\\pi} + \\frac{\\|x\\|\\|x'\\|}{2\\pi}(\\sin\\theta + (\\pi-\\theta)\\cos\\theta)$ "
        "is for $f = m^{-1/2}\\sum_j a_j{\\rm relu}(w_j\\cdot x)$ and is half of Arora et al.'s depth-1 kernel, the factor $c_\\sigma = 2$ "
        "(the control ntk_control_recursion_without_c_sigma). As in neural-tangents' own tests, the analytic kernel is "
        "compared with a mean over initialisations, not with one network: one network at width 1024 and depth 2 is still "
        "about 8% away. Cosines near the kernel's zero (rho < 0 at depth 1) are left out, where a relative band measures "
        "noise. Depth 3 is not run (its recursion is tested in tests/test_ntk.py only)."
    ),
    scales={
        "smoke": Scale(n_seeds=250, runs=RUNS),
        "full": Scale(n_seeds=200, runs={**{k: ntk.kernels_run(L, 200, [256, 1024, 4096, 16384, 65536] if L == 1 else [128, 256, 512, 1024, 2048, 4096])
                                            for L, k in ((1, "depth_1"), (2, "depth_2"))}}, gpu=True, runtime_min=60, mem_mb=32000),
        "test": Scale(n_seeds=3, runs=TEST),
    },
    checks=_checks(1) + _checks(2),
)
