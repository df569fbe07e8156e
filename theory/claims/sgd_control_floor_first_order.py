"""Near-miss negative control for A4: 'the small-step noise floor eta beta sigma^2 / 2 holds on eta <= 0.05 within A4's band' (wrong by the factor 2/(2 - eta beta), 1% to 5.3% on that grid, about twice the band at its end; Lelarge, Vie & Scaman 2024, ENS Deep Learning notes §3.4)."""

from theory import sgd
from theory.claim import Check, Claim, Scale
from theory.sources import LELARGE_2024

SMALL_ETAS = [0.01, 0.02, 0.05]

CLAIM = Claim(
    id="sgd_control_floor_first_order",
    short_id="A4-c2",
    contradicts="A4",
    family="sgd",
    title=r"Control (near miss): the first-order floor $\eta\beta\sigma^2/2$ at small steps",
    statement=(
        r"(Wrong on purpose, by little.) For small steps the floor is its first-order term, "
        r"$\lim_t \mathbb{E}\|\nabla\mathcal{L}\|^2 = \eta\beta\sigma^2/2$, within A4's 3% band on $\eta \le 0.05$. The exact "
        r"floor is $\eta\beta\sigma^2/(2 - \eta\beta)$: the first-order term is low by $\eta\beta/2$, 1% at $\eta = 0.01$ "
        r"and 5.3% at $\eta = 0.05$ ($\beta = 2$), 1.8 band widths."
    ),
    source=LELARGE_2024.at("§3.4 (the floor's O(sqrt(eta beta) sigma) read as its leading term)"),
    reference="the exact floor eta beta sigma^2 / (2 - eta beta) of sgd_constant_step_noise_floor",
    experiment="sgd",
    control=True,
    near_miss=True,
    protocol="Same instance as sgd_constant_step_noise_floor on the small-step grid, own seeds.",
    notes=(
        "A near miss: the wrong prediction is within twice the tolerance of the right one, so its failure shows that "
        "the floor check resolves the (2 - eta beta) denominator, not only the order of magnitude."
    ),
    scales={
        "smoke": Scale(n_seeds=40, runs={"floor": sgd.floor_run(etas=SMALL_ETAS, burn_in=1000, steps=20000)}),
        "full": Scale(n_seeds=200, runs={"floor": sgd.floor_run(etas=SMALL_ETAS, burn_in=5000, steps=200000)}, gpu=True),
        "test": Scale(n_seeds=3, runs={"floor": sgd.floor_run(etas=[0.02, 0.05], burn_in=50, steps=100)}),
    },
    checks=(
        Check(
            name="first_order_floor",
            kind="curve",
            run="floor",
            metric="A",
            x="eta",
            prediction=sgd.beta * sgd.eta * sgd.sigma2 / 2,
            tolerance=0.03,
            tolerance_reason="A4's band for the exact floor.",
            description="the stationary E||grad L||^2 equals eta beta sigma^2 / 2 at every small step size.",
        ),
    ),
)
