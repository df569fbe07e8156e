"""Command line of the theory side: list the claims, write a claim's prediction.json or a run's spec.json."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

import artefacts
from theory import comparisons, registry


def prediction(claim_id: str, scale: str, settings: dict | None = None) -> dict:
    """Everything the analysis and the report read of a claim at one scale (with the robustness ``settings``
    applied, registry.runs_at), every field filled (artefacts/schemas.py)."""
    claim = registry.get(claim_id)
    family = registry.family(claim.family)
    sc = registry.scale_of(claim_id, scale)
    runs = registry.runs_at(claim_id, scale, settings)
    return {
        "claim": claim.id,
        "short_id": claim.short_id,
        "family": claim.family,
        "family_title": family.title,
        "family_rank": family.order,  # report sections follow the catalogue's order
        "family_intro": family.intro,
        "title": claim.title,
        "control": claim.control,
        "contradicts": claim.contradicts,
        "near_miss": claim.near_miss,
        "expected": claim.expected,
        "statement": claim.statement,
        "source": claim.source.as_json(),
        "reference": claim.reference,
        "notes": claim.notes,
        "errata": [dataclasses.asdict(e) for e in claim.errata],
        "protocol": claim.protocol,
        "scale": scale,
        "n_seeds": sc.n_seeds,
        "overlay_runs": claim.overlay_runs,
        "traces": [dataclasses.asdict(t) for t in claim.traces],
        "runs": {name: {"n_seeds": sc.n_seeds, **params} for name, params in runs.items()},
        "checks": [comparisons.derive(check, runs[check.run], scale) for check in claim.checks],
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m theory", description="The claim registry.")
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("list", help="every claim with its short id, family, title and whether it is a control")
    pp = sub.add_parser("predict", help="write results/<scale>/<claim>/prediction.json")
    pp.add_argument("claim")
    pp.add_argument("--scale", default="smoke")
    pp.add_argument("--settings", type=json.loads, default={},
                    help='JSON {family: {parameter: value}}, e.g. \'{"grokking": {"p": 37}}\' (registry.runs_at)')
    pp.add_argument("--out", type=Path, required=True)
    ps = sub.add_parser("spec", help="write results/<scale>/<claim>/runs/<run>/spec.json")
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
            print(f"{'id':<6} {'claim':<{width}}  {'family':<9} {'kind':<8} title")
            for c in claims:
                print(f"{c.short_id:<6} {c.id:<{width}}  {c.family:<9} {'control' if c.control else 'claim':<8} {c.title}")
        elif a.cmd == "predict":
            registry.check_settings(a.settings, a.scale)
            artefacts.write_json(a.out, prediction(a.claim, a.scale, a.settings), schema="prediction")
        elif a.cmd == "spec":
            artefacts.write_json(a.out, registry.spec(a.claim, a.run, a.scale, a.base_seed, a.device), schema="spec")
    except (registry.UnknownClaimError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
