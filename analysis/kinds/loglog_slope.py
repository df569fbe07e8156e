"""Kind loglog_slope: the OLS slope of log(seed-reduced curve) against log(x) over the window, with its bootstrap CI, within ± tolerance of the limiting slope; empirical half."""

from __future__ import annotations

import math

import numpy as np

from analysis import comparators as C
from artefacts.numeric import loglog_slope

LINE = (":", "limit slope")


def compare(check: dict, arrays: dict, seed: int = 0) -> dict:
    m, result = C.prepare(check, arrays, seed, at_least=2)
    e, lo, hi = m.ci(lambda idx: loglog_slope(m.x[m.window], m.f(idx)[m.window]))
    predicted = float(check["derived"]["value"])
    band = (predicted - m.tol, predicted + m.tol)
    wv = check["derived"]["window_value"]
    message = f"slope {e:.4g} [{lo:.4g}, {hi:.4g}] vs limit {predicted:.4g} ± {m.tol:g}" + (
        f" (the formula's own slope on this window: {wv:.4g})" if wv is not None else "")
    return C.outcome_of(result, C.decide(lo, hi, *band), e, lo, hi, predicted, message, band, m.n, "absolute")


def draw(ax, check: dict, result: dict, panel) -> None:
    """The predicted slope through the measured points' centre of mass, over the shaded fit window."""
    x, est, w = panel.x, panel.estimate, panel.in_window
    if w.sum() < 2:
        return
    ax.axvspan(x[w].min(), x[w].max(), color="0.85", alpha=0.5, lw=0, zorder=0)
    slope = check["derived"]["value"]
    lx, ly = np.log(x[w]), np.log(est[w])
    anchor = math.exp(ly.mean() - slope * lx.mean())
    xs = np.geomspace(x[w].min(), x[w].max(), 50)
    ax.plot(xs, anchor * xs**slope, LINE[0], color="k", lw=1.2, label=f"slope {slope:.3g} (theory, fit window shaded)")


def targets(check: dict) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(check["grid"]["x_values"])
    values = np.asarray([np.nan if v is None else v for v in check["grid"]["values"]], dtype=float)
    slope, w = check["derived"]["value"], np.asarray(check["grid"]["in_window"])
    anchor = values[w][0] / x[w][0] ** slope if values[w][0] > 0 else 1.0
    return anchor * x**slope, anchor * x ** (slope + 3 * check["tolerance"])
