"""Kind peak_prominence: the seed-reduced curve's maximum over max(its lowest value before the peak, its last value), with its bootstrap CI, at least the prediction; empirical half."""

from __future__ import annotations

import math

import numpy as np

from analysis import comparators as C
from analysis.kinds.extremum_location import bump

LINE = ("-.", "prominence")


def compare(check: dict, arrays: dict, seed: int = 0) -> dict:
    m, result = C.prepare(check, arrays, seed, at_least=3)
    predicted = float(check["derived"]["value"])

    def prominence(idx):
        curve = m.f(idx)[m.window]
        k = int(np.argmax(curve))
        sides = ([curve[:k].min()] if k > 0 else []) + [curve[-1]]
        return curve[k] / max(sides)

    e, lo, hi = m.ci(prominence)
    band = (predicted * (1 - m.tol), math.inf)
    message = (f"peak / max(lowest value before it, last value) = {e:.4g} [{lo:.4g}, {hi:.4g}], "
               f"at least {predicted:.4g} required")
    return C.outcome_of(result, C.decide(lo, hi, *band), e, lo, hi, predicted, message, band, m.n)


def draw(ax, check: dict, result: dict, panel) -> None:
    """Nothing beyond the measured curve: the prominence is a ratio of its own points."""


def targets(check: dict) -> tuple[np.ndarray, np.ndarray]:
    """A peak ten times the required prominence in the middle of the window, and a flat curve."""
    x, w = np.asarray(check["grid"]["x_values"]), np.asarray(check["grid"]["in_window"])
    middle = np.flatnonzero(w)[len(np.flatnonzero(w)) // 2]
    return 1 + 10 * check["derived"]["value"] * bump(x, middle), np.ones_like(x, dtype=float)
