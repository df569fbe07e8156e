"""Negative control for F16: the catalogue's two-layer NTK formula, (x.x')(pi - theta)/(2 pi) + |x||x'|(sin theta + (pi - theta) cos theta)/(2 pi), read for Arora et al.'s parameterisation, i.e. their recursion without c_sigma = 2 (off by a factor 2 at one hidden layer; Arora et al. 2019, Eqs. 4-9; Du et al. 2019)."""

from theory import ntk
from theory.claim import Check, Claim, Scale
from theory.sources import SCAMAN_2023

CLAIM = Claim(
    id="ntk_control_recursion_without_c_sigma",
    short_id="F16-c2",
    contradicts="F16",
    family="ntk",
    title=r"Control: the NTK recursion without $c_\sigma = 2$ (the two-layer formula of another parameterisation)",
    statement=(
        r"(Wrong on purpose.) The mean empirical NTK of the one-hidden-layer network $W^{(2)}\sqrt{2/m}\,{\rm relu}(W^{(1)}x)$ is "
        r"$(x\cdot x')\frac{\pi-\theta}{2\pi} + \frac{\|x\|\|x'\|}{2\pi}(\sin\theta + (\pi-\theta)\cos\theta)$, Arora et al.'s recursion "
        r"with $c_\sigma = 1$: the kernel of $m^{-1/2}\sum_j a_j{\rm relu}(w_j\cdot x)$, half of this network's."
    ),
    source=SCAMAN_2023.at("course outline, lecture 6 (a kernel of another parameterisation)"),
    reference="Arora et al. (2019), Eqs. 4-9 with c_sigma = 2; Du, Zhai, Poczos & Singh (2019) for the two-layer form",
    experiment="ntk_kernels",
    control=True,
    protocol="As F16 at depth 1, 30 pairs of networks per width, own seeds.",
    notes="Off by the factor c_sigma/2 per layer, 2 at depth 1 (4 at depth 2): a parameterisation must be fixed before a kernel is compared.",
    scales={
        "smoke": Scale(n_seeds=30, runs={"depth_1": ntk.kernels_run(1, 30)}),
        "full": Scale(n_seeds=100, runs={"depth_1": ntk.kernels_run(1, 100, [256, 1024, 4096, 16384, 65536])}, gpu=True),
        "test": Scale(n_seeds=3, runs={"depth_1": ntk.kernels_run(1, 3, [8, 16])}),
    },
    checks=(
        Check(
            name="kernel_without_c_sigma",
            kind="curve",
            run="depth_1",
            metric="ntk",
            x="rho",
            prediction=ntk.ntk_kernel(1, c_sigma=1),
            tolerance=0.02,
            tolerance_reason="F16's band at depth 1.",
            description="the mean empirical NTK at width 16384 is the c_sigma = 1 kernel within 2% at every cosine.",
        ),
    ),
)
