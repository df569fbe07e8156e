"""Tests for the report builder (reports/): a small fake results tree -> CSV, HTML and PDF, the Typst math fallback and the summary CSV."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.report


def _figure(path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3, 2))
    ax.loglog([10, 20, 40], [0.3, 0.2, 0.14], "o-", label="measured")
    ax.loglog([10, 20, 40], [0.31, 0.21, 0.15], "--", label="predicted")
    ax.set_xlabel("T")
    ax.legend()
    fig.savefig(path, format="svg")
    plt.close(fig)


def _provenance(runs: dict[str, int]) -> dict:
    return {
        "git_commit": "abc123", "git_dirty": False,
        "packages": {"torch": "2.13.0", "numpy": "2.1.0"},
        "device": "cpu (test)", "torch_threads": 1, "python": "3.11.7", "platform": "Linux-test",
        "scale": "smoke", "base_seed": 20261122, "seeds": runs,
        "wall_time_s": {k: 1.25 for k in runs}, "generated": "2026-11-22T10:00:00+00:00",
    }


def make_fake_results(root: Path) -> Path:
    """Two real claims (one pass, one error) and one negative control that fails, as the pipeline writes them (each
    file checked against its schema)."""
    import artefacts

    root.mkdir(parents=True, exist_ok=True)
    specs = [
        ("sgd_rate", "A1", "sgd", False, "pass", "pass", "SGD stationarity rate"),
        ("width_error", "B4", "width", False, "pass", "error", "A claim whose run crashed"),
        ("sgd_rate_control", "A1-c1", "sgd", True, "fail", "fail", "Wrong rate T^{-1}"),
    ]
    for cid, short, fam, control, expected, outcome, title in specs:
        d = root / cid
        d.mkdir()
        err = outcome == "error"
        check = {
            "name": "slope_A", "kind": "loglog_slope", "run": "quadratic", "metric": "A", "x": "T",
            "estimate": None if err else -0.5123, "ci": None if err else [-0.52, -0.50],
            "predicted": None if err else -0.5, "tolerance": 0.05, "outcome": outcome,
            "message": "boom" if err else "slope ok", "n_seeds": 8, "reduce": "mean", "scale": "relative",
            "options": {"limit_point": "oo"}, "series": None, "role": "theory", "interval": None if err else "jackknife-t",
            "resolution": {"value": None if err else 0.062, "unit": "absolute"}, "ci_to_band": None if err else 0.2,
            "censored": 0,
            "table": [] if err else [{"x": 10.0, "estimate": 0.3, "ci_lo": 0.29, "ci_hi": 0.31, "median": 0.3,
                                       "predicted": 0.31, "in_window": True}],
        }
        verdict = {
            "claim": cid, "short_id": short, "family": fam, "title": title, "control": control, "expected": expected,
            "outcome": outcome, "estimate": check["estimate"], "ci": check["ci"],
            "predicted": check["predicted"], "tolerance": 0.05, "n_seeds": 8,
            "message": "RuntimeError: worker crashed <xyz>" if err else f"{cid} message",
            "checks": [check], "provenance": _provenance({"quadratic": 1234}),
            "headline": "slope_A", "resolution": check["resolution"],
        }
        artefacts.write_json(d / "verdict.json", verdict, schema="verdict")
        if err:
            continue  # errored claim: no prediction.json, no figure
        pred = {
            "claim": cid, "short_id": short, "family": fam, "family_title": "SGD rates", "family_rank": 10,
            "title": title, "control": control, "contradicts": "A1" if control else "", "near_miss": False, "expected": expected,
            "statement": "For step size $\\eta \\le 1/\\beta$, $\\min_t \\|\\nabla f\\|^2 = O(1/\\sqrt{T})$ # * _ @ <tag> [x] ~ `q` \\ end.",
            "source": {"notes": "lelarge2024", "where": "§3.4", "citation": "Lelarge, Vie & Scaman (2024), Deep Learning, §3.4",
                       "bibliography": "Lelarge, Vie & Scaman (2024), Deep Learning (class notes)"},
            "reference": "Ghadimi & Lan (2013), Thm 2.1",
            "notes": "Constants differ by $2$.", "protocol": "Run SGD on a quadratic.", "scale": "smoke", "n_seeds": 8,
            "overlay_runs": False, "traces": [],
            "runs": {"quadratic": {"d": 10, "beta": 1.0, "T": [10, 20, 40], "n_seeds": 8}},
            "checks": [{"name": "slope_A", "kind": "loglog_slope", "run": "quadratic", "metric": "A", "x": "T",
                        "description": "Slope of $A$ against $T$.", "expression": "Symbol('T')",
                        "latex": "\\frac{4 \\beta \\Delta}{\\sqrt{T}}", "symbols": ["T", "beta"],
                        "derived": {"name": "slope", "value": -0.5, "latex": "-\\frac{1}{2}", "window_value": -0.5},
                        "tolerance": 0.05, "tolerance_reason": "why", "role": "theory", "tuned": "", "reduce": "mean", "scale": "relative",
                        "options": {"limit_point": "oo"}, "window": [None, None], "marks": [], "exclude": [],
                        "crossing": None, "dense": None,
                        "grid": {"x": "T", "x_values": [10, 20, 40], "values": [0.3, 0.2, 0.14],
                                 "in_window": [True, True, True], "series": None}}],
        }
        artefacts.write_json(d / "prediction.json", pred, schema="prediction")
        _figure(d / "figure.svg")
    return root


def test_build_outputs(tmp_path: Path) -> None:
    from reports.build import build

    res = make_fake_results(tmp_path / "results")
    html, pdf, csv_path = res / "report.html", res / "report.pdf", res / "summary.csv"
    ctx = build(res, html, pdf, csv_path)

    for p in (html, pdf, csv_path):
        assert p.is_file() and p.stat().st_size > 0
    assert (res / "report.typ").is_file()

    rows = list(csv.DictReader(csv_path.open(encoding="utf-8")))
    assert len(rows) == 3
    ok = {r["claim"]: r["ok"] for r in rows}
    assert ok == {"sgd_rate": "True", "sgd_rate_control": "True", "width_error": "False"}
    assert [r["claim"] for r in rows] == ["sgd_rate", "sgd_rate_control", "width_error"]  # catalogue order, control after its claim

    text = html.read_text(encoding="utf-8")
    assert "<math" in text
    external = re.findall(r'\b(?:src|href)\s*=\s*["\']?\s*(?:https?:)?//', text, flags=re.I)
    assert external == []
    assert "RuntimeError: worker crashed &lt;xyz&gt;" in text
    assert "<svg" in text
    assert pdf.read_bytes().startswith(b"%PDF")
    assert ctx["counts"] == {"pass": 1, "fail": 0, "inconclusive": 0, "error": 1}
    assert ctx["green"] is False


def test_a_broken_result_file_is_an_error_entry(tmp_path: Path) -> None:
    """A verdict.json that breaks its schema (most fields missing) is reported as an error naming the file, and the
    report is still produced."""
    from reports.build import build

    res = tmp_path / "results"
    (res / "bare").mkdir(parents=True)
    (res / "bare" / "verdict.json").write_text(json.dumps({"claim": "bare", "outcome": "error"}))
    (res / "bare" / "figure.svg").write_text("this is not an svg")  # unreadable figure
    (res / "notaclaim").mkdir()
    build(res, res / "r.html", res / "r.pdf", res / "s.csv")
    assert (res / "r.pdf").read_bytes().startswith(b"%PDF")
    rows = list(csv.DictReader((res / "s.csv").open()))
    assert len(rows) == 1 and rows[0]["outcome"] == "error" and "breaks the verdict schema" in rows[0]["message"]


def test_typst_raw_math_fallback_does_not_leak(tmp_path: Path) -> None:
    """write_pdf's fallback (every formula as LaTeX source) must not change a later render.

    The fallback was once a module-global flag read inside a cached conversion, so a stale
    cache or an unreset flag could carry it into the next report."""
    from reports.context import build_context
    from reports.model import load_claims
    from reports.typst_render import TypstMath, render_typst

    formula = "\\frac{4 \\beta \\Delta}{\\sqrt{T}}"
    assert TypstMath(raw=True).math(formula, display=True).startswith("#texsrc-block(")
    converted = TypstMath().math(formula, display=True)
    assert converted.startswith("#fit(") and "texsrc" not in converted
    assert TypstMath(raw=True).math(formula, display=True).startswith("#texsrc-block(")

    res = make_fake_results(tmp_path / "results")
    ctx = build_context(load_claims(res))
    before = render_typst(ctx, res, figures=False)
    raw = render_typst(ctx, res, figures=False, raw_math=True)
    after = render_typst(ctx, res, figures=False)
    assert raw.count("#texsrc") > before.count("#texsrc")
    assert after == before


def test_summary_csv_keeps_raw_values(tmp_path: Path) -> None:
    """The CSV writes each value as read: ints as ints, floats as repr, None empty, NaN "nan"."""
    from reports.summary import CSV_COLUMNS, write_csv

    claim = {
        "id": "c", "short_id": "A1-c1", "family": "f", "title": 'a "quoted", title', "control": True, "expected": "fail",
        "outcome": "fail", "ok": True, "estimate_raw": 1, "ci_lo_raw": None, "ci_hi_raw": 0.1 + 0.2,
        "predicted_raw": float("nan"), "tolerance_raw": 1e-20, "n_seeds": 8, "message": "", "evidence": "theory",
        "headline": "slope", "resolution_raw": {"value": 0.25, "unit": "relative"},
    }
    path = tmp_path / "s.csv"
    write_csv([claim], path)
    assert path.read_text(encoding="utf-8") == (
        ",".join(CSV_COLUMNS) + "\n"
        + 'c,A1-c1,f,"a ""quoted"", title",True,negative control,theory,fail,fail,True,slope,1,,0.30000000000000004,nan,1e-20,'
        '0.25,relative,8,\n')
    write_csv([], path)
    assert path.read_text(encoding="utf-8") == ",".join(CSV_COLUMNS) + "\n"
