"""Empirical half of the comparison kinds: seed aggregation, bootstrap CIs and pass/fail/inconclusive against the declared tolerance (DESIGN.md "Verdicts must be able to fail")."""

from __future__ import annotations

import math
import warnings
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
    """(x values, f(seed indices) -> measured values at x) for one check."""
    metric = check["metric"]
    if metric not in arrays:
        raise ComparisonError(f"metric {metric!r} absent from the run's metrics (has: {', '.join(sorted(arrays))})")
    y = np.asarray(arrays[metric], dtype=float)
    if y.ndim != 2:
        raise ComparisonError(f"metric {metric!r} must be (seeds, grid), got shape {y.shape}")
    over_seeds = SEED_REDUCERS[check.get("reduce", "mean")]
    crossing = check.get("crossing")
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


def ols_slope(x: np.ndarray, y: np.ndarray) -> float:
    lx, ly = np.log(x), np.log(y)
    lx = lx - lx.mean()
    return float((lx * (ly - ly.mean())).sum() / (lx * lx).sum())


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


def compare(check: dict, arrays: dict[str, np.ndarray], seed: int = 0) -> dict:
    """One check of prediction.json against one run's metrics -> its outcome with CI and per-point table."""
    x, f = reducer(check, arrays)
    grid = check["grid"]
    predicted = np.asarray(grid["values"], dtype=float)
    if len(grid["x_values"]) != len(x) or not np.allclose(grid["x_values"], x, rtol=1e-9):
        raise ComparisonError(f"check {check['name']}: the prediction grid and the measured grid differ")
    series = grid.get("series")
    labels = np.full(len(x), np.nan)
    if series:
        labels = np.asarray(series["values"], dtype=float)
        measured = np.asarray(arrays.get(series["name"], []), dtype=float)
        if measured.shape != labels.shape or not np.allclose(measured, labels, rtol=1e-9):
            raise ComparisonError(f"check {check['name']}: series {series['name']!r} of the prediction and the measurement differ")
    window = np.asarray(grid["in_window"], dtype=bool)
    n = int(np.asarray(arrays[check["metric"]]).shape[0])
    tol = float(check["tolerance"])
    est, lo, hi = bootstrap_ci(f, n, seed)
    medians = np.median(np.asarray(arrays[check["metric"]], dtype=float), axis=0) if not check.get("crossing") else est
    table = [
        {"x": float(a), "estimate": float(b), "ci_lo": float(c), "ci_hi": float(e), "median": float(m_), "predicted": float(p) if math.isfinite(p) else None, "in_window": bool(w),
         **({"series": float(s_)} if series else {})}
        for a, b, c, e, m_, p, w, s_ in zip(x, est, lo, hi, medians, predicted, window, labels)
    ]
    result = {k: check[k] for k in ("name", "kind", "run", "metric", "x")}
    scale, direction = check.get("scale", "relative"), check.get("bound", "upper")
    result.update(tolerance=tol, table=table, n_seeds=n, reduce=check.get("reduce", "mean"), scale=scale,
                  bound=direction, series=series["name"] if series else None)

    def against(values, reference):
        """measured against predicted: a difference (absolute), a ratio (relative) or a log ratio (log)."""
        if scale == "absolute":
            return values - reference
        if scale == "log":
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.log(values / reference)
        return values / reference

    def gap(values: np.ndarray) -> np.ndarray:
        return against(values[window], predicted[window])

    centre = 0.0 if scale in ("absolute", "log") else 1.0
    what = {"absolute": "measured - predicted", "log": "log(measured/predicted)"}.get(scale, "measured/predicted")
    log_tol = math.log1p(tol)
    where = lambda k: f"{check['x']} = {x[window][k]:.4g}" + (  # noqa: E731
        f", {series['name']} = {labels[window][k]:.4g}" if series else "")
    if not np.all(np.isfinite(est[window])):
        return {**result, "outcome": "error", "estimate": None, "ci": None, "predicted": None,
                "message": "the measured curve is undefined at some grid point (a level never crossed?)"}
    kind = check["kind"]
    band_half = log_tol if scale == "log" else tol
    if kind in ("extremum_location", "peak_prominence"):
        xw = x[window]
        if xw.size < 3:
            raise ComparisonError(f"check {check['name']}: {kind} needs at least three grid points in the window")
        pick = np.argmax if check.get("extremum", "max") == "max" else np.argmin
        pred_value = float(check["derived"]["value"])
        if kind == "extremum_location":
            stat = lambda idx: xw[pick(f(idx)[window])]  # noqa: E731
            (e,), (l,), (h,) = (np.atleast_1d(v) for v in bootstrap_ci(stat, n, seed))
            # The location is compared like any measured value, on the check's scale; the band is shown in x units.
            band = (centre - band_half, centre + band_half)
            outcome = decide(against(l, pred_value), against(h, pred_value), *band)
            inverse = {"absolute": lambda b: pred_value + b, "log": lambda b: pred_value * math.exp(b)}.get(
                scale, lambda b: pred_value * b)
            msg = (f"arg{check.get('extremum', 'max')} over {check['x']} = {e:.4g} [{l:.4g}, {h:.4g}] vs predicted "
                   f"{pred_value:.4g}, band [{inverse(band[0]):.4g}, {inverse(band[1]):.4g}]")
            if outcome == "inconclusive":
                msg += "; inconclusive: " + seeds_needed(
                    n, *(float(against(v, pred_value)) for v in (e, l, h)), *band)
        else:
            def stat(idx):
                m = f(idx)[window]
                k = int(np.argmax(m))
                sides = ([m[:k].min()] if k > 0 else []) + [m[-1]]
                return m[k] / max(sides)
            (e,), (l,), (h,) = (np.atleast_1d(v) for v in bootstrap_ci(stat, n, seed))
            band = (pred_value * (1 - tol), math.inf)
            outcome = decide(l, h, *band)
            msg = (f"peak / max(lowest value before it, last value) = {e:.4g} [{l:.4g}, {h:.4g}], "
                   f"at least {pred_value:.4g} required")
            if outcome == "inconclusive":
                msg += "; inconclusive: " + seeds_needed(n, float(e), float(l), float(h), *band)
        return {**result, "outcome": outcome, "estimate": float(e), "ci": [float(l), float(h)],
                "predicted": pred_value, "message": msg}
    if kind in ("monotone", "end_ratio"):
        xw = x[window]
        if xw.size < 2:
            raise ComparisonError(f"check {check['name']}: {kind} needs at least two grid points in the window")
        pred_value = float(check["derived"]["value"])
        order = np.argsort(xw)
        upper = direction == "upper"
        if kind == "monotone":
            def stat(idx):
                m = f(idx)[window][order]
                steps = m[1:] / m[:-1]
                return steps.max() if upper else steps.min()
            what_ = f"{'largest' if upper else 'smallest'} ratio of consecutive points y(x_i+1)/y(x_i)"
        else:
            def stat(idx):
                m = f(idx)[window][order]
                return m[0] / m[-1]
            what_ = f"y({check['x']} = {xw[order][0]:.4g}) / y({check['x']} = {xw[order][-1]:.4g})"
        (e,), (l,), (h,) = (np.atleast_1d(v) for v in bootstrap_ci(stat, n, seed))
        band = (-math.inf, pred_value * (1 + tol)) if upper else (pred_value * (1 - tol), math.inf)
        outcome = decide(l, h, *band)
        msg = f"{what_} = {e:.4g} [{l:.4g}, {h:.4g}], {'at most' if upper else 'at least'} {pred_value:.4g}" + (
            f" (tolerance {tol:g})" if tol else "")
        if outcome == "inconclusive":
            msg += "; inconclusive: " + seeds_needed(n, float(e), float(l), float(h), *band)
        return {**result, "outcome": outcome, "estimate": float(e), "ci": [float(l), float(h)],
                "predicted": pred_value, "message": msg}
    if kind == "bound_holds":
        # One scalar: the worst gap to the bound over the window, with its own bootstrap CI.
        worst_of = np.max if direction == "upper" else np.min
        stat = lambda idx: worst_of(gap(f(idx)))  # noqa: E731
        (e,), (l,), (h,) = (np.atleast_1d(v) for v in bootstrap_ci(stat, n, seed))
        band = (-math.inf, centre + band_half) if direction == "upper" else (centre - band_half, math.inf)
        outcome = decide(l, h, *band)
        k = int(np.argmax(gap(est)) if direction == "upper" else np.argmin(gap(est)))
        msg = (f"{'max' if direction == 'upper' else 'min'} over {check['x']} of {what} = {e:.4g} [{l:.4g}, {h:.4g}] "
               f"at {where(k)}: measured {est[window][k]:.4g}, bound {predicted[window][k]:.4g} "
               f"({'upper' if direction == 'upper' else 'lower'} bound, margin {tol:g})")
        pred_value = centre
    elif kind == "curve":
        ratio, rlo, rhi = gap(est), gap(lo), gap(hi)
        band = (centre - band_half, centre + band_half)
        per_point = [decide(a, b, *band) for a, b in zip(rlo, rhi)]
        outcome = next(o for o in ORDER if o in per_point)
        k = int(np.argmax(np.abs(ratio - centre)))
        e, l, h = ratio[k], rlo[k], rhi[k]
        msg = (f"worst point {where(k)}: {what} = {e:.4g} [{l:.4g}, {h:.4g}]; "
               f"{per_point.count('pass')}/{len(per_point)} points inside ±{tol:g}")
        pred_value = centre
    elif kind == "loglog_slope":
        if window.sum() < 2:
            raise ComparisonError(f"check {check['name']}: fewer than two grid points in the window")
        stat = lambda idx: ols_slope(x[window], f(idx)[window])  # noqa: E731
        (e,), (l,), (h,) = (np.atleast_1d(v) for v in bootstrap_ci(stat, n, seed))
        pred_value = float(check["derived"]["value"])
        band = (pred_value - tol, pred_value + tol)
        outcome = decide(l, h, *band)
        wv = check["derived"].get("window_value")
        msg = f"slope {e:.4g} [{l:.4g}, {h:.4g}] vs limit {pred_value:.4g} ± {tol:g}" + (
            f" (the formula's own slope on this window: {wv:.4g})" if wv is not None else "")
    else:
        raise ComparisonError(f"unknown comparison kind {kind!r}")
    if outcome == "inconclusive":
        msg += "; inconclusive: " + seeds_needed(n, float(e), float(l), float(h), *band)
    return {**result, "outcome": outcome, "estimate": float(e), "ci": [float(l), float(h)],
            "predicted": pred_value, "message": msg}


def combine(outcomes: list[str]) -> str:
    """The claim's outcome: error if any check errs, else fail if any fails, else inconclusive if any is."""
    for o in ORDER:
        if o in outcomes:
            return o
    return "error"
