"""Oracle tests of the GAN and WGAN family: exact W1 by assignment against sorting and translation, the JS quadrature against a closed case, the two-sample baseline sum against simulation, the divergence quadratures against the sympy closed forms, and the Dirac-GAN recursion against its matrix form (Dobriban 2019, Stat 991 notes, §4.3-4.4)."""

import math

import numpy as np
import pytest
import sympy as sp
import torch

from experiments.lib import batched_mlp
from experiments import (wgan_clipped_critic, wgan_clipped_deep, wgan_dirac, wgan_divergences, wgan_gp_critic,
                         wgan_lines_dynamics, wgan_logistic, wgan_parallel_lines, wgan_theta_grid, wgan_training_run)
from theory import wgan

pytestmark = pytest.mark.wgan


def test_sample_w1_of_a_translated_sample_is_the_shift():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(300, 2))
    shift = np.array([0.3, -0.4])  # |shift| = 0.5
    assert abs(wgan_parallel_lines.assignment_w1(a, a + shift) - 0.5) < 1e-12
    x = torch.as_tensor(rng.normal(size=400))
    assert abs(float(wgan_parallel_lines.sorted_w1(x, x + 0.7)) - 0.7) < 1e-12


def test_assignment_agrees_with_the_sorted_formula():
    """POT's exact assignment against 1-D sorting, and on the parallel lines against the sorted matching of the Z's
    (optimal because the cost sqrt(theta^2 + d^2) is convex in d)."""
    rng = np.random.default_rng(1)
    a, b = rng.random(250), rng.random(250)
    emd = wgan_parallel_lines.assignment_w1(a[:, None], b[:, None])
    assert abs(emd - float(wgan_parallel_lines.sorted_w1(torch.as_tensor(a), torch.as_tensor(b)))) < 1e-12
    for theta in (0.05, -0.3, 1.0):  # W is even in theta
        lines = wgan_parallel_lines.assignment_w1(np.c_[np.zeros(250), a], np.c_[np.full(250, theta), b])
        sorted_matching = np.mean(np.sqrt(theta**2 + (np.sort(a) - np.sort(b)) ** 2))
        assert abs(lines - sorted_matching) < 1e-12


def test_js_quadrature_against_closed_cases():
    """The sympy JS integral (mpmath quadrature) is 0 at mu = 0, tends to log 2 for well separated Gaussians, and
    agrees with scipy's quadrature and with the experiment's at mu = 1."""
    js = sp.lambdify([wgan.mu], wgan.js_divergence(half=True), modules=["mpmath"])
    assert abs(float(js(sp.Float(1e-9, 30)))) < 1e-12
    assert abs(float(js(sp.Float(40, 30))) - math.log(2)) < 1e-12
    from scipy import integrate

    p = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    q = lambda x: p(x - 1)  # noqa: E731
    kl = integrate.quad(lambda x: p(x) * math.log(2 * p(x) / (p(x) + q(x))), -30, 30, epsabs=1e-14)[0]
    assert abs(float(js(sp.Float(1, 30))) - kl) < 1e-10
    assert abs(wgan_divergences.gauss_divergences(1.0)["js_gauss"] - kl) < 1e-10
    # the control's value, with the unweighted JS, is 2 JS above the true C(G) = 2 JS - log 4
    values = [float(sp.lambdify([wgan.mu], wgan.game_value(half=h), modules=["mpmath"])(sp.Float(1, 30))) for h in (True, False)]
    assert abs(values[0] - (2 * kl - math.log(4))) < 1e-10 and abs(values[1] - values[0] - 2 * kl) < 1e-10


def test_two_sample_baseline_sum_against_simulation_and_its_limit():
    """The exact binomial sum against a direct simulation by sorting (and against the Rényi representation the run
    uses), and its approach to sqrt(pi)/(4 sqrt(n)) with relative gap 3/(8n)."""
    exact = wgan._baseline_exact(5)
    rng = np.random.default_rng(2)
    a, b = np.sort(rng.random((150_000, 5)), 1), np.sort(rng.random((150_000, 5)), 1)
    w = np.abs(a - b).mean(1)
    assert abs(w.mean() - exact) < 4 * w.std() / math.sqrt(len(w))
    gen = torch.Generator().manual_seed(3)
    renyi = float(wgan_parallel_lines._baseline(1, 150_000, 5, gen, "cpu")[0])
    assert abs(renyi - exact) < 4 * w.std() / math.sqrt(len(w))
    limit = sp.lambdify([wgan.n], wgan.two_sample_baseline_limit())
    for n in (100, 400):
        assert abs((limit(n) / wgan._baseline_exact(n) - 1) * n - 3 / 8) < 0.01


