"""Tests for the report builder (reports/): a small fake results tree -> CSV, HTML and PDF, the Typst math fallback and the summary CSV."""

from __future__ import annotations

import csv
import io
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
    root.mkdir(parents=True, exist_ok=True)
    specs = [
        ("sgd_rate", "A1", "sgd", False, "pass", "pass", "SGD stationarity rate"),
        ("width_error", "B4", "width", False, "pass", "error", "A claim whose run crashed"),
        ("sgd_rate_control", "A1-c1", "sgd", True, "fail", "fail", "Wrong rate T^{-1}"),
    ]
    for spec in specs:
        _write_claim(root, *spec)
    return root


def _write_claim(root: Path, cid: str, short: str, fam: str, control: bool, expected: str, outcome: str, title: str,
                 meta: dict | None = None) -> None:
    """One claim's verdict.json, prediction.json and figure; ``meta`` replaces prediction fields (family, errata ...)."""
    import artefacts

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
        "censored": 0, "band": None if err else [-0.55, -0.45],
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
        return  # errored claim: no prediction.json, no figure
    pred = {
        "claim": cid, "short_id": short, "family": fam, "family_title": "SGD rates", "family_rank": 10,
        "family_intro": "The notes state $O(1/\\sqrt{T})$ rates.",
        "title": title, "control": control, "contradicts": "A1" if control else "", "near_miss": False, "expected": expected,
        "statement": "For step size $\\eta \\le 1/\\beta$, $\\min_t \\|\\nabla f\\|^2 = O(1/\\sqrt{T})$ # * _ @ <tag> [x] ~ `q` \\ end.",
        "source": {"notes": "lelarge2024", "where": "§3.4", "citation": "Lelarge, Vie & Scaman (2024), Deep Learning, §3.4",
                   "bibliography": "Lelarge, Vie & Scaman (2024), Deep Learning (class notes)"},
        "reference": "Ghadimi & Lan (2013), Thm 2.1",
        "notes": "Constants differ by $2$.",
        "errata": [{"kind": "loose", "notes_say": "$4\\beta\\Delta/T$", "correction": "$2\\beta\\Delta/T$", "reference": "Nesterov (2004)"}] if not control else [],
        "protocol": "Run SGD on a quadratic.", "scale": "smoke", "n_seeds": 8,
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
    pred.update(meta or {})
    artefacts.write_json(d / "prediction.json", pred, schema="prediction")
    _figure(d / "figure.svg")


def make_registry_results(root: Path) -> list:
    """Every claim of the registry, with its own id, title, family and errata, each with one passing check (a real
    claim) or one failing check (a control): the report's structure at full size, without running anything."""
    import dataclasses

    from theory import registry

    root.mkdir(parents=True, exist_ok=True)
    claims = registry.all_claims()
    for c in claims:
        fam = registry.family(c.family)
        _write_claim(root, c.id, c.short_id, c.family, c.control, c.expected, c.expected, c.title,
                     {"family_title": fam.title, "family_rank": fam.order, "family_intro": fam.intro,
                      "contradicts": c.contradicts, "near_miss": c.near_miss, "notes": c.notes,
                      "errata": [dataclasses.asdict(e) for e in c.errata]})
    return claims


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
    # figures are linked, not inlined: the files beside the page, the at-a-glance figure first
    assert 'src="sgd_rate/figure.svg"' in text and 'src="at_a_glance.svg"' in text
    assert (res / "at_a_glance.svg").read_text(encoding="utf-8").lstrip().startswith(("<?xml", "<svg"))
    assert text.index('src="at_a_glance.svg"') < text.index('id="summary"')
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


def test_the_figures_typst_cannot_read_are_found_in_one_batch(tmp_path: Path) -> None:
    """All figures go to Typst in one document, halved where it fails: only the unreadable one is left out."""
    from reports.typst_render import _typst_images_ok

    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="5" height="5"/></svg>'
    paths = []
    for i in range(5):
        (tmp_path / f"c{i}").mkdir()
        paths.append(tmp_path / f"c{i}" / "figure.svg")
        paths[-1].write_text(svg if i != 3 else "this is not an svg")
    assert _typst_images_ok(paths) == {p.resolve() for i, p in enumerate(paths) if i != 3}
    assert _typst_images_ok([]) == set()


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
        "headline": "slope", "resolution_raw": {"value": 0.25, "unit": "relative"}, "scale": "smoke",
    }
    path = tmp_path / "s.csv"
    write_csv([claim], path)
    assert path.read_text(encoding="utf-8") == (
        ",".join(CSV_COLUMNS) + "\n"
        + 'c,A1-c1,f,"a ""quoted"", title",True,negative control,theory,fail,fail,True,slope,1,,0.30000000000000004,nan,1e-20,'
        '0.25,relative,8,,,smoke,,,,,\n')
    # The same claim measured at full too: its numbers beside the smoke ones, raw as read.
    write_csv([{**claim, "other": {"scale": "full", "outcome": "fail", "estimate_raw": 0.5, "ci_lo_raw": 0.25,
                                   "ci_hi_raw": 0.75}}], path)
    assert path.read_text(encoding="utf-8").splitlines()[1].endswith(",smoke,full,fail,0.5,0.25,0.75")
    write_csv([], path)
    assert path.read_text(encoding="utf-8") == ",".join(CSV_COLUMNS) + "\n"


