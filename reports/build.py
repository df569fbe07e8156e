"""Build the paper-style report (HTML + Typst PDF) and the summary CSV from result files.

Usage (from the repository root)::

    python -m reports.build --results results --out-html results/report.html \
        --out-pdf results/report.pdf --out-csv results/summary.csv

Only files under the results directory are read: ``<claim>/verdict.json`` (required),
``<claim>/prediction.json`` and ``<claim>/figure.svg`` (optional).
"""

from __future__ import annotations

import argparse
import csv
import datetime as _dt
import io
import json
import os
import re
from pathlib import Path
from typing import Any, Iterable

from reports.files import atomic_write
from reports.fmt import CI_LABEL, DASH, fmt_ci, fmt_num, fmt_seconds, fmt_value, is_num
from reports.html_render import render_html
from reports.mathtext import pretty_latex
from reports.typst_render import write_pdf

OUTCOMES = ("pass", "fail", "inconclusive", "error")
CSV_COLUMNS = [
    "claim", "family", "title", "control", "role", "expected", "outcome", "ok", "estimate",
    "ci_lo", "ci_hi", "predicted", "tolerance", "n_seeds", "message",
]


# --------------------------------------------------------------------------- helpers
def _read_json(path: Path) -> dict | None:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        return data if isinstance(data, dict) else None
    except (OSError, ValueError):
        return None


# --------------------------------------------------------------------------- data model
def _get(d: dict | None, key: str, default: Any = None) -> Any:
    if not isinstance(d, dict):
        return default
    v = d.get(key)
    return default if v is None else v


def _ci_pair(ci: Any) -> tuple[Any, Any]:
    if isinstance(ci, (list, tuple)) and len(ci) == 2:
        return ci[0], ci[1]
    return None, None


def _runs_table(runs: Any) -> dict:
    if not isinstance(runs, dict) or not runs:
        return {"columns": [], "rows": []}
    cols: list[str] = []
    for params in runs.values():
        if isinstance(params, dict):
            for k in params:
                if k not in cols:
                    cols.append(str(k))
    rows = []
    for name in sorted(runs):
        params = runs[name] if isinstance(runs[name], dict) else {}
        rows.append([str(name)] + [fmt_value(params[c]) if c in params else DASH for c in cols])
    return {"columns": cols, "rows": rows}


