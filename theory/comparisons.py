"""The symbolic side every comparison kind shares: evaluate a check's sympy prediction on its run's grid, its window and exclusions, its LaTeX, and the kind's derived number (theory/kinds/<kind>.py)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Mapping

import mpmath
import numpy as np
import sympy as sp

from theory import kinds
from theory.claim import Check

X_MIN, X_MAX = sp.Symbol("x_min"), sp.Symbol("x_max")  # the ends of a check's grid, usable in its window
DENSE_POINTS = 120
# A prediction that is an integral or a Python-implemented quadrature costs 0.2-0.5 s per point: its figure line is
# drawn through fewer points, which for the smooth curves these are looks the same.
DENSE_QUADRATURE_POINTS = 30

# ---- LaTeX of symbol names --------------------------------------------------------------------------------------
GREEK = frozenset(("alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi rho "
                   "sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi "
                   "Omega").split())
LATEX_NAMES: dict[str, str] = {}  # names whose LaTeX no rule gives, declared by the family that defines them


def declare_latex(**names: str) -> None:
    """Declare the LaTeX of symbol names no rule of latex_name() renders right (``r2`` is r squared, not r_2)."""
    for name, latex in names.items():
        if LATEX_NAMES.get(name, latex) != latex:
            raise ValueError(f"symbol {name!r} is declared with two LaTeX forms: {LATEX_NAMES[name]!r} and {latex!r}")
        LATEX_NAMES[name] = latex


def _letter(base: str) -> str:
    return f"\\{base}" if base in GREEK else base


def _roman(text: str) -> str:
    return text if len(text) == 1 else "\\mathrm{" + text.replace("_", "\\_") + "}"


def latex_name(name: str) -> str:
    """How a parameter name reads in a formula: sigma2 is sigma squared (the project's names for variances),
    theta0_sq is theta_0 squared, lambda1 is lambda_1, sigma_in is sigma with subscript 'in', and a word such as lr or
    weight_decay is set upright as one word, not as a product of letters."""
    if name in LATEX_NAMES:
        return LATEX_NAMES[name]
    if name in GREEK or len(name) == 1:
        return _letter(name)
    m = re.fullmatch(r"([A-Za-z]+?)(\d*)_sq", name)
    if m and (m.group(1) in GREEK or len(m.group(1)) == 1):
        sub = f"_{{{m.group(2)}}}" if m.group(2) else ""
        return f"{{{_letter(m.group(1))}{sub}}}^{{2}}"
    m = re.fullmatch(r"([A-Za-z]+?)(\d+)", name)
    if m and m.group(1) in GREEK and m.group(2) == "2":
        return f"{{{_letter(m.group(1))}^{{2}}}}"
    if m and (m.group(1) in GREEK or len(m.group(1)) == 1):
        return f"{_letter(m.group(1))}_{{{m.group(2)}}}"
    m = re.fullmatch(r"([A-Za-z]+?)_(\w+)", name)
    if m and (m.group(1) in GREEK or len(m.group(1)) == 1):
        return f"{_letter(m.group(1))}_{{{_roman(m.group(2))}}}"
    return _roman(name)


def latex(expr: sp.Basic) -> str:
    """sympy's LaTeX with every symbol name rendered by latex_name(), and a thin space between the factors of a product:
    math mode ignores sympy's plain space, so two upright names such as lr and weight_decay would run together."""
    return sp.latex(expr, symbol_names={s: latex_name(s.name) for s in expr.free_symbols if isinstance(s, sp.Symbol)},
                    mul_symbol=r"\,")


# ---- evaluation on the grid -------------------------------------------------------------------------------------
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
            # mpmath numbers in, not sympy Floats: a sympy Float inside the generated function makes every arithmetic
            # operation build a sympy expression (60 s for one quadrature curve of E2, against 1 s all in mpmath).
            out.append(float(f(*(mpmath.mpf(a) if isinstance(a, (int, float, np.floating, np.integer)) else a
                                 for a in point))))
        except (TypeError, ValueError, ZeroDivisionError):
            out.append(float(e.subs(dict(zip(args, point))).evalf(30)))
    return np.asarray(out, dtype=float)


def x_values(check: Check, params: Mapping[str, Any]) -> np.ndarray:
    if check.crossing is not None:
        return np.asarray(check.crossing.values, dtype=float)
    values = params.get(check.x)
    if values is None or not isinstance(values, (list, tuple)):
        raise KeyError(f"check {check.name!r}: run parameter {check.x!r} must be the grid (a list)")
    return np.asarray(values, dtype=float)


def resolve(value: Any) -> sp.Basic:
    """A declared bound or mark as sympy: a number, an expression, or a function of no argument returning one (a
    value that takes sympy time to derive, computed when the prediction is written rather than at import)."""
    return sp.sympify(value() if callable(value) and not isinstance(value, sp.Basic) else value)


def _interval(bounds, check: Check, params: Mapping[str, Any]) -> tuple[float, float]:
    xs = x_values(check, params)
    ends = {**params, "x_min": float(np.min(xs)), "x_max": float(np.max(xs))}
    lo, hi = (float(substitute(resolve(b), ends)) for b in bounds)
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


@dataclass
class Grid:
    """A check's prediction on its run's grid: what a kind's derive() reads."""

    check: Check
    params: Mapping[str, Any]

    @cached_property
    def expr(self) -> sp.Basic:
        return self.check.expr(self.params)

    @cached_property
    def substituted(self) -> sp.Expr:
        """The prediction with every run parameter but x (and the series label) replaced by its value."""
        return substitute(self.expr, self.params, keep=(self.check.x, self.check.series))

    @cached_property
    def x_symbol(self) -> sp.Symbol:
        return x_symbol(self.substituted, self.check.x)

    @cached_property
    def xs(self) -> np.ndarray:
        return x_values(self.check, self.params)

    @cached_property
    def labels(self) -> list | None:
        return series_values(self.check, self.params, len(self.xs))

    @cached_property
    def values(self) -> np.ndarray:
        return evaluate(self.expr, self.check.x, self.xs, self.params, self.check.series, self.labels)

    @cached_property
    def window(self) -> tuple[float, float]:
        return window_bounds(self.check, self.params)

    @cached_property
    def inside(self) -> np.ndarray:
        lo, hi = self.window
        xs = self.xs
        return (xs >= lo * (1 - 1e-12)) & (xs <= hi * (1 + 1e-12)) & ~excluded(self.check, self.params, xs)

    @staticmethod
    def latex(expr: sp.Basic) -> str:
        return latex(expr)


def numerical(expr: sp.Expr) -> bool:
    """Whether evaluating the prediction takes a numerical computation per point: an integral, or a function
    implemented in Python (implemented_function, e.g. the WGAN-GP optimum's quadratures, about 0.4 s a point)."""
    return expr.has(sp.Integral) or any(hasattr(f.func, "_imp_") for f in expr.atoms(sp.Function))


def dense_curve(grid: Grid) -> dict | None:
    """The prediction on a fine grid between the ends of the measured grid, per series label, for the figure's theory
    line (the comparison itself uses only the measured grid).  None where a fine grid adds nothing: kinds that draw no
    curve, crossings, grids already fine, or a prediction that cannot be evaluated between grid points."""
    check, xs, labels = grid.check, grid.xs, grid.labels
    if (not kinds.draws_dense(check.kind) or check.crossing is not None
            or len(xs) >= DENSE_POINTS or len(set(xs.tolist())) < 2):
        return None
    out = {"x": [], "values": [], "series": []}
    for label in (dict.fromkeys(labels) if labels is not None else [None]):
        pick = xs if label is None else xs[np.asarray(labels) == label]
        lo, hi = float(pick.min()), float(pick.max())
        if hi <= lo:
            continue
        n = DENSE_QUADRATURE_POINTS if numerical(grid.expr) else DENSE_POINTS
        fine = np.geomspace(lo, hi, n) if lo > 0 and hi / lo > 20 else np.linspace(lo, hi, n)
        try:
            values = evaluate(grid.expr, check.x, fine.tolist(), grid.params, check.series,
                              None if label is None else [label] * len(fine))
        except (TypeError, ValueError, ZeroDivisionError, KeyError):
            return None
        if not np.any(np.isfinite(values)):
            return None
        out["x"] += fine.tolist()
        out["values"] += [v if math.isfinite(v) else None for v in values.tolist()]  # a pole: a gap in the line
        out["series"] += [label] * len(fine)
    return out if out["x"] else None


def _finite(values) -> list:
    """JSON has no infinity: a non-finite value (a pole on an excluded point) is written as null."""
    return [v if math.isfinite(v) else None for v in values]


def _json_option(value: Any) -> Any:
    return str(value) if isinstance(value, sp.Basic) else value


def derive(check: Check, params: Mapping[str, Any], scale: str = "smoke") -> dict:
    """Everything the analysis and the report need from the symbolic side of one check, at one scale; every field
    filled (artefacts/schemas.py), so that readers never restate a default."""
    grid = Grid(check, params)
    expr, xs, labels = grid.expr, grid.xs, grid.labels
    crossing = check.crossing
    return {
        "name": check.name,
        "kind": check.kind,
        "run": check.run,
        "metric": check.metric,
        "x": check.x,
        "description": check.description,
        "expression": sp.srepr(expr),
        "latex": latex(expr),
        "symbols": sorted(s.name for s in expr.free_symbols),
        "derived": kinds.get(check.kind).derive(check, grid),
        "tolerance": check.tolerance_at(scale),
        "tolerance_reason": check.tolerance_reason,
        "role": check.role,
        "tuned": check.tuned,
        "reduce": check.reduce,
        "scale": check.scale,
        "options": {k: _json_option(v) for k, v in check.options.items()},
        "window": _finite(grid.window),
        "marks": [{"label": label, "value": float(substitute(resolve(at), params))} for label, at in check.marks],
        "exclude": [list(_interval(b, check, params)) for b in check.exclude],
        "crossing": None if crossing is None else {
            "symbol": crossing.symbol,
            "values": list(map(float, crossing.values)),
            "level": sp.srepr(crossing.level),
            "level_values": [float(crossing.level.subs(x_symbol(crossing.level, crossing.symbol), v))
                             for v in crossing.values],
            "grid": crossing.grid,
        },
        "grid": {"x": check.x, "x_values": xs.tolist(), "values": _finite(grid.values.tolist()),
                 "in_window": grid.inside.tolist(),
                 "series": None if labels is None else {"name": check.series, "values": [float(v) for v in labels]}},
        "dense": dense_curve(grid),
    }
