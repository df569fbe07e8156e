"""The rules of evidence in the comparators: intervals that cover at the smallest seed count used, each check's resolution (a prediction off by more is rejected, one off by less is not), censored event times never pass, under-powered checks never pass at the pipeline's scales, identity checks counted apart."""

import numpy as np
import pytest
import sympy as sp

from analysis import comparators as C
from theory import comparisons
from theory.claim import Check

X = [1.0, 2.0, 4.0, 8.0, 16.0]
x = sp.Symbol("x", positive=True)


def derived(kind="curve", prediction=None, tolerance=0.05, **kw) -> dict:
    check = Check(name="c", kind=kind, run="r", metric="y", x="x", prediction=prediction if prediction is not None else 2 / x,
                  tolerance=tolerance, tolerance_reason="test", description="test", **kw)
    return comparisons.derive(check, {"x": X})


def noisy(curve, n, sd, rng, multiplicative=True):
    curve = np.asarray(curve, dtype=float)
    e = sd * rng.standard_normal((n, curve.size))
    return {"x": np.asarray(X), "y": curve * (1 + e) if multiplicative else curve + e}


# ---- honest intervals --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("statistic", ["mean", "loglog slope of the mean curve"])
def test_jackknife_t_covers_at_three_seeds(statistic):
    """The smallest seed count any check aggregates over is 3.  The jackknife-t interval of a smooth statistic covers
    the truth about 95% of the time there, where a percentile bootstrap covers far less."""
    rng = np.random.default_rng(11)
    truth_curve = 3.0 * np.asarray(X) ** -0.5
    reps, n = 2000, 3
    lx = np.log(X)

    def stat_of(y):
        if statistic == "mean":
            return lambda idx: y[idx, 2].mean()
        return lambda idx: np.polyfit(lx, np.log(y[idx].mean(axis=0)), 1)[0]

    truth = truth_curve[2] if statistic == "mean" else -0.5
    covered = {"jackknife-t": 0, "bootstrap": 0}
    for r in range(reps):
        y = truth_curve * (1 + 0.05 * rng.standard_normal((n, len(X))))
        for method in covered:
            if method == "bootstrap" and (r >= 80 or statistic != "mean"):  # 2000 resamples each: 80 draws show it
                continue
            _, lo, hi = C.scalar_ci(stat_of(y), n, seed=r, method=method)
            covered[method] += lo <= truth <= hi
    jack = covered["jackknife-t"] / reps
    boot = covered["bootstrap"] / 80 if statistic == "mean" else 0.0
    # 2000 draws: a binomial standard error of 0.5%; the slope of log-means is smooth but not linear in the noise
    assert 0.93 <= jack <= 0.975, jack
    assert boot < 0.9, boot  # about 0.75 at n = 3


def test_interval_method_follows_the_statistic():
    assert C.interval_method("mean", True, 1) == "exact"
    assert C.interval_method("max", True, 5) == "every seed"
    assert C.interval_method("mean", True, 5) == "jackknife-t"
    assert C.interval_method("median", True, 30) == "bootstrap"
    assert C.interval_method("mean", False, 30) == "bootstrap"


# ---- resolution: the smallest error in the prediction that the check rejects ---------------------------------------
def _perturbed(pred: dict, factor: float = 1.0, shift: float = 0.0) -> dict:
    grid = {**pred["grid"], "values": [v * factor + shift for v in pred["grid"]["values"]]}
    derived_ = dict(pred["derived"])
    if "value" in derived_:
        derived_["value"] = derived_["value"] * factor + shift
    return {**pred, "grid": grid, "derived": derived_}


CASES = [
    # (kind, prediction, options, noise sd, multiplicative noise, how the prediction is moved)
    ("curve", 2 / x, {}, 0.004, True, "factor"),
    ("loglog_slope", 2 * x**-sp.Rational(1, 2), {}, 0.01, True, "shift"),
    ("bound_holds", 2 / x, {}, 0.004, True, "factor"),
    ("curve", 2 / x, {"scale": "absolute"}, 0.002, False, "shift"),
]