# ASCII stand-ins for math that a title or heading must typeset instead ($\sigma^2$, not sigma^2).
ASCII_MATH = re.compile(r"\|\||\^|<=|>=|\bsqrt\b|\b[A-Za-z]_[A-Za-z0-9{]|\b(?:sigma|eta|beta|lambda1?|gamma|alpha|theta|"
                        r"psi|rho|mu|eps|epsilon|chi|Delta|delta|nabla)\b")


def _outside_math(text: str) -> str:
    from reports.mathtext import split_math

    return "".join(s for kind, s in split_math(text) if kind == "text")


def test_titles_typeset_their_math() -> None:
    """Every claim and family title writes its math as $LaTeX$, and matplotlib's mathtext (the figures' titles) reads
    every formula: no ASCII math such as 'sigma^2' or '||grad L||' is left in a title."""
    import matplotlib

    matplotlib.use("Agg")
    import analysis.figures  # noqa: F401 - the figures' style, under which the titles are drawn
    import matplotlib.pyplot as plt

    from analysis.figures import wrap_title
    from theory import registry

    for claim in registry.all_claims():
        assert not ASCII_MATH.search(_outside_math(claim.title)), (claim.id, claim.title)
        fig = plt.figure(figsize=(6, 1))
        fig.suptitle(wrap_title(claim.title, 60))
        fig.savefig(io.BytesIO(), format="svg")  # raises on a formula mathtext cannot parse
        plt.close(fig)
    for family in registry.families():
        assert not ASCII_MATH.search(_outside_math(family.title)), family.name


@pytest.fixture(scope="module")
def registry_report(tmp_path_factory) -> dict:
    """The report of every registry claim (HTML, Typst source, CSV, at-a-glance figure), built once."""
    from reports.build import build
    from reports.typst_render import render_typst

    res = tmp_path_factory.mktemp("registry") / "results"
    claims = make_registry_results(res)
    ctx = build(res, res / "report.html", None, res / "summary.csv")
    return {"claims": claims, "ctx": ctx, "html": (res / "report.html").read_text(encoding="utf-8"),
            "typst": render_typst(ctx, res, figures=False), "glance": (res / "at_a_glance.svg").read_text(encoding="utf-8"),
            "csv": list(csv.DictReader((res / "summary.csv").open(encoding="utf-8")))}


