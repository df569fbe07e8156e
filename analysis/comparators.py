"""What every comparison kind's empirical half shares: the seed reduction, confidence intervals that cover at the seed counts used (jackknife-t, or a bootstrap over at least ten seeds), the pass/fail/inconclusive decision against the band, each check's resolution, the rules of evidence (power, censoring), and the dispatch to analysis/kinds/<kind>.py."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy import special

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


# The rules of evidence, applied to every check at the pipeline's scales (the test scale's tiny runs prove nothing).
MIN_BOOTSTRAP_SEEDS = 10  # a percentile bootstrap over fewer seeds covers 75-85%, not 95%
MAX_CI_TO_BAND = 1 / 3  # a two-sided band at least three CI half-widths wide: a correct theory passes reliably
JACKKNIFE_GROUPS = 40  # leave-one-group-out beyond this many seeds: the same interval at a fraction of the cost


def interval_method(reduce: str, smooth: bool, n_seeds: int) -> str:
    """How a statistic over seeds gets its 95% interval.

    "exact" for one deterministic seed; "every seed" for a worst-seed reduction (max, min), whose statement is about
    the seeds run and needs no sampling interval; "jackknife-t" for smooth statistics of seed means (the jackknife
    standard error with Student's t quantile: for a plain mean it is the exact t interval, which covers at any n under
    normal noise); "bootstrap" (percentile) otherwise, a median or a discrete statistic such as an argmax, which is
    honest only from MIN_BOOTSTRAP_SEEDS seeds.
    """
    if n_seeds == 1:
        return "exact"
    if reduce in ("max", "min"):
        return "every seed"
    return "jackknife-t" if reduce == "mean" and smooth else "bootstrap"


def jackknife_t(stat: Callable[[np.ndarray], np.ndarray], n_seeds: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The statistic on all seeds with a Student-t interval from the (grouped) jackknife standard error."""
    idx = np.arange(n_seeds)
    estimate = np.asarray(stat(idx), dtype=float)
    groups = np.array_split(idx, min(n_seeds, JACKKNIFE_GROUPS))
    g = len(groups)
    leave_out = np.stack([np.asarray(stat(np.setdiff1d(idx, grp, assume_unique=True)), dtype=float) for grp in groups])
    se = np.sqrt((g - 1) / g * ((leave_out - leave_out.mean(axis=0)) ** 2).sum(axis=0))
    half = special.stdtrit(g - 1, 0.5 + CONFIDENCE / 2) * se  # the t quantile, = scipy.stats.t.ppf (1 s less to import)
    return estimate, estimate - half, estimate + half


