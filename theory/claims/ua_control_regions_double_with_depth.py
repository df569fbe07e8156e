"""Negative control for C9: 'at fixed N_total the number of regions doubles with each layer', the maximal (Montufar-style) count read as the typical one (Dobriban 2019, Stat 991 notes §7.12; Hanin & Rolnick 2019, ICML)."""

from theory import ua
from theory.claim import Check, Claim, Scale
from theory.sources import DOBRIBAN_2019

CLAIM = Claim(
    id="ua_control_regions_double_with_depth",
    short_id="C9-c1",
    contradicts="C9",
    family="ua",
    title=r"Control: at fixed neuron count, breakpoints grow like $2^{\mathrm{depth}}$",
    statement=(
        r"(Wrong on purpose.) At initialisation the number of breakpoints along a segment is the one-layer count "
        r"$N\arccos(\rho)/\pi$ times $2^{L-1}$ for depth $L$, as for the sawtooth."
    ),
    source=DOBRIBAN_2019.at("§7.12 'Geometry' (counting linear regions)"),
    reference="Montufar et al. (2014) bound the maximum; Hanin & Rolnick (2019) show the typical count is ~ N_total",
    experiment="ua_regions",
    control=True,
    protocol="As ua_linear_regions_neurons_not_depth's depth sweep, own seeds.",
    notes="Expected to fail from depth 2 on, by a factor 2^(L-1)/1.",
    scales={
        "smoke": Scale(n_seeds=20, runs={"depths": ua.regions_runs(seeds_deep=20)["depths"]}),
        "full": Scale(n_seeds=100, runs={"depths": ua.regions_runs([256, 1024, 4096], [1, 2, 4, 8, 16], seeds_deep=100)["depths"]}, gpu=True),
        "test": Scale(n_seeds=3, runs={"depths": ua.regions_runs([16], [1, 2], (64,), 3, 3)["depths"]}),
    },
    checks=(
        Check(
            name="regions_double_with_depth",
            kind="curve",
            run="depths",
            metric="breakpoints",
            x="depth",
            series="n_total",
            prediction=ua.breakpoints_two_to_depth,
            scale="log",
            tolerance=1.0,
            tolerance_reason="The band of the real check (depth_does_not_multiply_regions): within a factor 2.",
            description="the mean count is N arccos(rho)/pi 2^(depth - 1) within a factor 2.",
        ),
    ),
)
