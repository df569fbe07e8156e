"""What every comparison kind's empirical half shares: the seed reduction, bootstrap CIs, the pass/fail/inconclusive decision against the band, and the dispatch to analysis/kinds/<kind>.py."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy import stats

CONFIDENCE = 0.95
N_RESAMPLES = 2000
ORDER = ("error", "fail", "inconclusive", "pass")  # a claim takes the worst outcome of its checks


class ComparisonError(RuntimeError):
    pass


# ---- reducers: per-seed arrays -> the measured curve, recomputed on every bootstrap resample ----
SEED_REDUCERS = {"mean": np.mean, "median": np.median, "max": np.max, "min": np.min}


def reducer(check: dict, arrays: dict[str, np.ndarray]) -> tuple[np.ndarray, Callable[[np.ndarray], np.ndarray]]:
    """(x values, f(seed indices) -> measured values at x) for one check on (seeds, grid) arrays."""
    metric = check["metric"]
    if metric not in arrays:
        raise ComparisonError(f"metric {metric!r} absent from the run's metrics (has: {', '.join(sorted(arrays))})")
    y = np.asarray(arrays[metric], dtype=float)
    if y.ndim != 2:
        raise ComparisonError(f"metric {metric!r} must be (seeds, grid), got shape {y.shape}")
    over_seeds = SEED_REDUCERS[check["reduce"]]
    crossing = check["crossing"]
    if crossing:
        grid = np.asarray(arrays[crossing["grid"]], dtype=float)
        levels = np.asarray(crossing["level_values"], dtype=float)
        return np.asarray(crossing["values"], dtype=float), lambda idx: first_crossing(grid, over_seeds(y[idx], axis=0), levels)
    if check["x"] not in arrays:
        raise ComparisonError(f"grid {check['x']!r} absent from the run's metrics (has: {', '.join(sorted(arrays))})")
    grid = np.asarray(arrays[check["x"]], dtype=float)
    return grid, lambda idx: over_seeds(y[idx], axis=0)


def first_crossing(grid: np.ndarray, curve: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Smallest x with curve(x) <= level, interpolated log-log between the bracketing grid points.

    NaN where the level is never reached, or already met at the first grid point (no bracket).
    """
    out = np.full(levels.shape, np.nan)
    below = curve[None, :] <= levels[:, None]
    for i, level in enumerate(levels):
        hits = np.flatnonzero(below[i])
        if hits.size == 0 or hits[0] == 0:
            continue
        j = hits[0]
        lx0, lx1 = math.log(grid[j - 1]), math.log(grid[j])
        ly0, ly1 = math.log(curve[j - 1]), math.log(curve[j])
        frac = (math.log(level) - ly0) / (ly1 - ly0) if ly1 != ly0 else 1.0
        out[i] = math.exp(lx0 + frac * (lx1 - lx0))
    return out


