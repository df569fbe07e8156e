"""A long run's checkpoint: saved atomically, keyed by a hash of the run's parameters so that the checkpoint of another spec is ignored, removed once the run is complete; and the SIGTERM that makes a run save it and stop (Slurm's time limit or preemption, then SIGKILL after a grace period)."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import signal
import time
from pathlib import Path

import torch

import artefacts


log = logging.getLogger("experiments.checkpoint")


class Interrupted(Exception):
    """A SIGTERM arrived: the run saved its state and stops; a rerun of the same spec resumes from it."""


_stop = {"requested": False}


def _on_sigterm(signum, frame) -> None:
    # Only a flag: the run saves a consistent state at its next safe point (a step, a finished piece) and stops
    # there, well inside Slurm's grace period, rather than being killed mid-write.
    _stop["requested"] = True


def install_sigterm_handler() -> None:
    """From now on SIGTERM asks the run to save and stop (the runner installs it for runs that keep a checkpoint)."""
    _stop["requested"] = False
    signal.signal(signal.SIGTERM, _on_sigterm)


def stop_requested() -> bool:
    return _stop["requested"]


_resumed = {"from": None}


def note_resume(where: str) -> None:
    """Record that this run resumed from a checkpoint, and from where (the runner writes it in the run's meta)."""
    _resumed["from"] = where
    log.info("resumed from a checkpoint at %s", where)


def resumed_from() -> str | None:
    return _resumed["from"]


def params_key(params: dict) -> str:
    """A short hash of the parameters that determine a run's trajectory (JSON with sorted keys)."""
    return hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()[:16]


class Checkpoint:
    """The checkpoint file of one run; with path None every method does nothing (a run without checkpoints)."""

    def __init__(self, path: str | Path | None, params: dict):
        self.path = Path(path) if path else None
        self.key = params_key(params)

    def load(self, device: torch.device | str = "cpu"):
        """The payload saved by a run of the same parameters, else None (no file, or another spec's)."""
        if self.path is None or not self.path.exists():
            return None
        saved = torch.load(self.path, map_location=device, weights_only=False)
        if not isinstance(saved, dict) or saved.get("key") != self.key or "payload" not in saved:
            return None
        return saved["payload"]

    def save(self, payload) -> None:
        """Write to a temp file beside the target then rename: an interrupted save leaves the previous checkpoint."""
        if self.path is None:
            return
        buffer = io.BytesIO()
        torch.save({"key": self.key, "payload": payload}, buffer)
        artefacts.write_bytes(self.path, buffer.getvalue())

    def remove(self) -> None:
        if self.path is not None and self.path.exists():
            self.path.unlink()


class Pieces:
    """The independent pieces of a run (sweep points, blocks of seeds), each result kept in the checkpoint as it
    completes: an interrupted run loses at most the piece in progress, and its rerun computes only the pieces not yet
    done.  A SIGTERM stops the run after the current piece (raising Interrupted), the state saved.

    ``save_every_s`` bounds how often the checkpoint is rewritten when pieces are quick (a SIGTERM still saves).
    ``rng``: a generator the pieces draw from in turn; its state after each piece is kept with the piece, and set again
    when a done piece is skipped, so that the pieces after it draw what they would have drawn."""

    def __init__(self, ckpt: Checkpoint, save_every_s: float = 5.0, rng: torch.Generator | None = None,
                 device: torch.device | str = "cpu"):
        self.ckpt = ckpt
        self.rng = rng
        # the pieces come back on the run's device: a resumed GPU run mixed CPU pieces into a CUDA torch.cat (seen on
        # an H200 at full scale)
        self.done: dict = ckpt.load(device) or {}
        self.resumed = len(self.done)
        if self.resumed:
            note_resume(f"{self.resumed} piece(s) done")
        self.save_every_s = save_every_s
        self._saved_at = time.monotonic()
        self._dirty = False

    def __call__(self, key, compute):
        """The result of piece ``key`` (a string or number): read from the checkpoint, else compute() and keep it."""
        if key in self.done:
            result, rng_state = self.done[key]
            if self.rng is not None:
                self.rng.set_state(rng_state.cpu())  # a generator state is a CPU byte tensor, whatever the device
            return result
        result = compute()
        self.done[key] = (result, self.rng.get_state() if self.rng is not None else None)
        self._dirty = True
        if stop_requested() or time.monotonic() - self._saved_at >= self.save_every_s:
            self.save()
        if stop_requested():
            raise Interrupted(f"stopped by SIGTERM after {len(self.done)} piece(s); state saved to {self.ckpt.path}")
        return result

    def save(self) -> None:
        if self._dirty:
            self.ckpt.save(self.done)
            self._saved_at, self._dirty = time.monotonic(), False

    def finish(self) -> None:
        """The run is complete: its checkpoint is no longer needed."""
        self.ckpt.remove()
