"""Discovery of the claims in theory/claims/*.py and of their families, with their run ids, seeds, specs and source files."""

from __future__ import annotations

import importlib
import json
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from theory import deps
from theory.claim import SCALES, Claim, Family

THEORY_DIR = Path(__file__).resolve().parent
CLAIMS_DIR = THEORY_DIR / "claims"
ROOT = THEORY_DIR.parent


class UnknownClaimError(KeyError):
    def __str__(self) -> str:  # KeyError quotes its message; a user wants a plain line
        return self.args[0]


def claim_ids() -> list[str]:
    return sorted(p.stem for p in CLAIMS_DIR.glob("*.py") if not p.stem.startswith("_"))


@lru_cache(maxsize=None)
def get(claim_id: str) -> Claim:
    ids = claim_ids()
    if claim_id not in ids:
        raise UnknownClaimError(f"unknown claim {claim_id!r}; valid claims: {', '.join(ids)}")
    module = importlib.import_module(f"theory.claims.{claim_id}")
    claim = getattr(module, "CLAIM", None)
    if not isinstance(claim, Claim):
        raise TypeError(f"theory/claims/{claim_id}.py must define CLAIM = Claim(...)")
    if claim.id != claim_id:
        raise ValueError(f"theory/claims/{claim_id}.py declares id {claim.id!r}; the id must equal the file name")
    family(claim.family)
    return claim


def all_claims() -> list[Claim]:
    return [get(i) for i in claim_ids()]


@lru_cache(maxsize=None)
def family(name: str) -> Family:
    """The family a claim names: theory/<name>.py declares it as FAMILY."""
    path = THEORY_DIR / f"{name}.py"
    module = importlib.import_module(f"theory.{name}") if path.is_file() else None
    fam = getattr(module, "FAMILY", None)
    if not isinstance(fam, Family) or fam.name != name:
        known = sorted(p.stem for p in THEORY_DIR.glob("*.py") if "FAMILY = Family(" in p.read_text())
        raise ValueError(f"unknown family {name!r} (theory/{name}.py must declare FAMILY = Family(name={name!r}, ...)); "
                         f"valid: {', '.join(known)}")
    return fam


def families() -> list[Family]:
    """The families of the registered claims, in the catalogue's order."""
    return sorted({family(c.family) for c in all_claims()}, key=lambda f: f.order)


def check_scale(scale: str) -> str:
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; valid scales: {', '.join(SCALES)}")
    return scale


def claim_ids_at(scale: str) -> list[str]:
    """The claims run at a scale: every claim but those declared without it (GPU-only claims at smoke)."""
    check_scale(scale)
    return [i for i in claim_ids() if get(i).runs_at(scale)]


def scale_of(claim_id: str, scale: str):
    """A claim's Scale at a scale, or a clear error where the claim is not run there."""
    claim = get(claim_id)
    sc = claim.scales[check_scale(scale)]
    if sc is None:
        at = [s for s in claim.scales if claim.runs_at(s) and s != "test"]
        raise ValueError(f"claim {claim_id!r} is not run at scale {scale!r} (it runs at {', '.join(at)} only)")
    return sc


def run_ids(claim_id: str, scale: str) -> list[str]:
    return list(scale_of(claim_id, scale).runs)


def run_seed(base_seed: int, claim_id: str, run_index: int) -> int:
    """A 63-bit seed from (base seed, claim id, run index).

    crc32 of the id, not Python's hash(), which is salted per process and would make
    seeds differ between Snakemake jobs.
    """
    ss = np.random.SeedSequence([int(base_seed), zlib.crc32(claim_id.encode()), int(run_index)])
    return int(ss.generate_state(2, dtype=np.uint32).astype(np.uint64).dot([1 << 31, 1]))


def runs_at(claim_id: str, scale: str, settings: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, dict]:
    """A claim's runs at a scale, with ``settings`` applied: {family: {parameter: value}} replaces that parameter in
    every run of the family's claims that has it (the robustness runs change a discrete setting nobody tuned on, such
    as the grokking prime, this way; check_settings refuses a typo)."""
    claim = get(claim_id)
    runs = {name: dict(params) for name, params in scale_of(claim_id, scale).runs.items()}
    for fam, changes in (settings or {}).items():
        if fam != claim.family:
            continue
        for key, value in changes.items():
            for params in runs.values():
                if key in params:
                    params[key] = setting_value(value)
    return runs


