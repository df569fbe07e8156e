"""B4: a two-layer ReLU network trained to interpolation on noisy data shows model-wise double descent, its test loss peaking near #params = n and falling beyond (Scaman 2023, Mathematics of Deep Learning slides, 'But... Double descent!'; Belkin, Hsu, Ma & Mandal 2019, Fig. 1; Nakkiran et al. 2019, §4)."""

import sympy as sp

from theory.claim import Check, Claim, Scale
from theory.sources import SCAMAN_2023

WIDTHS = [2, 4, 7, 11, 15, 18, 20, 22, 23, 25, 27, 30, 36, 50, 91, 182, 454]
d, n = sp.Symbol("d", positive=True), sp.Symbol("n", positive=True)
THRESHOLD_WIDTH = (n - 1) / (d + 2)  # h (d + 2) + 1 = n parameters


def run(widths, n_test: int, d: int = 20, n: int = 500, steps: int = 10000) -> dict:
    return {"sweep": {"d": d, "n": n, "widths": widths, "noise": 0.5, "steps": steps, "lr": 1e-2, "n_test": n_test}}


CLAIM = Claim(
    id="dd_nn_modelwise_width_sweep",
    short_id="B4",
    family="dd",
    title="A two-layer ReLU network's test loss peaks near #params $= n$ and descends again",
    statement=(
        r"Trained to (near) interpolation on n noisy samples, a two-layer ReLU network's test loss, as a function of its width, "
        r"peaks where its parameter count $h(d+2)+1$ reaches the number of samples n, at least 20% above both the best smaller "
        r"network and the widest one, and decreases beyond: model-wise double descent."
    ),
    source=SCAMAN_2023.at("slide 'But... Double descent!' (the figure after Nakkiran et al. 2019)"),
    reference="Belkin, Hsu, Ma & Mandal (2019), PNAS, Fig. 1; Nakkiran, Kaplun, Bansal, Yang, Barak & Sutskever (2019), Deep double descent, §4",
    experiment="nn_width",
    protocol=(
        "d = 20, n = 500, a linear teacher with $\\|\\beta\\| = 1$ and label noise of variance 0.25 (20% of the label variance); "
        "17 widths from 2 to 454 (#params 0.09 n to 20 n), PyTorch's default init, full-batch Adam (lr 1e-2, no weight decay) "
        "for up to 1e4 steps, a network frozen once its training MSE is below 1e-4; all widths and 5 seeds trained as one "
        "ensemble laid end to end on one hidden axis; clean excess test loss on 2000 fresh inputs."
    ),
    notes=(
        "Phenomenological: no closed form (the random-features limit, dd_random_features_mei_montanari, is the exact special "
        "case). With a linear teacher two ReLU units already represent the target, so below the threshold the test loss rises "
        "from the smallest width instead of tracing a U, and even the widest network (0.197) stays above the smallest (0.035); "
        "the networks at the threshold reach training MSE 1e-3 to 5e-3 in 1e4 steps, not exact interpolation. The peak "
        "shrinks with early stopping, weight decay or less label noise (Nakkiran et al. 2021)."
    ),
    scales={
        "smoke": Scale(n_seeds=10, runs=run(WIDTHS, 2000)),
        "full": Scale(n_seeds=20, runs=run(list(range(2, 41)) + [45, 50, 60, 75, 91, 120, 182, 300, 454], 10000),
                      gpu=True, runtime_min=60, mem_mb=16000),
        "test": Scale(n_seeds=2, runs=run([1, 4, 12], 100, d=5, n=40, steps=50)),
    },
    checks=(
        Check(
            name="peak_location",
            kind="extremum_location",
            run="sweep",
            metric="test_loss",
            x="widths",
            prediction=THRESHOLD_WIDTH,
            scale="log",
            tolerance=1.0,
            tolerance_reason="The catalogue's 'within a factor 2 of n' (#params is proportional to the width), as a log band.",
            description="the mean test loss peaks at a width whose parameter count is within a factor 2 of n ...",
        ),
        Check(
            name="peak_prominence",
            kind="peak_prominence",
            run="sweep",
            metric="test_loss",
            x="widths",
            prediction=sp.Rational(6, 5),
            tolerance=0.0,
            tolerance_reason="The catalogue's 20%, no tolerance.",
            description="... at least 20% above the best smaller network and the widest one.",
        ),
    ),
)