def percentile_bootstrap(stat: Callable[[np.ndarray], np.ndarray], n_seeds: int, seed: int = 0):
    idx = np.arange(n_seeds)
    estimate = np.asarray(stat(idx), dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from scipy import stats  # only bootstrap intervals need it

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


def seed_ci(stat: Callable[[np.ndarray], np.ndarray], n_seeds: int, method: str, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Point estimate and 95% interval over seeds of ``stat(seed indices)`` by ``method`` (interval_method)."""
    if method in ("exact", "every seed"):
        estimate = np.asarray(stat(np.arange(n_seeds)), dtype=float)
        return estimate, estimate.copy(), estimate.copy()
    if method == "jackknife-t":
        return jackknife_t(stat, n_seeds)
    if method == "bootstrap":
        return percentile_bootstrap(stat, n_seeds, seed)
    raise ComparisonError(f"unknown interval method {method!r}")


def scalar_ci(stat: Callable[[np.ndarray], float], n_seeds: int, seed: int = 0, method: str | None = None) -> tuple[float, float, float]:
    """The interval of a statistic that is one number: (estimate, lo, hi); a bootstrap unless ``method`` says."""
    method = method or ("exact" if n_seeds == 1 else "bootstrap")
    (e,), (lo,), (hi,) = (np.atleast_1d(v) for v in seed_ci(stat, n_seeds, method, seed))
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
    method: str  # of the interval of a statistic of the curve (interval_method)
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

    def against_interval(self, lo, hi, reference):
        """An interval's ends against predicted, lower end first: a ratio to a negative prediction reverses them."""
        a, b = self.against(lo, reference), self.against(hi, reference)
        return np.minimum(a, b), np.maximum(a, b)

    def gap(self, values: np.ndarray) -> np.ndarray:
        """measured against predicted at the window's points."""
        return self.against(values[self.window], self.predicted[self.window])

    def gap_interval(self) -> tuple[np.ndarray, np.ndarray]:
        """The per-point CIs against predicted at the window's points, lower end first."""
        return self.against_interval(self.lo[self.window], self.hi[self.window], self.predicted[self.window])

    def where(self, k: int) -> str:
        """The k-th window point, named by x (and the series label)."""
        series = self.check["grid"]["series"]
        return f"{self.check['x']} = {self.x[self.window][k]:.4g}" + (
            f", {series['name']} = {self.labels[self.window][k]:.4g}" if series else "")

    def ci(self, stat: Callable[[np.ndarray], float]) -> tuple[float, float, float]:
        return scalar_ci(stat, self.n, self.seed, self.method)


def measure(check: dict, arrays: dict[str, np.ndarray], seed: int = 0, smooth: bool = True) -> Measured:
    """Reduce a check's (seeds, grid) metric over seeds with per-point intervals, on the prediction's grid; ``smooth``
    says whether the kind's statistic of the curve is a smooth function of it (interval_method)."""
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
    est, lo, hi = seed_ci(f, n, interval_method(check["reduce"], True, n), seed)
    return Measured(check, x, f, predicted, labels, np.asarray(grid["in_window"], dtype=bool), n, seed,
                    interval_method(check["reduce"], smooth, n), est, lo, hi)


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
    return {**{k: check[k] for k in ("name", "kind", "run", "metric", "x")}, "role": check.get("role", "theory"),
            "tolerance": float(check["tolerance"]),
            "table": table, "n_seeds": n_seeds, "reduce": check["reduce"], "scale": check["scale"],
            "options": check["options"], "series": series["name"] if series else None}


class Undefined(Exception):
    """The measured curve is undefined inside the window (a level never crossed): the check's outcome is 'error'."""

    def __init__(self, result: dict):
        super().__init__(result["message"])
        self.result = result


def prepare(check: dict, arrays: dict[str, np.ndarray], seed: int = 0, at_least: int = 1,
            smooth: bool = True) -> tuple[Measured, dict]:
    """What a curve-shaped kind starts from: the measurement with its CIs and the result's kind-independent fields.
    Raises Undefined when the curve is undefined in the window, ComparisonError when the window has fewer than
    ``at_least`` points."""
    m = measure(check, arrays, seed, smooth)
    result = {**head(check, m.n, point_table(m, arrays)), "interval": m.method}
    if not np.all(np.isfinite(m.est[m.window])):
        raise Undefined({**result, "outcome": "error", "estimate": None, "ci": None, "predicted": None,
                         "message": "the measured curve is undefined at some grid point (a level never crossed?)"})
    if m.window.sum() < at_least:
        raise ComparisonError(f"check {check['name']}: {check['kind']} needs at least {at_least} grid points in the window")
    return m, result


def resolution(lo: float, hi: float, band: tuple[float, float], perturb: str) -> float | None:
    """The smallest change of the prediction that would turn this check's verdict into fail, on the check's scale.

    ``perturb`` says how the prediction moves the band: "relative", the prediction (so the band, or equivalently the
    ratio measured/predicted inversely) scaled by 1 + r or 1 - r, the answer r a fraction; "absolute", shifted by r
    in the check's units; "log", the CI and band in log(measured/predicted), the answer again a fraction.  None
    when no change of the prediction fails the check (it has no finite band edge)."""
    b_lo, b_hi = band
    up = down = math.inf  # the prediction raised (the band moves up, the CI's top falls below it) / lowered
    if perturb == "relative":
        if math.isfinite(b_lo) and b_lo > 0:
            up = hi / b_lo - 1
        if math.isfinite(b_hi) and b_hi > 0 and lo > 0:
            down = 1 - lo / b_hi
    else:
        if math.isfinite(b_lo):
            up = hi - b_lo
        if math.isfinite(b_hi):
            down = b_hi - lo
        if perturb == "log":
            up, down = math.expm1(up) if math.isfinite(up) else up, -math.expm1(-down) if math.isfinite(down) else down
    r = min(up, down)
    return max(float(r), 0.0) if math.isfinite(r) else None


def ci_to_band(lo: float, hi: float, band: tuple[float, float]) -> float | None:
    """The CI's width over the band's, for a two-sided band (None for a bound, whose band is a half-line)."""
    if not all(math.isfinite(b) for b in band) or band[1] <= band[0]:
        return None
    return float((hi - lo) / (band[1] - band[0]))


def outcome_of(result: dict, outcome: str, estimate: float, lo: float, hi: float, predicted: float, message: str,
               band: tuple[float, float], n: int, perturb: str = "relative", power: float | None = None,
               finest: float | None = None) -> dict:
    """A check's result with its outcome, resolution and CI-to-band ratio (``power`` and ``finest`` resolution when
    the kind computed them over several points); an inconclusive one says how many seeds would settle it."""
    if outcome == "inconclusive":
        message += "; inconclusive: " + seeds_needed(n, float(estimate), float(lo), float(hi), *band)
    return {**result, "outcome": outcome, "estimate": float(estimate), "ci": [float(lo), float(hi)],
            "predicted": float(predicted), "message": message,
            "resolution": {"value": resolution(float(lo), float(hi), band, perturb) if finest is None else finest,
                           "unit": "absolute" if perturb == "absolute" else "relative"},
            "ci_to_band": ci_to_band(float(lo), float(hi), band) if power is None else power,
            # The band in the estimate's units, an open side as null: the report's at-a-glance figure draws it.
            "band": [float(b) if math.isfinite(b) else None for b in band]}


def censored_in_window(check: dict, arrays: dict, result: dict) -> int:
    """How many (seed, grid point) values of the check's metric inside its window are censored: the run recorded
    ``<metric>__censored`` (seeds, grid) true where the event it times did not happen within the budget."""
    flags = arrays.get(f"{check['metric']}__censored")
    if flags is None or check.get("crossing"):
        return 0
    flags = np.asarray(flags, dtype=bool)
    window = np.asarray([row["in_window"] for row in result.get("table") or []], dtype=bool)
    if flags.ndim != 2 or window.size != flags.shape[1]:
        raise ComparisonError(f"check {check['name']}: {check['metric']}__censored must be (seeds, grid) like the metric")
    return int(flags[:, window].sum())


def apply_rules(check: dict, result: dict, arrays: dict, scale: str | None) -> dict:
    """The rules of evidence a kind's own decision does not see.  A censored event time cannot pass (at any scale).  At
    the pipeline's scales, a pass needs an honest interval (a bootstrap over at least MIN_BOOTSTRAP_SEEDS seeds) and a
    two-sided band at least 1/MAX_CI_TO_BAND interval widths wide; otherwise the check is inconclusive, as
    under-powered."""
    result = {**result, "censored": censored_in_window(check, arrays, result)}
    result.setdefault("interval", None)
    result.setdefault("resolution", {"value": None, "unit": "relative"})
    result.setdefault("ci_to_band", None)
    result.setdefault("band", None)
    if result["outcome"] != "pass":
        return result
    why = []
    if result["censored"]:
        why.append(f"{result['censored']} censored value(s) in the window: the event did not happen within the budget, "
                   "and a time that was never observed cannot confirm a prediction")
    if scale in ("smoke", "full"):
        if result["interval"] == "bootstrap" and result["n_seeds"] < MIN_BOOTSTRAP_SEEDS:
            why.append(f"under-powered: a bootstrap interval over {result['n_seeds']} seeds (fewer than "
                       f"{MIN_BOOTSTRAP_SEEDS}) does not cover 95%")
        ratio = result["ci_to_band"]
        if ratio is not None and result["interval"] not in ("exact", "every seed") and ratio > MAX_CI_TO_BAND:
            why.append(f"under-powered: the CI is {ratio:.2f} of the band's width (at most {MAX_CI_TO_BAND:.2f} "
                       "allowed), so a correct prediction would pass only by luck")
    if why:
        result = {**result, "outcome": "inconclusive", "message": result["message"] + "; inconclusive: " + "; ".join(why)}
    return result


def compare(check: dict, arrays: dict[str, np.ndarray], seed: int = 0, scale: str | None = None) -> dict:
    """One check of prediction.json against one run's metrics -> its outcome with CI (and a per-point table), by the
    empirical half of the check's kind, then the rules of evidence (apply_rules) at ``scale``."""
    from analysis import kinds

    try:
        result = kinds.get(check["kind"]).compare(check, arrays, seed)
    except Undefined as undefined:
        result = undefined.result
    return apply_rules(check, result, arrays, scale)


def combine(outcomes: list[str]) -> str:
    """The claim's outcome: error if any check errs, else fail if any fails, else inconclusive if any is."""
    for o in ORDER:
        if o in outcomes:
            return o
    return "error"
