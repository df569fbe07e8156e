"""Run one experiment from its spec.json and write metrics.npz atomically, recording failures instead of crashing the pipeline."""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import logging
import pkgutil
import sys
import time
import traceback
from pathlib import Path

import numpy as np
import torch

import artefacts
import experiments
from experiments.lib.checkpoint import Interrupted, install_sigterm_handler, resumed_from
from experiments.lib.common import device_name, pick_device

def experiment_names() -> list[str]:
    """The entry points: the plain modules directly under experiments/ (helpers live in experiments/lib/)."""
    return sorted(m.name for m in pkgutil.iter_modules(experiments.__path__) if not m.ispkg and not m.name.startswith("_"))


def load_experiment(name: str):
    # Checked against the listing rather than imported and tried, so that a spec can never run a helper (lib, a
    # dotted path into it, __main__) as an experiment.
    valid = experiment_names()
    if name not in valid:
        raise ValueError(f"unknown experiment {name!r}; valid experiments: {', '.join(valid)}")
    module = importlib.import_module(f"experiments.{name}")
    if not callable(getattr(module, "run", None)):
        raise TypeError(f"experiments/{name}.py must define run(*, seed, device, **params)")
    return module.run


def check_signature(fn, params: dict) -> None:
    """The spec's parameters must be exactly keyword arguments of run(); name the mismatch."""
    sig = inspect.signature(fn)
    accepted = {n for n, p in sig.parameters.items() if p.kind is inspect.Parameter.KEYWORD_ONLY}
    unknown = sorted(set(params) - accepted)
    required = {n for n, p in sig.parameters.items() if p.kind is inspect.Parameter.KEYWORD_ONLY and p.default is p.empty}
    missing = sorted(required - set(params) - {"seed", "device"})
    if unknown or missing:
        raise TypeError(f"spec parameters do not match run(): unknown {unknown}, missing {missing}")


def execute(spec: dict, threads: int = 1, checkpoint: Path | None = None) -> dict:
    """Run the experiment of a spec; return arrays plus a meta dict (with 'error' on failure).

    An experiment whose run() takes a ``checkpoint`` keyword gets this path to save its state to and resume from, so
    that an interrupted long run goes on where it stopped (the experiment ignores a checkpoint of another spec)."""
    torch.set_num_threads(max(int(threads), 1))
    meta = {
        "claim": spec["claim"],
        "run": spec["run"],
        "seed": spec["seed"],
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "error": None,
    }
    start = time.perf_counter()
    arrays: dict = {}
    try:
        device = pick_device(spec.get("device", "auto"))
        meta["device"] = device_name(device)
        fn = load_experiment(spec["experiment"])
        check_signature(fn, spec["params"])
        extra = {}
        if checkpoint is not None and "checkpoint" in inspect.signature(fn).parameters and "checkpoint" not in spec["params"]:
            extra["checkpoint"] = str(checkpoint)
            # A run that keeps a checkpoint saves it on SIGTERM and stops (Interrupted); any other run is killed at
            # once by SIGTERM, as by default, having nothing to save.
            install_sigterm_handler()
        arrays = fn(seed=spec["seed"], device=device, **spec["params"], **extra)
        bad = [k for k, v in arrays.items() if np.asarray(v).dtype.kind == "f" and not np.all(np.isfinite(v))]
        if bad:
            meta["error"] = f"non-finite values (diverged run?) in {', '.join(sorted(bad))}"
    except Interrupted:
        raise  # not a failure of the run: no metrics are written, and the rerun resumes
    except Exception as exc:  # recorded in the verdict as outcome 'error'; the pipeline goes on
        meta["error"] = f"{type(exc).__name__}: {exc}"
        meta["traceback"] = traceback.format_exc()
    meta["wall_time_s"] = time.perf_counter() - start
    # Where an interrupted run took up again (its wall time then counts only the resumed part), else None.
    meta["resumed_from"] = resumed_from()
    return {"arrays": {k: np.asarray(v) for k, v in arrays.items()}, "meta": meta}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m experiments", description=__doc__)
    given = p.add_mutually_exclusive_group(required=True)
    given.add_argument("--spec", type=Path, help="a spec.json to run")
    given.add_argument("--spec-json", help="the spec itself, as JSON text (the pipeline passes it so)")
    p.add_argument("--write-spec", type=Path, help="write the (validated) spec here, beside the metrics")
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    spec = artefacts.load_json(a.spec, schema="spec") if a.spec else json.loads(a.spec_json)
    artefacts.validate("spec", spec, where="--spec-json")
    if a.write_spec:
        artefacts.write_json(a.write_spec, spec, schema="spec")
    try:
        result = execute(spec, a.threads, checkpoint=a.out.parent / "checkpoint.pt")
    except Interrupted as stop:
        # 143 = 128 + SIGTERM, what a process killed by it reports: Snakemake marks the job failed (rerun it, or let
        # Slurm requeue it) and keeps the checkpoint, which is no declared output.
        logging.warning("%s/%s interrupted: %s; rerun to resume", spec["claim"], spec["run"], stop)
        return 143
    meta = result["meta"]
    if meta["error"]:
        logging.error("%s/%s failed: %s", spec["claim"], spec["run"], meta["error"])
        if "traceback" in meta:
            logging.error("%s", meta["traceback"])
    else:
        logging.info("%s/%s done in %.2f s on %s", spec["claim"], spec["run"], meta["wall_time_s"], meta["device"])
    artefacts.write_npz(a.out, result["arrays"], meta)
    return 0
