"""Where a pipeline run's time went, from its Snakemake log and its verdicts: wall-clock span and summed job time per rule (the phases: DAG, symbolic predictions, experiments, comparisons, report), experiment time per family, and the longest runs; with --write-seconds, those run times as the file the Snakefile schedules the longest experiments first by (config/run_seconds.yaml).

    PYTHONPATH=. python benchmarks/pipeline_profile.py .snakemake/log/<latest>.snakemake.log --results results/smoke
    PYTHONPATH=. python benchmarks/pipeline_profile.py LOG --results results/smoke --write-seconds config/run_seconds.yaml
"""

from __future__ import annotations

import argparse
import collections
import json
import re
from datetime import datetime
from pathlib import Path

STAMP = re.compile(r"^\[(\w{3} \w{3} +\d+ \d\d:\d\d:\d\d \d{4})\]$")


def job_times(log: Path) -> tuple[dict[str, list[tuple[datetime, datetime]]], datetime, datetime]:
    """Per rule, the (start, end) of each job, read from the timestamps Snakemake prints before 'rule X:' and before
    'Finished jobid: N (Rule: X)'; with the log's first and last timestamps."""
    started: dict[str, tuple[str, datetime]] = {}
    spans: dict[str, list] = collections.defaultdict(list)
    stamp = first = last = None
    rule = None
    for line in log.read_text(errors="replace").splitlines():
        m = STAMP.match(line.strip())
        if m:
            stamp = datetime.strptime(re.sub(r" +", " ", m.group(1)), "%a %b %d %H:%M:%S %Y")
            first = first or stamp
            last = stamp
            continue
        if line.startswith(("rule ", "localrule ")) and line.rstrip().endswith(":"):
            rule = line.split()[1].rstrip(":")
        elif line.strip().startswith("jobid:") and rule and stamp:
            started[line.split(":", 1)[1].strip()] = (rule, stamp)
            rule = None
        done = re.search(r"Finished jobid: (\d+) \(Rule: (\w+)\)", line)
        if done and done.group(1) in started and stamp:
            r, t0 = started.pop(done.group(1))
            spans[r].append((t0, stamp))
    return spans, first, last


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("log", type=Path)
    p.add_argument("--results", type=Path, default=Path("results/smoke"))
    p.add_argument("--top", type=int, default=12)
    p.add_argument("--write-seconds", type=Path, help="write the runs of at least --min-seconds here, by scale")
    p.add_argument("--min-seconds", type=float, default=5.0)
    a = p.parse_args(argv)
    spans, first, last = job_times(a.log)
    print(f"log span {(last - first).total_seconds():.0f} s")
    print(f"{'phase (rule)':14} {'jobs':>5} {'span s':>8} {'summed s':>9}")
    for rule, jobs in sorted(spans.items(), key=lambda kv: min(s for s, _ in kv[1])):
        span = (max(e for _, e in jobs) - min(s for s, _ in jobs)).total_seconds()
        total = sum((e - s).total_seconds() for s, e in jobs)
        print(f"{rule:14} {len(jobs):5d} {span:8.0f} {total:9.0f}")
    dag = (min(s for jobs in spans.values() for s, _ in jobs) - first).total_seconds() if spans else 0
    print(f"{'DAG':14} {'':5} {dag:8.0f}")
    family: dict[str, float] = collections.Counter()
    runs = []
    seen = set()
    for path in sorted(a.results.glob("*/verdict.json")):
        v = json.loads(path.read_text())
        for run, wall in (v["provenance"].get("wall_time_s") or {}).items():
            seed = (v["provenance"].get("seeds") or {}).get(run)
            if (seed, run) in seen:  # a run shared by a claim and its control, counted once
                continue
            seen.add((seed, run))
            family[v["family"]] += float(wall)
            runs.append((float(wall), v["short_id"], v["claim"], run, v["provenance"].get("scale", a.results.name)))
    print(f"experiment wall time by family (runs counted once), {sum(family.values()):.0f} s in all:")
    for fam, t in family.most_common():
        print(f"  {fam:9} {t:7.0f} s")
    print("longest runs:")
    for wall, short, claim, run, _ in sorted(runs, reverse=True)[:a.top]:
        print(f"  {wall:6.0f} s  {short:7} {claim}/{run}")
    if a.write_seconds:
        write_seconds(a.write_seconds, runs, a.min_seconds)
        print(f"wrote {a.write_seconds}")
    return 0


def write_seconds(path: Path, runs: list, min_seconds: float) -> None:
    """The runs of at least min_seconds as {scale: {"claim/run": seconds}}, keyed by the claim that owns the run (a
    control sharing its claim's run names the claim's job); other scales already in the file are kept."""
    import yaml

    from theory import registry

    table = (yaml.safe_load(path.read_text()) or {}) if path.exists() else {}
    fresh: dict[str, dict[str, int]] = collections.defaultdict(dict)
    for wall, _short, claim, run, scale in sorted(runs, reverse=True):
        if wall >= min_seconds:
            owner, owner_run = registry.run_source(claim, run, scale, {})
            fresh[scale].setdefault(f"{owner}/{owner_run}", int(round(wall)))
    table.update(fresh)
    header = ("# Seconds each experiment run took at the last measurement, by scale (runs of at least "
              f"{min_seconds:g} s; written by\n# benchmarks/pipeline_profile.py --write-seconds).  The Snakefile gives "
              "each experiment job this as its priority,\n# so that the longest start first; a run not listed has "
              "priority 0.  Only the order of the jobs depends on it.\n")
    path.write_text(header + yaml.safe_dump(table, sort_keys=False))


if __name__ == "__main__":
    raise SystemExit(main())
