"""Kind curve: measured against predicted (a ratio, a difference or a log ratio) inside the band at every window point, each with its bootstrap CI; the worst point is reported; empirical half."""

from __future__ import annotations

import math

import numpy as np

from analysis import comparators as C

LINE = ("-", "exact")


def compare(check: dict, arrays: dict, seed: int = 0) -> dict:
    m, result = C.prepare(check, arrays, seed)
    ratio = m.gap(m.est)
    rlo, rhi = m.gap_interval()
    band = (m.centre - m.band_half, m.centre + m.band_half)
    per_point = [C.decide(a, b, *band) for a, b in zip(rlo, rhi)]
    # The check fails as soon as one point does: its resolution is the smallest over the points, its power the worst.
    smallest = min((C.resolution(a, b, band, m.scale) for a, b in zip(rlo, rhi)), key=lambda r: math.inf if r is None else r)
    ratios = [r for r in (C.ci_to_band(a, b, band) for a, b in zip(rlo, rhi)) if r is not None]
    power = max(ratios) if ratios else None  # None: a zero-width band, an exact check
    outcome = next(o for o in C.ORDER if o in per_point)
    k = int(np.argmax(np.abs(ratio - m.centre)))
    e, lo, hi = ratio[k], rlo[k], rhi[k]
    message = (f"worst point {m.where(k)}: {m.what} = {e:.4g} [{lo:.4g}, {hi:.4g}]; "
               f"{per_point.count('pass')}/{len(per_point)} points inside ±{m.tol:g}")
    return C.outcome_of(result, outcome, e, lo, hi, m.centre, message, band, m.n, m.scale, power, smallest)


def draw(ax, check: dict, result: dict, panel) -> None:
    """The exact curve, in its metric's colour, once per expression."""
    if check["expression"] in panel.drawn:
        return
    panel.drawn.add(check["expression"])
    ax.plot(*panel.theory_line(check), LINE[0], color=panel.color, lw=1.3, label=f"{panel.ylabel}: {LINE[1]} (theory)")


def targets(check: dict) -> tuple[np.ndarray, np.ndarray]:
    values = np.asarray([np.nan if v is None else v for v in check["grid"]["values"]], dtype=float)
    off = 3 * max(check["tolerance"], 0.01)
    return values, (values + off) if check["scale"] == "absolute" else values * (1 + off)