def test_matching_term_is_the_mean_squared_gap_of_sorted_uniforms():
    term = sp.lambdify([wgan.n], wgan.squared_matching_term())
    rng = np.random.default_rng(4)
    d = np.sort(rng.random((200_000, 10)), 1) - np.sort(rng.random((200_000, 10)), 1)
    sq = (d**2).mean(1)
    assert abs(sq.mean() - term(10)) < 4 * sq.std() / math.sqrt(len(sq))


def test_logistic_fit_recovers_a_known_logit_and_d_star_maximises_v():
    gen = torch.Generator().manual_seed(5)
    real = torch.randn(1, 200_000, generator=gen, dtype=torch.float64)
    fake = torch.randn(1, 200_000, generator=gen, dtype=torch.float64) + 1.5
    w, b = wgan_logistic.fit_logistic(real, fake, 10)
    assert abs(float(w) + 1.5) < 0.02 and abs(float(b) - 1.125) < 0.02
    assert float(sp.simplify(wgan.logit_slope() + wgan.mu)) == 0 and wgan.logit_intercept() == wgan.mu**2 / 2
    # At D = 1/2 everywhere V = -log 4, below C(G) for mu != 0.
    half = wgan_logistic.game_value(torch.zeros(1, 10, dtype=torch.float64), torch.zeros(1, 10, dtype=torch.float64))
    assert abs(float(half) + math.log(4)) < 1e-12


def test_divergence_quadratures_match_the_closed_forms():
    for m in (1, 3, 10):
        mid = wgan_divergences.midpoint_divergences(m)
        assert abs(mid["w1_midpoint"] - float(wgan.midpoint_w1().subs(wgan.n, m))) < 1e-14
        assert mid["tv_midpoint"] == 1 and abs(mid["js_midpoint"] - math.log(2)) < 1e-15
        g = wgan_divergences.gauss_divergences(1 / m)
        assert abs(g["kl_gauss"] / float(wgan.gauss_shift_kl().subs(wgan.n, m)) - 1) < 1e-10
        assert abs(g["tv_gauss"] / float(wgan.gauss_shift_tv().subs(wgan.n, m)) - 1) < 1e-10
        assert abs(g["w1_gauss"] * m - 1) < 1e-10
        assert g["w1_gauss"] > g["tv_gauss"]  # off a compact space, W1 <= diam x TV has no diameter to stand on


def test_dirac_recursion_against_its_matrix_form():
    """From a start at 1e-7 the nonlinear updates follow the linearised matrices of theory/wgan.py to 1e-12 relative;
    alternating steps conserve the determinant (1 at gamma = 0), simultaneous steps grow by sqrt(1 + h^2/4)."""
    h, steps = 0.1, 50
    for scheme in ("simultaneous", "alternating"):
        for gam in (0.0, 0.3):
            m = np.array(wgan.dirac_update(scheme).subs({wgan.gamma: gam, wgan.h: h}).evalf(), dtype=float)
            th, ps = 1e-7, 0.0
            v = np.array([th, ps])
            for _ in range(steps):
                fp = 1 / (1 + math.exp(ps * th))  # f'(t) = sigma(-t)
                if scheme == "simultaneous":
                    th, ps = th - h * fp * ps, ps + h * (fp * th - gam * ps)
                else:
                    th = th - h * fp * ps
                    ps = ps + h * (1 / (1 + math.exp(ps * th)) * th - gam * ps)
                v = m @ v
            assert np.allclose([th, ps], v, rtol=1e-9, atol=1e-20), (scheme, gam)
    alt = wgan.dirac_update("alternating").subs(wgan.gamma, 0)
    assert sp.simplify(alt.det()) == 1
    sim = sp.lambdify([wgan.gamma, wgan.h], wgan.dirac_log_radius("simultaneous"))
    with np.errstate(invalid="ignore"):  # numpy evaluates both Piecewise branches; the real-pair one takes sqrt(< 0)
        assert abs(sim(0.0, h) - 0.5 * math.log(1 + h * h / 4)) < 1e-15
    out = wgan_dirac.run(seed=0, scheme="alternating", gamma=[0.0], h=h, steps=400, start_norm=1e-3, n_seeds=2)
    assert np.all(np.abs(np.log(out["norm_ratio"])) < 0.1)  # bounded, not converging


