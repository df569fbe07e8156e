"""The rules of evidence checked over a results directory's verdicts (README, "Rules of evidence"): no under-powered or censored pass, no bootstrap pass over fewer than ten seeds, and in every family a near-miss control that failed; prints each violation and exits 1 if there is one."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import artefacts
from analysis.comparators import MAX_CI_TO_BAND, MIN_BOOTSTRAP_SEEDS

SAMPLED = ("jackknife-t", "bootstrap")  # the intervals that carry sampling error (not exact, not every seed)


def check_violations(claim: str, scale: str, check: dict) -> list[str]:
    """What one check's result breaks; the rules of power apply at the pipeline's scales only."""
    out = []
    where = f"{claim}/{check['name']}"
    if check["outcome"] == "pass" and check.get("censored"):
        out.append(f"{where}: passed with {check['censored']} censored value(s)")
    if scale in ("smoke", "full") and check["outcome"] == "pass" and check.get("interval") in SAMPLED:
        ratio = check.get("ci_to_band")
        if ratio is not None and ratio > MAX_CI_TO_BAND + 1e-12:
            out.append(f"{where}: passed with a CI {ratio:.2f} of its band (at most {MAX_CI_TO_BAND:.2f})")
        if check["interval"] == "bootstrap" and check["n_seeds"] < MIN_BOOTSTRAP_SEEDS:
            out.append(f"{where}: passed on a bootstrap over {check['n_seeds']} seeds")
    return out


def audit(results: Path) -> list[str]:
    """Every violation of the rules of evidence among results/<claim>/verdict.json (with its prediction.json)."""
    violations: list[str] = []
    families: dict[str, list[tuple[bool, str]]] = {}
    for path in sorted(results.glob("*/verdict.json")):
        prediction_path = path.with_name("prediction.json")
        try:
            verdict = artefacts.load_json(path, schema="verdict")
            prediction = artefacts.load_json(prediction_path, schema="prediction") if prediction_path.exists() else None
        except artefacts.ResultFileError as exc:
            violations.append(f"{path.parent.name}: unreadable ({exc})")
            continue
        if prediction is None:
            violations.append(f"{verdict['claim']}: no prediction.json ({verdict['outcome']})")
            continue
        for check in verdict["checks"]:
            violations += check_violations(verdict["claim"], prediction["scale"], check)
        families.setdefault(prediction["family"], [])
        if prediction["near_miss"]:
            families[prediction["family"]].append((verdict["outcome"] == "fail", verdict["claim"]))
    for family, near in sorted(families.items()):
        if not near:
            violations.append(f"family {family}: no near-miss control")
        for failed, claim in near:
            if not failed:
                violations.append(f"family {family}: the near-miss control {claim} did not fail")
    return violations


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("results", type=Path, nargs="?", default=Path("results"))
    a = p.parse_args(argv)
    violations = audit(a.results)
    for v in violations:
        print(f"audit: {v}", file=sys.stderr)
    n = len(list(a.results.glob("*/verdict.json")))
    print(f"audit: {n} verdicts, {len(violations)} violation(s) of the rules of evidence", file=sys.stderr)
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