def bootstrap_ci(stat: Callable[[np.ndarray], np.ndarray], n_seeds: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Point estimate and percentile bootstrap CI over seeds (exact, zero width, for one deterministic seed)."""
    idx = np.arange(n_seeds)
    estimate = np.asarray(stat(idx), dtype=float)
    if n_seeds == 1:
        return estimate, estimate.copy(), estimate.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = stats.bootstrap(
            (idx,),
            lambda i: np.asarray(stat(i.astype(int)), dtype=float),
            vectorized=False,
            n_resamples=N_RESAMPLES,
            confidence_level=CONFIDENCE,
            method="percentile",
            rng=np.random.default_rng(seed),
        )
    return estimate, np.asarray(res.confidence_interval.low), np.asarray(res.confidence_interval.high)


def scalar_ci(stat: Callable[[np.ndarray], float], n_seeds: int, seed: int = 0) -> tuple[float, float, float]:
    """bootstrap_ci of a statistic that is one number: (estimate, lo, hi)."""
    (e,), (lo,), (hi,) = (np.atleast_1d(v) for v in bootstrap_ci(stat, n_seeds, seed))
    return e, lo, hi


def decide(lo: float, hi: float, band_lo: float, band_hi: float) -> str:
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return "error"
    if lo >= band_lo and hi <= band_hi:
        return "pass"
    if hi < band_lo or lo > band_hi:
        return "fail"
    return "inconclusive"


def seeds_needed(n: int, estimate: float, lo: float, hi: float, band_lo: float, band_hi: float) -> str:
    """CI half-width shrinks like 1/sqrt(n): how many seeds would separate the CI from the band edge."""
    half = (hi - lo) / 2
    margin = min(abs(estimate - e) for e in (band_lo, band_hi) if math.isfinite(e))
    if margin <= 0 or half <= 0:
        return "the estimate sits on the tolerance edge: more seeds cannot settle it"
    return f"about {math.ceil(n * (half / margin) ** 2)} seeds (now {n}) would settle it"


@dataclass
class Measured:
    """A check's (seeds, grid) measurement lined up with its prediction: what the curve-shaped kinds compare."""

    check: dict
    x: np.ndarray  # the grid
    f: Callable[[np.ndarray], np.ndarray]  # seed indices -> the seed-reduced curve on the grid
    predicted: np.ndarray  # the prediction on the grid (nan at a pole)
    labels: np.ndarray  # the series label of each grid point (nan without a series)
    window: np.ndarray  # the grid points compared
    n: int  # seeds
    seed: int  # of the bootstrap
    est: np.ndarray
    lo: np.ndarray
    hi: np.ndarray

    @property
    def tol(self) -> float:
        return float(self.check["tolerance"])

    @property
    def scale(self) -> str:
        return self.check["scale"]

    @property
    def centre(self) -> float:
        """measured against predicted when they agree: a difference or a log ratio of 0, a ratio of 1."""
        return 0.0 if self.scale in ("absolute", "log") else 1.0

    @property
    def band_half(self) -> float:
        return math.log1p(self.tol) if self.scale == "log" else self.tol

    @property
    def what(self) -> str:
        return {"absolute": "measured - predicted", "log": "log(measured/predicted)"}.get(self.scale, "measured/predicted")

    def against(self, values, reference):
        """measured against predicted: a difference (absolute), a ratio (relative) or a log ratio (log)."""
        if self.scale == "absolute":
            return values - reference
        if self.scale == "log":
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.log(values / reference)
        return values / reference

    def gap(self, values: np.ndarray) -> np.ndarray:
        """measured against predicted at the window's points."""
        return self.against(values[self.window], self.predicted[self.window])

    def where(self, k: int) -> str:
        """The k-th window point, named by x (and the series label)."""
        series = self.check["grid"]["series"]
        return f"{self.check['x']} = {self.x[self.window][k]:.4g}" + (
            f", {series['name']} = {self.labels[self.window][k]:.4g}" if series else "")

    def ci(self, stat: Callable[[np.ndarray], float]) -> tuple[float, float, float]:
        return scalar_ci(stat, self.n, self.seed)


def measure(check: dict, arrays: dict[str, np.ndarray], seed: int = 0) -> Measured:
    """Reduce a check's (seeds, grid) metric over seeds with its bootstrap CI, on the prediction's grid."""
    x, f = reducer(check, arrays)
    grid = check["grid"]
    predicted = np.asarray([np.nan if v is None else v for v in grid["values"]], dtype=float)
    if len(grid["x_values"]) != len(x) or not np.allclose(grid["x_values"], x, rtol=1e-9):
        raise ComparisonError(f"check {check['name']}: the prediction grid and the measured grid differ")
    series = grid["series"]
    labels = np.full(len(x), np.nan)
    if series:
        labels = np.asarray(series["values"], dtype=float)
        measured = np.asarray(arrays.get(series["name"], []), dtype=float)
        if measured.shape != labels.shape or not np.allclose(measured, labels, rtol=1e-9):
            raise ComparisonError(f"check {check['name']}: series {series['name']!r} of the prediction and the measurement differ")
    n = int(np.asarray(arrays[check["metric"]]).shape[0])
    est, lo, hi = bootstrap_ci(f, n, seed)
    return Measured(check, x, f, predicted, labels, np.asarray(grid["in_window"], dtype=bool), n, seed, est, lo, hi)


def point_table(m: Measured, arrays: dict[str, np.ndarray]) -> list[dict]:
    """The per-point table of a (seeds, grid) check: estimate and CI, the median over seeds, the prediction."""
    check = m.check
    medians = np.median(np.asarray(arrays[check["metric"]], dtype=float), axis=0) if not check["crossing"] else m.est
    series = check["grid"]["series"]
    return [
        {"x": float(a), "estimate": float(b), "ci_lo": float(c), "ci_hi": float(e), "median": float(m_),
         "predicted": float(p) if math.isfinite(p) else None, "in_window": bool(w), **({"series": float(s_)} if series else {})}
        for a, b, c, e, m_, p, w, s_ in zip(m.x, m.est, m.lo, m.hi, medians, m.predicted, m.window, m.labels)
    ]


def head(check: dict, n_seeds: int, table: list[dict]) -> dict:
    """The fields of a check's result that do not depend on its kind."""
    series = check["grid"]["series"] if check.get("grid") else None
    return {**{k: check[k] for k in ("name", "kind", "run", "metric", "x")}, "tolerance": float(check["tolerance"]),
            "table": table, "n_seeds": n_seeds, "reduce": check["reduce"], "scale": check["scale"],
            "options": check["options"], "series": series["name"] if series else None}


class Undefined(Exception):
    """The measured curve is undefined inside the window (a level never crossed): the check's outcome is 'error'."""

    def __init__(self, result: dict):
        super().__init__(result["message"])
        self.result = result


def prepare(check: dict, arrays: dict[str, np.ndarray], seed: int = 0, at_least: int = 1) -> tuple[Measured, dict]:
    """What a curve-shaped kind starts from: the measurement with its CIs and the result's kind-independent fields.
    Raises Undefined when the curve is undefined in the window, ComparisonError when the window has fewer than
    ``at_least`` points."""
    m = measure(check, arrays, seed)
    result = head(check, m.n, point_table(m, arrays))
    if not np.all(np.isfinite(m.est[m.window])):
        raise Undefined({**result, "outcome": "error", "estimate": None, "ci": None, "predicted": None,
                         "message": "the measured curve is undefined at some grid point (a level never crossed?)"})
    if m.window.sum() < at_least:
        raise ComparisonError(f"check {check['name']}: {check['kind']} needs at least {at_least} grid points in the window")
    return m, result


def outcome_of(result: dict, outcome: str, estimate: float, lo: float, hi: float, predicted: float, message: str,
               band: tuple[float, float], n: int) -> dict:
    """A check's result with its outcome; an inconclusive one says how many seeds would settle it."""
    if outcome == "inconclusive":
        message += "; inconclusive: " + seeds_needed(n, float(estimate), float(lo), float(hi), *band)
    return {**result, "outcome": outcome, "estimate": float(estimate), "ci": [float(lo), float(hi)],
            "predicted": float(predicted), "message": message}


def compare(check: dict, arrays: dict[str, np.ndarray], seed: int = 0) -> dict:
    """One check of prediction.json against one run's metrics -> its outcome with CI (and a per-point table), by the
    empirical half of the check's kind."""
    from analysis import kinds

    try:
        return kinds.get(check["kind"]).compare(check, arrays, seed)
    except Undefined as undefined:
        return undefined.result


def combine(outcomes: list[str]) -> str:
    """The claim's outcome: error if any check errs, else fail if any fails, else inconclusive if any is."""
    for o in ORDER:
        if o in outcomes:
            return o
    return "error"
