"""Control for E14: 'simultaneous gradient steps decay at the gradient flow's rate h Re lambda(J)', so cycle at gamma = 0 (the continuous-time reading; Dobriban 2019, Stat 991 notes §4.3; Mescheder, Geiger & Nowozin 2018, Thm 3.1: the discrete step adds a factor sqrt(1 + h^2 |lambda|^2))."""

from theory import wgan
from theory.claim import Check, Claim, Scale
from theory.sources import DOBRIBAN_2019

RUN = {"simultaneous": {"scheme": "simultaneous", "gamma": [0.0, 0.1, 0.3, 0.5, 2.0], "h": 0.1, "steps": 2000,
                        "start_norm": 1e-3}}

CLAIM = Claim(
    id="wgan_control_gradient_flow_rate",
    short_id="E14-c1",
    contradicts="E14",
    family="wgan",
    title="Control: simultaneous GAN steps follow the gradient flow, so they cycle without R1",
    statement=(
        r"(Wrong on purpose.) The per-step rate of $\log\|(\theta, \psi)\|$ under simultaneous steps is that of the "
        r"continuous-time flow, $h \max \operatorname{Re}\lambda(J)$: 0 at $\gamma = 0$ (a cycle). The discrete step "
        r"multiplies by $|1 + h\lambda|$, which exceeds 1 for imaginary $\lambda$."
    ),
    source=DOBRIBAN_2019.at("§4.3, items 5-8 (alternating gradient updates; 'Stability?')"),
    reference="Mescheder, Geiger & Nowozin (2018), ICML, Thm 3.1 and §3 (discrete steps of an imaginary-eigenvalue field diverge)",
    experiment="wgan_dirac",
    control=True,
    protocol="As wgan_dirac_gan_updates, simultaneous steps only, own seeds.",
    notes="At gamma = 0 the flow cycles (rate 0) while the steps grow at (1/2) log(1 + h^2/4) = 1.25e-3, six bands away.",
    scales={"smoke": Scale(n_seeds=10, runs=RUN), "full": Scale(n_seeds=40, runs=RUN),
            "test": Scale(n_seeds=3, runs={"simultaneous": {**RUN["simultaneous"], "steps": 200}})},
    checks=(
        Check(
            name="rate_is_gradient_flow",
            kind="curve",
            run="simultaneous",
            metric="rate",
            x="gamma",
            prediction=lambda: wgan.dirac_continuous_rate(),
            scale="absolute",
            tolerance=2e-4,
            tolerance_reason="E14's band.",
            description="the per-step rate equals h max Re lambda(J) at every gamma.",
        ),
    ),
)
