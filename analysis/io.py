"""Reading and writing the artefacts of DESIGN.md: metrics.npz, prediction.json, verdict.json (atomically)."""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

META_KEY = "__meta__"


class ResultFileError(RuntimeError):
    """A result file is missing, truncated or unreadable; the message names it."""


def load_metrics(path: Path) -> tuple[dict[str, np.ndarray], dict]:
    path = Path(path)
    if not path.exists():
        raise ResultFileError(f"missing result file {path}")
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise ResultFileError(f"truncated or corrupt result file {path}: {exc}") from exc
    if META_KEY not in arrays:
        raise ResultFileError(f"result file {path} has no {META_KEY} record (not written by experiments.runner)")
    meta = json.loads(str(arrays.pop(META_KEY)))
    return arrays, meta


def load_json(path: Path) -> dict:
    path = Path(path)
    if not path.exists():
        raise ResultFileError(f"missing result file {path}")
    try:
        return json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ResultFileError(f"truncated or corrupt result file {path}: {exc}") from exc


def write_json(path: Path, obj) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w") as fh:
        json.dump(obj, fh, indent=1, allow_nan=False, default=_plain)
    os.replace(tmp, path)


def _plain(o):
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")
