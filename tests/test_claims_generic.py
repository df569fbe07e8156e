"""Generic tests derived from the registry, one set per claim and check: adding a claim never edits this file (DESIGN.md "Tests")."""

import importlib
import inspect
import math

import numpy as np
import pytest
import sympy as sp

from analysis import comparators
from experiments import runner
from theory import comparisons, registry
from theory.__main__ import prediction as make_prediction

CLAIM_IDS = registry.claim_ids()
CHECKS = [(c.id, k.name) for c in registry.all_claims() for k in c.checks]


def _check(claim_id, name):
    claim = registry.get(claim_id)
    return claim, next(k for k in claim.checks if k.name == name)


@pytest.fixture(scope="module")
def predictions():
    return {}


def _pred(predictions, claim_id):
    if claim_id not in predictions:
        predictions[claim_id] = make_prediction(claim_id, "smoke")
    return predictions[claim_id]


@pytest.mark.parametrize("claim_id,check", CHECKS)
def test_prediction_is_finite_sympy_and_round_trips(claim_id, check, predictions):
    claim, chk = _check(claim_id, check)
    assert isinstance(chk.prediction, sp.Expr)
    pred = next(c for c in _pred(predictions, claim_id)["checks"] if c["name"] == check)
    # srepr parses back to the same tree (implemented functions, whose numerics live in Python, compare by name)
    assert sp.srepr(sp.sympify(pred["expression"])) == sp.srepr(chk.prediction)
    assert pred["latex"] == sp.latex(chk.prediction)
    values = np.asarray(pred["grid"]["values"])
    assert values.size >= (2 if chk.kind == "loglog_slope" else 1) and np.all(np.isfinite(values))
    params = claim.scales["smoke"].runs[chk.run]
    allowed = set(params) | {chk.x}
    assert {s.name for s in chk.prediction.free_symbols} <= allowed, "prediction symbols must be run parameters or x"
    if chk.kind == "loglog_slope":
        assert math.isfinite(pred["derived"]["value"])


@pytest.mark.parametrize("claim_id", CLAIM_IDS)
def test_experiment_signature_matches_spec(claim_id):
    claim = registry.get(claim_id)
    fn = runner.load_experiment(claim.experiment)
    kw = {n for n, p in inspect.signature(fn).parameters.items() if p.kind is p.KEYWORD_ONLY}
    assert {"seed", "device"} <= kw
    for scale in ("smoke", "full"):
        for run in registry.run_ids(claim_id, scale):
            runner.check_signature(fn, registry.spec(claim_id, run, scale, 0, "cpu")["params"])


def _small_spec(claim_id, seed):
    run = registry.run_ids(claim_id, "smoke")[0]
    spec = registry.spec(claim_id, run, "smoke", seed, "cpu")
    spec["params"]["n_seeds"] = min(spec["params"]["n_seeds"], 3)
    if isinstance(spec["params"].get("steps"), int):  # training runs: determinism shows in a few hundred steps
        spec["params"]["steps"] = min(spec["params"]["steps"], 200)
    return spec


@pytest.mark.parametrize("claim_id", CLAIM_IDS)
def test_smoke_run_is_deterministic_on_cpu(claim_id):
    first = runner.execute(_small_spec(claim_id, 11))
    again = runner.execute(_small_spec(claim_id, 11))
    other = runner.execute(_small_spec(claim_id, 12))
    assert first["meta"]["error"] is None, first["meta"]["error"]
    for key, value in first["arrays"].items():
        np.testing.assert_array_equal(value, again["arrays"][key])
    claim = registry.get(claim_id)
    noiseless = claim.scales["smoke"].runs[_small_spec(claim_id, 11)["run"]].get("sigma2", 1) == 0
    exact = getattr(importlib.import_module(f"experiments.{claim.experiment}"), "DETERMINISTIC", False)
    if not (noiseless or exact):
        assert any(not np.array_equal(v, other["arrays"][k]) for k, v in first["arrays"].items() if v.ndim == 2)


# ---- the comparator passes data drawn from the prediction and fails it perturbed -------------
def _loglog_extend(xq, xs, ys):
    """Piecewise log-log linear interpolation with linear extrapolation from the end segments."""
    lx, ly, lq = np.log(xs), np.log(ys), np.log(xq)
    out = np.interp(lq, lx, ly)
    lo, hi = lq < lx[0], lq > lx[-1]
    out[lo] = ly[0] + (lq[lo] - lx[0]) * (ly[1] - ly[0]) / (lx[1] - lx[0])
    out[hi] = ly[-1] + (lq[hi] - lx[-1]) * (ly[-1] - ly[-2]) / (lx[-1] - lx[-2])
    return np.exp(out)


def synthetic(pred: dict, target: np.ndarray, n_seeds: int, rng) -> dict:
    """Per-seed arrays whose reduced curve is `target` up to seed noise well inside the tolerance.

    The noise is multiplicative for relative checks and additive for absolute ones; for curves it
    stays below a tenth of the tolerance, so that an exact (tolerance 0) check sees exact data.
    """
    absolute = pred.get("scale", "relative") == "absolute"
    eps = min(0.002, pred["tolerance"] / 10) if pred["kind"] == "curve" else 0.002

    def noisy(y):
        e = eps * rng.standard_normal((n_seeds, y.size))
        return y[None, :] + e if absolute else y[None, :] * (1 + e)

    crossing = pred.get("crossing")
    if not crossing:
        arrays = {pred["x"]: np.asarray(pred["grid"]["x_values"]), pred["metric"]: noisy(target)}
        series = pred["grid"].get("series")
        if series:
            arrays[series["name"]] = np.asarray(series["values"])
        return arrays
    # Build a decreasing metric on a horizon grid whose level crossings land on `target`.
    levels = np.asarray(crossing["level_values"])
    order = np.argsort(target)
    grid = np.geomspace(target.min() / 3, target.max() * 3, 400)
    curve = _loglog_extend(grid, target[order], levels[order])
    return {crossing["grid"]: grid, pred["metric"]: noisy(curve)}


