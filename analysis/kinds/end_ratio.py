"""Kind end_ratio: y(first window point)/y(last window point) of the seed-reduced curve, with its bootstrap CI, against the prediction as an upper or lower bound; empirical half."""

from __future__ import annotations

import numpy as np

from analysis.kinds.monotone import compare_ordering, draw  # noqa: F401  (drawn like monotone: the points joined)

LINE = ("-", "end ratio")


def compare(check: dict, arrays: dict, seed: int = 0) -> dict:
    return compare_ordering(check, arrays, seed, lambda curve, upper: curve[0] / curve[-1],
                            lambda xw, upper: f"y({check['x']} = {xw[0]:.4g}) / y({check['x']} = {xw[-1]:.4g})")


def targets(check: dict) -> tuple[np.ndarray, np.ndarray]:
    """Geometric curves whose first-to-last window ratio is half (or twice) the predicted bound."""
    x, w = np.asarray(check["grid"]["x_values"]), np.asarray(check["grid"]["in_window"])
    rank = np.argsort(np.argsort(x))
    span = max(int(rank[w].max() - rank[w].min()), 1)
    v, upper = check["derived"]["value"], check["options"]["bound"] == "upper"
    good, bad = (v / 2, v * 2) if upper else (v * 2, v / 2)
    return good ** (-rank / span), bad ** (-rank / span)
