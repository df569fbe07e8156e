"""Oracle tests of the universal-approximation family: the constructions against their closed forms, PAVA against a brute-force monotone fit, the breakpoint tracer against nets with known pieces, and the sympy constants against independent numerics (Massias 2025, Deep learning 1/2; Dobriban 2019, Stat 991 notes §7.3, §7.11-7.12)."""

import itertools
import math

import numpy as np
import pytest
import sympy as sp
import torch
from scipy import integrate

from experiments import ua_interpolant, ua_maurey, ua_multiplication, ua_narrow, ua_polynomial, ua_sawtooth
from experiments.lib.piecewise import breakpoints
from theory import ua

pytestmark = pytest.mark.ua
F64 = torch.float64


# ---- C1 ----------------------------------------------------------------------------------------------------------
def test_constructed_interpolant_equals_the_target_at_the_knots_and_is_linear_between():
    knots = torch.linspace(-1, 1, 17, dtype=F64)
    a, b, c = ua_interpolant.interpolant_weights(knots, ua_interpolant.target(knots))
    assert a.shape == (17,)  # width k, the constant unit included
    assert torch.allclose(ua_interpolant.forward(a, b, c, knots), ua_interpolant.target(knots), atol=1e-14)
    mid = (knots[:-1] + knots[1:]) / 2
    chord = (ua_interpolant.target(knots[:-1]) + ua_interpolant.target(knots[1:])) / 2
    assert torch.allclose(ua_interpolant.forward(a, b, c, mid), chord, atol=1e-14)


def test_sup_error_matches_a_dense_grid_and_the_bound_formula():
    out = ua_interpolant.run(seed=0, k=[9, 65])
    for kk, measured in zip([9, 65], out["sup_error"][0]):
        knots = torch.linspace(-1, 1, kk, dtype=F64)
        a, b, c = ua_interpolant.interpolant_weights(knots, ua_interpolant.target(knots))
        x = torch.linspace(-1, 1, 400001, dtype=F64)
        dense = float((ua_interpolant.target(x) - ua_interpolant.forward(a, b, c, x)).abs().max())
        assert dense <= measured + 1e-15 and measured - dense < 1e-6 * measured  # Newton finds the peak the grid nears
        bound = float(ua.c1_sup_error().subs(ua.k, kk))
        assert measured <= bound * (1 + 1e-12)
    assert ua.sup_second_derivative() == 4 * sp.pi**2
    assert ua.c1_first_knots_within() == 59


# ---- C2 ----------------------------------------------------------------------------------------------------------
def test_square_network_bounds_are_the_exact_optima():
    assert ua.minimax_quadratic_error() == sp.Rational(1, 8)
    # x^2 + 1/8 attains 1/8 on the grid; the grid's least-squares quadratic (numpy) attains the rational bound
    x = np.linspace(-1, 1, 2001)
    assert abs(np.max(np.abs(x**2 + 1 / 8 - np.abs(x))) - 1 / 8) < 1e-15
    coef = np.polyfit(x, np.abs(x), 2)
    mse = np.mean((np.polyval(coef, x) - np.abs(x)) ** 2)
    assert abs(mse - float(ua.least_squares_quadratic_mse(2001))) < 1e-15
    assert abs(float(ua.least_squares_quadratic_mse(2001)) - 0.0052136) < 5e-8
    assert ua.c2_grid_has_equioscillation_points(2001) and not ua.c2_grid_has_equioscillation_points(2000)
    # the continuous optimum is 1/192, which the grid's tends to
    assert abs(float(ua.least_squares_quadratic_mse(20001)) - 1 / 192) < abs(float(ua.least_squares_quadratic_mse(2001)) - 1 / 192)


