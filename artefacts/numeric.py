"""Numerical helpers that both the symbolic side (theory) and the measured side (analysis) apply to a curve, so that a formula and a measurement on the same grid go through the same arithmetic."""

from __future__ import annotations

import numpy as np


def loglog_slope(x, y) -> float:
    """Least-squares slope of log y against log x."""
    lx, ly = np.log(np.asarray(x, dtype=float)), np.log(np.asarray(y, dtype=float))
    lx = lx - lx.mean()
    return float((lx * (ly - ly.mean())).sum() / (lx * lx).sum())
