"""F2: the generalization error of gradient descent on a linear student, E_g(t) = (1/N) sum_i [(sw2 + s02) d_i^2 + se2/lambda_i (1 - d_i)^2] + se2 with d_i = (1 - eta lambda_i)^(t/eta), is exact at a fixed design and tends to its Marchenko-Pastur integral (Dobriban 2019, Stat 991 notes §7.10; Advani & Saxe 2017, Sec. 2, Eq. 10)."""

import sympy as sp

from theory import ntk
from theory.claim import Check, Claim, Erratum, Scale
from theory.sources import DOBRIBAN_2019

RUNS = {name: ntk.curves_run(a, draws=2000, N_exact=400) for name, a in (("alpha_half", 0.5), ("alpha_two", 2.0))}
TEST = {name: ntk.curves_run(a, N_=10, draws=20, N_exact=20, scale_steps=0.2) for name, a in (("alpha_half", 0.5), ("alpha_two", 2.0))}


def _checks(run: str) -> tuple[Check, ...]:
    return (
        Check(
            name=f"fixed_design_formula_{run}",
            kind="curve",
            run=run,
            metric="eg_mc_ratio",
            x="t",
            prediction=sp.Integer(1),
            tolerance=0.01,
            tolerance_reason="1% as in the catalogue; the Monte Carlo over 2000 draws per design and 10 designs has a CI near ±0.2%.",
            description="At each design, the Monte-Carlo test error of GD over (teacher, start, noise) is the fixed-design formula with its discrete-time decays (ratio 1 within 1%) ...",
        ),
        Check(
            name=f"marchenko_pastur_integral_{run}",
            kind="curve",
            run=run,
            metric="eg_exact",
            x="t",
            prediction=ntk.generalization_curve(),
            tolerance=0.01,
            tolerance_reason="1% at N = 400 (the catalogue's 3% is for a Monte Carlo at N = 400; with the formula averaged over 10 designs the CI is below ±0.1%, and the finite-N bias of a smooth linear statistic of the spectrum is O(1/N) away from alpha = 1).",
            description="... and the formula averaged over designs of N = 400 is the Marchenko-Pastur integral within 1%.",
        ),
    )


CLAIM = Claim(
    id="ntk_advani_saxe_generalization_curve",
    short_id="F2",
    family="ntk",
    title="Advani-Saxe generalization curve: exact at a fixed design, the Marchenko-Pastur integral in the limit",
    statement=(
        r"With $x \sim \mathcal{N}(0, I_N/N)$, $\bar w \sim \mathcal{N}(0, \sigma_w^2 I)$, $w(0) \sim \mathcal{N}(0, \sigma_0^2 I)$ and "
        r"noise of variance $\sigma_\epsilon^2$, after $t/\eta$ steps of GD "
        r"$E_g(t) = \frac1N\sum_i\big[(\sigma_w^2+\sigma_0^2)d_i^2 + \frac{\sigma_\epsilon^2}{\lambda_i}(1-d_i)^2\big] + \sigma_\epsilon^2$, "
        r"$d_i = (1-\eta\lambda_i)^{t/\eta}$, each zero mode contributing $\sigma_w^2+\sigma_0^2$; as $N \to \infty$ with $P/N = \alpha$ "
        r"the sum becomes an integral against the Marchenko-Pastur law with edges $(\sqrt\alpha \pm 1)^2$ and an atom $1-\alpha$ at 0."
    ),
    source=DOBRIBAN_2019.at("§7.10, 'Random Matrix Theory', item 4 (the formula for E_g(t)) and item 5 (the high-dimensional limit)"),
    reference="Advani & Saxe (2017), High-dimensional dynamics of generalization error in neural networks, Sec. 2, Eq. 10 and Sec. 2.1; Marchenko & Pastur (1967)",
    experiment="ntk_advani_saxe",
    protocol=(
        "alpha in {1/2, 2}, $\\sigma_w^2 = 1$, $\\sigma_0^2 = 0.09$, $\\sigma_\\epsilon^2 = 0.25$, eta = 0.2 (alpha = 1/2) and 0.1 "
        "(alpha = 2), so that $\\eta\\lambda_+ \\approx 0.6$. Monte Carlo: 10 designs of N = 100, each with 2000 draws of (teacher, "
        "start, noise) trained by GD as one batch; the test error is $\\|\\bar w - w\\|^2/N + \\sigma_\\epsilon^2$ exactly (no test "
        "sampling), divided by the fixed-design formula. Limit: the fixed-design formula on 10 other designs of N = 400 against "
        "the integral (mpmath quadrature of the sympy expression). Jackknife-t intervals over designs."
    ),
    notes=(
        "The notes write $n^{-1}\\sum_i$ with n the number of samples; the sum runs over the N parameters and the factor is 1/N, "
        "the parameters' count, with the inputs' variance 1/N (the control ntk_control_per_sample_normalisation shows the "
        "notes' factor fails). Zero eigenvalues (alpha < 1) keep their initial error $\\sigma_w^2 + \\sigma_0^2$ and carry no "
        "noise term. GD is compared with its own discrete-time decays $(1-\\eta\\lambda)^{k}$: at $\\eta\\lambda_+ \\approx 0.6$ the "
        "continuous $e^{-\\lambda t}$ is 2.5% off at t = 0.5 (the near-miss control ntk_control_continuous_time_at_large_step). "
        "The Marchenko-Pastur limit is reached fast away from alpha = 1 (below 0.3% at N = 400 here) and slowly near it: "
        "1.3-2.3% at alpha = 0.8 and N = 400 in a pilot, where the smallest eigenvalues, which weigh $1/\\lambda$, sit near 0."
    ),
    errata=(
        Erratum(
            kind="wrong",
            notes_say=r"$E_g(t) = n^{-1}\sum_i \mathbb{E}(\bar z_i - z_i)^2 + \sigma_\varepsilon^2$, $n$ the number of samples.",
            correction=(r"The sum runs over the $N$ parameters' modes and the factor is $1/N$: with inputs of variance $1/N$ "
                        r"the per-sample $1/n$ is off by the factor $\alpha = P/N$ (the control F2-c1 fails at both ratios); "
                        r"zero modes ($\alpha < 1$) keep their initial error and carry no noise term."),
            reference="Advani & Saxe (2017), High-dimensional dynamics of generalization error in neural networks, arXiv:1710.03667, Sec. 2, Eq. 10",
        ),
    ),
    scales={
        "smoke": Scale(n_seeds=10, runs=RUNS),
        "full": Scale(n_seeds=20, runs={k: {**v, "N": 400, "N_exact": 4000} for k, v in RUNS.items()}, gpu=True, runtime_min=60, mem_mb=32000),
        "test": Scale(n_seeds=3, runs=TEST),
    },
    checks=_checks("alpha_half") + _checks("alpha_two"),
)
