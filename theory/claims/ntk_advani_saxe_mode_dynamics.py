"""F1: gradient descent on linear regression follows Advani & Saxe's decoupled mode solution, z_i(t) = z_i(inf) + (z_i(0) - z_i(inf)) exp(-lambda_i t), zero modes frozen, up to an O(eta) discretisation error (Dobriban 2019, Stat 991 notes §7.10; Advani & Saxe 2017, Sec. 2, Eqs. 5-8)."""

from theory import ntk
from theory.claim import Check, Claim, Erratum, Scale
from theory.sources import DOBRIBAN_2019


def _run(alpha: float, N: int, etas: list[float], T: float, every: float) -> dict:
    return {"sweep": "dynamics", "N": N, "alpha": alpha, "eta": etas, "T": T, "compare_every": every, **ntk.TEACHER}


ETAS = [5e-4, 1e-3, 2e-3, 4e-3]
RUNS = {"alpha_half": _run(0.5, 100, ETAS, 1.0, 4e-3), "alpha_two": _run(2.0, 100, ETAS, 1.0, 4e-3)}


def _checks(run: str) -> tuple[Check, ...]:
    return (
        Check(
            name=f"first_order_in_eta_{run}",
            kind="loglog_slope",
            run=run,
            metric="rel_error",
            x="eta",
            prediction=ntk.discretisation_error_bound(),
            limit_point=0,
            tolerance=0.05,
            tolerance_reason="±0.05 as in the catalogue: the second-order term is 2 eta lambda_+/3 relative, below 1.6% over the step grid, which bends the slope by less than 0.01.",
            description="GD's largest distance to the flow solution over t <= 1, relative to the initial gap, falls like eta (log-log slope 1) ...",
        ),
        Check(
            name=f"within_first_order_bound_{run}",
            kind="bound_holds",
            run=run,
            metric="rel_error",
            x="eta",
            prediction=ntk.discretisation_error_bound(),
            reduce="max",
            tolerance=0.1,
            tolerance_reason="10% over the leading term eta lambda_+/(2e): the next order adds 2 eta lambda_+/3 (< 1.6%), and at N = 100 the largest eigenvalue exceeds the edge (1 + sqrt(alpha))^2 by a few Tracy-Widom scales N^(-2/3) at most.",
            description="... and stays below the first-order threshold eta lambda_+/(2e) in every seed.",
        ),
    )


