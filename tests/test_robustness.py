"""make robustness's table: each claim's outcome in every variant beside the main run's, a changed outcome flagged, and the report showing it; the variants' settings refuse a typo."""

import json
import shutil
from pathlib import Path

import pytest

from analysis import robustness
from tests.test_report import make_fake_results


def test_table_flags_a_changed_outcome_and_the_report_shows_it(tmp_path: Path):
    from reports.build import build

    main = make_fake_results(tmp_path / "results")
    for name in ("seed-7", "grok"):
        shutil.copytree(main, tmp_path / "robustness" / name / "results")
    flipped = tmp_path / "robustness" / "seed-7" / "results" / "sgd_rate" / "verdict.json"
    v = json.loads(flipped.read_text())
    flipped.write_text(json.dumps({**v, "outcome": "inconclusive", "message": "wide"}))
    shutil.rmtree(tmp_path / "robustness" / "grok" / "results" / "sgd_rate_control")  # a variant of one family
    rows = robustness.table(main, {n: tmp_path / "robustness" / n / "results" for n in ("seed-7", "grok")})
    by = {r["claim"]: r for r in rows}
    assert by["sgd_rate"]["seed-7"] == "inconclusive" and not by["sgd_rate"]["robust"]
    assert by["sgd_rate_control"]["grok"] == "" and by["sgd_rate_control"]["robust"]
    robustness.write_table(rows, ["seed-7", "grok"], main / "robustness.csv")
    ctx = build(main, html=tmp_path / "r.html")
    assert [r["short_id"] for r in ctx["robustness"]["changed"]] == ["A1"]
    assert "Robustness" in (tmp_path / "r.html").read_text()


def test_settings_name_a_family_and_a_parameter_it_has():
    from theory import registry

    registry.check_settings({"grokking": {"p": 37}}, "smoke")
    with pytest.raises(ValueError, match="unknown family"):
        registry.check_settings({"grok": {"p": 37}}, "smoke")
    with pytest.raises(ValueError, match="no run has parameter"):
        registry.check_settings({"grokking": {"prime": 37}}, "smoke")
    claim = next(c for c in registry.all_claims() if c.family == "grokking")
    runs = registry.runs_at(claim.id, "smoke", {"grokking": {"p": 37}})
    assert all(r["p"] == 37 for r in runs.values() if "p" in r)
    # as Snakemake's --config hands a nested value over: a string
    runs = registry.runs_at(claim.id, "smoke", {"grokking": {"p": "37"}})
    assert all(r["p"] == 37 and isinstance(r["p"], int) for r in runs.values() if "p" in r)
    other = next(c for c in registry.all_claims() if c.family != "grokking")
    assert registry.runs_at(other.id, "smoke", {"grokking": {"p": 37}}) == registry.runs_at(other.id, "smoke")
