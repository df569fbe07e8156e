"""The contract between the layers: where each result file lives, atomic writes, the metadata key
of metrics.npz, and schema-validated prediction.json, spec.json and verdict.json; stdlib and numpy only, so that
theory, experiments, analysis and reports all import it."""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from artefacts.schemas import SCHEMAS

META_KEY = "__meta__"  # the JSON record of a run inside its metrics.npz (seed, device, wall time, error)


class ResultFileError(RuntimeError):
    """A result file is missing, truncated, unreadable or breaks its schema; the message names it."""


# ---- paths, relative to the results directory ----------------------------------------------------------------------
def claim_dir(results: str | os.PathLike, claim: str) -> Path:
    return Path(results) / claim


def prediction_path(results: str | os.PathLike, claim: str) -> Path:
    return claim_dir(results, claim) / "prediction.json"


def verdict_path(results: str | os.PathLike, claim: str) -> Path:
    return claim_dir(results, claim) / "verdict.json"


def figure_path(results: str | os.PathLike, claim: str, suffix: str = ".svg") -> Path:
    return claim_dir(results, claim) / f"figure{suffix}"


def run_dir(results: str | os.PathLike, claim: str, run: str) -> Path:
    return claim_dir(results, claim) / "runs" / run


def spec_path(results: str | os.PathLike, claim: str, run: str) -> Path:
    return run_dir(results, claim, run) / "spec.json"


def metrics_path(results: str | os.PathLike, claim: str, run: str) -> Path:
    return run_dir(results, claim, run) / "metrics.npz"


# ---- atomic writes: a temp file in the target's directory, then a rename, so an interruption leaves no half file ----
def write_bytes(path: str | os.PathLike, data: bytes | str) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _plain(o: Any) -> Any:
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def write_json(path: str | os.PathLike, obj: Any, schema: str | None = None) -> None:
    """Write obj as JSON (no NaN or infinity: JSON has none), validated first against the named schema when given."""
    if schema is not None:
        validate(schema, obj, where=str(path))
    write_bytes(path, json.dumps(obj, indent=1, allow_nan=False, default=_plain))


def write_npz(path: str | os.PathLike, arrays: dict, meta: dict) -> None:
    """A run's arrays with its meta record under META_KEY."""
    fh = io.BytesIO()
    np.savez(fh, **arrays, **{META_KEY: np.asarray(json.dumps(meta))})
    write_bytes(path, fh.getvalue())


# ---- reads, with errors that name the file ------------------------------------------------------------------------
def load_json(path: str | os.PathLike, schema: str | None = None) -> dict:
    path = Path(path)
    if not path.exists():
        raise ResultFileError(f"missing result file {path}")
    try:
        obj = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ResultFileError(f"truncated or corrupt result file {path}: {exc}") from exc
    if schema is not None:
        validate(schema, obj, where=str(path))
    return obj


def load_metrics(path: str | os.PathLike) -> tuple[dict[str, np.ndarray], dict]:
    path = Path(path)
    if not path.exists():
        raise ResultFileError(f"missing result file {path}")
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise ResultFileError(f"truncated or corrupt result file {path}: {exc}") from exc
    if META_KEY not in arrays:
        raise ResultFileError(f"result file {path} has no {META_KEY} record (not written by the experiment runner)")
    meta = json.loads(str(arrays.pop(META_KEY)))
    return arrays, meta


def validate(schema: str, obj: Any, where: str = "") -> None:
    """Raise ResultFileError naming the first violation of the schema ("prediction", "spec" or "verdict")."""
    import jsonschema  # imported here: the DAG and the experiments never validate, and it costs 0.1 s to import

    if schema not in SCHEMAS:
        raise ValueError(f"unknown schema {schema!r}; valid: {', '.join(SCHEMAS)}")
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(SCHEMAS[schema]).iter_errors(obj))
    if error is not None:
        path = "/".join(str(p) for p in error.absolute_path) or "(top)"
        raise ResultFileError(f"{where or schema}: breaks the {schema} schema at {path}: {error.message}")


# ---- comparison kinds: a check's "kind" names a module in each of two packages ------------------------------------
def plugin_names(package: str) -> tuple[str, ...]:
    """The modules of a plugin package (theory.kinds, analysis.kinds), by file name."""
    folder = Path(__file__).resolve().parent.parent.joinpath(*package.split("."))
    return tuple(sorted(p.stem for p in folder.glob("*.py") if not p.stem.startswith("_")))


def plugin(package: str, name: str):
    """The module ``package.name``; an unknown name is one line naming the valid ones."""
    import importlib

    if name.isidentifier() and not name.startswith("_"):
        try:
            return importlib.import_module(f"{package}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{package}.{name}":
                raise
    raise ValueError(f"unknown kind {name!r}; valid kinds: {', '.join(plugin_names(package))}")
