"""B3: the test error of ridgeless random-features regression follows Mei & Montanari's asymptotic closed form in (psi1, psi2, zeta), with its pole and peak at N = n (Scaman 2023, Mathematics of Deep Learning slides, 'But... Double descent!'; Mei & Montanari 2022, Thm 3)."""

from theory import random_features as rf
from theory.claim import Check, Claim, Scale
from theory.sources import SCAMAN_2023

SMOKE_N = [60, 120, 200, 300, 400, 480, 540, 570, 584, 616, 630, 660, 720, 800, 1000, 1300, 1800, 2600, 4000]
FULL_N = [120, 240, 400, 600, 800, 960, 1080, 1140, 1170, 1230, 1260, 1320, 1440, 1600, 2000, 3000, 5000, 8000, 12000, 20000]


def run(d: int, n: int, grid: list[int]) -> dict:
    return {"features": {"d": d, "n": n, "N": grid, "F1": 1.0, "tau": 0.5, "Fstar": 0.0, "n_test": 0}}


CLAIM = Claim(
    id="dd_random_features_mei_montanari",
    short_id="B3",
    family="dd",
    title="Random-features regression: the Mei-Montanari double-descent curve and its peak at $N = n$",
    statement=(
        r"For $x \sim \mathcal{N}(0, I_d)$, N random features $\sigma(\langle\theta_j, x\rangle/\sqrt d)$ with $\theta_j$ uniform on the "
        r"sphere of radius $\sqrt d$, a centred ReLU and the min-norm second layer fitted on n samples of $y = \langle\beta_1, x\rangle + \epsilon$, "
        r"the excess test error tends to $F_1^2\mathcal{B} + (\tau^2 + F_*^2)\mathcal{V} + F_*^2$ with $\mathcal{B} = E_1/E_0$, "
        r"$\mathcal{V} = E_2/E_0$ polynomials in $\chi(\psi, \zeta)$, $\psi_1 = N/d$, $\psi_2 = n/d$, $\zeta = \mu_1/\mu_*$ (derived in sympy); "
        r"it diverges at N = n and decreases towards the kernel limit as N grows."
    ),
    source=SCAMAN_2023.at("slide 'But... Double descent!' (model-size double descent)"),
    reference="Mei & Montanari (2022), The generalization error of random features regression: precise asymptotics and the double descent curve, CPAM, Thm 3 (lambda -> 0+)",
    experiment="random_features",
    protocol=(
        "d = 200, n = 600, $F_1 = 1$, $\\tau = 0.5$, $F_* = 0$, N from 60 to 4000; per seed one draw of the N_max features, whose leading N "
        "columns serve every N of the grid (Gram matrices accumulated once); min-norm fit by Cholesky of the smaller Gram "
        "matrix (pinv fallback), float64; excess test error computed exactly over x (arc-cosine kernel), no test sampling; 90 seeds (40 gave a CI of 0.37 of the band at N = 4000, 60 gave 0.30 and, at base seed 7, 0.34)."
    ),
    notes=(
        "The formula is asymptotic, and its finite-d excess grows with psi1 = N/d: at d = 100 (the catalogue's smoke size) "
        "the measured error exceeded it by 4% at psi1 = 9, 6% at 13 and 7.9% [5.6, 10.1] at 20 when first measured, "
        "inconclusive against the catalogue's 10%; part of it comes from the norm fluctuations of Gaussian inputs. At d = 200 "
        "the excess is 2-4% up to psi1 = 20, so the smoke scale runs d = 200, n = 600 with the 10% band, and the full scale "
        "d = 400 with the catalogue's 5%. Next to the pole (|N/n - 1| <= 0.3) the seed mean is heavy-tailed and is excluded from the "
        "pointwise comparison; it carries the peak check."
    ),
    scales={
        "smoke": Scale(n_seeds=90, runs=run(200, 600, SMOKE_N)),
        "full": Scale(n_seeds=50, runs=run(400, 1200, FULL_N), gpu=True, runtime_min=60, mem_mb=32000),
        "test": Scale(n_seeds=3, runs=run(10, 30, [10, 20, 45, 90])),
    },
    checks=(
        Check(
            name="risk_curve",
            kind="curve",
            run="features",
            metric="test_error",
            x="N",
            prediction=rf.test_error,
            exclude=((0.7 * rf.n, 1.3 * rf.n),),
            marks=(("interpolation threshold N = n", rf.n),),
            tolerance={"smoke": 0.1, "full": 0.05},
            tolerance_reason="10% at smoke (d = 200; the catalogue's band for d = 100) and 5% at full scale (d = 400), as in the catalogue; at d = 200 the finite-d excess is 2-6%.",
            tuned=("40 -> 60 -> 90 seeds: 60 after the rules of evidence found the CI 0.37 of the band, 90 after the robustness "
                   "run at base seed 7 found 0.34; confirmed at a further base seed added to config/robustness.yaml."),
            description="the mean excess test error is the closed form within 10% for |N/n - 1| > 0.3 ...",
        ),
        Check(
            name="peak_at_n",
            kind="extremum_location",
            run="features",
            metric="test_error",
            x="N",
            prediction=rf.n,
            tolerance=0.1,
            tolerance_reason="The catalogue's [0.9 n, 1.1 n].",
            description="... and the measured curve peaks at N in [0.9 n, 1.1 n].",
        ),
    ),
)