def test_every_claim_in_glance_summary_and_contents(registry_report) -> None:
    """Each claim of the registry has a point in the at-a-glance figure, a row in the summary (HTML, PDF and CSV) and
    an entry in the HTML's table of contents, in catalogue order."""
    html, typ, svg = registry_report["html"], registry_report["typst"], registry_report["glance"]
    toc = html[html.index('<nav id="toc"'):html.index("</nav>")]
    summary = html[html.index('id="summary"'):html.index('id="audit"')]
    assert [r["claim"] for r in registry_report["csv"]] == [c["id"] for c in registry_report["ctx"]["claims"]]
    for claim in registry_report["claims"]:
        assert f'id="glance-{claim.id}-' in svg, claim.id
        assert f'href="#claim-{claim.id}"' in toc and f'href="#claim-{claim.id}"' in summary, claim.id
        assert f"#link(<claim-{claim.id}>)" in typ and f"<claim-{claim.id}>" in typ, claim.id
        assert f'id="claim-{claim.id}"' in html
    assert html.index('id="glance"') < html.index('id="summary"')


def test_headings_have_no_ascii_math(registry_report) -> None:
    """The rendered sources: no HTML heading (formulas as MathML removed) and no Typst heading (formulas removed) of
    the full report shows ASCII math."""
    html, typ = registry_report["html"], registry_report["typst"]
    for heading in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", html, flags=re.S):
        text = re.sub(r"<[^>]+>", "", re.sub(r"<math.*?</math>", "", heading, flags=re.S))
        assert not ASCII_MATH.search(text), heading
    for line in typ.splitlines():
        if re.match(r"=+ ", line):
            text = re.sub(r"\$[^$]*\$|<[^>]*>|#raw\([^)]*\)", "", line)
            assert not ASCII_MATH.search(text), line


# A real claim's notes that use these words record a correction of the lecture notes: it must carry an Erratum.
CORRECTION_WORDS = re.compile(r"\b(?:is twice|twice what|must mean|must be read|typo|misprint|is wrong|inconsisten\w*|"
                              r"independently of)\b", re.I)


def test_errata_section_lists_every_correction(registry_report) -> None:
    """Every claim that records a correction of the notes (its errata, or correction words in its notes) is in the
    errata section, linked to the claim, and in the CSV's errata column; the section lists nothing else."""
    html = registry_report["html"]
    section = html[html.index('id="errata"'):html.index('id="audit"')]
    rows = {r["claim"]: r for r in registry_report["csv"]}
    with_errata = [c for c in registry_report["claims"] if c.errata]
    assert with_errata, "the notes' errata are part of the report"
    for claim in registry_report["claims"]:
        if not claim.control and CORRECTION_WORDS.search(claim.notes):
            assert claim.errata, f"{claim.short_id} records a correction in its notes but declares no Erratum"
        linked = f'href="#claim-{claim.id}"' in section
        assert linked == bool(claim.errata), claim.id
        assert bool(rows[claim.id]["errata"]) == bool(claim.errata), claim.id
    assert section.count("<tr>") - 1 == sum(len(c.errata) for c in with_errata)


def test_a_full_run_beside_smoke_shows_both_scales_and_the_claims_not_run(tmp_path, monkeypatch):
    """With results/smoke and results/full both present, the report of one scale shows the other's estimates beside its
    own (per claim and per check, with the CI width ratio), and lists the claims declared without that scale."""
    import dataclasses
    import json

    from reports import build as build_module
    from theory import registry

    root = tmp_path / "results"
    make_fake_results(root / "smoke")
    make_fake_results(root / "full")
    v_path = root / "full" / "sgd_rate" / "verdict.json"
    v = json.loads(v_path.read_text())
    v["ci"] = v["checks"][0]["ci"] = [-0.515, -0.510]  # full: a quarter of the smoke CI's width
    v["estimate"] = v["checks"][0]["estimate"] = -0.5125
    v_path.write_text(json.dumps(v))
    gpu_only = dataclasses.replace(registry.all_claims()[0], scales={**registry.all_claims()[0].scales, "smoke": None})
    monkeypatch.setattr(registry, "all_claims", lambda: [gpu_only])
    ctx = build_module.build(root, root / "report.html", None, root / "summary.csv", scale="smoke")
    assert ctx["other_scales"] == ["full"]
    c = next(c for c in ctx["claims"] if c["id"] == "sgd_rate")
    assert c["other"]["scale"] == "full" and c["other"]["ci_ratio"] == "0.25", c["other"]
    assert c["checks"][0]["other"]["ci"] == c["other"]["ci"]
    html = (root / "report.html").read_text()
    assert 'id="scales"' in html and "at <strong>full</strong> scale" in html
    assert [n["id"] for n in ctx["not_run"]] == [gpu_only.id] and 'id="notrun"' in html
    rows = (root / "summary.csv").read_text().splitlines()
    assert all(",smoke,full," in r for r in rows[1:] if not r.startswith("width_error")), rows
    # Built for full, the same files show smoke as the other scale; no claim is then missing.
    ctx = build_module.build(root, root / "report.html", None, None, scale="full")
    assert ctx["other_scales"] == ["smoke"] and ctx["not_run"] == []