def test_unknown_scheme_is_refused():
    with pytest.raises(ValueError, match="unknown scheme"):
        wgan_dirac.run(seed=0, scheme="extragradient", gamma=[0.0], h=0.1, steps=2, start_norm=1e-3, n_seeds=1)
    with pytest.raises(ValueError, match="unknown scheme"):
        wgan.dirac_update("extragradient")


def test_gp_optimum_against_brute_force_minimisation():
    """The pointwise optimum f*' = sign(D)(1 + |D|/(2 lam q)) against a brute-force search of the GP objective's
    integrand g D - lam q (|g| - 1)^2 over a fine grid of slopes g at every x, and its dual value against the by-parts
    form int f* (p_r - p_g) with f* the running integral of the slope."""
    from scipy.stats import norm

    lam_ = 10.0
    for a in (0.5, 2.0):
        xs, d, q, slope, dx = wgan.gp_profile(a, 1.0, lam_)
        pick = np.arange(0, len(xs), 4000)
        gs = np.linspace(-3, 3, 600_001)  # spacing 1e-5
        objective = gs[None, :] * d[pick, None] - lam_ * q[pick, None] * (np.abs(gs[None, :]) - 1) ** 2
        best = gs[np.argmax(objective, 1)]
        tie = d[pick] == 0  # far tails where D underflows: +1 and -1 are both optimal
        assert np.max(np.abs(np.abs(best) - np.abs(slope[pick]))) < 2e-5 and np.all(best[~tie] * slope[pick][~tie] > 0)
        f = np.concatenate([[0.0], np.cumsum((slope[1:] + slope[:-1]) / 2 * dx)])
        by_parts = np.trapezoid(f * (norm.pdf(xs) - norm.pdf(xs, a)), xs)
        assert abs(by_parts - wgan._gp_dual(a, 1.0, lam_)) < 1e-8
        assert wgan._gp_dual(a, 1.0, lam_) > a  # above W1 = a


def test_interpolate_density_against_simulation():
    rng = np.random.default_rng(6)
    a, s, m = 2.0, 1.0, 400_000
    t = rng.random(m)
    xi = t * rng.normal(size=m) + (1 - t) * (a + s * rng.normal(size=m))
    edges = np.linspace(-3, 5, 33)
    counts, _ = np.histogram(xi, edges)
    fine = np.linspace(-3, 5, 32 * 200 + 1)
    q = wgan.interpolate_density(fine, a, s)
    expected = m * np.array([np.trapezoid(q[i * 200:(i + 1) * 200 + 1], fine[i * 200:(i + 1) * 200 + 1]) for i in range(32)])
    assert np.all(np.abs(counts - expected) < 5 * np.sqrt(expected) + 1)


def test_mean_slope_on_interpolates_is_one_plus_w1_over_two_lambda():
    """E_q |f*'| from the quadrature profile against the closed form 1 + W1/(2 lam), where q cancels."""
    closed = sp.lambdify([wgan.mean, wgan.lam], wgan.gp_mean_slope())
    for a in (0.5, 1.0, 2.0):
        xs, d, q, slope, dx = wgan.gp_profile(a, 1.0, 10.0)
        assert abs(np.trapezoid(q * np.abs(slope), xs) - closed(a, 10.0)) < 1e-9
    w1 = sp.lambdify([wgan.mean, wgan.sd], wgan.gaussian_w1())
    assert abs(w1(1.3, 1.0 + 1e-12) - 1.3) < 1e-9 and abs(w1(0.0, 2.0) - math.sqrt(2 / math.pi)) < 1e-12


