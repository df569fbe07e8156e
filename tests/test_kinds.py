"""The comparison kinds as plugins: each has both halves, every kind passes data drawn from a prediction and fails it perturbed, the ordering kinds work in both directions, the Spearman kind against scipy, and a kind whose metric is not a (seeds, grid) curve fits the plugin shape."""

import sys
import types

import numpy as np
import pytest
import sympy as sp
from scipy import stats

from analysis import comparators
from analysis import kinds as empirical
from theory import comparisons
from theory import kinds as symbolic
from theory.claim import Check

X = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
x = sp.Symbol("x", positive=True)
# One example check per kind (prediction and options): adding a kind adds its line here.
EXAMPLES = {
    "bound_holds": dict(prediction=3 / x + 1),
    "curve": dict(prediction=2 * x**2),
    "loglog_slope": dict(prediction=5 * x**-sp.Rational(1, 2)),
    "extremum_location": dict(prediction=sp.Integer(3)),
    "peak_prominence": dict(prediction=sp.Rational(6, 5)),
    "monotone": dict(prediction=sp.Integer(1)),
    "end_ratio": dict(prediction=sp.Integer(3), bound="lower"),
    "rank_correlation": dict(prediction=sp.log(x) + x / 10, tolerance=0.1),
}


def predicted(kind: str, params: dict | None = None, **changes) -> dict:
    example = {**EXAMPLES[kind], **changes}
    check = Check(name=f"example_{kind}", kind=kind, run="r", metric="y", x="x", tolerance=example.pop("tolerance", 0.05),
                  tolerance_reason="example", description="example", **example)
    return comparisons.derive(check, params or {"x": X})


def test_every_kind_has_both_halves_and_an_example():
    assert symbolic.names() == empirical.names()
    for kind in symbolic.names():
        assert callable(symbolic.get(kind).derive), kind
        half = empirical.get(kind)
        assert callable(half.compare) and callable(half.draw) and len(half.LINE) == 2, kind
        assert callable(getattr(half, "targets", None)) or callable(getattr(half, "synthetic", None)), kind
        assert kind in EXAMPLES, f"add an example check of kind {kind} to EXAMPLES"


@pytest.mark.parametrize("kind", symbolic.names())
def test_kind_passes_its_prediction_and_fails_it_perturbed(kind):
    pred = predicted(kind)
    good, bad = empirical.synthetic_pair(pred, 30, np.random.default_rng(3))
    assert comparators.compare(pred, good)["outcome"] == "pass"
    assert comparators.compare(pred, bad)["outcome"] == "fail"


def test_unknown_kind_and_option_name_the_valid_ones():
    with pytest.raises(ValueError, match="valid kinds: .*bound_holds"):
        Check(name="c", kind="nope", run="r", metric="y", x="x", prediction=x, tolerance=0, tolerance_reason="",
              description="")
    with pytest.raises(ValueError, match="takes no option extremum .*it takes bound"):
        Check(name="c", kind="bound_holds", run="r", metric="y", x="x", prediction=x, tolerance=0, tolerance_reason="",
              description="", extremum="min")
    with pytest.raises(ValueError, match="unknown bound 'sideways'; valid: upper, lower"):
        Check(name="c", kind="monotone", run="r", metric="y", x="x", prediction=x, tolerance=0, tolerance_reason="",
              description="", bound="sideways")
    assert predicted("bound_holds")["options"] == {"bound": "upper"}  # defaults are filled when written


def test_a_number_kind_refuses_a_prediction_in_x():
    check = Check(name="c", kind="monotone", run="r", metric="y", x="x", prediction=sp.Symbol("x"), tolerance=0.0,
                  tolerance_reason="", description="")
    with pytest.raises(ValueError, match="not in 'x'"):
        check.expr()


# ---- the ordering kinds in both directions, on hand-made per-seed data -------------------------------------------
def _arrays(curves) -> dict:
    curves = np.asarray(curves, dtype=float)
    return {"x": np.asarray(X[: curves.shape[1]]), "y": curves}


def _ordering(kind: str, bound: str, value) -> dict:
    return predicted(kind, {"x": X[:4]}, prediction=sp.sympify(value), bound=bound, tolerance=0.0, reduce="median")


@pytest.mark.parametrize("bound,good,bad", [
    ("upper", [8, 4, 2, 1], [1, 2, 4, 8]),  # non-increasing
    ("lower", [1, 2, 4, 8], [8, 4, 2, 1]),  # non-decreasing
])
def test_monotone_in_both_directions(bound, good, bad):
    pred = _ordering("monotone", bound, 1)
    assert comparators.compare(pred, _arrays([good] * 3))["outcome"] == "pass"
    assert comparators.compare(pred, _arrays([bad] * 3))["outcome"] == "fail"


