"""Discovery of the claims in theory/claims/*.py, with their run ids, seeds and result paths (DESIGN.md "Layout")."""

from __future__ import annotations

import importlib
import zlib
from functools import lru_cache
from pathlib import Path

import numpy as np

from theory.claim import SCALES, Claim

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
    return claim


def all_claims() -> list[Claim]:
    return [get(i) for i in claim_ids()]


def check_scale(scale: str) -> str:
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; valid scales: {', '.join(SCALES)}")
    return scale


def run_ids(claim_id: str, scale: str) -> list[str]:
    return list(get(claim_id).scales[check_scale(scale)].runs)


def run_seed(base_seed: int, claim_id: str, run_index: int) -> int:
    """A 63-bit seed from (base seed, claim id, run index).

    crc32 of the id, not Python's hash(), which is salted per process and would make
    seeds differ between Snakemake jobs.
    """
    ss = np.random.SeedSequence([int(base_seed), zlib.crc32(claim_id.encode()), int(run_index)])
    return int(ss.generate_state(2, dtype=np.uint32).astype(np.uint64).dot([1 << 31, 1]))


def claim_files(claim_id: str) -> list[str]:
    """Source files whose edit must re-run this claim (Snakemake inputs), relative to the root."""
    claim = get(claim_id)
    files = [f"theory/claims/{claim_id}.py"]
    files += [f"theory/{dep}.py" for dep in claim.depends]
    return files


def spec(claim_id: str, run: str, scale: str, base_seed: int, device: str) -> dict:
    """The whole contract an experiment sees: no sympy object, numbers and names only."""
    claim = get(claim_id)
    sc = claim.scales[check_scale(scale)]
    runs = list(sc.runs)
    if run not in runs:
        raise UnknownClaimError(f"claim {claim_id!r} has no run {run!r} at scale {scale!r}; runs: {', '.join(runs)}")
    params = {k: _plain(v) for k, v in sc.runs[run].items()}
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


def _plain(value):
    """JSON-friendly copy of a parameter (numpy and sympy numbers become floats/ints)."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    if isinstance(value, (bool, str)) or value is None:
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    return float(value)
