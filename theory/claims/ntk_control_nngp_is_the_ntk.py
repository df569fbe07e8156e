"""Negative control for F16: 'the tangent kernel of a wide network is its NNGP kernel' (the output covariance Sigma^(L) read as the training kernel; Lee et al. 2018 for the NNGP, Jacot et al. 2018, Thm 1 and Arora et al. 2019, Thm 3.1 for the NTK)."""

from theory import ntk
from theory.claim import Check, Claim, Scale
from theory.sources import SCAMAN_2023

CLAIM = Claim(
    id="ntk_control_nngp_is_the_ntk",
    short_id="F16-c1",
    contradicts="F16",
    family="ntk",
    title="Control: the NTK of a one-hidden-layer network is its NNGP (arc-cosine) kernel",
    statement=(
        r"(Wrong on purpose.) The mean empirical NTK of a one-hidden-layer ReLU network is the NNGP kernel $\Sigma^{(1)} = \kappa_1(\rho)$ "
        r"within F16's 2%. It misses the first layer's term $\rho\,\kappa_0(\rho)$: at $\rho = 1$ the NTK is 2, the NNGP kernel 1."
    ),
    source=SCAMAN_2023.at("course outline, lecture 6 (the two infinite-width kernels confused)"),
    reference="Lee et al. (2018), Deep neural networks as Gaussian processes; Jacot et al. (2018), Thm 1",
    experiment="ntk_kernels",
    control=True,
    protocol="As F16 at depth 1, 30 pairs of networks per width, own seeds.",
    notes="The two kernels agree at rho = 0 (both 1/pi) and differ by 24-50% at the other cosines read (the first layer's share rho kappa_0(rho)): the curve check fails at those.",
    scales={
        "smoke": Scale(n_seeds=30, runs={"depth_1": ntk.kernels_run(1, 30)}),
        "full": Scale(n_seeds=100, runs={"depth_1": ntk.kernels_run(1, 100, [256, 1024, 4096, 16384, 65536])}, gpu=True),
        "test": Scale(n_seeds=3, runs={"depth_1": ntk.kernels_run(1, 3, [8, 16])}),
    },
    checks=(
        Check(
            name="nngp_as_ntk",
            kind="curve",
            run="depth_1",
            metric="ntk",
            x="rho",
            prediction=ntk.nngp_kernel(1),
            tolerance=0.02,
            tolerance_reason="F16's band at depth 1.",
            description="the mean empirical NTK at width 16384 is the NNGP kernel within 2% at every cosine.",
        ),
    ),
)