@pytest.mark.parametrize("kind, prediction, options, sd, mult, move", CASES)
def test_a_prediction_off_by_more_than_the_resolution_fails(kind, prediction, options, sd, mult, move):
    pred = derived(kind, prediction, tolerance=0.05, **options)
    truth = np.asarray(pred["grid"]["values"], dtype=float)
    if kind == "bound_holds":
        truth = truth * 0.99  # just under the upper bound
    if kind == "loglog_slope":
        truth = 2 * np.asarray(X) ** -0.5
    arrays = noisy(truth, 12, sd, np.random.default_rng(5), multiplicative=mult)
    result = C.compare(pred, arrays)
    assert result["outcome"] == "pass"
    r = result["resolution"]["value"]
    assert r is not None and r > 0.04  # about the tolerance: the CI sits inside the band
    # The bound only fails when lowered; the two-sided checks fail either way, first on their nearer side.
    signs = [-1] if kind == "bound_holds" else [-1, 1]
    directions = []
    for sign in signs:
        beyond = C.compare(_perturbed(pred, 1 + sign * r * 1.02) if move == "factor" else
                           _perturbed(pred, shift=sign * r * 1.02), arrays)["outcome"]
        within = C.compare(_perturbed(pred, 1 + sign * r * 0.98) if move == "factor" else
                           _perturbed(pred, shift=sign * r * 0.98), arrays)["outcome"]
        assert within != "fail"
        directions.append(beyond)
    assert "fail" in directions


def test_a_negative_prediction_is_judged_on_the_same_interval_as_its_mirror():
    """A ratio to a negative prediction reverses the CI's ends: they are put back in order, so that the curve -f
    measured as -y gets the verdict, interval and resolution of f measured as y (E7's gradients at negative shifts)."""
    pred, mirror = derived("curve", 2 / x), derived("curve", -2 / x)
    arrays = noisy(np.asarray(pred["grid"]["values"], dtype=float) * 1.01, 12, 0.004, np.random.default_rng(5))
    a, b = C.compare(pred, arrays), C.compare(mirror, {"x": arrays["x"], "y": -arrays["y"]})
    assert b["ci"][0] <= b["ci"][1] and a["outcome"] == b["outcome"] == "pass"
    np.testing.assert_allclose(b["ci"], a["ci"], rtol=1e-12)
    np.testing.assert_allclose(b["resolution"]["value"], a["resolution"]["value"], rtol=1e-12)


def test_resolution_of_a_band_edge_and_a_half_line():
    assert C.resolution(0.99, 1.01, (0.95, 1.05), "relative") == pytest.approx(min(1.01 / 0.95 - 1, 1 - 0.99 / 1.05))
    assert C.resolution(-0.51, -0.49, (-0.55, -0.45), "absolute") == pytest.approx(0.06)
    assert C.resolution(0.5, 0.6, (-np.inf, 1.0), "relative") == pytest.approx(0.5)  # a bound lowered by half fails
    assert C.resolution(0.5, 0.6, (-np.inf, np.inf), "relative") is None
    assert C.ci_to_band(0.99, 1.01, (0.95, 1.05)) == pytest.approx(0.2)
    assert C.ci_to_band(0.99, 1.01, (-np.inf, 1.05)) is None


# ---- power: a wide interval cannot pass at the pipeline's scales --------------------------------------------------
def test_an_under_powered_check_is_inconclusive_at_smoke_not_at_test():
    pred = derived("curve", 2 / x, tolerance=0.05)
    arrays = noisy(np.asarray(pred["grid"]["values"]), 20, 0.04, np.random.default_rng(2))
    loose = C.compare(pred, arrays)
    assert loose["outcome"] == "pass" and loose["ci_to_band"] > 1 / 3
    strict = C.compare(pred, arrays, scale="smoke")
    assert strict["outcome"] == "inconclusive" and "under-powered" in strict["message"]
    tight = C.compare(pred, noisy(np.asarray(pred["grid"]["values"]), 20, 0.004, np.random.default_rng(2)), scale="smoke")
    assert tight["outcome"] == "pass" and tight["ci_to_band"] <= 1 / 3


def test_a_bootstrap_over_few_seeds_cannot_pass_at_smoke():
    pred = derived("extremum_location", sp.Integer(4), tolerance=0.5, extremum="max")
    peak = np.exp(-((np.log(X) - np.log(4.0)) ** 2))
    arrays = noisy(peak, 5, 0.001, np.random.default_rng(4))
    assert C.compare(pred, arrays)["outcome"] == "pass"
    result = C.compare(pred, arrays, scale="smoke")
    assert result["interval"] == "bootstrap" and result["outcome"] == "inconclusive"
    assert C.compare(pred, noisy(peak, 10, 0.001, np.random.default_rng(4)), scale="smoke")["outcome"] == "pass"


