"""make robustness: rerun the smoke suite's verdicts at other base seeds and settings (config/robustness.yaml) and tabulate each claim's outcome at each beside the main run's, in results/robustness.csv for the report."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import yaml

import artefacts

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = ["claim", "short_id", "family", "expected", "main"]


def variants(path: Path) -> list[dict]:
    spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = spec.get("variants") or []
    names = [v.get("name") for v in out]
    if not out or any(not n for n in names) or len(set(names)) != len(names):
        raise ValueError(f"{path}: needs a list 'variants', each with a unique 'name'")
    return out


def run_variant(variant: dict, scale: str, cores: str, workdir: Path, base_config: dict) -> None:
    """The verdicts of one variant in its own working directory (its own results/, logs/ and .snakemake/)."""
    from theory import registry

    claims = [c.id for c in registry.all_claims()
              if c.runs_at(scale) and (not variant.get("families") or c.family in variant["families"])]
    config = [f"scale={scale}", f"base_seed={variant.get('base_seed', base_config['base_seed'])}",
              f"settings={json.dumps(variant.get('settings') or {})}", f"claims={json.dumps(claims)}"]
    workdir.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "--directory", str(workdir), "--force-use-threads",
           "--cores", cores, "--keep-going", "verdicts", "--config", *config]
    print(f"robustness: {variant['name']} ({', '.join(config[1:3])}, {len(claims)} claims)", file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True)


def outcomes(results: Path) -> dict[str, dict]:
    out = {}
    for path in sorted(results.glob("*/verdict.json")):
        v = artefacts.load_json(path, schema="verdict")
        out[v["claim"]] = v
    return out


def table(main: Path, runs: dict[str, Path]) -> list[dict]:
    """One row per claim of the main run: its outcome there and in each variant ('' where the variant skipped it);
    robust when every variant that ran it agrees with the main run."""
    base = outcomes(main)
    others = {name: outcomes(path) for name, path in runs.items()}
    rows = []
    for cid, v in base.items():
        row = {"claim": cid, "short_id": v["short_id"], "family": v["family"], "expected": v["expected"],
               "main": v["outcome"]}
        for name, got in others.items():
            row[name] = got[cid]["outcome"] if cid in got else ""
            if cid in got and got[cid]["outcome"] != v["outcome"]:
                row[f"{name}_message"] = got[cid]["message"].splitlines()[0]
        row["robust"] = all(row[n] in ("", v["outcome"]) for n in others)
        rows.append(row)
    return rows


def write_table(rows: list[dict], names: list[str], path: Path) -> None:
    import pandas as pd

    columns = COLUMNS + names + ["robust"]
    frame = pd.DataFrame([{k: r.get(k, "") for k in columns} for r in rows], columns=columns)
    artefacts.write_bytes(path, frame.to_csv(index=False, lineterminator="\n"))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--variants", type=Path, default=ROOT / "config" / "robustness.yaml")
    p.add_argument("--results", type=Path, default=Path("results"), help="the main run's results")
    p.add_argument("--workdir", type=Path, default=Path("robustness"), help="where each variant's results go")
    p.add_argument("--scale", default="smoke")
    p.add_argument("--cores", default="all")
    p.add_argument("--table-only", action="store_true", help="tabulate the variants already run")
    a = p.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    base_config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    chosen = variants(a.variants)
    for variant in chosen:
        if not a.table_only:
            run_variant(variant, a.scale, a.cores, a.workdir / variant["name"], base_config)
    names = [v["name"] for v in chosen]
    # each scale's verdicts in results/<scale>/ (the Snakefile), the main run's and each variant's alike
    rows = table(a.results / a.scale, {n: a.workdir / n / "results" / a.scale for n in names})
    write_table(rows, names, a.results / "robustness.csv")
    changed = [r for r in rows if not r["robust"]]
    for r in changed:
        flips = ", ".join(f"{n}: {r[n]}" for n in names if r[n] not in ("", r["main"]))
        print(f"robustness: {r['short_id']} {r['claim']} is {r['main']} in the main run, {flips}", file=sys.stderr)
    print(f"robustness: {len(rows) - len(changed)} of {len(rows)} claims keep their outcome in every variant "
          f"({', '.join(names)}); table in {a.results / 'robustness.csv'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
