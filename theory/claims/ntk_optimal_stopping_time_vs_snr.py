"""F6: the optimal early-stopping time t* = argmin_t E_g(t) of gradient descent on a linear student grows with the signal-to-noise ratio, where the Marchenko-Pastur curve puts it (Dobriban 2019, Stat 991 notes §7.10, '2.3 Optimal stopping time vs SNR'; Advani & Saxe 2017, Sec. 2.3)."""

import sympy as sp

from theory import ntk
from theory.claim import Check, Claim, Scale
from theory.sources import DOBRIBAN_2019

SNRS = [1.0, 2.0, 4.0, 8.0, 16.0]


def _run(N_exact: int, T: float, snrs: list[float] = SNRS) -> dict:
    return {"sweep": "stopping", "N": 0, "N_exact": N_exact, "alpha": 2.0, "eta": 0.05, "T": T, "snr": snrs,
            "s02": 0.0, "se2": 0.25}


CLAIM = Claim(
    id="ntk_optimal_stopping_time_vs_snr",
    short_id="F6",
    family="ntk",
    title="The optimal stopping time grows with the signal-to-noise ratio, as the Marchenko-Pastur curve's minimum",
    statement=(
        r"For F2's test error with $\sigma_0 = 0$ and SNR $= \sigma_w^2/\sigma_\epsilon^2$, the time $t^* = \arg\min_t E_g(t)$ of "
        r"the optimal early stop is the minimiser of the Marchenko-Pastur curve (found numerically; each mode alone would stop at "
        r"$\log(1 + \lambda_i\,{\rm SNR})/\lambda_i$), and it increases with SNR."
    ),
    source=DOBRIBAN_2019.at("§7.10, item 5, '2.3 Optimal stopping time vs SNR'"),
    reference="Advani & Saxe (2017), High-dimensional dynamics of generalization error in neural networks, Sec. 2.3",
    experiment="ntk_advani_saxe",
    protocol=(
        "alpha = 2, $\\sigma_\\epsilon^2 = 0.25$, $\\sigma_0 = 0$, SNR in {1, 2, 4, 8, 16}, eta = 0.05 ($\\eta\\lambda_+ = 0.29$). "
        "Per seed one design of N = 400; its expected test error given the design (F2's fixed-design formula, which F2 checks "
        "against a Monte Carlo of GD) at every step up to t = 20, and t* the step of its minimum. The prediction minimises the "
        "integral by golden section. 10 designs; jackknife-t intervals of the mean t*. A minimum at the horizon is censored."
    ),
    notes=(
        "Evaluating each design's expectation instead of averaging 2000 noisy runs removes the noise that makes an argmin of a "
        "flat curve unstable (the minimum is within 1% over t in [3.0, 4.4] at SNR 8): what remains is the spread over designs, "
        "below one step here. The catalogue's 'roughly logarithmic' growth is loose: over SNR 0.5-16 the theory's own t* grows "
        "about like SNR^0.8 (log-log slope of the predicted minimisers 0.82 over SNR 0.5-16, 0.80 over 1-16), much faster than log SNR; each mode's own optimum, "
        "$\\log(1 + \\lambda\\,{\\rm SNR})/\\lambda$, is logarithmic only once $\\lambda\\,{\\rm SNR} \\gg 1$ for every mode that matters, "
        "and the small eigenvalues push that far out."
    ),
    scales={
        "smoke": Scale(n_seeds=10, runs={"snr": _run(400, 20.0)}),
        "full": Scale(n_seeds=20, runs={"snr": _run(4000, 40.0, [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0])}, gpu=True, runtime_min=30),
        "test": Scale(n_seeds=3, runs={"snr": _run(20, 2.0, [1.0, 2.0])}),
    },
    checks=(
        Check(
            name="argmin_location",
            kind="curve",
            run="snr",
            metric="t_star",
            x="snr",
            prediction=ntk.optimal_stopping_time(),
            tolerance=0.1,
            tolerance_reason="10% as in the catalogue: the step eta = 0.05 quantises t* by at most 4% at SNR 1 (t* = 0.58), and the curve is flat near its minimum.",
            description="the mean over designs of the stopping time is the Marchenko-Pastur minimiser within 10% at every SNR ...",
        ),
        Check(
            name="grows_with_snr",
            kind="monotone",
            run="snr",
            metric="t_star",
            x="snr",
            prediction=sp.Integer(1),
            bound="lower",
            tolerance=0.0,
            tolerance_reason="An ordering: each doubling of SNR lengthens t*.",
            description="... and it increases with SNR.",
        ),
    ),
)