# ---- censoring ----------------------------------------------------------------------------------------------------
def test_a_censored_event_time_never_passes():
    """An event time recorded at the budget because the event never happened (t_gen of a run that did not
    generalise) would satisfy 't_gen <= budget' trivially; flagged censored, the check cannot pass."""
    pred = derived("bound_holds", sp.Integer(1000), tolerance=0.0, reduce="max")
    times = np.full((5, len(X)), 400.0)
    arrays = {"x": np.asarray(X), "y": times, "y__censored": np.zeros_like(times, dtype=bool)}
    assert C.compare(pred, arrays)["outcome"] == "pass"
    times[2, 3] = 1000.0  # one member hit the budget
    flags = np.zeros_like(times, dtype=bool)
    flags[2, 3] = True
    result = C.compare(pred, {"x": np.asarray(X), "y": times, "y__censored": flags})
    assert result["outcome"] == "inconclusive" and result["censored"] == 1 and "censored" in result["message"]


# ---- roles --------------------------------------------------------------------------------------------------------
def test_role_is_declared_and_carried_to_the_result():
    pred = derived("curve", 2 / x, role="identity")
    assert pred["role"] == "identity"
    arrays = noisy(np.asarray(pred["grid"]["values"]), 12, 0.001, np.random.default_rng(1))
    assert C.compare(pred, arrays)["role"] == "identity"
    with pytest.raises(ValueError, match="unknown role"):
        derived("curve", 2 / x, role="proof")


def test_identity_only_claims_are_counted_apart_in_the_abstract():
    from reports.context import build_context

    def claim(cid, roles, outcome="pass"):
        return {"id": cid, "short_id": cid, "control": False, "outcome": outcome, "family": "f", "family_rank": 1,
                "family_title": "F", "reference": "", "notes_entry": "", "scale": "smoke",
                "evidence": "theory" if "theory" in roles else "identity",
                "checks": [{"role": r, "outcome": outcome} for r in roles],
                "provenance_raw": {"packages": {}, "git_commit": "", "git_dirty": None, "generated": "", "scale": "smoke",
                                   "device": "", "torch_threads": 1, "python": "", "platform": "", "base_seed": 1}}

    ctx = build_context([claim("A1", ["theory", "identity"]), claim("D1", ["identity", "identity"])])
    assert ctx["identity_only"][0]["short_id"] == "D1"
    assert "1 of 1 checks of real claims test the theory" in ctx["abstract"]
    assert "2 of 3 are identity" not in ctx["abstract"] and "3 of 3 are identity" in ctx["abstract"]
    assert "D1" in ctx["abstract"] and "not counted as verified theory" in ctx["abstract"]


# ---- the audit over verdicts ---------------------------------------------------------------------------------------
def test_audit_finds_each_violation(tmp_path):
    """An under-powered pass, a bootstrap pass over 5 seeds, a censored pass and a family without a near-miss control
    are each reported; a clean directory is not."""
    import json
    import shutil

    from analysis.audit import audit
    from tests.test_report import make_fake_results

    results = make_fake_results(tmp_path / "results")
    shutil.rmtree(results / "width_error")  # the errored claim of the fixture has no prediction
    control = results / "sgd_rate_control" / "prediction.json"
    control.write_text(json.dumps({**json.loads(control.read_text()), "near_miss": True}))
    assert audit(results) == []
    path = results / "sgd_rate" / "verdict.json"
    v = json.loads(path.read_text())
    check = v["checks"][0]
    bad = [{**check, "name": "wide", "ci_to_band": 0.5},
           {**check, "name": "boot", "interval": "bootstrap", "n_seeds": 5},
           {**check, "name": "cens", "censored": 2}]
    path.write_text(json.dumps({**v, "checks": [check, *bad]}))
    control.write_text(json.dumps({**json.loads(control.read_text()), "near_miss": False}))
    found = audit(results)
    assert any("sgd_rate/wide" in f and "0.50 of its band" in f for f in found)
    assert any("sgd_rate/boot" in f and "5 seeds" in f for f in found)
    assert any("sgd_rate/cens" in f and "censored" in f for f in found)
    assert any("family sgd: no near-miss control" in f for f in found)
