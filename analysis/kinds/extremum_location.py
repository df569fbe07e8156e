"""Kind extremum_location: the grid point where the seed-reduced curve peaks (or dips), with its bootstrap CI, against the predicted location on the check's scale; empirical half."""

from __future__ import annotations

import math

import numpy as np

from analysis import comparators as C

LINE = ("-.", "location")


def compare(check: dict, arrays: dict, seed: int = 0) -> dict:
    m, result = C.prepare(check, arrays, seed, at_least=3, smooth=False)  # a grid point: discrete
    xw = m.x[m.window]
    extremum = check["options"]["extremum"]
    pick = np.argmax if extremum == "max" else np.argmin
    predicted = float(check["derived"]["value"])
    e, lo, hi = m.ci(lambda idx: xw[pick(m.f(idx)[m.window])])
    # The location is compared like any measured value, on the check's scale; the band is shown in x units.
    band = (m.centre - m.band_half, m.centre + m.band_half)
    gap_lo, gap_hi = (float(v) for v in m.against_interval(lo, hi, predicted))
    outcome = C.decide(gap_lo, gap_hi, *band)
    inverse = {"absolute": lambda b: predicted + b, "log": lambda b: predicted * math.exp(b)}.get(
        m.scale, lambda b: predicted * b)
    message = (f"arg{extremum} over {check['x']} = {e:.4g} [{lo:.4g}, {hi:.4g}] vs predicted "
               f"{predicted:.4g}, band [{inverse(band[0]):.4g}, {inverse(band[1]):.4g}]")
    gap_e = float(m.against(e, predicted))
    graded = C.outcome_of(result, outcome, gap_e, gap_lo, gap_hi, predicted, message, band, m.n, m.scale)
    # Reported in x units, as the message states it: the location, its CI and the band around the prediction.
    return {**graded, "estimate": float(e), "ci": [float(lo), float(hi)],
            "band": [float(inverse(band[0])), float(inverse(band[1]))]}


def draw(ax, check: dict, result: dict, panel) -> None:
    """The predicted location as a vertical line, the measured one's CI as a shaded span."""
    at, extremum = check["derived"]["value"], check["options"]["extremum"]
    ax.axvline(at, color="k", ls=LINE[0], lw=1.1, label=f"predicted arg{extremum} = {at:.4g}")
    if result.get("ci"):
        ax.axvspan(*result["ci"], color=panel.color, alpha=0.15, lw=0, label=f"measured arg{extremum} (95% CI)")


def bump(x: np.ndarray, at: int) -> np.ndarray:
    """A smooth positive feature centred on grid point ``at`` (in log x)."""
    lx = np.log(np.abs(x) + 1e-300)
    return np.exp(-((lx - lx[at]) ** 2) / 0.02)


def targets(check: dict) -> tuple[np.ndarray, np.ndarray]:
    """A feature at the grid point nearest the prediction, and one at the window point farthest from it."""
    x, w = np.asarray(check["grid"]["x_values"]), np.asarray(check["grid"]["in_window"])
    inside = np.flatnonzero(w)
    where = check["derived"]["value"]
    near = inside[np.argmin(np.abs(x[inside] - where))]
    far = inside[np.argmax(np.abs(x[inside] - where))]
    shape = (lambda at: 1 + bump(x, at)) if check["options"]["extremum"] == "max" else (lambda at: 2 - bump(x, at))
    return shape(near), shape(far)