CLAIM = Claim(
    id="ntk_advani_saxe_mode_dynamics",
    short_id="F1",
    family="ntk",
    title=r"Advani-Saxe mode dynamics: GD follows the decoupled linear-ODE solution up to an $O(\eta)$ error",
    statement=(
        r"For $y = X\bar w + \epsilon$ with $X = U\Lambda^{1/2}V^\top$, $z = V^\top w$ and $s = V^\top X^\top y$, gradient flow "
        r"$\tau\dot w = X^\top y - X^\top X w$ decouples into $\tau\dot z_i = s_i - \lambda_i z_i$, solved by "
        r"$z_i(t) = s_i/\lambda_i + (z_i(0) - s_i/\lambda_i)e^{-\lambda_i t/\tau}$ for $\lambda_i > 0$ and $z_i(t) = z_i(0)$ for the "
        r"zero modes. Gradient descent with step $\eta$ (time $t = k\eta$, $\tau = 1$) follows it to first order: "
        r"$\sup_k |e^{-u k} - (1-u)^k| = u/(2e) + O(u^2)$ with $u = \eta\lambda_i$, so the relative distance is at most "
        r"$\eta\lambda_+/(2e)$, $\lambda_+ = (1+\sqrt\alpha)^2$."
    ),
    source=DOBRIBAN_2019.at("§7.10, 'Random Matrix Theory', items 3-4 (Advani & Saxe)"),
    reference="Advani & Saxe (2017), High-dimensional dynamics of generalization error in neural networks, Sec. 2, Eqs. 5-8; Euler's method's first-order global error",
    experiment="ntk_advani_saxe",
    protocol=(
        "N = 100 parameters, P = alpha N examples $x \\sim \\mathcal{N}(0, I_N/N)$, alpha in {1/2, 2}; per seed one design, teacher "
        "$\\bar w \\sim \\mathcal{N}(0, I)$, start $w(0) \\sim \\mathcal{N}(0, 0.09 I)$, noise of variance 0.25. GD in the original "
        "coordinates at eta in {5e-4, 1e-3, 2e-3, 4e-3} up to t = 1 (the top modes' error peaks near t = 1/lambda_+), against "
        "the flow solution from one eigendecomposition of $X^\\top X$ (eigenvalues below 1e-9 of the largest set to 0), "
        "compared on the common time grid t = 0.004 k. rel_error = max over that grid of $\\|w_k - w(k\\eta)\\|/\\|w(0) - w(\\infty)\\|$. "
        "16 seeds, float64."
    ),
    notes=(
        "The notes' derivation has three slips, fixed here: $E_t = \\frac12|y|^2 - w^\\top X^\\top y + \\frac12 w^\\top X^\\top X w$ "
        "(the notes write $|y|^2 - 2w^\\top X^\\top y + \\dots$); $\\tau\\dot z_i = s_i - \\lambda_i z_i$ (the notes drop the index of "
        "s); and for alpha < 1 the N - P zero modes of $X^\\top X$ do not move ($z_i(t) = z_i(0)$), which the formula with "
        "$\\lambda_i^{-1/2}$ does not say. The catalogue's 'max relative error < 1e-3 at eta = 1e-3' depends on how the error "
        "is normalised; what holds for every normalisation is the first order in eta, checked here by its slope and by the "
        "threshold eta lambda_+/(2e) the mode solution implies."
    ),
    errata=(
        Erratum(
            kind="typo",
            notes_say=r"$E_t = \frac{1}{2}|y - Xw(t)|^2 = |y|^2 - 2w^\top(X^\top y) + w^\top(X^\top X)w/2$ and $\tau z'_i = s - \lambda_i z_i$.",
            correction=(r"$E_t = \frac{1}{2}|y|^2 - w^\top X^\top y + \frac{1}{2}w^\top X^\top X w$ (the expansion halves every "
                        r"term), and $\tau z'_i = s_i - \lambda_i z_i$ (the mode's own component of $s$)."),
            reference="Advani & Saxe (2017), High-dimensional dynamics of generalization error in neural networks, arXiv:1710.03667, Sec. 2, Eqs. 5-8",
        ),
        Erratum(
            kind="imprecise",
            notes_say=r"$\bar z_i - z_i = (\bar z_i - z_i(0))e^{-\lambda_i t/\tau} - \lambda_i^{-1/2}\tilde\varepsilon_i[1 - e^{-\lambda_i t/\tau}]$ for every mode.",
            correction=(r"For $\alpha < 1$ the $N - P$ zero modes of $X^\top X$ do not move, $z_i(t) = z_i(0)$, where the "
                        r"formula's $\lambda_i^{-1/2}$ is undefined; GD follows the modes up to its first-order error in "
                        r"$\eta$, checked by its slope."),
            reference="Advani & Saxe (2017), High-dimensional dynamics of generalization error in neural networks, arXiv:1710.03667, Sec. 2, Sec. 2 (frozen subspace)",
        ),
    ),
    scales={
        "smoke": Scale(n_seeds=16, runs=RUNS),
        "full": Scale(n_seeds=64, runs={k: {**v, "N": 1000} for k, v in RUNS.items()}, gpu=True, runtime_min=30),
        "test": Scale(n_seeds=3, runs={k: _run(v["alpha"], 10, [2e-3, 4e-3], 0.1, 4e-3) for k, v in RUNS.items()}),
    },
    checks=_checks("alpha_half") + _checks("alpha_two"),
)
