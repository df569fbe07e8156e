"""The comparison kinds' empirical halves, one module per kind found by its name, beside their symbolic halves in theory/kinds/.

A kind module here defines ``compare(check, arrays, seed) -> result`` (the check is its entry of prediction.json, the
arrays a run's metrics: (seeds, grid) curves for the kinds so far, but a kind may read any arrays it documents, a
kernel matrix or a spectrum), ``LINE = (line style, legend word)`` and ``draw(ax, check, result, style)`` for its
figure panel, and ``targets(check) -> (good, bad)``: curves on the grid drawn from the prediction and perturbed beyond
the tolerance, from which ``synthetic_pair`` makes per-seed data for the generic tests.  A kind whose metrics are not
curves defines ``synthetic(check, n_seeds, rng) -> (good arrays, bad arrays)`` instead.
"""

from __future__ import annotations

from functools import lru_cache
from types import ModuleType

import numpy as np

import artefacts


def names() -> tuple[str, ...]:
    return artefacts.plugin_names(__name__)


@lru_cache(maxsize=None)
def get(kind: str) -> ModuleType:
    """The module of a kind in this package; an unknown kind is one line naming the valid ones."""
    return artefacts.plugin(__name__, kind)


def _loglog_extend(xq, xs, ys):
    """Piecewise log-log linear interpolation with linear extrapolation from the end segments."""
    lx, ly, lq = np.log(xs), np.log(ys), np.log(xq)
    out = np.interp(lq, lx, ly)
    lo, hi = lq < lx[0], lq > lx[-1]
    out[lo] = ly[0] + (lq[lo] - lx[0]) * (ly[1] - ly[0]) / (lx[1] - lx[0])
    out[hi] = ly[-1] + (lq[hi] - lx[-1]) * (ly[-1] - ly[-2]) / (lx[-1] - lx[-2])
    return np.exp(out)


def synthetic_arrays(check: dict, target: np.ndarray, n_seeds: int, rng: np.random.Generator) -> dict:
    """Per-seed (seeds, grid) arrays whose reduced curve is ``target`` up to seed noise well inside the tolerance.

    The noise is multiplicative for relative checks and additive for absolute ones; for curves it stays below a tenth
    of the tolerance, so that an exact (tolerance 0) check sees exact data.  A crossing check gets a decreasing metric
    on a horizon grid whose level crossings land on ``target``.
    """
    absolute = check["scale"] == "absolute"
    eps = min(0.002, check["tolerance"] / 10) if check["kind"] == "curve" else 0.002

    def noisy(y):
        e = eps * rng.standard_normal((n_seeds, y.size))
        return y[None, :] + e if absolute else y[None, :] * (1 + e)

    crossing = check["crossing"]
    if not crossing:
        arrays = {check["x"]: np.asarray(check["grid"]["x_values"]), check["metric"]: noisy(target)}
        series = check["grid"]["series"]
        if series:
            arrays[series["name"]] = np.asarray(series["values"])
        return arrays
    levels = np.asarray(crossing["level_values"])
    order = np.argsort(target)
    grid = np.geomspace(target.min() / 3, target.max() * 3, 400)
    curve = _loglog_extend(grid, target[order], levels[order])
    return {crossing["grid"]: grid, check["metric"]: noisy(curve)}


def synthetic_pair(check: dict, n_seeds: int, rng: np.random.Generator) -> tuple[dict, dict]:
    """(run arrays drawn from the check's prediction, the same perturbed beyond its tolerance): the first must pass,
    the second fail.  A pole on an excluded point gets finite data there."""
    plugin = get(check["kind"])
    if hasattr(plugin, "synthetic"):
        return plugin.synthetic(check, n_seeds, rng)
    good, bad = plugin.targets(check)
    good, bad = (np.where(np.isfinite(t), t, 1.0) for t in (good, bad))
    return synthetic_arrays(check, good, n_seeds, rng), synthetic_arrays(check, bad, n_seeds, rng)