def test_square_network_is_a_quadratic_and_relu_is_abs():
    gen = torch.Generator().manual_seed(0)
    params = [torch.randn(2, 7, generator=gen, dtype=F64) for _ in range(3)] + [torch.randn(2, 1, generator=gen, dtype=F64)]
    x = torch.linspace(-1, 1, 11, dtype=F64)
    powers = torch.stack([x**2, 2 * x, torch.ones_like(x)])
    assert torch.allclose(ua_polynomial.forward(params, x), ua_polynomial.expanded(params) @ powers, atol=1e-12)
    assert torch.equal(ua_polynomial.relu_abs(x), x.abs())


# ---- C3a ---------------------------------------------------------------------------------------------------------
def test_pava_equals_a_brute_force_monotone_fit_on_a_small_grid():
    rng = np.random.default_rng(0)
    for _ in range(20):
        y = rng.normal(size=6)
        fit = ua_narrow.pava(y)
        assert np.all(np.diff(fit) >= -1e-15)
        # Brute force: the isotonic fit is constant on blocks of a partition into runs, at each block's mean; over all
        # 2^5 partitions the best monotone one is the optimum.
        best = math.inf
        for cuts in itertools.product([0, 1], repeat=len(y) - 1):
            blocks, start = [], 0
            for i, cut in enumerate(cuts, 1):
                if cut:
                    blocks.append(y[start:i])
                    start = i
            blocks.append(y[start:])
            means = [b.mean() for b in blocks]
            if all(a <= b for a, b in zip(means, means[1:])):
                best = min(best, sum(((b - mu) ** 2).sum() for b, mu in zip(blocks, means)))
        assert abs(((fit - y) ** 2).sum() - best) < 1e-12


def test_isotonic_bound_closed_form_against_pava_and_the_constructed_net():
    bound = ua.isotonic_bound()
    assert sp.simplify(bound - (19 - 7 * sp.sqrt(7)) / 6) == 0
    assert ua.isotonic_plateau() == 3 - sp.sqrt(7)
    x = ua_narrow.grid(20000, "cpu")
    y = ua_narrow.tent(x).numpy()
    assert abs(ua_narrow.isotonic_mse(y) / float(bound) - 1) < 1e-7
    built = ua_narrow.width_one_isotonic_net(x, float(ua.isotonic_plateau()))
    assert abs(float(((built - ua_narrow.tent(x)) ** 2).mean()) / float(bound) - 1) < 1e-7
    # a width-1 net of any weights is monotone
    gen = torch.Generator().manual_seed(3)
    params = ua_narrow.init_layers(1, 6, 50, gen, "cpu")
    values = ua_narrow.forward(params, x)
    d = torch.diff(values, dim=-1)
    assert bool(((d >= -1e-15).all(-1) | (d <= 1e-15).all(-1)).all())


# ---- C5 ----------------------------------------------------------------------------------------------------------
def test_maurey_constant_against_quadrature_and_barron_constant():
    for p in (1, 2):
        c = float(ua.maurey_constant().subs(ua.p, p))
        f = lambda *xs: (1 - math.exp(-sum(v * v for v in xs))) ** 2 / 2 / 2**p  # noqa: E731
        ranges = [(-1, 1)] * p
        assert abs(integrate.nquad(f, ranges)[0] - c) < 1e-8
    assert sp.simplify(ua.barron_cf() - ua.p / (sp.sqrt(2) * sp.pi ** sp.Rational(3, 2))) == 0
    out = ua_maurey.run(seed=0, p=4, n=[1, 4], n_points=300, n_seeds=2)
    assert out["mse"].shape == (2, 2) and np.allclose(out["n_mse"], out["mse"] * [1, 4])


# ---- C7 ----------------------------------------------------------------------------------------------------------
def test_sawtooth_constructions_against_the_closed_form_and_the_composition():
    x = torch.rand(1000, generator=torch.Generator().manual_seed(1), dtype=F64)
    tent = lambda v: 2 * torch.relu(v) - 4 * torch.relu(v - 0.5)  # noqa: E731
    for k in (1, 3, 5):
        composed = x
        for _ in range(k):
            composed = tent(composed)
        assert torch.allclose(ua_sawtooth.sawtooth(x, k), composed, atol=1e-12)
        for hidden, out in (ua_sawtooth.deep_layers(k, F64, "cpu"), ua_sawtooth.shallow_layers(k, F64, "cpu")):
            assert torch.allclose(ua_sawtooth.run_layers(hidden, out, x), composed, atol=1e-10)
    assert len(ua_sawtooth.shallow_layers(4, F64, "cpu")[0][0][0]) == 16