def test_a_gpu_only_claim_is_declared_without_smoke_and_the_registry_says_where_it_runs():
    import dataclasses

    from theory import registry

    claim = registry.all_claims()[0]
    gpu_only = dataclasses.replace(claim, scales={**claim.scales, "smoke": None})
    assert not gpu_only.runs_at("smoke") and gpu_only.runs_at("full")
    with pytest.raises(ValueError, match="only smoke or full may be None"):
        dataclasses.replace(claim, scales={**claim.scales, "test": None})
    with pytest.raises(ValueError, match="only smoke or full may be None"):
        dataclasses.replace(claim, scales={**claim.scales, "smoke": None, "full": None})
    assert set(registry.claim_ids_at("smoke")) <= set(registry.claim_ids())


def test_log_ticks_are_plain_text_with_the_default_ticks():
    """The figures' log-axis labels are Unicode text (no mathtext parse), on the ticks matplotlib would label."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import LogFormatterSciNotation

    from analysis.figures import UnicodeLogFormatter, plain_log_ticks

    fig, ax = plt.subplots()
    ax.plot([0.03, 2000], [1e-4, 0.5])
    ax.set_xscale("log")
    ax.set_yscale("log")
    default = [type(f) for f in (ax.xaxis.get_major_formatter(), ax.yaxis.get_minor_formatter())]
    plain_log_ticks(ax)
    assert default == [LogFormatterSciNotation] * 2
    assert isinstance(ax.xaxis.get_major_formatter(), UnicodeLogFormatter)
    assert isinstance(ax.yaxis.get_minor_formatter(), UnicodeLogFormatter)
    fmt = UnicodeLogFormatter()
    fmt.set_axis(ax.xaxis)
    fmt.set_locs([1e-2, 1e-1, 1, 10, 100])
    assert [fmt(v) for v in (100.0, 0.01, 1.0)] == ["10\u00b2", "10\u207b\u00b2", "10\u2070"]
    ax.set_ylim(0.15, 0.5)  # less than a decade: matplotlib labels the minor ticks too, with a mantissa
    minor = UnicodeLogFormatter(labelOnlyBase=False)
    minor.set_axis(ax.yaxis)
    minor.set_locs([0.2, 0.3, 0.4])
    assert [minor(0.3), minor(0.25)] == ["3\u00d710\u207b\u00b9", "2.5\u00d710\u207b\u00b9"]
    plt.close(fig)


def test_typst_takes_big_delimiters_and_the_hadamard_product():
    """\\big( and \\odot, which tex2typst writes as big( and dot.circle (both rejected by Typst), reach the PDF as math."""
    from reports.typst_render import _tex2typst

    assert _tex2typst(r"c_t = f_t \odot c_{t-1} + i_t \odot a_t") == "c_t = f_t dot.o c_(t - 1) + i_t dot.o a_t"
    got = _tex2typst(r"\frac{3}{m}\big(\frac{E h^4}{(E h^2)^2} - 1\big)")
    assert got is not None and "big" not in got
