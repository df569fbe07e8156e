"""The report's view model: each claim's verdict.json and prediction.json read into one dict of display-ready fields."""

from __future__ import annotations

import os
import re
from pathlib import Path

import artefacts
from reports.fmt import CI_LABEL, DASH, fmt_ci, fmt_num, fmt_seconds, fmt_value, is_num
from reports.mathtext import pretty_latex

OUTCOMES = ("pass", "fail", "inconclusive", "error")


def _runs_table(runs: dict) -> dict:
    """A claim's runs as a table: one row per run, one column per parameter any run sets."""
    cols = list(dict.fromkeys(k for params in runs.values() for k in params))
    rows = [[name] + [fmt_value(runs[name][c]) if c in runs[name] else DASH for c in cols] for name in sorted(runs)]
    return {"columns": cols, "rows": rows}


def _no_result(pc: dict) -> dict:
    """The result of a check the comparison never reached (its claim errored before it)."""
    return {"outcome": "error", "message": "no result: the claim's comparison stopped before this check",
            "estimate": None, "ci": None, "predicted": None, "table": [], "series": None}


def _no_prediction(vc: dict) -> dict:
    """The prediction of a check whose claim wrote none (the verdict says why)."""
    return {**{k: vc[k] for k in ("kind", "run", "metric", "x", "tolerance")}, "latex": "", "description": "",
            "derived": {}}


def _numbers(result: dict, tolerance) -> dict:
    """A check's or a claim's estimate, CI, prediction and tolerance, formatted for display."""
    return {"estimate": fmt_num(result["estimate"]), "ci": fmt_ci(result["ci"]), "predicted": fmt_num(result["predicted"]),
            "tolerance": fmt_num(tolerance)}


def fmt_resolution(resolution: dict | None) -> str:
    """"2.1%" or "0.05" (absolute, in the check's units): the smallest error in the prediction the check would catch."""
    value = (resolution or {}).get("value")
    if value is None:
        return DASH
    return f"{100 * value:.2g}%" if resolution["unit"] == "relative" else fmt_num(value)


def _check_view(name: str, vc: dict, pc: dict, same_as: str) -> dict:
    """One check for display: its result (vc, from verdict.json) beside its prediction (pc, from prediction.json)."""
    derived = pc["derived"] or None
    dval = fmt_num(derived["value"]) if derived else DASH
    dlatex = derived["latex"] if derived else ""
    if dlatex and str(dlatex).strip().replace("-", "\u2212") == dval:
        dval = ""  # e.g. "slope: 1 = 1" -> "slope: 1"
    series = vc["series"]
    return {
        "name": name,
        **{k: pc[k] for k in ("kind", "run", "metric", "x", "description")},
        **_numbers(vc, pc["tolerance"]),
        "outcome": vc["outcome"],
        "message": vc["message"],
        "role": vc.get("role") or pc.get("role") or "theory",
        # The raw numbers, in the estimate's units, for the at-a-glance figure (reports/glance.py).
        "raw": {"estimate": vc["estimate"], "ci": vc["ci"], "band": vc.get("band"), "scale": vc.get("scale"),
                "bound": (vc.get("options") or {}).get("bound")},
        # A failing check already rejects the prediction as it stands: no smaller error to state.
        "resolution": "fails as is" if vc["outcome"] == "fail" else fmt_resolution(vc.get("resolution")),
        "ci_to_band": fmt_num(vc["ci_to_band"]) if vc.get("ci_to_band") is not None else DASH,
        "interval": vc.get("interval") or DASH,
        "censored": vc.get("censored") or 0,
        "tuned": pc.get("tuned") or "",
        "latex": pretty_latex(pc["latex"]),
        "same_as": same_as,
        "derived": {"name": derived["name"], "latex": dlatex, "value": dval} if derived else None,
        "table": [
            {"x": fmt_num(r["x"]) + (f" ({series} = {fmt_num(r['series'])})" if "series" in r else ""),
             "estimate": fmt_num(r["estimate"]), "ci": fmt_ci([r["ci_lo"], r["ci_hi"]]), "predicted": fmt_num(r["predicted"])}
            for r in vc["table"]
        ],
    }


