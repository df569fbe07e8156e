"""The report's view model: each claim's verdict.json and prediction.json read into one dict of display-ready fields."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from reports.fmt import CI_LABEL, DASH, fmt_ci, fmt_num, fmt_seconds, fmt_value, is_num
from reports.mathtext import pretty_latex

OUTCOMES = ("pass", "fail", "inconclusive", "error")


def _read_json(path: Path) -> dict | None:
    """The JSON object in ``path``; None when the file is missing, unreadable or not an object."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        return data if isinstance(data, dict) else None
    except (OSError, ValueError):
        return None


def field(d: dict | None, key: str, default: Any = None) -> Any:
    """``d[key]``, or ``default`` when ``d`` is not a dict or the value is missing or null."""
    if not isinstance(d, dict):
        return default
    v = d.get(key)
    return default if v is None else v


def _ci_pair(ci: Any) -> tuple[Any, Any]:
    if isinstance(ci, (list, tuple)) and len(ci) == 2:
        return ci[0], ci[1]
    return None, None


def _runs_table(runs: Any) -> dict:
    """A claim's runs as a table: one row per run, one column per parameter any run sets."""
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
        cid = str(field(v, "claim", field(p, "claim", sub.name)))
        control = bool(field(v, "control", field(p, "control", False)))
        expected = str(field(v, "expected", "fail" if control else "pass"))
        outcome = str(field(v, "outcome", "error"))
        if outcome not in OUTCOMES:
            outcome = "error"
        ci_lo, ci_hi = _ci_pair(v.get("ci"))
        prov = field(v, "provenance", {}) or {}

        pchecks = {str(c.get("name")): c for c in field(p, "checks", []) if isinstance(c, dict)}
        vchecks = [c for c in field(v, "checks", []) if isinstance(c, dict)]
        names = [str(c.get("name")) for c in vchecks]
        names += [n for n in pchecks if n not in names]
        vmap = {str(c.get("name")): c for c in vchecks}
        checks = []
        seen_latex: dict[str, str] = {}
        for n in names:
            vc, pc = vmap.get(n, {}), pchecks.get(n, {})
            derived = field(pc, "derived")
            if not isinstance(derived, dict) or not (derived.get("name") or derived.get("latex")
                                                      or derived.get("value") is not None):
                derived = None
            latex = pretty_latex(field(pc, "latex", ""), field(pc, "symbols", []) or [])
            same_as = seen_latex.get(latex, "") if latex else ""
            if latex and not same_as:
                seen_latex[latex] = n
            dval = fmt_num(derived.get("value")) if derived else DASH
            dlatex = field(derived, "latex", "")
            if dlatex and str(dlatex).strip().replace("-", "\u2212") == dval:
                dval = ""  # e.g. "slope: 1 = 1" -> "slope: 1"
            checks.append({
                "name": n,
                "kind": field(vc, "kind", field(pc, "kind", "")),
                "run": field(vc, "run", field(pc, "run", "")),
                "metric": field(vc, "metric", ""),
                "x": field(vc, "x", field(field(pc, "grid", {}), "x", "")),
                "estimate": fmt_num(vc.get("estimate")),
                "ci": fmt_ci(vc.get("ci")),
                "predicted": fmt_num(vc.get("predicted")),
                "tolerance": fmt_num(field(vc, "tolerance", pc.get("tolerance"))),
                "outcome": str(field(vc, "outcome", "error" if vc == {} else "")) or DASH,
                "message": field(vc, "message", ""),
                "latex": latex,
                "same_as": same_as,
                "description": field(pc, "description", ""),
                "derived": ({
                    "name": field(derived, "name", ""),
                    "latex": dlatex,
                    "value": dval,
                } if derived else None),
                "table": [
                    {
                        "x": fmt_num(r.get("x")) + (
                            f" ({field(vc, 'series', '')} = {fmt_num(r.get('series'))})" if r.get("series") is not None else ""),
                        "estimate": fmt_num(r.get("estimate")),
                        "ci": fmt_ci([r.get("ci_lo"), r.get("ci_hi")]),
                        "predicted": fmt_num(r.get("predicted")),
                    }
                    for r in (field(vc, "table", []) or []) if isinstance(r, dict)
                ],
            })

        seeds = field(prov, "seeds", {})
        walls = field(prov, "wall_time_s", {})
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
            "family": str(field(v, "family", field(p, "family", "other"))),
            "family_title": str(field(p, "family_title", "") or ""),
            "family_rank": int(field(p, "family_rank", 99)),
            "title": str(field(v, "title", field(p, "title", cid))),
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
            "message": str(field(v, "message", "")),
            "statement": field(p, "statement", ""),
            "source": field(p, "source", ""),
            "reference": field(p, "reference", ""),
            "notes": field(p, "notes", ""),
            "protocol": field(p, "protocol", ""),
            "scale": field(p, "scale", field(prov, "scale", "")),
            "runs": _runs_table(field(p, "runs", {})),
            "checks": checks,
            "has_prediction": any(k["latex"] or k["description"] or k["derived"] for k in checks),
            "has_figure": fig.is_file() and fig.stat().st_size > 0,
            "figure_file": fig,
            "figure_wide": bool(fig_w and fig_h and fig_w >= 1.6 * fig_h),
            "figure_width_pct": _figure_width_pct(fig_w, fig_h),
            "prov": {
                "device": field(prov, "device", ""),
                "git_commit": field(prov, "git_commit", ""),
                "git_dirty": prov.get("git_dirty"),
                "generated": field(prov, "generated", ""),
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

