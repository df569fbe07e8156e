"""Generic tests derived from the registry, one set per claim and check: adding a claim never edits this file."""

import inspect
import math

import numpy as np
import pytest
import sympy as sp

import artefacts
from analysis import comparators
from analysis import kinds as empirical
from experiments.lib import runner
from theory import registry
from theory.__main__ import prediction as make_prediction

CLAIM_IDS = registry.claim_ids()
CHECKS = [(c.id, k.name) for c in registry.all_claims() for k in c.checks]


def _check(claim_id, name):
    claim = registry.get(claim_id)
    return claim, next(k for k in claim.checks if k.name == name)


@pytest.fixture(scope="module")
def predictions():
    return {}


def _scale(claim_id):
    """The first pipeline scale the claim runs at: smoke, or full for a GPU-only claim (smoke None)."""
    claim = registry.get(claim_id)
    return next(s for s in ("smoke", "full") if claim.runs_at(s))


def _pred(predictions, claim_id):
    if claim_id not in predictions:
        predictions[claim_id] = make_prediction(claim_id, _scale(claim_id))
    return predictions[claim_id]


def _checked(predictions, claim_id, name):
    return next(c for c in _pred(predictions, claim_id)["checks"] if c["name"] == name)


@pytest.mark.parametrize("claim_id", CLAIM_IDS)
def test_prediction_follows_the_artefact_schema(claim_id, predictions):
    artefacts.validate("prediction", _pred(predictions, claim_id), claim_id)


@pytest.mark.parametrize("claim_id,check", CHECKS)
def test_prediction_is_finite_sympy_and_round_trips(claim_id, check, predictions):
    claim, chk = _check(claim_id, check)
    params = claim.scales[_scale(claim_id)].runs[chk.run]
    expr = chk.expr(params)
    assert isinstance(expr, sp.Expr)
    pred = _checked(predictions, claim_id, check)
    # srepr parses back to the same tree (implemented functions, whose numerics live in Python, compare by name)
    assert sp.srepr(sp.sympify(pred["expression"])) == sp.srepr(expr)
    values = [v for v, excluded in zip(pred["grid"]["values"], _excluded(pred)) if not excluded]
    assert len(values) >= (2 if chk.kind == "loglog_slope" else 1)
    assert all(v is not None and math.isfinite(v) for v in values), "the prediction must be finite outside exclusions"
    allowed = set(params) | {chk.x}
    assert {s.name for s in expr.free_symbols} <= allowed, "prediction symbols must be run parameters or x"
    if chk.kind == "loglog_slope":
        assert math.isfinite(pred["derived"]["value"])


def _excluded(pred):
    xs = pred["grid"]["x_values"]
    return [any(lo <= x <= hi for lo, hi in pred["exclude"]) for x in xs]


@pytest.mark.parametrize("claim_id", CLAIM_IDS)
def test_experiment_signature_matches_every_scale(claim_id):
    claim = registry.get(claim_id)
    fn = runner.load_experiment(claim.experiment)
    kw = {n for n, p in inspect.signature(fn).parameters.items() if p.kind is p.KEYWORD_ONLY}
    assert {"seed", "device"} <= kw
    for scale in [s for s in claim.scales if claim.runs_at(s)]:  # a GPU-only claim has no smoke runs
        for run in registry.run_ids(claim_id, scale):
            spec = registry.spec(claim_id, run, scale, 0, "cpu")
            artefacts.validate("spec", spec)
            runner.check_signature(fn, spec["params"])


@pytest.mark.parametrize("claim_id", CLAIM_IDS)
def test_test_scale_runs_are_deterministic_and_seeded(claim_id):
    """Every run of the claim's declared test scale: the same seed gives identical arrays, and another seed changes some
    per-seed array unless the claim declares its result independent of the seed."""
    claim = registry.get(claim_id)
    for run in registry.run_ids(claim_id, "test"):
        spec = lambda seed: registry.spec(claim_id, run, "test", seed, "cpu")  # noqa: E731
        first, again, other = (runner.execute(spec(s)) for s in (11, 11, 12))
        assert first["meta"]["error"] is None, first["meta"]["error"]
        for key, value in first["arrays"].items():
            np.testing.assert_array_equal(value, again["arrays"][key], err_msg=f"run {run}, array {key}")
        if not claim.deterministic:
            assert any(not np.array_equal(v, other["arrays"][k]) for k, v in first["arrays"].items() if v.ndim == 2), (
                f"run {run}: another seed changed nothing; declare deterministic=True if the seed plays no part")


# ---- the comparator passes data drawn from the prediction and fails it perturbed -------------
@pytest.mark.parametrize("claim_id,check", CHECKS)
def test_comparator_accepts_the_prediction_and_rejects_it_perturbed(claim_id, check, predictions):
    pred = _checked(predictions, claim_id, check)
    good, bad = empirical.synthetic_pair(pred, 30, np.random.default_rng(0))
    ok = comparators.compare(pred, good)
    assert ok["outcome"] == "pass", ok["message"]
    ko = comparators.compare(pred, bad)
    assert ko["outcome"] == "fail", ko["message"]


@pytest.mark.parametrize("claim_id", CLAIM_IDS)
def test_figure_draws_from_the_comparisons(claim_id, predictions, tmp_path):
    """Every claim's figure is drawn (compare.py would otherwise fall back to a 1-pixel placeholder)."""
    from analysis import figures

    pred = _pred(predictions, claim_id)
    rng = np.random.default_rng(1)
    # One seed: its interval is exact (no bootstrap), and the panels are drawn all the same.
    results = [comparators.compare(check, empirical.synthetic_pair(check, 1, rng)[0]) for check in pred["checks"]]
    # Trace panels draw raw run arrays: (seeds, grid, T) curves over x and (seeds, grid) event positions.
    arrays_by_run: dict = {}
    for trace in pred["traces"]:
        run = arrays_by_run.setdefault(trace["run"], {})
        run[trace["x"]] = np.arange(1.0, 41.0)
        for metric in trace["metrics"]:
            run[metric] = rng.random((3, 2, 40))
        for event in trace["events"]:
            run[event] = rng.uniform(1, 40, (3, 2))
    figures.draw(pred, results, tmp_path / "figure.svg", arrays_by_run)
    assert (tmp_path / "figure.svg").stat().st_size > 10_000
