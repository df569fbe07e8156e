"""Symbolic half of the comparison kinds: evaluate a check's sympy prediction on its run's grid and derive the compared number (DESIGN.md "A claim is declared once")."""

from __future__ import annotations

import math
from typing import Any, Mapping

import numpy as np
import sympy as sp

from theory.claim import SCALAR_KINDS, Check, Claim


def by_name(expr: sp.Basic) -> dict[str, sp.Symbol]:
    return {s.name: s for s in expr.free_symbols}


def substitute(expr: sp.Expr, params: Mapping[str, Any], keep: str | tuple[str | None, ...] | None = None) -> sp.Expr:
    """Replace every free symbol named like a run parameter (except those in ``keep``) by its value.

    Symbols are matched by name because claim files may declare them with assumptions
    (positive=True), which makes sp.Symbol('T') != sp.Symbol('T', positive=True).
    """
    kept = set(keep) if isinstance(keep, tuple) else {keep}
    subs = {}
    for name, sym in by_name(expr).items():
        if name in kept:
            continue
        if name not in params:
            raise KeyError(f"prediction symbol {name!r} is neither the grid variable nor a run parameter")
        value = params[name]
        if isinstance(value, (list, tuple)):
            raise TypeError(f"prediction symbol {name!r} is a grid parameter; declare it as the check's x")
        subs[sym] = sp.nsimplify(value, rational=True) if isinstance(value, float) else value
    return expr.subs(subs)


def x_symbol(expr: sp.Expr, name: str) -> sp.Symbol:
    return by_name(expr).get(name, sp.Symbol(name, positive=True))


def series_values(check: Check, params: Mapping[str, Any], n: int) -> list | None:
    """The series label of every grid point (None without a series); it must be a list as long as the grid."""
    if check.series is None:
        return None
    values = params.get(check.series)
    if not isinstance(values, (list, tuple)) or len(values) != n:
        raise KeyError(f"check {check.name!r}: series parameter {check.series!r} must be a list as long as {check.x!r} ({n})")
    return list(values)


def evaluate(expr: sp.Expr, x: str, x_values, params: Mapping[str, Any], series: str | None = None,
             labels: list | None = None) -> np.ndarray:
    """Values of the prediction at the grid points (x, and the series label when there is one), float64, point by point (Min/Piecewise safe)."""
    e = substitute(expr, params, keep=(x, series))
    args = [x_symbol(e, x)] + ([x_symbol(e, series)] if series else [])
    f = sp.lambdify(args, e, modules=["mpmath"])
    out = []
    for i, v in enumerate(x_values):
        point = [v] + ([labels[i]] if series else [])
        try:
            out.append(float(f(*(sp.Float(a, 30) for a in point))))
        except (TypeError, ValueError, ZeroDivisionError):
            out.append(float(e.subs(dict(zip(args, point))).evalf(30)))
    return np.asarray(out, dtype=float)


X_MIN, X_MAX = sp.Symbol("x_min"), sp.Symbol("x_max")  # the ends of a check's grid, usable in its window


def _interval(bounds, check: Check, params: Mapping[str, Any]) -> tuple[float, float]:
    xs = x_values(check, params)
    ends = {**params, "x_min": float(np.min(xs)), "x_max": float(np.max(xs))}
    lo, hi = (float(substitute(sp.sympify(b), ends)) for b in bounds)
    return lo, hi


def window_bounds(check: Check, params: Mapping[str, Any]) -> tuple[float, float]:
    """The window's ends: sympy expressions in the run parameters and in x_min/x_max, the ends of the grid, so that
    one window ('the longest quarter of the horizons') serves scales with different grids."""
    if check.window is None:
        return (-math.inf, math.inf)
    return _interval(check.window, check, params)


def excluded(check: Check, params: Mapping[str, Any], xs: np.ndarray) -> np.ndarray:
    """True at the grid points inside one of the check's declared exclusions (closed intervals)."""
    out = np.zeros(len(xs), dtype=bool)
    for bounds in check.exclude:
        lo, hi = _interval(bounds, check, params)
        out |= (xs >= lo) & (xs <= hi)
    return out


def x_values(check: Check, params: Mapping[str, Any]) -> np.ndarray:
    if check.crossing is not None:
        return np.asarray(check.crossing.values, dtype=float)
    values = params.get(check.x)
    if values is None or not isinstance(values, (list, tuple)):
        raise KeyError(f"check {check.name!r}: run parameter {check.x!r} must be the grid (a list)")
    return np.asarray(values, dtype=float)


def limiting_slope(expr: sp.Expr, x: str, params: Mapping[str, Any], point) -> sp.Expr:
    """lim x d(log f)/dx at ``point``: the log-log slope the claim predicts, exact."""
    e = substitute(expr, params, keep=x)
    xs = x_symbol(e, x)
    return sp.limit(xs * sp.diff(e, xs) / e, xs, point)