def test_batched_critic_against_a_per_pair_loop():
    """The batched critic's values and pushed-forward slopes against each critic run alone with autograd's input
    gradient; the weight gradients of the penalised loss against the same loss computed critic by critic."""
    gen = torch.Generator().manual_seed(7)
    params = wgan_gp_critic.init_critic(4, 8, 2, gen, "cpu")
    with torch.no_grad():  # a non-zero output layer, so that the comparison is not trivial
        params[-2].copy_(torch.randn(params[-2].shape, generator=gen))
    x = torch.randn(4, 50, generator=gen)
    f, g = wgan_gp_critic.critic(params, x)
    for i in range(4):
        fi, gi = wgan_gp_critic.critic_per_pair(params, i, x[i])
        assert torch.allclose(f[i], fi, atol=1e-6) and torch.allclose(g[i], gi, atol=1e-6)
    loss = ((g.abs() - 1) ** 2).mean(1).sum() + f.mean(1).sum()
    batched = torch.autograd.grad(loss, params)
    for i in range(4):
        xi = x[i].clone().requires_grad_()
        h = xi[:, None]
        for k in range(3):
            h = h @ params[2 * k][i] + params[2 * k + 1][i]
            h = torch.relu(h) if k < 2 else h
        (gx,) = torch.autograd.grad(h.sum(), xi, create_graph=True)
        alone = torch.autograd.grad(((gx.abs() - 1) ** 2).mean() + h.mean(), params)
        for b, a_ in zip(batched, alone):
            assert torch.allclose(b[i], a_[i], atol=1e-5)


def test_zero_output_layer_starts_the_critic_flat():
    gen = torch.Generator().manual_seed(8)
    params = wgan_gp_critic.init_critic(3, 8, 2, gen, "cpu")
    f, g = wgan_gp_critic.critic(params, torch.randn(3, 20, generator=gen))
    assert torch.all(f == 0) and torch.all(g == 0)


def test_ols_slope_prediction_against_a_numerical_fit():
    """E4's predicted OLS slope against numpy's least squares on the expected curve |theta| + 1/(6(n + 1)|theta|)."""
    theta = [round(-1 + 0.1 * i, 1) for i in range(21)]
    params = {"theta": theta, "n_lines": [200], "fit_from": 0.2}
    x = np.abs([t for t in theta if abs(t) >= 0.2])
    y = x + 1 / (6 * 201 * x)
    fit = np.polyfit(x, y, 1)[0]
    assert abs(float(wgan.parallel_lines_ols_slope(params)) - fit) < 1e-12
    out = wgan_theta_grid.run(seed=0, theta=[-0.5, 0.0, 0.5, 1.0], n_lines=[50], disc_steps=200, disc_lr=0.2,
                              n_eval=2000, fit_from=0.2, n_seeds=2)
    assert np.all(out["w1"][:, 1] < 0.2) and np.all(out["js"][:, 1] < 0.02) and np.all(out["js"][:, 0] > 0.5)


def _plain_mlp(params, i, x, hidden=None):
    """The i-th critic alone as a plain MLP (torch.relu, matmul), keeping its hidden activations for autograd."""
    h = x
    n_layers = len(params) // 2
    for k in range(n_layers):
        h = h @ params[2 * k][i] + params[2 * k + 1][i][0]
        if k < n_layers - 1:
            h = torch.relu(h)
            if hidden is not None:
                h.retain_grad()
                hidden.append(h)
    return h[:, 0]


def test_batched_clipped_critic_and_its_activation_gradients_against_autograd():
    """In float64: the batched forward against each critic alone, and the chain-rule norms of df/dh_l and df/dx
    against autograd's gradients with respect to the hidden activations and the input, sample by sample."""
    gen = torch.Generator().manual_seed(9)
    params = [p.detach().double() for p in wgan_clipped_critic.init_mlp(3, [2, 16, 16, 16, 1], gen, "cpu", init="he")]
    x = torch.randn(3, 40, 2, generator=gen, dtype=torch.float64)
    f, _ = wgan_clipped_critic.forward(params, x)
    norms, dx = wgan_clipped_critic.activation_gradients(params, x)
    assert norms.shape == (3, 40, 3) and dx.shape == (3, 40, 2)
    for i in range(3):
        xi = x[i].clone().requires_grad_()
        hidden = []
        fi = _plain_mlp(params, i, xi, hidden)
        assert torch.allclose(f[i], fi, rtol=1e-12, atol=1e-14)
        fi.sum().backward()  # samples do not interact: the gradient of the sum is each sample's own
        for k, h in enumerate(hidden):
            assert torch.allclose(norms[i, :, k], h.grad.norm(dim=-1), rtol=1e-10, atol=1e-300)
        assert torch.allclose(dx[i], xi.grad, rtol=1e-10, atol=1e-14)


