"""C5: Maurey's random sampling gives the dimension-free Barron rate 1/n: for f(x) = exp(-|x|^2/2) on [-1, 1]^p the mean of n random cosines has n E||f_n - f||^2 = (1 - 2 I_1^p + I_2^p)/2 exactly, at every n and p (Dobriban 2019, Stat 991 notes, Theorem 7.2; Barron 1993, IEEE Trans. Inf. Theory 39, Thm 1 and its Lemma 1, after Maurey and Jones 1992)."""

from theory import ua
from theory.claim import Check, Claim, Erratum, Scale
from theory.sources import DOBRIBAN_2019

CLAIM = Claim(
    id="ua_barron_rate",
    short_id="C5",
    family="ua",
    title="Barron's dimension-free 1/n rate, by Maurey sampling of random cosines",
    statement=(
        r"A function with finite Barron constant is approximated by $n$ ridge functions with squared $L^2(\mu)$ error "
        r"$O(1/n)$, whatever the dimension $p$. Maurey's argument, concretely: $e^{-\|x\|^2/2} = \mathbb{E}_{\omega\sim"
        r"\mathcal{N}(0, I_p)}\cos(\omega\cdot x)$, and $f_n = \frac1n\sum_{k\le n}\cos(\omega_k\cdot x)$ has "
        r"$n\,\mathbb{E}\int(f_n - f)^2 d\mu = \frac12(1 - 2I_1^p + I_2^p)$ under the uniform probability on $[-1, 1]^p$, "
        r"$I_a = \frac12\int_{-1}^1 e^{-as^2}ds$ (sympy), exactly at every $n$: slope $-1$ in $n$ for every $p$."
    ),
    source=DOBRIBAN_2019.at("§7.3 'Approximation theory', Theorem 7.2 (Barron, 1993)"),
    reference=(
        "Barron (1993), Universal approximation bounds for superpositions of a sigmoidal function, IEEE Trans. Inf. "
        "Theory 39(3), Thm 1 (and Lemma 1: Maurey's sampling argument, Jones 1992)"
    ),
    experiment="ua_maurey",
    protocol=(
        r"Per seed, fresh frequencies $\omega_1, \dots, \omega_{316}$ and fresh test points $x \sim U[-1, 1]^p$; $f_n$ for "
        r"every $n \in \{10, \dots, 316\}$ is a prefix mean of the same cosines (one matmul, a cumulative sum), and the "
        r"mean of $(f_n - f)^2$ over the test points is an unbiased estimate of the $L^2(\mu)$ error. $p = 32$: 4000 "
        r"points, 48 seeds; $p = 8$: 1000 points, 192 seeds."
    ),
    notes=(
        "The notes' constant is wrong. Barron's Thm 1 reads $\\int(f - f_n)^2 d\\mu \\le (2C)^2/n$ for a probability "
        "$\\mu$ on the domain, with $C = \\int \\sup_x|\\omega\\cdot x|\\,|\\tilde F(d\\omega)|$ for "
        "$f(x) = \\int e^{i\\omega\\cdot x}\\tilde F(d\\omega)$ (no $2\\pi$); on $[-1, 1]^p$ and in the notes' $2\\pi$ "
        "convention $C = 2\\pi C_f$, so the bound is $(4\\pi C_f)^2/n$ under a probability and $2^p$ times that for "
        "Lebesgue measure: the notes' $C_f^2/n$ is too small by $(4\\pi)^2 2^p$. For this Gaussian "
        "$C_f = p/(\\sqrt2\\pi^{3/2})$ (sympy; 1.02 at p = 8, 4.06 at p = 32), so the corrected bound, 163/n and 2608/n, "
        "exceeds the variance of f under $\\mu$ for every n up to hundreds: a trained network checked against it "
        "would pass vacuously, and none is presented as a check. The sampling law of the $\\omega_k$ depends on f "
        "(it is f's Fourier transform): the construction is adaptive, not a fixed basis, for which Barron shows order "
        "$n^{-2/p}$ at best (the control ua_control_barron_fixed_basis_rate). The constant is checked at p = 32 only: at "
        "p = 8 one seed's n MSE has a relative SD of about 0.2 (p = 2: about 0.9), dominated by the draw of the "
        "frequencies, so a 3% band would need some 1700 seeds; the slope, whose noise partly cancels across the "
        "nested n, is checked at both p."
    ),
    errata=(
        Erratum(
            kind="wrong",
            notes_say=(r"Theorem 7.2: $n$ sigmoids reach $\int_{[-1,1]^p} |f(x) - g(x)|^2\,dx \le C_f^2/n$ with "
                       r"$C_f = \int |x|_1 |\hat f(x)|\,dx$."),
            correction=(r"Barron's Thm 1 gives $(2C)^2/n$ under a probability measure with $C = \int \sup_x|\omega\cdot x|\,"
                        r"|\tilde F(d\omega)|$; on $[-1, 1]^p$ in the notes' $2\pi$ convention that is $(4\pi C_f)^2/n$, and "
                        r"$2^p$ times more under Lebesgue measure: the notes' constant is too small by $(4\pi)^2 2^p$. The "
                        r"experiment checks the dimension-free $1/n$ rate and Maurey's exact constant."),
            reference="Barron (1993), Universal approximation bounds for superpositions of a sigmoidal function, IEEE Trans. Inf. Theory 39(3), Thm 1",
        ),
    ),
    scales={
        "smoke": Scale(n_seeds=48, runs=ua.maurey_runs()),
        "full": Scale(n_seeds=200, runs=ua.maurey_runs(ua.C5_NS + [562, 1000, 3162, 10000], 10000, 200, 4000, 2000),
                      gpu=True, runtime_min=30, mem_mb=16000),
        "test": Scale(n_seeds=3, runs=ua.maurey_runs([10, 32, 100], 200, 3, 100, 3)),
    },
    checks=(
        Check(
            name="constant_p32",
            kind="curve",
            run="p32",
            metric="n_mse",
            x="n",
            prediction=ua.maurey_constant,
            tolerance=0.03,
            tolerance_reason=(
                "3% as in the catalogue; the formula is exact in expectation at every n, so the band holds only the "
                "Monte-Carlo error, sized a priori from a pilot at another seed (per-seed relative SD 2% at p = 32 with "
                "4000 points: 48 seeds give a CI of about a quarter of the band)."
            ),
            description="at p = 32, n times the MSE is (1 - 2 I_1^p + I_2^p)/2 = 0.49991 within 3% at every n ...",
        ),
        Check(
            name="slope_p32",
            kind="loglog_slope",
            run="p32",
            metric="mse",
            x="n",
            prediction=ua.maurey_mse,
            tolerance=0.05,
            tolerance_reason="±0.05 as in the catalogue: the expected MSE is exactly c/n, so only sampling noise moves the slope.",
            description="... its log-log slope in n is -1 ...",
        ),
        Check(
            name="slope_p8",
            kind="loglog_slope",
            run="p8",
            metric="mse",
            x="n",
            prediction=ua.maurey_mse,
            tolerance=0.05,
            tolerance_reason="±0.05 as in the catalogue: the expected MSE is exactly c/n, so only sampling noise moves the slope.",
            tuned=("192 seeds at p = 8 (from 128) after the main base seed's smoke run gave a CI of 0.33 of the band; "
                   "confirmed at base seed 7 (0.23). Points, seeds and the n range were first sized from pilots at seeds "
                   "1 and 2, not pipeline seeds."),
            description="... and so it is at p = 8: the rate does not depend on the dimension.",
        ),
    ),
)
