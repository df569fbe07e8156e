"""A long run's checkpoint: saved atomically, keyed by a hash of the run's parameters so that the checkpoint of another spec is ignored, removed once the run is complete."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import torch

import artefacts


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
