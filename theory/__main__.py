"""Command line of the theory side: list the claims, write a claim's prediction.json or a run's spec.json."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import tempfile
from pathlib import Path

from theory import comparisons, registry
from theory.claim import FAMILY_TITLES


def write_json(path: Path, obj) -> None:
    """Atomic: temp file in the same directory, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w") as fh:
        json.dump(obj, fh, indent=1, allow_nan=False)
    os.replace(tmp, path)


def prediction(claim_id: str, scale: str) -> dict:
    claim = registry.get(claim_id)
    runs = claim.scales[registry.check_scale(scale)].runs
    return {
        "claim": claim.id,
        "family": claim.family,
        "family_title": FAMILY_TITLES[claim.family],
        "family_rank": list(FAMILY_TITLES).index(claim.family),  # report sections follow the catalogue's order
        "title": claim.title,
        "control": claim.control,
        "expected": claim.expected,
        "statement": claim.statement,
        "source": claim.source,
        "reference": claim.reference,
        "notes": claim.notes,
        "protocol": claim.protocol,
        "scale": scale,
        "n_seeds": claim.scales[scale].n_seeds,
        "overlay_runs": claim.overlay_runs,
        "traces": [dataclasses.asdict(t) for t in claim.traces],
        "runs": {name: {"n_seeds": claim.scales[scale].n_seeds, **params} for name, params in runs.items()},
        "checks": [comparisons.derive(claim, check, runs[check.run], scale) for check in claim.checks],
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m theory", description="The claim registry.")
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("list", help="every claim with family, title and whether it is a control")
    pp = sub.add_parser("predict", help="write results/<claim>/prediction.json")
    pp.add_argument("claim")
    pp.add_argument("--scale", default="smoke")
    pp.add_argument("--out", type=Path, required=True)
    ps = sub.add_parser("spec", help="write results/<claim>/runs/<run>/spec.json")
    ps.add_argument("claim")
    ps.add_argument("run")
    ps.add_argument("--scale", default="smoke")
    ps.add_argument("--base-seed", type=int, default=0)
    ps.add_argument("--device", default="auto")
    ps.add_argument("--out", type=Path, required=True)
    a = p.parse_args(argv)
    try:
        if a.cmd == "list":
            claims = registry.all_claims()
            width = max(len(c.id) for c in claims)
            print(f"{'claim':<{width}}  {'family':<7} {'kind':<8} title")
            for c in claims:
                print(f"{c.id:<{width}}  {c.family:<7} {'control' if c.control else 'claim':<8} {c.title}")
        elif a.cmd == "predict":
            write_json(a.out, prediction(a.claim, a.scale))
        elif a.cmd == "spec":
            write_json(a.out, registry.spec(a.claim, a.run, a.scale, a.base_seed, a.device))
    except (registry.UnknownClaimError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
