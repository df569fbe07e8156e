"""Kind monotone: the largest (bound upper) or smallest (bound lower) ratio of consecutive window points of the seed-reduced curve, with its bootstrap CI, against the prediction; empirical half."""

from __future__ import annotations

import numpy as np

from analysis import comparators as C

LINE = ("-", "ordering")


def compare(check: dict, arrays: dict, seed: int = 0) -> dict:
    def largest_or_smallest_step(curve, upper):
        steps = curve[1:] / curve[:-1]
        return steps.max() if upper else steps.min()

    return compare_ordering(check, arrays, seed, largest_or_smallest_step,
                            lambda xw, upper: f"{'largest' if upper else 'smallest'} ratio of consecutive points y(x_i+1)/y(x_i)")


def compare_ordering(check: dict, arrays: dict, seed: int, statistic, what) -> dict:
    """An ordering statistic of the seed-reduced curve over the window, sorted by x (``statistic(curve, upper)``),
    with its CI against the predicted bound, the tolerance as a margin; ``what(sorted window x, upper)`` names it."""
    m, result = C.prepare(check, arrays, seed, at_least=2)
    xw = m.x[m.window]
    order, upper = np.argsort(xw), check["options"]["bound"] == "upper"
    predicted = float(check["derived"]["value"])
    e, lo, hi = m.ci(lambda idx: statistic(m.f(idx)[m.window][order], upper))
    band = (-np.inf, predicted * (1 + m.tol)) if upper else (predicted * (1 - m.tol), np.inf)
    message = (f"{what(xw[order], upper)} = {e:.4g} [{lo:.4g}, {hi:.4g}], {'at most' if upper else 'at least'} "
               f"{predicted:.4g}" + (f" (tolerance {m.tol:g})" if m.tol else ""))
    return C.outcome_of(result, C.decide(lo, hi, *band), e, lo, hi, predicted, message, band, m.n)


def draw(ax, check: dict, result: dict, panel) -> None:
    """The ordering is what is checked: the measured points joined in order."""
    ax.plot(panel.x, panel.estimate, "-", lw=0.8, color=panel.color)


def targets(check: dict) -> tuple[np.ndarray, np.ndarray]:
    """Geometric curves over the grid order, a ratio per step half (or twice) the predicted bound."""
    x = np.asarray(check["grid"]["x_values"])
    rank = np.argsort(np.argsort(x)).astype(float)
    v, upper = check["derived"]["value"], check["options"]["bound"] == "upper"
    good, bad = (v / 2, v * 2) if upper else (v * 2, v / 2)
    return good**rank, bad**rank