def test_clipping_keeps_every_parameter_in_its_box_after_training():
    """After RMSProp steps at a large rate, every weight and bias of each critic lies in [-c, c] for its own c, and the
    saturated share of a c = 0.001 critic started at He's scale is close to 1."""
    gen = torch.Generator().manual_seed(10)
    params = wgan_clipped_critic.init_mlp(3, [2, 32, 32, 1], gen, "cpu", init="he")
    c = torch.tensor([0.1, 0.01, 0.001])
    wgan_clipped_critic.clip_(params, c)
    opt = torch.optim.RMSprop(params, lr=1e-2)
    for _ in range(5):
        f, _ = wgan_clipped_critic.forward(params, torch.randn(3, 16, 2, generator=gen))
        opt.zero_grad()
        f.sum().backward()
        opt.step()
        wgan_clipped_critic.clip_(params, c)
    for p in params:
        for i, ci in enumerate(c):
            assert float(p[i].detach().abs().max()) <= float(ci) * (1 + 1e-7)
    assert float(wgan_clipped_critic.saturation(params)[2].min()) > 0.8


def test_product_bound_is_above_the_largest_slope_of_random_nets():
    """|f'| <= prod |W_l|_2 <= prod c sqrt(h_l h_(l-1)) on a dense grid for random clipped 1-D nets, and the all-+c net
    with every unit active attains the Frobenius bound c^(L+1) h^L at a point where every unit is on."""
    gen = torch.Generator().manual_seed(11)
    c, width, depth = 0.05, 16, 3
    params = [p.detach().double() for p in wgan_clipped_critic.init_mlp(4, [1] + [width] * depth + [1], gen, "cpu")]
    wgan_clipped_critic.clip_(params, torch.full((4,), c, dtype=torch.float64))
    grid = torch.linspace(-10, 10, 4001, dtype=torch.float64).expand(4, -1)[..., None]
    _, slope = wgan_clipped_critic.activation_gradients(params, grid)
    lip = slope[..., 0].abs().max(1).values
    spectral = torch.stack([torch.linalg.matrix_norm(w, ord=2) for w in params[0::2]], 1).prod(1)
    bound = float(wgan.clipped_frobenius_bound().subs({wgan.clip: c, wgan.width: width, wgan.depth: depth}))
    assert torch.all(lip <= spectral * (1 + 1e-12)) and torch.all(spectral <= bound * (1 + 1e-12))
    full = [torch.full_like(p[:1], c) for p in params]
    _, s = wgan_clipped_critic.activation_gradients(full, torch.ones(1, 1, 1, dtype=torch.float64))
    assert abs(float(s) / bound - 1) < 1e-12


def test_random_sign_saturated_net_has_the_heuristic_gain():
    """Weights at +-c with independent signs and zero biases: the OLS slope of the mean log |df/dh_l| per layer back
    from the output is log(c sqrt(h/2)) within a few percent of the gain, the heuristic's own setting."""
    gen = torch.Generator().manual_seed(12)
    c, width, depth = 0.01, 256, 10
    sizes = [2] + [width] * depth + [1]
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        sign = torch.randint(0, 2, (1, fan_in, fan_out), generator=gen).double() * 2 - 1
        params += [c * sign, torch.zeros(1, 1, fan_out, dtype=torch.float64)]
    x = torch.randn(1, 200, 2, generator=gen, dtype=torch.float64)
    norms, _ = wgan_clipped_critic.activation_gradients(params, x)
    slope = float(wgan_clipped_deep.layer_slope(norms.log().mean(1))[0])
    predicted = float(wgan.clipped_layer_slope().subs({wgan.clip: c, wgan.width: width}))
    assert abs(slope - predicted) < 0.05, (slope, predicted)
    assert abs(float(wgan.neutral_clip().subs(wgan.width, 128)) - 0.125) < 1e-15


def test_layer_slope_is_the_ols_slope_per_layer_back_from_the_output():
    k = np.arange(6)[::-1].astype(float)  # hidden layer 0 (next to the input) is 5 layers back from the last
    y = 0.3 * k + np.random.default_rng(13).normal(size=6) * 0.01
    ours = float(wgan_clipped_deep.layer_slope(torch.as_tensor(y)[None])[0])
    assert abs(ours - np.polyfit(k, y, 1)[0]) < 1e-12