def test_end_ratio_bounds_and_disagreeing_seeds():
    at_least_3 = _ordering("end_ratio", "lower", 3)
    assert comparators.compare(at_least_3, _arrays([[8, 4, 2, 1]] * 3))["outcome"] == "pass"
    assert comparators.compare(at_least_3, _arrays([[2, 1.5, 1.2, 1]] * 3))["outcome"] == "fail"
    at_most_3 = _ordering("end_ratio", "upper", 3)
    assert comparators.compare(at_most_3, _arrays([[2, 1.5, 1.2, 1]] * 3))["outcome"] == "pass"
    # Seeds on both sides of the bound: the bootstrap CI of the median straddles it.
    mixed = comparators.compare(at_least_3, _arrays([[8, 4, 2, 1], [2, 1.5, 1.2, 1], [8, 4, 2, 1], [2, 1.5, 1.2, 1]]))
    assert mixed["outcome"] == "inconclusive", mixed["message"]


# ---- Spearman rank correlation -------------------------------------------------------------------------------------
def test_spearman_equals_scipy_with_ties_and_is_scale_free():
    from analysis.kinds.rank_correlation import spearman

    rng = np.random.default_rng(0)
    a = rng.integers(0, 4, 12).astype(float)  # ties
    b = rng.normal(size=12)
    assert spearman(a, b) == pytest.approx(stats.spearmanr(a, b).statistic, abs=1e-12)
    assert spearman(np.exp(b), b) == pytest.approx(1.0)
    assert spearman(-b**3, b) == pytest.approx(-1.0)


def test_rank_correlation_tracks_order_not_scale_and_is_inconclusive_when_seeds_disagree():
    pred = predicted("rank_correlation")  # log x + x/10: increasing on the grid
    increasing = np.tile(np.arange(1.0, 7.0) ** 3, (10, 1))  # another scale, same order
    assert comparators.compare(pred, _arrays(increasing))["outcome"] == "pass"
    rng = np.random.default_rng(1)
    shuffled = np.array([rng.permutation(6) + 1.0 for _ in range(10)])  # each seed orders the grid at random
    result = comparators.compare(pred, _arrays(shuffled))
    assert result["outcome"] in ("fail", "inconclusive") and result["ci"][0] < 0.9


# ---- a kind whose metric is a matrix, not a curve: the plugin shape admits it ----------------------------------------
def test_a_kind_on_matrices_fits_the_plugin_shape(monkeypatch):
    """A throwaway kind comparing the top eigenvalue of a per-seed kernel matrix (seeds, n, n) with a number: its two
    halves are found by name like the shipped kinds, and nothing shared needs to change."""
    theory_half = types.ModuleType("theory.kinds.top_eigenvalue")
    theory_half.PREDICTS = "number"
    theory_half.derive = lambda check, grid: symbolic.scalar_prediction("top eigenvalue", check, grid)
    analysis_half = types.ModuleType("analysis.kinds.top_eigenvalue")
    analysis_half.LINE = ("", "eigenvalue")
    analysis_half.draw = lambda ax, check, result, panel: None

    def compare(check, arrays, seed=0):
        kernels = np.asarray(arrays[check["metric"]])  # (seeds, n, n)
        top = np.linalg.eigvalsh(kernels)[:, -1]
        e, lo, hi = comparators.scalar_ci(lambda idx: top[idx].mean(), len(top), seed)
        band = (check["derived"]["value"] * (1 - check["tolerance"]), check["derived"]["value"] * (1 + check["tolerance"]))
        result = {**{k: check[k] for k in ("name", "kind", "run", "metric", "x")}, "table": []}
        return comparators.outcome_of(result, comparators.decide(lo, hi, *band), e, lo, hi, check["derived"]["value"],
                                      f"top eigenvalue {e:.4g}", band, len(top))

    analysis_half.compare = compare
    for name, module in (("theory.kinds.top_eigenvalue", theory_half), ("analysis.kinds.top_eigenvalue", analysis_half)):
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setattr(symbolic, "get", symbolic.get.__wrapped__)
    monkeypatch.setattr(empirical, "get", empirical.get.__wrapped__)
    n = sp.Symbol("n", positive=True)
    check = Check(name="c", kind="top_eigenvalue", run="r", metric="K", x="size", prediction=n, tolerance=0.05,
                  tolerance_reason="", description="")
    pred = comparisons.derive(check, {"n": 4, "size": [4.0]})
    kernels = np.stack([np.eye(4) * 4.0 + 0.01 * np.diag(np.random.default_rng(s).normal(size=4)) for s in range(8)])
    assert comparators.compare(pred, {"K": kernels})["outcome"] == "pass"
    assert comparators.compare(pred, {"K": 2 * kernels})["outcome"] == "fail"
