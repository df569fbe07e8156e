"""The declaration of a claim: statement, source, sympy prediction(s), protocol and tolerance."""

from __future__ import annotations

import dataclasses
import inspect
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import sympy as sp

from theory import kinds
from theory.sources import Source

# smoke: minutes on 2 CPU cores; full: paper scale, meant for a GPU; test: seconds, for the determinism and signature
# tests only (its verdicts mean nothing).  The pipeline's configuration accepts smoke and full.
SCALES = ("smoke", "full", "test")
PIPELINE_SCALES = ("smoke", "full")
# How the seeds of a run become one measured value per grid point.  "max" is the worst run, for
# deterministic inequalities that must hold in every run; "median" turns "in >= 3 of 5 seeds"
# into one number.
REDUCERS = ("mean", "median", "max", "min")
# "relative": measured/predicted must lie in 1 ± tol (bound: <= 1 + tol).  "absolute": measured - predicted in ± tol,
# for quantities already on a log scale (rates, log-norms) and for predictions that are 0.  "log":
# |log(measured/predicted)| <= log(1 + tol), "within a factor 1 + tol".
SCALINGS = ("relative", "absolute", "log")
# What a check is evidence of.  "theory": a prediction of the notes or the literature that a wrong theory would fail.
# "identity": an implementation or definition check that correct code passes whatever the theory says (autograd against
# the chain rule, a library's own definition, an inequality that holds for every function of the class at the point
# tested); worth running, never counted as verified theory.
ROLES = ("theory", "identity")


@dataclass(frozen=True)
class Family:
    """A claim family, declared in its module theory/<name>.py as FAMILY: the report's section and the pytest marker."""

    name: str
    title: str
    order: int  # the report sections follow it: the catalogue's section number times 10 (A = 1: 10, B = 2: 20, ...)
    ids: str  # the catalogue ids it covers, e.g. "A1-A4", for the pytest marker's help line
    intro: str = ""  # the report's opening paragraph of the section: what the notes claim, what the literature proves


# How the lecture notes can be at fault where a claim finds them so: a false statement, a true one with a constant or
# a condition that is not the sharp one, a misprint, two places that disagree, or a statement that only holds under a
# reading the notes leave implicit.
ERRATUM_KINDS = ("wrong", "loose", "typo", "inconsistent", "imprecise")


@dataclass(frozen=True)
class Erratum:
    """A place where the lecture notes are wrong, loose, misprinted, inconsistent or imprecise, with the correction
    that the claim's experiment shows and the literature that proves it: the report's Errata section."""

    kind: str  # one of ERRATUM_KINDS
    notes_say: str  # what the notes state, text with inline $LaTeX$
    correction: str  # what holds instead, text with inline $LaTeX$
    reference: str  # the literature source of the correction

    def __post_init__(self) -> None:
        if self.kind not in ERRATUM_KINDS:
            raise ValueError(f"erratum kind {self.kind!r}: must be one of {ERRATUM_KINDS}")
        if not (self.notes_say.strip() and self.correction.strip() and self.reference.strip()):
            raise ValueError("an erratum states what the notes say, the correction and its reference")


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


Prediction = sp.Basic | Callable[[], sp.Basic]