def test_gp_penalty_is_each_critics_own_input_gradient():
    gen = torch.Generator().manual_seed(14)
    params = [p.detach().double().requires_grad_() for p in wgan_clipped_critic.init_mlp(2, [2, 8, 8, 1], gen, "cpu")]
    xi = torch.randn(2, 10, 2, generator=gen, dtype=torch.float64)
    pen = wgan_clipped_critic.gp_penalty(params, xi)
    for i in range(2):
        x = xi[i].clone().requires_grad_()
        (g,) = torch.autograd.grad(_plain_mlp(params, i, x).sum(), x)
        assert abs(float(pen[i].detach()) - float(((g.norm(dim=-1) - 1) ** 2).mean())) < 1e-12


def _plain_slice(params, i, x):
    """The i-th slice of a batched MLP as an ordinary ReLU network on x (m, fan_in)."""
    h = x
    n_layers = len(params) // 2
    for k in range(n_layers):
        h = h @ params[2 * k][i] + params[2 * k + 1][i, 0]
        if k < n_layers - 1:
            h = torch.relu(h)
    return h


def test_batched_training_networks_against_per_seed_mlps_with_autograd():
    """Each slice of the batched generator and critic is the plain MLP of its weights; the critic's written-out input
    gradient equals autograd's, and the penalty's gradient in the weights equals the double-backward one."""
    gen = torch.Generator().manual_seed(5)
    critic = batched_mlp.init_mlp(3, [2, 16, 16, 16, 1], gen, "cpu", torch.float64)
    generator = batched_mlp.init_mlp(3, [2, 16, 16, 2], gen, "cpu", torch.float64)
    x = torch.randn(3, 40, 2, generator=gen, dtype=torch.float64)
    f, g = batched_mlp.critic_with_gradient(critic, x)
    out = batched_mlp.mlp(generator, x)
    penalty = ((torch.linalg.vector_norm(g, dim=-1) - 1) ** 2).sum()
    # the biases reach the gradient only through the ReLU masks (piecewise constant): unused, a zero gradient
    ours = torch.autograd.grad(penalty, critic, allow_unused=True)
    reference = [torch.zeros_like(p) for p in critic]
    for i in range(3):
        xi = x[i].clone().requires_grad_()
        fi = _plain_slice(critic, i, xi)[:, 0]
        (gi,) = torch.autograd.grad(fi.sum(), xi, create_graph=True)
        assert torch.allclose(f[i], fi, atol=1e-12) and torch.allclose(g[i], gi, atol=1e-12)
        assert torch.allclose(out[i], _plain_slice(generator, i, x[i]), atol=1e-12)
        for r, d in zip(reference, torch.autograd.grad(((gi.norm(dim=-1) - 1) ** 2).sum(), critic, allow_unused=True)):
            if d is not None:
                r += d  # slice i's penalty reaches only slice i's weights
    for a, b in zip(ours, reference):
        assert torch.allclose(torch.zeros_like(b) if a is None else a, b, atol=1e-10)
    assert any(float(b.abs().max()) > 0 for b in reference)


def test_mode_and_quality_counts_on_a_constructed_sample():
    """25 draws near mode 0, 19 near mode 1 (one short of covering it), 20 at 2.9 sigma from mode 2, 36 at the centre:
    2 modes covered, 64% high quality."""
    sigma, modes = 0.02, wgan_training_run.ring_modes(8, 2.0)
    rng = np.random.default_rng(6)
    direction = rng.normal(size=(100, 2))
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    radius = np.r_[rng.uniform(0, 2.5, 44), np.full(20, 2.9), np.zeros(36)] * sigma
    centre = np.r_[np.repeat(modes[[0, 1, 2]].numpy(), [25, 19, 20], axis=0), np.zeros((36, 2))]
    samples = torch.as_tensor(centre + radius[:, None] * direction)[None]
    covered, fraction = wgan_training_run.quality(samples, modes, sigma)
    assert int(covered[0]) == 2 and float(fraction[0]) == pytest.approx(0.64)


def test_ring_sampler_draws_every_mode_equally_with_the_stated_spread():
    gen = torch.Generator().manual_seed(7)
    modes = wgan_training_run.ring_modes(8, 2.0)
    x = wgan_training_run.sample_ring((2, 40_000), modes, 0.02, gen)
    d = torch.cdist(x, modes[None].expand(2, -1, -1))
    nearest, which = d.min(-1)
    share = torch.bincount(which.flatten(), minlength=8).double() / which.numel()
    assert torch.all((share - 1 / 8).abs() < 4 * math.sqrt(1 / 8 * 7 / 8 / which.numel()))
    # the distance to the mode is Rayleigh(sigma): mean sigma sqrt(pi/2)
    assert abs(float(nearest.mean()) / (0.02 * math.sqrt(math.pi / 2)) - 1) < 0.01