def setting_value(value: Any) -> Any:
    """A setting as given on the command line: Snakemake's --config hands nested values over as strings ('37'), so a
    string that parses as JSON (a number, a list) is that value."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def check_settings(settings: Mapping[str, Mapping[str, Any]] | None, scale: str) -> None:
    """Every setting names a family and a parameter some run of that family has at the scale."""
    if not settings:
        return  # nothing to check: loading every claim costs a second in each job
    names = [f.name for f in families()]
    for fam, changes in (settings or {}).items():
        if fam not in names:
            raise ValueError(f"settings name an unknown family {fam!r}; families: {', '.join(names)}")
        known = {k for c in all_claims() if c.family == fam and c.runs_at(check_scale(scale))
                 for r in c.scales[scale].runs.values() for k in r}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(f"settings for {fam}: no run has parameter(s) {', '.join(unknown)}")


def spec(claim_id: str, run: str, scale: str, base_seed: int, device: str,
         settings: Mapping[str, Mapping[str, Any]] | None = None) -> dict:
    """The whole contract an experiment sees: no sympy object, numbers and names only."""
    claim = get(claim_id)
    sc = scale_of(claim_id, scale)
    all_runs = runs_at(claim_id, scale, settings)
    runs = list(all_runs)
    if run not in runs:
        raise UnknownClaimError(f"claim {claim_id!r} has no run {run!r} at scale {scale!r}; runs: {', '.join(runs)}")
    params = {k: _plain(v) for k, v in all_runs[run].items()}
    params.setdefault("n_seeds", sc.n_seeds)
    return {
        "claim": claim_id,
        "run": run,
        "experiment": claim.experiment,
        "scale": scale,
        "base_seed": int(base_seed),
        "seed": run_seed(base_seed, claim_id, runs.index(run)),
        "device": device,
        "threads": sc.threads,
        "params": params,
    }


def run_source(claim_id: str, run: str, scale: str, settings: Mapping[str, Mapping[str, Any]] | None = None) -> tuple[str, str]:
    """The (claim, run) whose measurement this run reads: itself, unless an earlier claim declares a run of the same
    experiment with the same parameters, seed count and threads at this scale.  Then both read one measurement (a
    control scoring the same data as its claim, the same sweep under two predictions), made once: a real claim's run
    is preferred to a control's, then the first claim id."""
    return _run_sources(scale, json.dumps(settings or {}, sort_keys=True, default=str))[(claim_id, run)]


@lru_cache(maxsize=None)
def _run_sources(scale: str, settings_json: str) -> dict[tuple[str, str], tuple[str, str]]:
    settings = json.loads(settings_json)
    owners: dict[str, tuple[str, str]] = {}
    out = {}
    for claim in sorted(all_claims(), key=lambda c: (c.control, c.id)):
        if not claim.runs_at(scale):
            continue
        sc = claim.scales[scale]
        for run, params in runs_at(claim.id, scale, settings).items():
            params = {k: _plain(v) for k, v in params.items()}
            params.setdefault("n_seeds", sc.n_seeds)
            key = json.dumps([claim.experiment, params, sc.threads, sc.gpu], sort_keys=True)
            out[(claim.id, run)] = owners.setdefault(key, (claim.id, run))
    return out


def _plain(value):
    """JSON-friendly copy of a parameter (numpy and sympy numbers become floats/ints)."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    if isinstance(value, (bool, str)) or value is None:
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    return float(value)


# ---- source files: what an edit must re-run (the Snakemake inputs), by a static scan of the imports ----------------
def _kinds(claim_id: str) -> list[str]:
    return sorted({check.kind for check in get(claim_id).checks})


@lru_cache(maxsize=None)
def claim_sources(claim_id: str) -> tuple[str, ...]:
    """Files whose edit changes the claim's prediction: the claim file and what it imports, the predict command, and
    the symbolic half of every comparison kind it uses (found by name at run time, so the scan cannot see them)."""
    files = [CLAIMS_DIR / f"{claim_id}.py", THEORY_DIR / "__main__.py"]
    files += [THEORY_DIR / "kinds" / f"{k}.py" for k in _kinds(claim_id)]
    return tuple(deps.relative(deps.closure(*files)))


@lru_cache(maxsize=None)  # asked once per run of the claim when the DAG is built
def experiment_sources(claim_id: str) -> tuple[str, ...]:
    """Files whose edit changes the claim's measurements: its experiment module and what that imports, and the runner."""
    name = get(claim_id).experiment
    return tuple(deps.relative(deps.closure(ROOT / "experiments" / f"{name}.py", ROOT / "experiments" / "__main__.py")))


@lru_cache(maxsize=None)
def analysis_sources(claim_id: str) -> tuple[str, ...]:
    """Files whose edit changes the claim's verdict or figure: the compare command and the empirical half of every
    comparison kind the claim uses."""
    files = [ROOT / "analysis" / "compare.py"] + [ROOT / "analysis" / "kinds" / f"{k}.py" for k in _kinds(claim_id)]
    return tuple(deps.relative(deps.closure(*files)))
