"""Build the paper-style report (HTML + Typst PDF) and the summary CSV from result files.

Usage (from the repository root)::

    python -m reports.build --results results --out-html results/report.html \
        --out-pdf results/report.pdf --out-csv results/summary.csv

Only files under the results directory are read: ``<claim>/verdict.json`` (required),
``<claim>/prediction.json`` and ``<claim>/figure.svg`` (optional).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import artefacts
from reports import glance
from reports.context import build_context
from reports.html_render import render_html
from reports.model import load_claims
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


def build(results_dir: str | os.PathLike, html: str | os.PathLike | None = None,
          pdf: str | os.PathLike | None = None, csv: str | os.PathLike | None = None) -> dict:
    """Read result files under ``results_dir`` and write the requested outputs.

    Returns the rendering context (useful for tests)."""
    claims = load_claims(results_dir)
    ctx = build_context(claims)
    ctx["robustness"] = load_robustness(Path(results_dir) / "robustness.csv")
    from analysis.audit import audit

    # The rules of evidence over these verdicts (analysis/audit.py): each violation is listed in the report.
    ctx["audit"] = audit(Path(results_dir)) if claims else []
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