def ols_slope(x: np.ndarray, y: np.ndarray) -> float:
    lx, ly = np.log(x), np.log(y)
    lx = lx - lx.mean()
    return float((lx * (ly - ly.mean())).sum() / (lx * lx).sum())


DENSE_POINTS = 120


def dense_curve(check: Check, params: Mapping[str, Any], xs: np.ndarray, labels: list | None) -> dict | None:
    """The prediction on a fine grid between the ends of the measured grid, per series label, for the figure's theory
    line (the comparison itself uses only the measured grid).  None where a fine grid adds nothing: crossings, slopes
    (drawn from the derived slope), grids already fine, or a prediction that cannot be evaluated between grid points."""
    if (check.kind == "loglog_slope" or check.kind in SCALAR_KINDS or check.crossing is not None
            or len(xs) >= DENSE_POINTS or len(set(xs.tolist())) < 2):
        return None
    out = {"x": [], "values": [], "series": []}
    for label in (dict.fromkeys(labels) if labels is not None else [None]):
        pick = xs if label is None else xs[np.asarray(labels) == label]
        lo, hi = float(pick.min()), float(pick.max())
        if hi <= lo:
            continue
        fine = np.geomspace(lo, hi, DENSE_POINTS) if lo > 0 and hi / lo > 20 else np.linspace(lo, hi, DENSE_POINTS)
        try:
            values = evaluate(check.prediction, check.x, fine.tolist(), params, check.series,
                              None if label is None else [label] * len(fine))
        except (TypeError, ValueError, ZeroDivisionError, KeyError):
            return None
        if not np.any(np.isfinite(values)):
            return None
        out["x"] += fine.tolist()
        out["values"] += [v if math.isfinite(v) else None for v in values.tolist()]  # a pole: a gap in the line
        out["series"] += [label] * len(fine)
    return out if out["x"] else None


def derive(claim: Claim, check: Check, params: Mapping[str, Any], scale: str = "smoke") -> dict:
    """Everything the analysis and the report need from the symbolic side of one check, at one scale."""
    xs = x_values(check, params)
    labels = series_values(check, params, len(xs))
    values = evaluate(check.prediction, check.x, xs, params, check.series, labels)
    lo, hi = window_bounds(check, params)
    inside = (xs >= lo * (1 - 1e-12)) & (xs <= hi * (1 + 1e-12)) & ~excluded(check, params, xs)
    derived: dict[str, Any] = {}
    if check.kind in SCALAR_KINDS:
        value = float(substitute(check.prediction, params))
        names = {"extremum_location": "location", "peak_prominence": "prominence", "monotone": "step ratio",
                 "end_ratio": "end ratio"}
        derived = {"name": names[check.kind], "value": value, "latex": sp.latex(check.prediction)}
    if check.kind == "loglog_slope":
        slope = limiting_slope(check.prediction, check.x, params, check.limit_point)
        derived = {
            "name": "slope",
            "value": float(slope),
            "latex": sp.latex(slope),
            # The exact OLS slope of the formula over the same finite window: how far the
            # limit is from what a perfect measurement on this grid would show.
            "window_value": ols_slope(xs[inside], values[inside]) if inside.sum() >= 2 else None,
        }
    expr = check.prediction
    return {
        "name": check.name,
        "kind": check.kind,
        "run": check.run,
        "metric": check.metric,
        "x": check.x,
        "description": check.description,
        "expression": sp.srepr(expr),
        "latex": sp.latex(expr),
        "symbols": sorted(s.name for s in expr.free_symbols),
        "derived": derived,
        "tolerance": check.tolerance_at(scale),
        "tolerance_reason": check.tolerance_reason,
        "reduce": check.reduce,
        "scale": check.scale,
        "bound": check.bound,
        "window": [v if math.isfinite(v) else None for v in (lo, hi)],
        "marks": [{"label": label, "value": float(substitute(sp.sympify(at), params))} for label, at in check.marks],
        "exclude": [list(_interval(b, check, params)) for b in check.exclude],
        "extremum": check.extremum,
        "crossing": None
        if check.crossing is None
        else {
            "symbol": check.crossing.symbol,
            "values": list(map(float, check.crossing.values)),
            "level": sp.srepr(check.crossing.level),
            "level_values": [
                float(check.crossing.level.subs(x_symbol(check.crossing.level, check.crossing.symbol), v))
                for v in check.crossing.values
            ],
            "grid": check.crossing.grid,
        },
        # A pole may sit on an excluded point: JSON has no infinity, so a non-finite prediction is written as null.
        "grid": {"x": check.x, "x_values": xs.tolist(), "values": [v if math.isfinite(v) else None for v in values.tolist()],
                 "in_window": inside.tolist(),
                 "series": None if labels is None else {"name": check.series, "values": [float(v) for v in labels]}},
        "dense": dense_curve(check, params, xs, labels),
    }

