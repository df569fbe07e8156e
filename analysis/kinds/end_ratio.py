"""Kind end_ratio: y(first window point)/y(last window point) of the seed-reduced curve, with its bootstrap CI, against the prediction as an upper or lower bound; empirical half."""

from __future__ import annotations

import numpy as np

from analysis import comparators as C
from analysis.kinds.monotone import draw, ordering_result  # noqa: F401  (drawn like monotone: the points joined)

LINE = ("-", "end ratio")


def compare(check: dict, arrays: dict, seed: int = 0) -> dict:
    m, result = C.prepare(check, arrays, seed, at_least=2)
    xw = m.x[m.window]
    order, upper = np.argsort(xw), check["options"]["bound"] == "upper"

    def end_ratio(idx):
        curve = m.f(idx)[m.window][order]
        return curve[0] / curve[-1]

    what = f"y({check['x']} = {xw[order][0]:.4g}) / y({check['x']} = {xw[order][-1]:.4g})"
    return ordering_result(check, m, result, end_ratio, what, upper)


def targets(check: dict) -> tuple[np.ndarray, np.ndarray]:
    """Geometric curves whose first-to-last window ratio is half (or twice) the predicted bound."""
    x, w = np.asarray(check["grid"]["x_values"]), np.asarray(check["grid"]["in_window"])
    rank = np.argsort(np.argsort(x))
    span = max(int(rank[w].max() - rank[w].min()), 1)
    v, upper = check["derived"]["value"], check["options"]["bound"] == "upper"
    good, bad = (v / 2, v * 2) if upper else (v * 2, v / 2)
    return good ** (-rank / span), bad ** (-rank / span)
