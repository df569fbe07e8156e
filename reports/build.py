"""Build the paper-style report (HTML + Typst PDF) and the summary CSV from result files.

Usage (from the repository root)::

    python -m reports.build --results results --scale smoke --out-html results/report.html \
        --out-pdf results/report.pdf --out-csv results/summary.csv

Only files under the results directory are read: ``<scale>/<claim>/verdict.json`` (required),
``<scale>/<claim>/prediction.json`` and ``<scale>/<claim>/figure.svg`` (optional), the other scale's verdicts where
that scale was run, and ``robustness.csv``; besides them, the claim registry names the claims not run at the scale.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import artefacts
from reports import glance
from reports.context import build_context
from reports.html_render import render_html
from reports.model import attach_other_scale, load_claims
from theory.claim import PIPELINE_SCALES
from reports.summary import write_csv
from reports.typst_render import write_pdf


def load_robustness(path: Path) -> dict | None:
    """make robustness's table (analysis/robustness.py) for the report: the variants, one row per claim, and the
    claims whose outcome changed; None when it was not run."""
    if not path.is_file():
        return None
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    variants = [c for c in frame.columns if c not in ("claim", "short_id", "family", "expected", "main", "robust")]
    rows = frame.to_dict("records")
    changed = [r for r in rows if r["robust"] != "True"]
    return {"variants": variants, "rows": rows, "changed": changed, "robust": not changed}


def not_run_at(scale: str) -> list[dict]:
    """The registered claims that are not run at this scale (GPU-only claims at smoke), for the report to list as not
    run, never as passed."""
    from theory import registry

    out = []
    for claim in registry.all_claims():
        if not claim.runs_at(scale):
            fam = registry.family(claim.family)
            at = [s for s in PIPELINE_SCALES if claim.runs_at(s)]
            out.append({"id": claim.id, "short_id": claim.short_id, "title": claim.title, "family": claim.family,
                        "family_title": fam.title, "family_rank": fam.order, "control": claim.control,
                        "scales": ", ".join(at)})
    return sorted(out, key=lambda c: (c["family_rank"], c["short_id"]))


def build(results_dir: str | os.PathLike, html: str | os.PathLike | None = None,
          pdf: str | os.PathLike | None = None, csv: str | os.PathLike | None = None,
          scale: str | None = None) -> dict:
    """Read result files under ``results_dir`` and write the requested outputs.

    With ``scale`` the claims are read from ``results_dir/<scale>/`` and, where the other scale was run too, its
    estimates from ``results_dir/<other>/`` are shown beside them; without it ``results_dir`` is one scale's directory.
    Returns the rendering context (useful for tests)."""
    root = Path(results_dir)
    here = root / scale if scale else root
    claims = load_claims(here)
    if scale:
        for other in PIPELINE_SCALES:
            if other != scale:
                attach_other_scale(claims, other, load_claims(root / other))
    ctx = build_context(claims)
    ctx["not_run"] = not_run_at(scale) if scale else []
    ctx["other_scales"] = sorted({c["other"]["scale"] for c in claims if c.get("other")})
    ctx["robustness"] = load_robustness(root / "robustness.csv")
    from analysis.audit import audit

    # The rules of evidence over these verdicts (analysis/audit.py): each violation is listed in the report.
    ctx["audit"] = audit(here) if claims else []
    # The at-a-glance figure (reports/glance.py), a file beside the report that both formats show first.
    ctx["glance_file"] = glance.draw(claims, Path(results_dir) / "at_a_glance.svg") if claims else None
    if csv:
        write_csv(claims, csv)
    if html:
        artefacts.write_bytes(html, render_html(ctx, Path(html).parent))
    if pdf:
        write_pdf(ctx, pdf, results_dir)
    return ctx


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m reports.build", description=__doc__.splitlines()[0])
    ap.add_argument("--results", default="results", help="results directory (default: results)")
    ap.add_argument("--scale", choices=PIPELINE_SCALES, default=None,
                    help="report this scale's results (<results>/<scale>/), with the other scale's beside them; "
                         "without it <results> is one scale's directory")
    ap.add_argument("--out-html", default=None, help="HTML report path")
    ap.add_argument("--out-pdf", default=None, help="PDF report path (a .typ source is written next to it)")
    ap.add_argument("--out-csv", default=None, help="summary CSV path")
    args = ap.parse_args(argv)
    if not (args.out_html or args.out_pdf or args.out_csv):
        r = Path(args.results)
        args.out_html, args.out_pdf, args.out_csv = r / "report.html", r / "report.pdf", r / "summary.csv"
    ctx = build(args.results, args.out_html, args.out_pdf, args.out_csv, scale=args.scale)
    print(f"reports.build: {ctx['n_claims']} claims "
          f"({ctx['n_real']} real, {ctx['n_controls']} controls); green={ctx['green']}")
    for p in (args.out_csv, args.out_html, args.out_pdf):
        if p:
            print(f"  wrote {p}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
