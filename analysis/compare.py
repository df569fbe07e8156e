"""Turn a claim's prediction.json and its runs' metrics.npz into verdict.json and its figure; any failure becomes outcome 'error' with a message."""

from __future__ import annotations

import argparse
import importlib.metadata as md
import platform
import subprocess
import sys
import traceback
from datetime import datetime, timezone
from pathlib import Path

import artefacts
from analysis import comparators, figures
from artefacts import ResultFileError

PACKAGES = ("torch", "numpy", "scipy", "sympy", "pandas", "matplotlib", "seaborn", "snakemake", "typst")
ROOT = Path(__file__).resolve().parent.parent


def git_state() -> tuple[str, bool | None]:
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, timeout=10)
        if commit.returncode != 0:
            return "unknown (not a git checkout)", None
        return commit.stdout.strip(), bool(dirty.stdout.strip())
    except (OSError, subprocess.SubprocessError):
        return "unknown (git unavailable)", None


def versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            out[name] = "not installed"
    return out


def tightness(result: dict) -> tuple:
    """Which check headlines a claim among those with its outcome: a theory check before an identity check, then the
    one with the finest resolution (the check that would catch the smallest error in the prediction).  A resolution of
    0 says the check sits on its band's edge (a 0/1 metric at its bound, a failing check), not that it is fine: those
    come last."""
    value = result.get("resolution", {}).get("value")
    return (result.get("role") != "theory", not value, value or 0.0)


def verdict(prediction_path: Path, metric_paths: dict[str, Path], base_seed: int | None = None,
            arrays_out: dict | None = None) -> tuple[dict, list[dict], dict]:
    """Returns (verdict, per-check results, prediction); never raises for bad inputs.  The runs' arrays are left in
    arrays_out when given (for the figure's trace panels)."""
    head = {"claim": prediction_path.parent.name, "short_id": None, "family": None, "title": None, "control": None,
            "expected": None}
    results: list[dict] = []
    prediction: dict = {}
    metas: dict[str, dict] = {}
    try:
        prediction = artefacts.load_json(prediction_path, schema="prediction")
        head.update({k: prediction[k] for k in head})
        arrays_by_run = {}
        for run, path in metric_paths.items():
            arrays, meta = artefacts.load_metrics(path)
            metas[run] = meta
            if meta.get("error"):
                raise RuntimeError(f"run {run} failed: {meta['error']}")
            arrays_by_run[run] = arrays
            if arrays_out is not None:
                arrays_out[run] = arrays
        for check in prediction["checks"]:
            if check["run"] not in arrays_by_run:
                raise ResultFileError(f"no metrics given for run {check['run']} (check {check['name']})")
            results.append(comparators.compare(check, arrays_by_run[check["run"]], scale=prediction["scale"]))
        outcome = comparators.combine([r["outcome"] for r in results])
        headline = min((r for r in results if r["outcome"] == outcome), key=tightness)
        message = "; ".join(f"{r['name']}: {r['outcome']}" for r in results if r["outcome"] != "pass") or "all checks pass"
        message = f"{headline['name']}: {headline['message']}. " + (message if outcome != "pass" else f"{len(results)} checks pass")
        body = {k: headline[k] for k in ("estimate", "ci", "predicted", "tolerance", "resolution")}
        body["headline"] = headline["name"]
    except Exception as exc:  # a broken claim must not take the report down with it
        outcome, body = "error", {"estimate": None, "ci": None, "predicted": None, "tolerance": None, "resolution": None,
                                  "headline": None}
        message = f"{type(exc).__name__}: {exc}"
        if not isinstance(exc, (ResultFileError, RuntimeError)) or isinstance(exc, comparators.ComparisonError):
            message += "\n" + traceback.format_exc(limit=3)
    commit, dirty = git_state()
    seeds_n = [r["n_seeds"] for r in results]
    verdict = {
        **head,
        "outcome": outcome,
        **body,
        "n_seeds": max(seeds_n) if seeds_n else None,
        "message": message,
        "checks": results,
        "provenance": {
            "git_commit": commit,
            "git_dirty": dirty,
            "packages": versions(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "device": ", ".join(sorted({m.get("device", "unknown") for m in metas.values()})) or None,
            "torch_threads": max((m.get("torch_threads", 0) for m in metas.values()), default=None),
            "scale": prediction.get("scale"),
            "base_seed": base_seed,
            "seeds": {run: m.get("seed") for run, m in metas.items()},
            "wall_time_s": {run: round(m.get("wall_time_s", float("nan")), 3) for run, m in metas.items()},
            "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        },
    }
    return verdict, results, prediction


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--prediction", type=Path, required=True)
    p.add_argument("--metrics", nargs="*", default=[], help="RUN=PATH pairs")
    p.add_argument("--verdict", type=Path, required=True)
    p.add_argument("--figure", type=Path, required=True, help="figure.svg")
    p.add_argument("--base-seed", type=int)
    a = p.parse_args(argv)
    paths = dict(item.split("=", 1) for item in a.metrics)
    arrays_by_run: dict = {}
    v, results, prediction = verdict(a.prediction, {k: Path(val) for k, val in paths.items()}, a.base_seed, arrays_by_run)
    a.figure.parent.mkdir(parents=True, exist_ok=True)
    try:
        if results and prediction:
            figures.draw(prediction, results, a.figure, arrays_by_run)
    except Exception as exc:  # the verdict stands without its figure
        v["message"] += f" (figure failed: {type(exc).__name__}: {exc})"
    if not a.figure.exists():  # Snakemake expects the output even for an errored claim
        a.figure.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
    artefacts.write_json(a.verdict, v, schema="verdict")
    print(f"{v['claim']}: {v['outcome']} (expected {v['expected']}) {v['message'].splitlines()[0]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
