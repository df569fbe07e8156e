"""Parameter counts of torch.nn.RNN, GRU and LSTM over a grid of input and hidden sizes (Dobriban 2019, Stat 991 notes)."""

from __future__ import annotations

import numpy as np
import torch

DETERMINISTIC = True  # counts do not depend on the seed
CELLS = {"rnn": torch.nn.RNN, "gru": torch.nn.GRU, "lstm": torch.nn.LSTM}


def run(*, seed: int, device: torch.device | str = "cpu", input_size: list[int], hidden: list[int], n_seeds: int = 1) -> dict:
    """Counts of one layer of each cell at every (input_size, hidden) grid point (aligned lists), and the GRU/LSTM ratio."""
    if len(input_size) != len(hidden):
        raise ValueError("input_size and hidden must be equal-length lists")
    counts = {name: [] for name in CELLS}
    for x, h in zip(input_size, hidden):
        for name, cls in CELLS.items():
            counts[name].append(sum(p.numel() for p in cls(int(x), int(h)).parameters()))
    out = {f"{name}_params": np.asarray(v, dtype=float)[None, :] for name, v in counts.items()}
    out["gru_over_lstm"] = out["gru_params"] / out["lstm_params"]
    return {"input_size": np.asarray(input_size, dtype=float), "hidden": np.asarray(hidden, dtype=float), **out}