def _targets(pred: dict):
    """(data drawn from the prediction, the same data perturbed beyond the tolerance)."""
    x = np.asarray(pred["grid"]["x_values"])
    values = np.asarray(pred["grid"]["values"])
    tol = pred["tolerance"]
    absolute = pred.get("scale", "relative") == "absolute"
    if pred["kind"] in ("extremum_location", "peak_prominence"):
        w = np.asarray(pred["grid"]["in_window"])
        lx = np.log(np.abs(x) + 1e-300)

        def bump(at):  # a smooth feature centred on grid point `at`, positive everywhere
            return np.exp(-((lx - lx[at]) ** 2) / 0.02)

        inside = np.flatnonzero(w)
        if pred["kind"] == "peak_prominence":
            middle = inside[len(inside) // 2]
            return 1 + 10 * pred["derived"]["value"] * bump(middle), np.ones_like(x, dtype=float)
        where = pred["derived"]["value"]
        near = inside[np.argmin(np.abs(x[inside] - where))]
        far = inside[np.argmax(np.abs(x[inside] - where))]
        shape = (lambda at: 1 + bump(at)) if pred.get("extremum", "max") == "max" else (lambda at: 2 - bump(at))
        return shape(near), shape(far)
    if pred["kind"] in ("monotone", "end_ratio"):
        # Geometric curves over the grid order: a ratio r per step, so the window's end ratio is r^-(steps in it).
        w = np.asarray(pred["grid"]["in_window"])
        rank = np.argsort(np.argsort(x))
        span = max(int(rank[w].max() - rank[w].min()), 1)
        v, upper = pred["derived"]["value"], pred.get("bound", "upper") == "upper"
        if pred["kind"] == "monotone":  # upper: every step ratio <= v; lower: >= v
            good, bad = (v / 2, v * 2) if upper else (v * 2, v / 2)
            return good ** rank.astype(float), bad ** rank.astype(float)
        good, bad = (v / 2, v * 2) if upper else (v * 2, v / 2)
        return good ** (-rank / span), bad ** (-rank / span)
    if pred["kind"] == "curve":
        return values, (values + 3 * max(tol, 0.01)) if absolute else values * (1 + 3 * max(tol, 0.01))
    if pred["kind"] == "bound_holds":
        sign = 1 if pred.get("bound", "upper") == "upper" else -1  # the side the bound forbids
        if absolute:
            inside = values - sign * (0.1 * np.abs(values) + 0.1)
            return inside, values + sign * (0.5 * np.abs(values) + 1 + tol)
        return (values * 0.9, values * (1.5 + tol)) if sign > 0 else (values * 1.1, values * (1 - tol) / 2)
    slope = pred["derived"]["value"]
    w = np.asarray(pred["grid"]["in_window"])
    anchor = values[w][0] / x[w][0] ** slope if values[w][0] > 0 else 1.0
    return anchor * x**slope, anchor * x ** (slope + 3 * tol)


@pytest.mark.parametrize("claim_id,check", CHECKS)
def test_comparator_accepts_the_prediction_and_rejects_it_perturbed(claim_id, check, predictions):
    pred = next(c for c in _pred(predictions, claim_id)["checks"] if c["name"] == check)
    rng = np.random.default_rng(0)
    good, bad = _targets(pred)
    n = 30
    if pred["kind"] == "curve" and pred.get("exclude"):
        good = np.where(np.isfinite(good), good, 1.0)  # a pole on an excluded point: any finite data there
        bad = np.where(np.isfinite(bad), bad, 1.0)
    ok = comparators.compare(pred, synthetic(pred, good, n, rng))
    assert ok["outcome"] == "pass", ok["message"]
    ko = comparators.compare(pred, synthetic(pred, bad, n, rng))
    assert ko["outcome"] == "fail", ko["message"]


@pytest.mark.parametrize("claim_id", CLAIM_IDS)
def test_figure_draws_from_the_comparisons(claim_id, predictions, tmp_path):
    """Every claim's figure is drawn (compare.py would otherwise fall back to a 1-pixel placeholder)."""
    from analysis import figures

    pred = _pred(predictions, claim_id)
    rng = np.random.default_rng(1)
    results = []
    for check in pred["checks"]:
        good, _ = _targets(check)
        good = np.where(np.isfinite(good), good, 1.0)
        results.append(comparators.compare(check, synthetic(check, good, 5, rng)))
    # Trace panels draw raw run arrays: (seeds, grid, T) curves over x and (seeds, grid) event positions.
    arrays_by_run: dict = {}
    for trace in pred.get("traces") or []:
        run = arrays_by_run.setdefault(trace["run"], {})
        run[trace["x"]] = np.arange(1.0, 41.0)
        for metric in trace["metrics"]:
            run[metric] = rng.random((5, 2, 40))
        for event in trace["events"]:
            run[event] = rng.uniform(1, 40, (5, 2))
    figures.draw(pred, results, tmp_path / "figure.svg", tmp_path / "figure.png", arrays_by_run)
    assert (tmp_path / "figure.png").stat().st_size > 10_000
