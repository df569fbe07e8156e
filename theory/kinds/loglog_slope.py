"""Kind loglog_slope: the OLS slope of log(measured) against log(x) over the window against the prediction's limiting slope lim x d(log f)/dx; symbolic half."""

import sympy as sp

from artefacts.numeric import loglog_slope
from theory.kinds import Option

OPTIONS = {"limit_point": Option(sp.oo)}  # where the limiting slope is taken (0 for a small-x regime)
DENSE = False  # drawn from the derived slope, not from the prediction on a fine grid


def validate(check) -> None:
    if check.scale != "relative" or check.series is not None:
        raise ValueError(f"check {check.name!r}: loglog_slope takes neither scale nor series")


def limiting_slope(expr: sp.Expr, x: sp.Symbol, point) -> sp.Expr:
    """lim x d(log f)/dx at ``point``: the log-log slope the claim predicts, exact."""
    return sp.limit(x * sp.diff(expr, x) / expr, x, point)


def derive(check, grid) -> dict:
    slope = limiting_slope(grid.substituted, grid.x_symbol, check.options["limit_point"])
    inside = grid.inside
    return {
        "name": "slope",
        "value": float(slope),
        "latex": grid.latex(slope),
        # The exact OLS slope of the formula over the same finite window: how far the limit is from what a perfect
        # measurement on this grid would show.
        "window_value": loglog_slope(grid.xs[inside], grid.values[inside]) if inside.sum() >= 2 else None,
    }
