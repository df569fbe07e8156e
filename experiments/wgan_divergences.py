"""TV, KL, JS and W1 along two exact sequences, by adaptive quadrature of the densities and distribution functions: U[0,1] against its n-point midpoint discretisation, and N(1/n, 1) against N(0, 1) (Arjovsky, Chintala & Bottou 2017, Thm 2)."""

from __future__ import annotations

import math

import numpy as np
import torch
from scipy import integrate, special


def _quad(f, lo, hi, points=None) -> float:
    value, _ = integrate.quad(f, lo, hi, points=points, epsabs=1e-15, epsrel=1e-13, limit=2000)
    return value


def midpoint_divergences(m: int) -> dict[str, float]:
    """P = U[0,1], P_m uniform on the atoms (k - 1/2)/m.  P_m is singular to P: by the Lebesgue decomposition P lives
    on [0,1] minus the atoms (a P_m-null set) and P_m on the atoms (a P-null set), so TV = (1/2)(P([0,1]) + P_m(atoms))
    = 1; with M = (P + P_m)/2, dP/dM = 2 on P's part and dP_m/dM = 2 on the atoms, so JS = (1/2) log 2 + (1/2) log 2.
    W1 = int_0^1 |F - F_m| by quadrature between the atoms (F_m is a step function)."""
    atoms = (np.arange(1, m + 1) - 0.5) / m
    mass_atoms = float(np.sum(np.full(m, 1.0 / m)))  # P_m(atoms); P(atoms) = 0
    tv = 0.5 * (1.0 + mass_atoms)  # |dP - dP_m| integrates to P([0,1]) + P_m(atoms)
    js = 0.5 * 1.0 * math.log(2.0) + 0.5 * mass_atoms * math.log(2.0)
    edges = np.concatenate([[0.0], atoms, [1.0]])
    w1 = sum(_quad(lambda t, k=k: abs(t - k / m), a, b) for k, (a, b) in enumerate(zip(edges[:-1], edges[1:])))
    return {"tv_midpoint": tv, "js_midpoint": js, "w1_midpoint": w1}


def gauss_divergences(d: float) -> dict[str, float]:
    """P_d = N(d, 1) against N(0, 1): TV = (1/2) int |p_d - p|, KL(P_d || P) = int p_d log(p_d/p), the 1/2-weighted
    JS, and W1 = int |Phi(x - d) - Phi(x)| dx, each by quadrature split at the densities' crossing d/2."""
    pd = lambda t: math.exp(-((t - d) ** 2) / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    p0 = lambda t: math.exp(-(t**2) / 2) / math.sqrt(2 * math.pi)  # noqa: E731

    def kl_m(a, b):  # KL(A || (A + B)/2) integrand, safe where a underflows
        return lambda t: a(t) * (math.log(2.0) - math.log1p(b(t) / a(t))) if a(t) > 0 else 0.0

    lo, hi, c = -40.0, 40.0 + d, d / 2
    both = lambda f: _quad(f, lo, c) + _quad(f, c, hi)  # noqa: E731
    tv = 0.5 * both(lambda t: abs(pd(t) - p0(t)))
    kl = both(lambda t: pd(t) * (d * t - d * d / 2))  # log(p_d/p) = d t - d^2/2, exactly
    js = 0.5 * both(kl_m(pd, p0)) + 0.5 * both(kl_m(p0, pd))
    cdf = lambda t: 0.5 * special.erfc(-t / math.sqrt(2))  # noqa: E731
    w1 = both(lambda t: abs(cdf(t - d) - cdf(t)))
    return {"tv_gauss": tv, "kl_gauss": kl, "js_gauss": js, "w1_gauss": w1}


def run(*, seed: int, device: torch.device | str = "cpu", n: list[int], n_seeds: int) -> dict[str, np.ndarray]:
    """Every divergence at every n of the sequences; exact numbers, the same for every seed (one row per seed so that
    the arrays are (seeds, grid) like every run's)."""
    rows = [{**midpoint_divergences(int(m)), **gauss_divergences(1.0 / int(m))} for m in n]
    out = {k: np.tile(np.asarray([r[k] for r in rows], dtype=float), (n_seeds, 1)) for k in rows[0]}
    return {"n": np.asarray(n, dtype=float), **out}
