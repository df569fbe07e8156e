"""Kind bound_holds: the worst gap to the predicted bound over the window, with its bootstrap CI, lies on the bound's side within the margin; empirical half."""

from __future__ import annotations

import numpy as np

from analysis import comparators as C

LINE = ("--", "bound")


def compare(check: dict, arrays: dict, seed: int = 0) -> dict:
    m, result = C.prepare(check, arrays, seed)
    upper = check["options"]["bound"] == "upper"
    # One scalar: the worst gap to the bound over the window, with its own bootstrap CI.
    worst_of = np.max if upper else np.min
    e, lo, hi = m.ci(lambda idx: worst_of(m.gap(m.f(idx))))
    band = (-np.inf, m.centre + m.band_half) if upper else (m.centre - m.band_half, np.inf)
    gaps = m.gap(m.est)
    k = int(np.argmax(gaps) if upper else np.argmin(gaps))
    message = (f"{'max' if upper else 'min'} over {check['x']} of {m.what} = {e:.4g} [{lo:.4g}, {hi:.4g}] "
               f"at {m.where(k)}: measured {m.est[m.window][k]:.4g}, bound {m.predicted[m.window][k]:.4g} "
               f"({'upper' if upper else 'lower'} bound, margin {m.tol:g})")
    return C.outcome_of(result, C.decide(lo, hi, *band), e, lo, hi, m.centre, message, band, m.n, m.scale)


def draw(ax, check: dict, result: dict, panel) -> None:
    """The bound over the window where it is checked, black, once per (bound, window)."""
    x, pred, w = panel.x, panel.predicted, panel.in_window
    bound = check["options"]["bound"]
    ident = (check["expression"], bound, tuple(x[w]))
    if ident in panel.drawn or not w.any():
        return
    panel.drawn.add(ident)
    if w.sum() > 1:
        xs, ps = panel.theory_line(check, lo=x[w].min(), hi=x[w].max())
    else:
        xs, ps = np.array([x[w][0] * 0.93, x[w][0] * 1.07]), np.repeat(pred[w], 2)
    sharing = [d["run"] for d in panel.checks if d["kind"] == "bound_holds" and d["expression"] == check["expression"]
               and d["options"]["bound"] == bound]
    where = f" on {', '.join(dict.fromkeys(sharing))}" if panel.overlay else ""
    ax.plot(xs, ps, LINE[0], color="k", lw=1.3, label=f"{bound} {LINE[1]}{where} (theory)")


def targets(check: dict) -> tuple[np.ndarray, np.ndarray]:
    values = np.asarray([np.nan if v is None else v for v in check["grid"]["values"]], dtype=float)
    tol = check["tolerance"]
    sign = 1 if check["options"]["bound"] == "upper" else -1  # the side the bound forbids
    if check["scale"] == "absolute":
        inside = values - sign * (0.1 * np.abs(values) + 0.1)
        return inside, values + sign * (0.5 * np.abs(values) + 1 + tol)
    return (values * 0.9, values * (1.5 + tol)) if sign > 0 else (values * 1.1, values * (1 - tol) / 2)
