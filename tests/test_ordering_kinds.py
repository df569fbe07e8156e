"""The ordering comparison kinds (monotone, end_ratio) in both directions, on hand-made per-seed data: they pass what they claim, fail the reverse, and say inconclusive when the seeds disagree."""

import numpy as np
import pytest
import sympy as sp

from analysis import comparators
from theory import comparisons
from theory.claim import Check, Claim, Scale

X = [1.0, 2.0, 3.0, 4.0]


def _prediction(kind: str, bound: str, value) -> dict:
    check = Check(name="c", kind=kind, run="r", metric="y", x="x", prediction=sp.sympify(value), bound=bound,
                  reduce="median", tolerance=0.0, tolerance_reason="exact", description="d")
    claim = Claim(id="t", family="grokking", title="t", statement="s", source="s", reference="r", experiment="e",
                  scales={s: Scale(n_seeds=3, runs={"r": {"x": X}}) for s in ("smoke", "full")}, checks=(check,),
                  protocol="p")
    return comparisons.derive(claim, check, {"x": X})


def _arrays(curves) -> dict:
    return {"x": np.asarray(X), "y": np.asarray(curves, dtype=float)}


@pytest.mark.parametrize("bound,good,bad", [
    ("upper", [8, 4, 2, 1], [1, 2, 4, 8]),  # non-increasing
    ("lower", [1, 2, 4, 8], [8, 4, 2, 1]),  # non-decreasing
])
def test_monotone_in_both_directions(bound, good, bad):
    pred = _prediction("monotone", bound, 1)
    assert comparators.compare(pred, _arrays([good] * 3))["outcome"] == "pass"
    assert comparators.compare(pred, _arrays([bad] * 3))["outcome"] == "fail"


def test_end_ratio_bounds_and_disagreeing_seeds():
    at_least_3 = _prediction("end_ratio", "lower", 3)
    assert comparators.compare(at_least_3, _arrays([[8, 4, 2, 1]] * 3))["outcome"] == "pass"
    assert comparators.compare(at_least_3, _arrays([[2, 1.5, 1.2, 1]] * 3))["outcome"] == "fail"
    at_most_3 = _prediction("end_ratio", "upper", 3)
    assert comparators.compare(at_most_3, _arrays([[2, 1.5, 1.2, 1]] * 3))["outcome"] == "pass"
    # Seeds on both sides of the bound: the bootstrap CI of the median straddles it.
    mixed = comparators.compare(at_least_3, _arrays([[8, 4, 2, 1], [2, 1.5, 1.2, 1], [8, 4, 2, 1], [2, 1.5, 1.2, 1]]))
    assert mixed["outcome"] == "inconclusive", mixed["message"]


def test_ordering_kinds_refuse_a_prediction_in_x():
    with pytest.raises(ValueError, match="not in 'x'"):
        Check(name="c", kind="monotone", run="r", metric="y", x="x", prediction=sp.Symbol("x"), tolerance=0.0,
              tolerance_reason="", description="")