def load_claims(results_dir: str | os.PathLike) -> list[dict]:
    """Read every ``<results>/<claim>/verdict.json`` (+ optional prediction/figure)."""
    root = Path(results_dir)
    claims = []
    if not root.is_dir():
        return claims
    for sub in sorted(p for p in root.iterdir() if p.is_dir()):
        v = _read_json(sub / "verdict.json")
        if v is None:
            continue
        p = _read_json(sub / "prediction.json") or {}
        cid = str(_get(v, "claim", _get(p, "claim", sub.name)))
        control = bool(_get(v, "control", _get(p, "control", False)))
        expected = str(_get(v, "expected", "fail" if control else "pass"))
        outcome = str(_get(v, "outcome", "error"))
        if outcome not in OUTCOMES:
            outcome = "error"
        ci_lo, ci_hi = _ci_pair(v.get("ci"))
        prov = _get(v, "provenance", {}) or {}

        pchecks = {str(c.get("name")): c for c in _get(p, "checks", []) if isinstance(c, dict)}
        vchecks = [c for c in _get(v, "checks", []) if isinstance(c, dict)]
        names = [str(c.get("name")) for c in vchecks]
        names += [n for n in pchecks if n not in names]
        vmap = {str(c.get("name")): c for c in vchecks}
        checks = []
        seen_latex: dict[str, str] = {}
        for n in names:
            vc, pc = vmap.get(n, {}), pchecks.get(n, {})
            derived = _get(pc, "derived")
            if not isinstance(derived, dict) or not (derived.get("name") or derived.get("latex")
                                                      or derived.get("value") is not None):
                derived = None
            latex = pretty_latex(_get(pc, "latex", ""), _get(pc, "symbols", []) or [])
            same_as = seen_latex.get(latex, "") if latex else ""
            if latex and not same_as:
                seen_latex[latex] = n
            dval = fmt_num(derived.get("value")) if derived else DASH
            dlatex = _get(derived, "latex", "")
            if dlatex and str(dlatex).strip().replace("-", "\u2212") == dval:
                dval = ""  # e.g. "slope: 1 = 1" -> "slope: 1"
            checks.append({
                "name": n,
                "kind": _get(vc, "kind", _get(pc, "kind", "")),
                "run": _get(vc, "run", _get(pc, "run", "")),
                "metric": _get(vc, "metric", ""),
                "x": _get(vc, "x", _get(_get(pc, "grid", {}), "x", "")),
                "estimate": fmt_num(vc.get("estimate")),
                "ci": fmt_ci(vc.get("ci")),
                "predicted": fmt_num(vc.get("predicted")),
                "tolerance": fmt_num(_get(vc, "tolerance", pc.get("tolerance"))),
                "outcome": str(_get(vc, "outcome", "error" if vc == {} else "")) or DASH,
                "message": _get(vc, "message", ""),
                "latex": latex,
                "same_as": same_as,
                "description": _get(pc, "description", ""),
                "derived": ({
                    "name": _get(derived, "name", ""),
                    "latex": dlatex,
                    "value": dval,
                } if derived else None),
                "table": [
                    {
                        "x": fmt_num(r.get("x")) + (
                            f" ({_get(vc, 'series', '')} = {fmt_num(r.get('series'))})" if r.get("series") is not None else ""),
                        "estimate": fmt_num(r.get("estimate")),
                        "ci": fmt_ci([r.get("ci_lo"), r.get("ci_hi")]),
                        "predicted": fmt_num(r.get("predicted")),
                    }
                    for r in (_get(vc, "table", []) or []) if isinstance(r, dict)
                ],
            })

        seeds = _get(prov, "seeds", {})
        walls = _get(prov, "wall_time_s", {})
        runs_names = sorted(set(seeds if isinstance(seeds, dict) else {}) |
                            set(walls if isinstance(walls, dict) else {}))
        prov_runs = [{
            "run": r,
            "seed": fmt_value(seeds.get(r)) if isinstance(seeds, dict) and r in seeds else DASH,
            "wall": fmt_seconds(walls.get(r)) if isinstance(walls, dict) else DASH,
        } for r in runs_names]
        total_wall = sum(float(x) for x in (walls.values() if isinstance(walls, dict) else []) if is_num(x))

        fig = sub / "figure.svg"
        fig_w, fig_h = _svg_size(fig)
        claims.append({
            "id": cid,
            "dir": sub,
            "family": str(_get(v, "family", _get(p, "family", "other"))),
            "family_title": str(_get(p, "family_title", "") or ""),
            "family_rank": int(_get(p, "family_rank", 99)),
            "title": str(_get(v, "title", _get(p, "title", cid))),
            "control": control,
            "expected": expected,
            "outcome": outcome,
            "ok": outcome == expected,
            "estimate_raw": v.get("estimate"),
            "ci_lo_raw": ci_lo,
            "ci_hi_raw": ci_hi,
            "predicted_raw": v.get("predicted"),
            "tolerance_raw": v.get("tolerance"),
            "n_seeds": v.get("n_seeds"),
            "estimate": fmt_num(v.get("estimate")),
            "ci": fmt_ci(v.get("ci")),
            "predicted": fmt_num(v.get("predicted")),
            "tolerance": fmt_num(v.get("tolerance")),
            "n_seeds_s": fmt_num(v.get("n_seeds")),
            "message": str(_get(v, "message", "")),
            "statement": _get(p, "statement", ""),
            "source": _get(p, "source", ""),
            "reference": _get(p, "reference", ""),
            "notes": _get(p, "notes", ""),
            "protocol": _get(p, "protocol", ""),
            "scale": _get(p, "scale", _get(prov, "scale", "")),
            "runs": _runs_table(_get(p, "runs", {})),
            "checks": checks,
            "has_prediction": any(k["latex"] or k["description"] or k["derived"] for k in checks),
            "has_figure": fig.is_file() and fig.stat().st_size > 0,
            "figure_file": fig,
            "figure_wide": bool(fig_w and fig_h and fig_w >= 1.6 * fig_h),
            "figure_width_pct": _figure_width_pct(fig_w, fig_h),
            "prov": {
                "device": _get(prov, "device", ""),
                "git_commit": _get(prov, "git_commit", ""),
                "git_dirty": prov.get("git_dirty"),
                "generated": _get(prov, "generated", ""),
                "base_seed": fmt_value(prov.get("base_seed")) if prov.get("base_seed") is not None else DASH,
                "runs": prov_runs,
                "seeds_str": ", ".join(f"{r['run']}={r['seed']}" for r in prov_runs) or DASH,
                "total_wall": fmt_seconds(total_wall) if runs_names else DASH,
            },
            "provenance_raw": prov,
        })
    for c in claims:
        c["verdict_text"] = _verdict_text(c)
    claims.sort(key=lambda c: (c["id"]))
    return claims