def _no_prediction_claim(v: dict) -> dict:
    """What the report shows of a claim that wrote no prediction.json: the verdict's identity fields, nothing else."""
    control = bool(v["control"])
    return {"claim": v["claim"], "short_id": v["short_id"] or "", "family": v["family"] or "unknown",
            "family_title": "", "family_rank": 999, "family_intro": "", "errata": [],
            "title": v["title"] or v["claim"], "control": control,
            "contradicts": "", "near_miss": False, "expected": v["expected"] or ("fail" if control else "pass"), "statement": "",
            "source": {"citation": "", "bibliography": ""}, "reference": "", "notes": "", "protocol": "",
            "scale": v["provenance"]["scale"] or "", "runs": {}, "checks": []}


def _load(sub: Path) -> tuple[dict, dict]:
    """(verdict, prediction) of one claim directory, schema-checked; the prediction is {} when it could not be
    written (the verdict then says why, with outcome 'error').  A file that cannot be read or breaks its schema makes
    the claim an error whose message names the file, so that one broken file never takes the report down."""
    try:
        v = artefacts.load_json(sub / "verdict.json", schema="verdict")
        path = sub / "prediction.json"
        return v, artefacts.load_json(path, schema="prediction") if path.exists() else {}
    except artefacts.ResultFileError as exc:
        blank = {k: None for k in ("short_id", "family", "title", "control", "expected", "estimate", "ci", "predicted",
                                   "tolerance", "n_seeds")}
        provenance = {"git_commit": "", "git_dirty": None, "packages": {}, "python": "", "platform": "", "device": None,
                      "torch_threads": None, "scale": None, "base_seed": None, "seeds": {}, "wall_time_s": {},
                      "generated": ""}
        return {**blank, "claim": sub.name, "outcome": "error", "message": str(exc), "checks": [],
                "provenance": provenance}, {}


def load_claims(results_dir: str | os.PathLike) -> list[dict]:
    """Read every ``<results>/<claim>/verdict.json`` with its prediction.json and figure.svg."""
    root = Path(results_dir)
    claims = []
    if not root.is_dir():
        return claims
    for sub in sorted(p for p in root.iterdir() if (p / "verdict.json").is_file()):
        v, p = _load(sub)
        p = p or _no_prediction_claim(v)
        cid = v["claim"]
        prov = v["provenance"]
        pchecks = {c["name"]: c for c in p["checks"]}
        vmap = {c["name"]: c for c in v["checks"]}
        checks, seen_latex = [], {}
        for n in list(vmap) + [n for n in pchecks if n not in vmap]:
            vc = vmap.get(n) or _no_result(pchecks[n])
            pc = pchecks.get(n) or _no_prediction(vc)
            latex = pretty_latex(pc["latex"])
            same_as = seen_latex.get(latex, "") if latex else ""
            if latex and not same_as:
                seen_latex[latex] = n
            checks.append(_check_view(n, vc, pc, same_as))

        seeds, walls = prov["seeds"], prov["wall_time_s"]
        runs_names = sorted(seeds)  # the runs compare.py read: it records a seed and a wall time for each
        prov_runs = [{"run": r, "seed": fmt_value(seeds[r]), "wall": fmt_seconds(walls[r])} for r in runs_names]
        total_wall = sum(float(x) for x in walls.values() if is_num(x))
        fig = sub / "figure.svg"
        fig_w, fig_h = _svg_size(fig)
        ci_lo, ci_hi = v["ci"] if v["ci"] else (None, None)
        control, expected = p["control"], p["expected"]
        claims.append({
            "id": cid,
            "short_id": p["short_id"],
            "contradicts": p["contradicts"],
            "near_miss": p.get("near_miss", False),
            "dir": sub,
            "family": p["family"],
            "family_title": p["family_title"],
            "family_rank": p["family_rank"],
            "family_intro": p.get("family_intro", ""),
            "errata": p.get("errata", []),
            "title": p["title"],
            "control": control,
            "expected": expected,
            "outcome": v["outcome"],
            "ok": v["outcome"] == expected,
            "estimate_raw": v["estimate"],
            "ci_lo_raw": ci_lo,
            "ci_hi_raw": ci_hi,
            "predicted_raw": v["predicted"],
            "tolerance_raw": v["tolerance"],
            "headline": v.get("headline"),
            "resolution_raw": v.get("resolution"),
            "resolution": fmt_resolution(v.get("resolution")),
            "n_seeds": v["n_seeds"],
            **_numbers(v, v["tolerance"]),
            "n_seeds_s": fmt_num(v["n_seeds"]),
            "message": v["message"],
            "statement": p["statement"],
            "source": p["source"]["citation"],
            "notes_entry": p["source"]["bibliography"],
            "reference": p["reference"],
            "notes": p["notes"],
            "protocol": p["protocol"],
            "scale": p["scale"],
            "runs": _runs_table(p["runs"]),
            "checks": checks,
            # A claim all of whose checks are identity or implementation checks is not evidence for the theory.
            "evidence": "theory" if any(k["role"] == "theory" for k in checks) or not checks else "identity",
            "has_prediction": any(k["latex"] or k["description"] or k["derived"] for k in checks),
            "has_figure": fig.is_file() and fig.stat().st_size > 0,
            "figure_file": fig,
            "figure_wide": bool(fig_w and fig_h and fig_w >= 1.6 * fig_h),
            "figure_width_pct": _figure_width_pct(fig_w, fig_h),
            "prov": {
                "device": prov["device"] or "",
                "git_commit": prov["git_commit"],
                "git_dirty": prov["git_dirty"],
                "generated": prov["generated"],
                "base_seed": fmt_value(prov["base_seed"]) if prov["base_seed"] is not None else DASH,
                "runs": prov_runs,
                "seeds_str": ", ".join(f"{r['run']}={r['seed']}" for r in prov_runs) or DASH,
                "total_wall": fmt_seconds(total_wall) if runs_names else DASH,
            },
            "provenance_raw": prov,
        })
    for c in claims:
        c["verdict_text"] = _verdict_text(c)
    # The catalogue's order: by family, then by id (A2 before A10), each control right after the claim it contradicts.
    claims.sort(key=lambda c: (c["family_rank"], _id_order(c["short_id"]), c["id"]))
    return claims