def test_training_run_correlations_are_those_of_its_own_arrays():
    """The run's per-seed rho are Spearman's over its checkpoints from rank_from on, and its W1 are the assignment
    values of its samples (a translated sample's W1 is the shift's norm: test_sample_w1_of_a_translated_sample...)."""
    from scipy import stats

    params = dict(steps=[6], checkpoints=[0, 2, 4, 6], rank_from=2, n_modes=8, radius=2.0, sigma=0.02, z_dim=2, width=8,
                  depth=1, batch=16, n_critic=5, lam=10.0, lr=1e-2, beta1=0.0, beta2=0.9, n_eval=50, n_critic_eval=100,
                  n_seeds=2, workers=1)
    out = wgan_training_run.run(seed=3, **params)
    for s in range(2):
        rho = stats.spearmanr(out["critic_estimate"][s, 1:], out["w1"][s, 1:]).statistic
        assert out["rho_w1"][s, 0] == pytest.approx(rho)
    assert out["w1"].shape == (2, 4) and np.all(out["w1"] > 0.5)  # an untrained generator sits near the centre
    assert np.all(out["w1_baseline"] < out["w1"].min())
    assert wgan_training_run.spearman(np.arange(4.0), np.ones(4)) == 0.0


# ---- E4b: training dynamics on the parallel lines ----
def test_lines_hitting_time_against_a_numerical_integration_of_the_ode():
    """The sympy hitting time against solve_ivp's event time for d|theta|/dt = -eta (1 + |theta|/(2 lam)), and
    against the plain-SGD recursion with the optimal slope (the Euler scheme of that ODE), at the declared setting
    and another; the 1-Lipschitz slope gives (theta0 - theta_stop)/eta."""
    from scipy.integrate import solve_ivp

    expr = wgan.lines_hitting_time()
    for lam_, th0, stop, eta_ in ((10.0, 1.0, 0.1, 0.005), (2.0, 3.0, 0.5, 0.01)):
        pred = float(expr.subs({wgan.lam: lam_, wgan.theta0: th0, wgan.theta_stop: stop, wgan.eta: eta_}))
        event = lambda t, y: y[0] - stop  # noqa: E731
        event.terminal = True
        sol = solve_ivp(lambda t, y: [-eta_ * (1 + abs(y[0]) / (2 * lam_))], (0, 10 * pred), [th0], events=event,
                        rtol=1e-12, atol=1e-12)
        assert abs(sol.t_events[0][0] / pred - 1) < 1e-8
        theta_k, path = th0, [th0]
        while theta_k > stop / 2:
            theta_k -= eta_ * (1 + theta_k / (2 * lam_))
            path.append(theta_k)
        t_hit, censored = wgan_lines_dynamics.hitting_time(np.asarray([path]), stop)
        # Euler's steps use the slope at their start, where |theta| is larger: sooner by about eta/(4 lam), relative
        assert not censored[0] and 0 < 1 - t_hit[0] / pred < eta_ / (2 * lam_)
    assert float(wgan.lines_hitting_time(lambda r: sp.Integer(1)).subs(
        {wgan.theta0: 1, wgan.theta_stop: sp.Rational(1, 10), wgan.eta: 1})) == pytest.approx(0.9)
    assert float(expr.subs({wgan.lam: 10, wgan.theta0: 1, wgan.theta_stop: sp.Rational(1, 10), wgan.eta: 1})) == \
        pytest.approx(20 * math.log(1.05 / 1.005), rel=1e-12)


def test_lines_interpolates_first_coordinate_is_uniform_between_the_lines():
    """The premise of the slope 1 + |theta|/(2 lam): x_hat = t (0, Z) + (1 - t)(theta, Z') has first coordinate
    uniform on [0, theta] (q = 1/|theta|), for either sign of theta."""
    from scipy import stats

    rng = np.random.default_rng(20)
    for th in (0.7, -1.3):
        u = (1 - rng.random(50_000)) * th
        assert stats.kstest(u / th, "uniform").pvalue > 1e-3


