"""F19: a wide network trained by gradient descent predicts like kernel regression with the analytic NTK after the same number of steps, its distance to the linearised model falling like m^(-1/2) (Lee et al. 2019, Thm 2.1 and the linearised model's closed-form outputs of their Sec. 2; Jacot, Gabriel & Hongler 2018, Thm 2; Arora et al. 2019, Thm 3.2)."""

import sympy as sp

from theory import ntk
from theory.claim import Check, Claim
from theory.sources import SCAMAN_2023

TUNED = ("smoke sizes chosen after F17's first smoke run at the main base seed (same spec, 32 data sets) put this slope's "
         "standard error at 0.014, a CI near 0.3 of the band: 48 data sets. The 10% bound and its width 2048 are the "
         "catalogue's. Confirmed at base seeds 7 and 90210.")


CLAIM = Claim(
    id="ntk_wide_net_equals_ntk_regression",
    short_id="F19",
    family="ntk",
    title="A wide network trained by gradient descent predicts like NTK regression after the same number of steps",
    statement=(
        r"For the one-hidden-layer ReLU network of F17 with antisymmetric initialisation ($f_0 \equiv 0$), $t$ steps of gradient "
        r"descent on $\frac1{2n}\|f - y\|^2$ at step $\eta$ give, as $m \to \infty$, the linearised model's predictions "
        r"$f_t(X) = (I - (I - \eta\Theta/n)^t)\,y$ on the training set and $f_t(x) = \Theta(x, X)\Theta^{-1}(I - (I - \eta\Theta/n)^t)\,y$ "
        r"elsewhere, $\Theta$ the analytic NTK $\rho\kappa_0(\rho) + \kappa_1(\rho)$ of unit inputs; the network's relative "
        r"distance to them is $O(m^{-1/2})$. The statement is from the literature (Jacot et al. 2018; Lee et al. 2019), not from "
        r"the notes."
    ),
    source=SCAMAN_2023.at("course outline, lecture 6 'Infinite width limit of NNs' (title only); the claim is from the literature"),
    reference=("Lee, Xiao, Schoenholz, Bahri, Novak, Sohl-Dickstein & Pennington (2019), Wide neural networks of any depth evolve "
               "as linear models under gradient descent, Thm 2.1 and the linearised model's closed-form outputs of their Sec. 2 (here in discrete steps); "
               "Jacot, Gabriel & Hongler (2018), Thm 2; Arora et al. (2019), On exact computation with an infinitely wide neural "
               "net, Thm 3.2"),
    experiment="ntk_training",
    protocol=(
        "As F17 (same sizes and training, own seeds; 48 data sets), with 32 test points per data set: the relative distance "
        "$\\|f_T(x) - f^{\\rm lin}_T(x)\\|/\\|f^{\\rm lin}_T(x)\\|$ over the test points between the trained network and the "
        "linearised model with the analytic kernel after the same 100 steps, computed in $\\Theta$'s eigenbasis, "
        "$(1 - (1 - \\eta\\lambda/n)^t)/\\lambda$ finite as $\\lambda \\to 0$ (tests/test_ntk.py checks it against explicit GD on "
        "the linearised model). Jackknife-t intervals over data sets."
    ),
    notes=(
        "From the literature (the notes have the lecture title only). The catalogue compares with the converged, ridgeless "
        "predictor $\\Theta(x, X)\\Theta^{-1}y$, which holds only after training has converged: it divides each unconverged "
        "mode's residual by its eigenvalue. Here the smallest eigenvalue of $\\Theta/n$ is about 0.008, so after 100 steps at "
        "$\\eta = 2$ those modes have closed about 80% of their gap and the two predictors differ by about 2% of the prediction "
        "(200 data sets): at smoke widths, where the network is 6-23% away, the ridgeless predictor would pass the rate too "
        "(the run records its distance: slope about -0.45); from the widths where the network comes within 2% (full scale) "
        "it levels off: a CPU pilot to m = 65536 (8 data sets) measured local slopes $-0.41$, $-0.42$, $-0.19$ for it between "
        "1024, 4096, 16384 and 65536, against $-0.46$, $-0.53$, $-0.42$ for the finite-t formula (1.5% away at 65536). The finite-t formula is the one tested. One network per "
        "data set and width: the distance is dominated by the initial kernel's $O(m^{-1/2})$ fluctuation, so its rate is the "
        "claim; the mean over initialisations, which should approach the kernel predictor faster (the $O(m^{-1/2})$ term has mean zero), is not tested."
    ),
    scales=ntk.training_scales(48),
    checks=(
        Check(
            name="distance_rate",
            kind="loglog_slope",
            run="widths",
            metric="distance",
            x="m",
            prediction=ntk.m ** sp.Rational(-1, 2),
            tolerance=0.1,
            tuned=TUNED,
            tolerance_reason="±0.1, the band of F16's kernel fluctuation, which drives this distance: O(1/m) terms of the trajectory bend the slope at the smallest width.",
            description="The trained network's relative distance to the analytic-NTK regressor at the same step falls like m^(-1/2) ...",
        ),
        Check(
            name="distance_below_ten_percent",
            kind="bound_holds",
            run="widths",
            metric="distance",
            x="m",
            bound="upper",
            window=(2048, "x_max"),
            prediction=sp.Rational(1, 10),
            tolerance=0.0,
            tuned=TUNED,
            tolerance_reason="no margin: the catalogue's criterion, below 10% from width 2048 on; the CI decides.",
            description="... and it is below 10% at every width from 2048 on.",
        ),
    ),
)