def _id_order(short_id: str) -> tuple:
    """A1 < A2 < A10 < A1-c1 sorts as A1, A1-c1, A2, A10: letters, then numbers, then the control suffix."""
    return tuple(int(t) if t.isdigit() else t for t in re.findall(r"\d+|[A-Za-z]+", short_id))


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
    shown at 50-60 % of the text width (its labels a little below the body font size, so that a claim
    fits about a page); a taller-than-wide figure is capped at 45 %."""
    if not (w and h):
        return 75
    if w >= 1.6 * h:
        return 100
    if h > w:
        return 45
    return int(max(50, min(60, round(100 * w / TEXT_WIDTH_PT))))


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



def _width(ci) -> float | None:
    return float(ci[1]) - float(ci[0]) if ci and all(is_num(x) for x in ci) else None


def attach_other_scale(claims: list[dict], scale: str, others: list[dict]) -> None:
    """Give each claim the same claim's result at the other scale (``c["other"]``, and each check's ``k["other"]``),
    where that scale was run: the report shows smoke and full side by side, the full CI expected narrower."""
    by_id = {o["id"]: o for o in others}
    for c in claims:
        o = by_id.get(c["id"])
        if o is None:
            continue
        mine, theirs = _width([c["ci_lo_raw"], c["ci_hi_raw"]]), _width([o["ci_lo_raw"], o["ci_hi_raw"]])
        c["other"] = {
            "scale": scale, "outcome": o["outcome"], "ok": o["ok"], "estimate": o["estimate"], "ci": o["ci"],
            "predicted": o["predicted"], "tolerance": o["tolerance"], "n_seeds": o["n_seeds_s"],
            "estimate_raw": o["estimate_raw"], "ci_lo_raw": o["ci_lo_raw"], "ci_hi_raw": o["ci_hi_raw"],
            # the other scale's CI width over this one's: below 1 where the other scale measures more finely
            "ci_ratio": fmt_num(theirs / mine) if mine and theirs is not None else DASH,
            "wall": o["prov"]["total_wall"], "device": o["prov"]["device"],
        }
        other_checks = {k["name"]: k for k in o["checks"]}
        for k in c["checks"]:
            ok_ = other_checks.get(k["name"])
            if ok_ is not None:
                k["other"] = {"scale": scale, "estimate": ok_["estimate"], "ci": ok_["ci"], "outcome": ok_["outcome"],
                              "predicted": ok_["predicted"], "tolerance": ok_["tolerance"]}