@dataclass(frozen=True, init=False)
class Check:
    """One comparison of a measured quantity with a sympy prediction on one run.

    ``prediction`` is a sympy expression whose free symbols are ``x`` and parameter names of ``run`` (the experiment's
    parameter names), so that it is evaluated on the run's grid without typing a number twice; or a function
    returning one, for a prediction that takes sympy time to derive (a solve, a limit, a proof), so that declaring the
    claim stays cheap and the work is done when the prediction is written: of no argument, or of one, the run's
    parameters at the scale being written (a proof for the scale's modulus, say).  ``window`` restricts the
    comparison to lo <= x <= hi (sympy expressions in the run parameters and in x_min/x_max, the ends of the grid, or
    numbers).  Options of the check's kind (theory/kinds/<kind>.py: OPTIONS, e.g. ``bound="lower"``) are keyword
    arguments and are kept, defaults filled in, in ``options``.
    """

    name: str
    kind: str
    run: str
    metric: str
    x: str
    prediction: Prediction
    tolerance: float | Mapping[str, float]  # one band, or one per scale ({"smoke": 0.1, "full": 0.05})
    tolerance_reason: str
    description: str
    window: tuple[Any, Any] | None = None
    crossing: Crossing | None = None
    # A run parameter listed beside x (same length) that labels several curves on one grid,
    # e.g. the gain of each (gain, lag) point; the prediction may use it as a symbol.
    series: str | None = None
    reduce: str = "mean"
    scale: str = "relative"
    # Vertical lines the figure draws on this check's panel, (label, x as a sympy expression in the run
    # parameters), e.g. the critical gain the theory predicts.
    marks: tuple[tuple[str, Any], ...] = ()
    # Parts of the window left out of the comparison, (lo, hi) pairs like the window's: a pole and its heavy-tailed
    # neighbourhood, declared rather than hidden (the points are still measured, tabled and drawn).
    exclude: tuple[tuple[Any, Any], ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    role: str = "theory"
    # A setting of this check chosen after seeing data (a window, a tolerance, a grid): what was changed and why, and
    # where it was confirmed on seeds or settings not used to choose it.  Shown in the report beside the check.
    tuned: str = ""

    def __init__(self, *, name: str, kind: str, run: str, metric: str, x: str, prediction: Prediction,
                 tolerance: float | Mapping[str, float], tolerance_reason: str, description: str, window=None,
                 crossing: Crossing | None = None, series: str | None = None, reduce: str = "mean",
                 scale: str = "relative", marks=(), exclude=(), options: Mapping[str, Any] | None = None,
                 role: str = "theory", tuned: str = "", **kind_options: Any) -> None:
        where = f"check {name!r}"
        values = dict(name=name, kind=kind, run=run, metric=metric, x=x, prediction=prediction, tolerance=tolerance,
                      tolerance_reason=tolerance_reason, description=description, window=window, crossing=crossing,
                      series=series, reduce=reduce, scale=scale, marks=tuple(marks), exclude=tuple(exclude),
                      options=kinds.options(kind, {**(options or {}), **kind_options}, where), role=role, tuned=tuned)
        for key, value in values.items():
            object.__setattr__(self, key, value)
        for field_name, value, valid in (("reduce", reduce, REDUCERS), ("scale", scale, SCALINGS), ("role", role, ROLES)):
            if value not in valid:
                raise ValueError(f"{where}: unknown {field_name} {value!r}; valid: {', '.join(valid)}")
        if not (isinstance(prediction, sp.Basic) or callable(prediction)):
            raise TypeError(f"{where}: prediction must be a sympy expression or a function returning one")
        bands = tolerance.values() if isinstance(tolerance, Mapping) else [tolerance]
        if isinstance(tolerance, Mapping) and set(tolerance) != set(PIPELINE_SCALES):
            raise ValueError(f"{where}: a per-scale tolerance needs exactly the scales {', '.join(PIPELINE_SCALES)}")
        if any(t < 0 for t in bands):
            raise ValueError(f"{where}: tolerance must be >= 0")
        plugin = kinds.get(kind)
        if series is not None and not kinds.takes_series(kind):
            raise ValueError(f"{where}: {kind} takes no series")
        if hasattr(plugin, "validate"):
            plugin.validate(self)

    def expr(self, params: Mapping[str, Any] | None = None) -> sp.Basic:
        """The prediction as a sympy expression, derived on first use (and checked against the kind); a prediction
        function of the run's parameters is given ``params`` and derived anew for each."""
        cached = self.__dict__.get("_expr")
        if cached is not None:
            return cached
        value, per_run = self.prediction, False
        if callable(value) and not isinstance(value, sp.Basic):
            per_run = any(p.default is p.empty for p in inspect.signature(value).parameters.values())
            if per_run and params is None:
                raise TypeError(f"check {self.name!r}: its prediction is a function of the run's parameters; pass them")
            value = value(params) if per_run else value()
        if not isinstance(value, sp.Basic):
            raise TypeError(f"check {self.name!r}: the prediction function must return a sympy expression, got {type(value).__name__}")
        if kinds.predicts_number(self.kind) and any(s.name == self.x for s in value.free_symbols):
            raise ValueError(f"check {self.name!r}: a {self.kind} prediction is a number or an expression in the run "
                             f"parameters, not in {self.x!r}")
        if not per_run:
            object.__setattr__(self, "_expr", value)
        return value

    def tolerance_at(self, scale: str) -> float:
        # The test scale is a smoke run made smaller: it borrows the smoke band.
        scale = "smoke" if scale == "test" else scale
        return float(self.tolerance[scale]) if isinstance(self.tolerance, Mapping) else float(self.tolerance)

    def replace(self, **changes: Any) -> Check:
        """A copy with some fields (or kind options) changed, as dataclasses.replace."""
        current = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "options"}
        return Check(**{**current, **dict(self.options), **changes})


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
    short_id: str  # the catalogue's id (A1, D4, ...); a control's is its claim's with a suffix (A1-c1)
    family: str  # the name of a module theory/<family>.py that declares FAMILY
    title: str
    statement: str  # text with inline $LaTeX$
    source: Source  # where in the lecture notes (theory/sources.py)
    reference: str  # literature reference with theorem number
    experiment: str  # module name under experiments/ (a string: theory never imports torch)
    scales: Mapping[str, Scale]
    checks: tuple[Check, ...]
    protocol: str
    notes: str = ""  # where the notes are loose or wrong, and what the literature says
    # The notes' mistakes this claim shows by experiment, one Erratum each: the report's Errata section lists them all.
    errata: tuple[Erratum, ...] = ()
    control: bool = False
    contradicts: str = ""  # a control: the short id of the claim whose prediction it replaces by a wrong one
    # A control whose wrong prediction is within about twice the tolerance of the right one: its failure shows how fine
    # the check is (every family has one; analysis/audit.py checks it).
    near_miss: bool = False
    # True when the experiment's result does not depend on the seed (exact arithmetic, noiseless recursions, counts):
    # the determinism test then does not ask two seeds to differ.
    deterministic: bool = False
    # Figure layout: False, one panel per (run, x); True, one panel per (metric, x) with the runs overlaid in
    # colours (for runs that are the arms of one comparison, e.g. architectures on the same task).
    overlay_runs: bool = False
    traces: tuple[Trace, ...] = ()

    def runs_at(self, scale: str) -> bool:
        """Whether the claim is run at this scale (a GPU-only claim is declared with its smoke scale None)."""
        return self.scales.get(scale) is not None

    @property
    def expected(self) -> str:
        return "fail" if self.control else "pass"

    def __post_init__(self) -> None:
        if not isinstance(self.source, Source):
            raise TypeError(f"claim {self.id!r}: source must be a theory.sources Source (NOTES.at('§...'))")
        if self.near_miss and not self.control:
            raise ValueError(f"claim {self.id!r}: only a control can be a near miss")
        if self.control != bool(self.contradicts):
            raise ValueError(f"claim {self.id!r}: a control names the claim it contradicts (contradicts='A1'), a claim does not")
        missing = [s for s in SCALES if s not in self.scales]
        if missing:
            raise ValueError(f"claim {self.id!r}: no declaration for scale(s) {missing}")
        # A claim that only a GPU can run honestly declares its smoke scale None: the smoke report lists it as not
        # run, never as passed.  The test scale always runs (determinism and signature tests), and so does one of the
        # pipeline's scales.
        absent = [s for s, sc in self.scales.items() if sc is None]
        if "test" in absent or len(absent) >= len(PIPELINE_SCALES):
            raise ValueError(f"claim {self.id!r}: only smoke or full may be None (not run at that scale), not {absent}")
        if not self.checks:
            raise ValueError(f"claim {self.id!r}: declares no check")
        names = [c.name for c in self.checks]
        if len(set(names)) != len(names):
            raise ValueError(f"claim {self.id!r}: duplicate check names {names}")
        for scale_name, scale in self.scales.items():
            if scale is None:
                continue
            for trace in self.traces:
                if trace.run not in scale.runs:
                    raise ValueError(f"claim {self.id!r}: trace {trace.title!r} names run {trace.run!r}, absent at scale {scale_name!r}")
            for check in self.checks:
                if check.run not in scale.runs:
                    raise ValueError(
                        f"claim {self.id!r}: check {check.name!r} names run {check.run!r}, "
                        f"absent at scale {scale_name!r} (runs: {sorted(scale.runs)})"
                    )