TEXT_WIDTH_PT = 595.28 - 2 * 59.53  # A4 minus the 2.1 cm side margins of preamble.typ


def _svg_size(path: Path) -> tuple[float | None, float | None]:
    """Width and height (in pt) of an SVG file's root element, from width/height or viewBox."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            head = fh.read(4000)
    except OSError:
        return None, None
    m = re.search(r"<svg\b[^>]*>", head, flags=re.S)
    if not m:
        return None, None
    tag = m.group(0)
    units = {"pt": 1.0, "px": 0.75, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "": 0.75}

    def _len(attr: str) -> float | None:
        a = re.search(r'\b' + attr + r'="\s*([0-9.]+)\s*(pt|px|in|cm|mm|)\s*"', tag)
        return float(a.group(1)) * units[a.group(2)] if a else None

    w, h = _len("width"), _len("height")
    if not (w and h):
        vb = re.search(r'viewBox="\s*[-0-9.]+[\s,]+[-0-9.]+[\s,]+([0-9.]+)[\s,]+([0-9.]+)\s*"', tag)
        if vb:
            w, h = float(vb.group(1)), float(vb.group(2))
    return (w, h) if w and h else (None, None)


def _figure_width_pct(w: float | None, h: float | None) -> int:
    """Figure width in the PDF, as a percentage of the text width.

    Multi-panel figures (clearly wider than tall) take the full text width; a single panel is
    shown near its natural size (so its labels come out at about the body font size), between
    70 % and 85 % of the text width; a taller-than-wide figure is capped at 60 %."""
    if not (w and h):
        return 75
    if w >= 1.6 * h:
        return 100
    if h > w:
        return 60
    return int(max(70, min(85, round(100 * w / TEXT_WIDTH_PT))))


def _verdict_text(c: dict) -> str:
    s = f"(expected {c['expected']}, " + ("as expected" if c["ok"] else "NOT as expected") + ")."
    if c["estimate_raw"] is None:
        s += " No estimate available."
    else:
        s += f" Estimate {c['estimate']}"
        if c["ci"] != DASH:
            s += f", {CI_LABEL} {c['ci']}"
        if c["predicted_raw"] is not None:
            s += f"; predicted {c['predicted']}"
            if c["tolerance_raw"] is not None:
                s += f" \u00b1 {c['tolerance']}"
        s += "."
    if c["n_seeds"] is not None:
        s += f" Seeds: {c['n_seeds_s']}."
    return s


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _join(items: list[str]) -> str:
    items = list(items)
    if not items:
        return "none"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _unique(values: Iterable[Any]) -> list[str]:
    out: list[str] = []
    for v in values:
        if v is None or v == "":
            continue
        s = str(v)
        if s not in out:
            out.append(s)
    return out


def build_context(claims: list[dict]) -> dict:
    real = [c for c in claims if not c["control"]]
    controls = [c for c in claims if c["control"]]
    counts = {o: sum(1 for c in real if c["outcome"] == o) for o in OUTCOMES}
    ctrl_ok = sum(1 for c in controls if c["outcome"] == "fail")
    rank = {c["family"]: c.get("family_rank", 99) for c in claims}
    families = sorted(rank, key=lambda f: (rank[f], f))
    green = bool(claims) and all(c["outcome"] == "pass" for c in real) and all(
        c["outcome"] == "fail" for c in controls)

    # references, numbered in order of first appearance (claims sorted by id)
    refs = sorted(_unique(c["reference"] for c in claims))
    for c in claims:
        c["ref_index"] = refs.index(c["reference"]) + 1 if c["reference"] in refs else None

    provs = [c["provenance_raw"] for c in claims]
    packages: dict[str, list[str]] = {}
    for pv in provs:
        for k, v in (_get(pv, "packages", {}) or {}).items():
            packages.setdefault(str(k), [])
            if str(v) not in packages[str(k)]:
                packages[str(k)].append(str(v))
    commits = _unique(_get(pv, "git_commit") for pv in provs)
    dirty_vals = [pv.get("git_dirty") for pv in provs if isinstance(pv, dict) and pv.get("git_dirty") is not None]
    gen_times = sorted(_unique(_get(pv, "generated") for pv in provs))

    abstract = []
    abstract.append(
        f"This report checks {_plural(len(claims), 'claim')} from deep-learning theory by experiment: "
        f"{_plural(len(real), 'real claim')} and {_plural(len(controls), 'negative control')}, "
        f"covering the {_plural(len(families), 'family', 'families')} {_join(families)}.")
    abstract.append(
        f"Of the real claims, {counts['pass']} passed, {counts['fail']} failed, "
        f"{counts['inconclusive']} were inconclusive and {counts['error']} ended in an error.")
    if controls:
        abstract.append(
            f"{ctrl_ok} of {len(controls)} negative controls (deliberately wrong predictions) "
            f"failed as expected.")
    abstract.append(
        "The suite is green: every real claim passed and every negative control failed."
        if green else
        "The suite is not green: not every real claim passed and/or not every negative control failed.")

    fams = []
    for f in families:
        members = [c for c in claims if c["family"] == f]
        heading = next((c["family_title"] for c in members if c.get("family_title")), f)
        fams.append({"name": f, "heading": heading, "claims": members})

    return {
        "title": "Deep-learning theory, checked by experiment",
        "ci_label": CI_LABEL,
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "scale": ", ".join(_unique(list(c["scale"] for c in claims) +
                                   [_get(pv, "scale") for pv in provs])) or DASH,
        "git_commit": ", ".join(commits) or DASH,
        "git_dirty": ("yes" if any(dirty_vals) else "no") if dirty_vals else DASH,
        "results_generated": (gen_times[0] if len(gen_times) == 1 else
                              f"{gen_times[0]} \u2013 {gen_times[-1]}") if gen_times else DASH,
        "abstract": " ".join(abstract),
        "green": green,
        "n_claims": len(claims),
        "n_real": len(real),
        "n_controls": len(controls),
        "counts": counts,
        "ctrl_ok": ctrl_ok,
        "claims": claims,
        "real": real,
        "controls": controls,
        "families": fams,
        "references": refs,
        "packages": [(k, ", ".join(v)) for k, v in sorted(packages.items())],
        "devices": _unique(_get(pv, "device") for pv in provs),
        "threads": ", ".join(_unique(_get(pv, "torch_threads") for pv in provs)) or DASH,
        "pythons": ", ".join(_unique(_get(pv, "python") for pv in provs)) or DASH,
        "platforms": _unique(_get(pv, "platform") for pv in provs),
        "base_seeds": ", ".join(_unique(_get(pv, "base_seed") for pv in provs)) or DASH,
    }


# --------------------------------------------------------------------------- outputs
def write_csv(claims: list[dict], path: str | os.PathLike) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for c in claims:
        w.writerow([
            c["id"], c["family"], c["title"], c["control"],
            "negative control" if c["control"] else "claim", c["expected"], c["outcome"], c["ok"],
            _csv_num(c["estimate_raw"]), _csv_num(c["ci_lo_raw"]), _csv_num(c["ci_hi_raw"]),
            _csv_num(c["predicted_raw"]), _csv_num(c["tolerance_raw"]),
            "" if c["n_seeds"] is None else c["n_seeds"], c["message"],
        ])
    atomic_write(path, buf.getvalue())


def _csv_num(x: Any) -> str:
    return "" if x is None else repr(x) if isinstance(x, float) else str(x)


def build(results_dir: str | os.PathLike, html: str | os.PathLike | None = None,
          pdf: str | os.PathLike | None = None, csv: str | os.PathLike | None = None) -> dict:
    """Read result files under ``results_dir`` and write the requested outputs.

    Returns the rendering context (useful for tests)."""
    claims = load_claims(results_dir)
    ctx = build_context(claims)
    if csv:
        write_csv(claims, csv)
    if html:
        atomic_write(html, render_html(ctx))
    if pdf:
        write_pdf(ctx, pdf, results_dir)
    return ctx


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m reports.build", description=__doc__.splitlines()[0])
    ap.add_argument("--results", default="results", help="results directory (default: results)")
    ap.add_argument("--out-html", default=None, help="HTML report path")
    ap.add_argument("--out-pdf", default=None, help="PDF report path (a .typ source is written next to it)")
    ap.add_argument("--out-csv", default=None, help="summary CSV path")
    args = ap.parse_args(argv)
    if not (args.out_html or args.out_pdf or args.out_csv):
        r = Path(args.results)
        args.out_html, args.out_pdf, args.out_csv = r / "report.html", r / "report.pdf", r / "summary.csv"
    ctx = build(args.results, args.out_html, args.out_pdf, args.out_csv)
    print(f"reports.build: {ctx['n_claims']} claims "
          f"({ctx['n_real']} real, {ctx['n_controls']} controls); green={ctx['green']}")
    for p in (args.out_csv, args.out_html, args.out_pdf):
        if p:
            print(f"  wrote {p}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