def test_hitting_time_interpolates_and_censors():
    path = np.asarray([[1.0, 0.6, 0.2, 0.05, 0.0], [1.0, 0.9, 0.8, 0.7, 0.6], [0.05, 0.5, 0.0, 0.0, 0.0],
                       [1.0, 0.5, -0.3, -0.1, 0.0]])  # the last jumps across the band at its second step
    t, censored = wgan_lines_dynamics.hitting_time(path, 0.1)
    assert t[0] == pytest.approx(2 + 0.1 / 0.15) and not censored[0]
    assert t[1] == 4 and censored[1]  # never within the budget: the budget, flagged
    assert t[2] == 0 and not censored[2]
    assert t[3] == pytest.approx(1 + 0.4 / 0.8) and not censored[3]


def test_lines_generator_steps_against_autograd():
    """Each arm's written-out dL_G/dtheta against autograd of its loss in theta: -mean f(theta, z) through each
    slice of the batched 2-D critic run as a plain MLP, mean log(1 - D) and -mean log D for the logistic D."""
    gen = torch.Generator().manual_seed(21)
    params = [p.detach().double().requires_grad_() for p in wgan_lines_dynamics.init_critic(3, 8, 2, gen, "cpu")]
    with torch.no_grad():  # a non-zero output layer, so that the comparison is not trivial
        params[-2].copy_(torch.randn(params[-2].shape, generator=gen, dtype=torch.float64))
    theta = torch.tensor([1.0, -0.4, 0.2], dtype=torch.float64)
    z = torch.rand(3, 30, generator=gen, dtype=torch.float64)
    ours = wgan_lines_dynamics.wgan_generator_gradient(params, theta, z)
    for i in range(3):
        th = theta[i].clone().requires_grad_()
        x = torch.stack([th.expand(30), z[i]], -1)
        (g,) = torch.autograd.grad(-_plain_slice(params, i, x)[:, 0].mean(), th)
        assert abs(float(ours[i]) - float(g)) < 1e-12
    d = torch.tensor([[-3.0, 0.5, 1.0], [2.0, -1.0, 0.3], [-0.5, 0.2, -1.0], [4.0, 0.0, 2.0]], dtype=torch.float64)
    theta = torch.tensor([1.0, 0.3, -0.5, 0.8], dtype=torch.float64)
    z = torch.rand(4, 25, generator=gen, dtype=torch.float64)
    saturating = torch.tensor([True, True, False, False])
    ours = wgan_lines_dynamics.gan_generator_gradient(d, theta, z, saturating)
    for i in range(4):
        th = theta[i].clone().requires_grad_()
        h = d[i, 0] * th + d[i, 1] * z[i] + d[i, 2]
        loss = torch.log1p(-torch.sigmoid(h)).mean() if saturating[i] else -torch.log(torch.sigmoid(h)).mean()
        (g,) = torch.autograd.grad(loss, th)
        assert abs(float(ours[i]) - float(g)) < 1e-12


def test_lines_dynamics_run_moves_each_arm_the_right_way():
    """A short run: arrays have the seed axis first, the WGAN-GP generator moves theta towards 0 at about the
    critic's slope, and the saturating generator, whose discriminator had a long warm-up, hardly moves while the
    non-saturating one, against discriminators trained alike, moves far."""
    out = wgan_lines_dynamics.run(seed=3, theta0=1.0, theta_stop=[0.8], steps=[40], eta=0.01, batch=32, lam=10.0,
                                  n_critic=5, width=8, depth=1, critic_lr=5e-3, k_disc=2, disc_lr=0.2, warmup=300,
                                  n_eval=500, n_seeds=2)
    assert out["theta_wgan"].shape == (2, 41) and out["t_hit"].shape == (2, 1) and out["step"].shape == (41,)
    assert np.all(out["theta_wgan"][:, -1] < 0.75) and not out["t_hit__censored"].any()
    assert np.all(out["t_hit"] > 17) and np.all(out["t_hit"] < 22)  # 0.2/(eta 1.045) = 19.1 at the optimal slope
    assert np.all(out["move_minimax"] < 0.05) and np.all(out["move_ns"] > 0.5)  # the same discriminators, two losses
    assert np.all(np.abs(out["slope0"] - 1.05) < 0.05) and np.all(out["js0_minimax"] > 0.98 * math.log(2))
