"""The declaration of a claim: statement, source, sympy prediction(s), protocol and tolerance (DESIGN.md "A claim is declared once")."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import sympy as sp

# The comparison vocabulary.  Each kind has a symbolic half (theory/comparisons.py) and an
# empirical half (analysis/comparators.py); a claim names a kind, it never implements one.
KINDS = ("bound_holds", "loglog_slope", "curve", "extremum_location", "peak_prominence", "monotone", "end_ratio")
# extremum_location: the grid point where the seed-reduced curve is largest (or smallest) against a predicted
# location (a sympy expression in the run parameters, not in x).  peak_prominence: the curve's maximum over
# max(lowest value left of it, last value), a lower bound given by the prediction (e.g. 6/5: a peak 20% above both
# sides).  Both locate features of a measured curve whose closed form may be infinite there (a pole).
# monotone: every ratio y(x_{i+1})/y(x_i) of consecutive window points of the seed-reduced curve is at most the
# prediction (bound "upper"; 1 means non-increasing) or at least it (bound "lower"; 1 means non-decreasing).
# end_ratio: y(first window point)/y(last window point) against the prediction as a bound, e.g. ">= 3" for a time
# that shrinks at least threefold across the sweep.  Both are for phenomenological claims with an ordering but no curve.
SCALAR_KINDS = ("extremum_location", "peak_prominence", "monotone", "end_ratio")  # one number per check, not per point
FAMILY_TITLES = {
    "sgd": "SGD stationary-point rates and non-convex optimisation",
    "rnn": "Vanishing and exploding RNN gradients, LSTM and GRU",
    "dd": "Double descent: min-norm interpolation, ridge, random features and networks",
    "grokking": "Grokking: delayed generalisation on modular arithmetic",
}
FAMILIES = tuple(FAMILY_TITLES)
SCALES = ("smoke", "full")
# How the seeds of a run become one measured value per grid point.  "max" is the worst run, for
# deterministic inequalities that must hold in every run; "median" turns "in >= 3 of 5 seeds"
# into one number.
REDUCERS = ("mean", "median", "max", "min")
# "relative": measured/predicted must lie in 1 ± tol (bound: <= 1 + tol).  "absolute":
# measured - predicted in ± tol, for quantities already on a log scale (rates, log-norms)
# and for predictions that are 0.
SCALINGS = ("relative", "absolute", "log")  # log: |log(measured/predicted)| <= log(1 + tol), "within a factor 1 + tol"
BOUNDS = ("upper", "lower")


@dataclass(frozen=True)
class Crossing:
    """Turn a measured decreasing curve y(x) into the level-crossing x(level).

    For each value of ``symbol`` the analysis finds the smallest grid x at which the
    seed-mean of the metric falls below ``level`` (a sympy expression in ``symbol``),
    interpolating log-log between grid points.  Used by iteration-complexity claims:
    T(eps) = min{T : A(T) <= eps**2}.
    """

    symbol: str
    values: tuple[float, ...]
    level: sp.Expr
    grid: str  # the run parameter the metric is measured on (e.g. "T")


@dataclass(frozen=True)
class Check:
    """One comparison of a measured quantity with a sympy prediction on one run.

    ``prediction`` is a sympy expression whose free symbols are ``x`` and parameter names
    of ``run`` (the experiment's parameter names), so that it is evaluated on the run's
    grid without typing a number twice.  ``window`` restricts the comparison to
    lo <= x <= hi (sympy expressions in the run parameters and in x_min/x_max, the ends
    of the grid, or numbers).
    """

    name: str
    kind: str
    run: str
    metric: str
    x: str
    prediction: sp.Expr
    tolerance: float | Mapping[str, float]  # one band, or one per scale ({"smoke": 0.1, "full": 0.05})
    tolerance_reason: str
    description: str
    window: tuple[Any, Any] | None = None
    # loglog_slope: the predicted slope is lim x d(log f)/dx at this point (sympy limit).
    limit_point: Any = sp.oo
    crossing: Crossing | None = None
    # A run parameter listed beside x (same length) that labels several curves on one grid,
    # e.g. the gain of each (gain, lag) point; the prediction may use it as a symbol.
    series: str | None = None
    reduce: str = "mean"
    scale: str = "relative"
    bound: str = "upper"  # bound_holds: measured <= prediction ("upper") or >= ("lower")
    # Vertical lines the figure draws on this check's panel, (label, x as a sympy expression in the run
    # parameters), e.g. the critical gain the theory predicts.
    marks: tuple[tuple[str, Any], ...] = ()
    # Parts of the window left out of the comparison, (lo, hi) pairs like the window's: a pole and its heavy-tailed
    # neighbourhood, declared rather than hidden (the points are still measured, tabled and drawn).
    exclude: tuple[tuple[Any, Any], ...] = ()
    extremum: str = "max"  # extremum_location: "max" (a peak) or "min" (a trough)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"check {self.name!r}: unknown kind {self.kind!r}; valid kinds: {', '.join(KINDS)}")
        for field_name, value, valid in (("reduce", self.reduce, REDUCERS), ("scale", self.scale, SCALINGS),
                                         ("bound", self.bound, BOUNDS)):
            if value not in valid:
                raise ValueError(f"check {self.name!r}: unknown {field_name} {value!r}; valid: {', '.join(valid)}")
        if self.kind == "loglog_slope" and (self.scale != "relative" or self.series is not None):
            raise ValueError(f"check {self.name!r}: loglog_slope takes neither scale nor series")
        if self.extremum not in ("max", "min"):
            raise ValueError(f"check {self.name!r}: extremum must be 'max' or 'min', got {self.extremum!r}")
        if self.kind in SCALAR_KINDS:
            if self.series is not None:
                raise ValueError(f"check {self.name!r}: {self.kind} takes no series")
            if any(s.name == self.x for s in getattr(self.prediction, "free_symbols", ())):
                raise ValueError(f"check {self.name!r}: a {self.kind} prediction is a number or an expression in the run parameters, not in {self.x!r}")
        if not isinstance(self.prediction, sp.Basic):
            raise TypeError(f"check {self.name!r}: prediction must be a sympy expression")
        bands = self.tolerance.values() if isinstance(self.tolerance, Mapping) else [self.tolerance]
        if isinstance(self.tolerance, Mapping) and set(self.tolerance) != set(SCALES):
            raise ValueError(f"check {self.name!r}: a per-scale tolerance needs exactly the scales {', '.join(SCALES)}")
        if any(t < 0 for t in bands):
            raise ValueError(f"check {self.name!r}: tolerance must be >= 0")

    def tolerance_at(self, scale: str) -> float:
        return float(self.tolerance[scale]) if isinstance(self.tolerance, Mapping) else float(self.tolerance)


@dataclass(frozen=True)
class Trace:
    """A figure panel of raw curves from a run, beside the check panels: what happened over training time (or over
    frequency), which no check compares point by point.

    ``metrics`` are run arrays of shape (seeds, T) or (seeds, grid, T) over the run array ``x`` (T,); each grid value
    is drawn (the median over seeds, with every seed thin), labelled by the run array ``grid`` (e.g. the weight
    decays).  ``events`` are per-seed arrays (seeds, grid) of x positions, e.g. t_mem and
    t_gen, marked at their median over seeds."""

    run: str
    x: str
    metrics: tuple[str, ...]
    title: str
    events: tuple[str, ...] = ()
    grid: str = ""
    logx: bool = True
    logy: bool = False
    ylabel: str = ""


@dataclass(frozen=True)
class Scale:
    """The runs of a claim at one scale: run name -> experiment parameters."""

    n_seeds: int
    runs: Mapping[str, Mapping[str, Any]]
    threads: int = 1
    gpu: bool = False
    runtime_min: int = 10
    mem_mb: int = 2000


@dataclass(frozen=True)
class Claim:
    """A checkable claim of the source notes, declared once in theory/claims/<id>.py."""

    id: str
    family: str
    title: str
    statement: str  # text with inline $LaTeX$
    source: str  # seed file name + section + lines
    reference: str  # literature reference with theorem number
    experiment: str  # module name under experiments/ (a string: theory never imports torch)
    scales: Mapping[str, Scale]
    checks: tuple[Check, ...]
    protocol: str
    notes: str = ""  # where the notes are loose or wrong, and what the literature says
    control: bool = False
    depends: tuple[str, ...] = field(default_factory=tuple)  # shared theory modules, for Snakemake inputs
    # Figure layout: False, one panel per (run, x); True, one panel per (metric, x) with the runs overlaid in
    # colours (for runs that are the arms of one comparison, e.g. architectures on the same task).
    overlay_runs: bool = False
    traces: tuple[Trace, ...] = ()

    @property
    def expected(self) -> str:
        return "fail" if self.control else "pass"

    def __post_init__(self) -> None:
        if self.family not in FAMILIES:
            raise ValueError(f"claim {self.id!r}: unknown family {self.family!r}; valid: {', '.join(FAMILIES)}")
        missing = [s for s in SCALES if s not in self.scales]
        if missing:
            raise ValueError(f"claim {self.id!r}: no declaration for scale(s) {missing}")
        if not self.checks:
            raise ValueError(f"claim {self.id!r}: declares no check")
        names = [c.name for c in self.checks]
        if len(set(names)) != len(names):
            raise ValueError(f"claim {self.id!r}: duplicate check names {names}")
        for scale_name, scale in self.scales.items():
            for trace in self.traces:
                if trace.run not in scale.runs:
                    raise ValueError(f"claim {self.id!r}: trace {trace.title!r} names run {trace.run!r}, absent at scale {scale_name!r}")
            for check in self.checks:
                if check.run not in scale.runs:
                    raise ValueError(
                        f"claim {self.id!r}: check {check.name!r} names run {check.run!r}, "
                        f"absent at scale {scale_name!r} (runs: {sorted(scale.runs)})"
                    )
