"""Kind rank_correlation: the Spearman correlation between the seed-reduced measured curve and the prediction over the window, with its bootstrap CI over seeds, at least 1 - tolerance; empirical half."""

from __future__ import annotations

import numpy as np
from scipy import stats

from analysis import comparators as C

LINE = ("", "rank order")


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson correlation of the average ranks (ties share their mean rank); nan when either side is constant."""
    ra, rb = stats.rankdata(a), stats.rankdata(b)
    ra, rb = ra - ra.mean(), rb - rb.mean()
    denominator = np.sqrt((ra * ra).sum() * (rb * rb).sum())
    return float((ra * rb).sum() / denominator) if denominator > 0 else float("nan")


def compare(check: dict, arrays: dict, seed: int = 0) -> dict:
    m, result = C.prepare(check, arrays, seed, at_least=3, smooth=False)  # ranks are discrete
    reference = m.predicted[m.window]
    if not np.all(np.isfinite(reference)) or np.ptp(reference) == 0:
        raise C.ComparisonError(f"check {check['name']}: the prediction must be finite and not constant on the window")
    e, lo, hi = m.ci(lambda idx: spearman(m.f(idx)[m.window], reference))
    band = (1 - m.tol, np.inf)
    message = (f"Spearman correlation of the measured {check['metric']} with the prediction over "
               f"{int(m.window.sum())} points = {e:.4g} [{lo:.4g}, {hi:.4g}], at least {1 - m.tol:.4g} required")
    return C.outcome_of(result, C.decide(lo, hi, *band), e, lo, hi, 1.0, message, band, m.n, "absolute")


def draw(ax, check: dict, result: dict, panel) -> None:
    """The measured points joined in the grid's order, with the correlation in the legend (the prediction's own scale
    may differ from the measurement's: only its order is compared)."""
    ax.plot(panel.x, panel.estimate, "-", lw=0.8, color=panel.color,
            label=f"Spearman with theory {result['estimate']:.3f}" if result.get("estimate") is not None else None)


def targets(check: dict) -> tuple[np.ndarray, np.ndarray]:
    """The prediction itself (its order) and the prediction with its order reversed over the window."""
    values = np.asarray([np.nan if v is None else v for v in check["grid"]["values"]], dtype=float)
    w = np.asarray(check["grid"]["in_window"])
    reversed_ = values.copy()
    reversed_[w] = values[w][::-1]
    return values, reversed_
