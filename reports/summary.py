"""The summary CSV: one row per claim with its role, outcome, the raw numbers of its verdict's headline check (the tightest one with the claim's outcome), that check's resolution, and the errata of the notes it shows."""

from __future__ import annotations

import os

import pandas as pd

import artefacts

CSV_COLUMNS = [
    "claim", "short_id", "family", "title", "control", "role", "evidence", "expected", "outcome", "ok", "check",
    "estimate", "ci_lo", "ci_hi", "predicted", "tolerance", "resolution", "resolution_unit", "n_seeds", "message", "errata",
    # the same claim at the other scale, where that scale was run too (results/<other>/): empty otherwise
    "scale", "other_scale", "other_outcome", "other_estimate", "other_ci_lo", "other_ci_hi",
]


def summary_table(claims: list[dict]) -> pd.DataFrame:
    """One row per claim, values as read from the result files (None where one is missing).

    Every column is of object dtype so that no value is converted: an integer estimate or seed
    count stays an integer rather than becoming a float beside a missing value, and a float is
    written with full precision, as repr writes it."""
    rows = [[
        c["id"], c["short_id"], c["family"], c["title"], c["control"],
        "negative control" if c["control"] else "claim", c["evidence"], c["expected"], c["outcome"], c["ok"],
        c["headline"], c["estimate_raw"], c["ci_lo_raw"], c["ci_hi_raw"], c["predicted_raw"], c["tolerance_raw"],
        (c["resolution_raw"] or {}).get("value"), (c["resolution_raw"] or {}).get("unit"), c["n_seeds"], c["message"],
        # the notes' mistakes the claim shows: "kind: correction", several joined by " | "
        " | ".join(f"{e['kind']}: {e['correction']}" for e in c.get("errata") or []),
        c.get("scale"),
        *([o["scale"], o["outcome"], o["estimate_raw"], o["ci_lo_raw"], o["ci_hi_raw"]] if (o := c.get("other"))
          else [None] * 5),
    ] for c in claims]
    return pd.DataFrame(rows, columns=CSV_COLUMNS, dtype=object)


def write_csv(claims: list[dict], path: str | os.PathLike) -> None:
    table = summary_table(claims)
    # pandas counts None and NaN alike as missing, but the CSV keeps them apart: None is an
    # empty cell, and a NaN in a result file is written "nan", as repr writes it.
    cells = table.mask(table.map(lambda x: x is None), "")
    artefacts.write_bytes(path, cells.to_csv(index=False, lineterminator="\n", na_rep="nan"))
