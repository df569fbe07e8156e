"""Every experiment of a scale outside Snakemake, several at a time, each in its own process with a time limit: the wall time, status and peak GPU memory of every run, and the metrics where the pipeline puts them (results/<scale>/<claim>/runs/<run>/), for a GPU machine that has torch but not the pipeline's other packages.

    PYTHONPATH=. python benchmarks/run_scale.py --scale full --jobs 6 --per-run 300 --budget 420 --table runs.csv

Afterwards `snakemake --config scale=full --allowed-rules predict compare report` on a machine with the pipeline turns
the metrics into verdicts and the report (runs that did not finish are simply missing there, and rerun by a later
`make report SCALE=full`).  Runs shared by several claims (theory.registry.run_source) are run once.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def worker(spec_path: str, out: str, threads: int) -> int:
    """One run in this process: the runner's execute() on the spec.json beside the metrics (a file: a full spec can
    exceed the 128 KiB a command-line argument may hold), the metrics written as the pipeline writes them, and torch's
    peak GPU memory added to the run's meta."""
    import torch

    import artefacts
    from experiments.lib.checkpoint import Interrupted
    from experiments.lib.runner import execute

    spec = json.loads(Path(spec_path).read_text())
    out_path = Path(out)
    try:
        result = execute(spec, threads, checkpoint=out_path.parent / "checkpoint.pt")
    except Interrupted:
        return 143
    meta = result["meta"]
    if torch.cuda.is_available():
        meta["peak_gpu_memory_bytes"] = int(torch.cuda.max_memory_allocated())
    artefacts.write_npz(out_path, result["arrays"], meta)
    return 0 if not meta["error"] else 3


def plan(scale: str, base_seed: int, device: str, claims: list[str] | None) -> list[dict]:
    """The distinct runs of a scale (each shared run once), shortest declared runtime first."""
    from theory import registry

    todo, seen = [], set()
    for claim in claims or registry.claim_ids_at(scale):
        for run in registry.run_ids(claim, scale):
            owner, owner_run = registry.run_source(claim, run, scale)
            if (owner, owner_run) in seen:
                continue
            seen.add((owner, owner_run))
            sc = registry.scale_of(owner, scale)
            todo.append({"claim": owner, "run": owner_run, "threads": sc.threads, "runtime_min": sc.runtime_min,
                         "gpu": sc.gpu, "spec": registry.spec(owner, owner_run, scale, base_seed, device)})
    return sorted(todo, key=lambda t: (t["runtime_min"], t["claim"], t["run"]))


def launch(task: dict, results: Path, scale: str, per_run: float, deadline: float) -> dict:
    out = results / scale / task["claim"] / "runs" / task["run"] / "metrics.npz"
    row = {"claim": task["claim"], "run": task["run"], "gpu": task["gpu"], "status": "not started", "wall_s": "",
           "peak_gpu_mib": "", "device": "", "error": ""}
    limit = min(per_run, deadline - time.monotonic())
    if limit < 5:
        return row
    if out.exists():  # done by an earlier call (a run that failed wrote no metrics, or wrote its error)
        import artefacts

        if not artefacts.load_metrics(out)[1].get("error"):
            row["status"] = "done before"
            return row
    out.parent.mkdir(parents=True, exist_ok=True)
    spec_path = out.with_name("spec.json")
    spec_path.write_text(json.dumps(task["spec"], indent=1, sort_keys=True) + "\n")
    cmd = [sys.executable, "-c", "import sys; from benchmarks.run_scale import worker; "
           "sys.exit(worker(sys.argv[1], sys.argv[2], int(sys.argv[3])))",
           str(spec_path), str(out), str(task["threads"])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    log = open(out.parent / "experiment.log", "w")
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=log, stderr=log, env=env, cwd=ROOT, start_new_session=True)
    try:
        rc = proc.wait(timeout=limit)
        row["status"] = {0: "done", 3: "error", 143: "interrupted"}.get(rc, f"exit {rc}")
    except subprocess.TimeoutExpired:
        # SIGTERM first: a run that keeps a checkpoint saves it, so a later run resumes there
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        row["status"] = f"timeout after {limit:.0f} s"
    row["wall_s"] = f"{time.monotonic() - t0:.1f}"
    log.close()
    if out.exists():
        import artefacts

        _, meta = artefacts.load_metrics(out)
        row["device"] = meta.get("device") or ""
        row["error"] = (meta.get("error") or "")[:200]
        if meta.get("peak_gpu_memory_bytes") is not None:
            row["peak_gpu_mib"] = f"{meta['peak_gpu_memory_bytes'] / 2 ** 20:.0f}"
    print(f"run_scale: {row['claim']}/{row['run']}: {row['status']} in {row['wall_s']} s "
          f"{row['peak_gpu_mib'] and row['peak_gpu_mib'] + ' MiB GPU'}", file=sys.stderr, flush=True)
    return row


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scale", default="full")
    p.add_argument("--results", type=Path, default=Path("results"))
    p.add_argument("--device", default="auto")
    p.add_argument("--base-seed", type=int, default=None, help="default: config/config.yaml's")
    p.add_argument("--claims", nargs="*", default=None)
    p.add_argument("--jobs", type=int, default=4, help="runs at a time (they share the GPU)")
    p.add_argument("--per-run", type=float, default=600, help="seconds before a run is stopped (SIGTERM)")
    p.add_argument("--budget", type=float, default=3600, help="seconds for everything; no run starts after it")
    p.add_argument("--table", type=Path, default=None, help="CSV of every run's status, wall time and peak memory")
    a = p.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if a.base_seed is None:
        import yaml

        a.base_seed = int(yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["base_seed"])
    todo = plan(a.scale, a.base_seed, a.device, a.claims)
    deadline = time.monotonic() + a.budget
    print(f"run_scale: {len(todo)} runs at {a.scale}, {a.jobs} at a time, {a.per_run:.0f} s each at most, "
          f"{a.budget:.0f} s in all", file=sys.stderr, flush=True)
    t0 = time.monotonic()
    with ThreadPoolExecutor(a.jobs) as pool:
        rows = list(pool.map(lambda t: launch(t, a.results, a.scale, a.per_run, deadline), todo))
    done = sum(r["status"] == "done" for r in rows)
    print(f"run_scale: {done} of {len(rows)} runs done in {time.monotonic() - t0:.0f} s", file=sys.stderr)
    if a.table:
        with open(a.table, "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