def test_breakpoint_counter_on_hand_made_nets():
    zero, one = torch.zeros(1, dtype=F64), torch.ones(1, dtype=F64)
    # one layer: units at 0.2, 0.5, 0.9 inside, one at 1.5 outside, one that never changes sign
    w = torch.ones(5, 1, dtype=F64)
    b = -torch.tensor([0.2, 0.5, 0.9, 1.5, -3.0], dtype=F64)
    assert torch.allclose(breakpoints([(w, b)], zero, one), torch.tensor([0.2, 0.5, 0.9], dtype=F64))
    # two layers: relu(x - 0.5) then relu(h - 0.25) and relu(0.1 - h): kinks at 0.5, 0.75 and 0.6
    layers = [(torch.ones(1, 1, dtype=F64), torch.tensor([-0.5], dtype=F64)),
              (torch.tensor([[1.0], [-1.0]], dtype=F64), torch.tensor([-0.25, 0.1], dtype=F64))]
    assert torch.allclose(breakpoints(layers, zero, one), torch.tensor([0.5, 0.6, 0.75], dtype=F64))
    # the sawtooth: 2^k - 1 interior breakpoints, at j/2^k
    hidden, _ = ua_sawtooth.deep_layers(4, F64, "cpu")
    assert torch.allclose(breakpoints(hidden, zero, one), torch.arange(1, 16, dtype=F64) / 16)


def test_shallow_l1_bound_is_attained_by_the_tooth_mean():
    # m = 0: the constant 1/2 is at L1 distance exactly 1/4 from T^k (and no affine function does better)
    x = (torch.arange(2**14, dtype=F64) + 0.5) / 2**14
    err = ua_sawtooth.l1_error(torch.full_like(x, 0.5), ua_sawtooth.sawtooth(x, 4))
    assert abs(float(err) - float(ua.shallow_l1_bound().subs({ua.m: 0, ua.k_saw: 4}))) < 1e-8


# ---- C8 ----------------------------------------------------------------------------------------------------------
def test_gate_coefficient_and_float64():
    assert ua.gate_error_coefficient() == sp.Rational(1, 6)
    s = sp.Symbol("s")
    sp_plus = sp.log(1 + sp.exp(s))
    assert sp.diff(sp_plus, s, 2).subs(s, 0) == sp.Rational(1, 4) and sp.diff(sp_plus, s, 4).subs(s, 0) == sp.Rational(-1, 8)
    out = ua_multiplication.run(seed=0, lam=[2**-6], n_grid=21)
    assert abs(out["max_error"][0, 0] / (2**-12 / 6) - 1) < 1e-3
    f32 = ua_multiplication.run(seed=0, lam=[2**-6], n_grid=21, dtype="float32")
    assert f32["max_error"][0, 0] > 2 * out["max_error"][0, 0]  # cancellation: float32 cannot resolve the error


# ---- C9 ----------------------------------------------------------------------------------------------------------
def test_one_layer_breakpoint_probability_against_monte_carlo():
    rng = np.random.default_rng(0)
    d, sb2, n = 8, 0.01, 200000
    u, v = np.ones(d), np.where(np.arange(d) % 2, -1.0, 1.0)
    w = rng.normal(0, math.sqrt(2 / d), (n, d))
    b = rng.normal(0, math.sqrt(sb2), n)
    frac = np.mean(np.sign(w @ u + b) != np.sign(w @ v + b))
    exact = float(ua.one_layer_breakpoints().subs({ua.n_total: 1, ua.sigma_b2: sb2}))
    assert abs(frac - exact) < 5 * math.sqrt(exact * (1 - exact) / n)
