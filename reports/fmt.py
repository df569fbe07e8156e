"""How numbers, confidence intervals, run parameters and durations are written in the report."""

from __future__ import annotations

import math
from typing import Any

DASH = "\u2014"
CI_LABEL = "95% CI"


def is_num(x: Any) -> bool:
    """True for an int or float; bool is excluded although Python counts it as an int."""
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def fmt_num(x: Any, digits: int = 4) -> str:
    """Format a number with ``digits`` significant digits; None -> em dash."""
    if x is None:
        return DASH
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, int):
        return str(x)
    if isinstance(x, float):
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "\u221e" if x > 0 else "\u2212\u221e"
        s = f"{x:.{digits}g}"
        if "e" in s:
            mant, exp = s.split("e")
            s = f"{mant}e{int(exp)}"
        return s.replace("-", "\u2212")
    return str(x)


def fmt_ci(ci: Any) -> str:
    """An interval ``[lo, hi]``; an em dash when there is no interval or both ends are missing."""
    if isinstance(ci, (list, tuple)) and len(ci) == 2 and any(v is not None for v in ci):
        return f"[{fmt_num(ci[0])}, {fmt_num(ci[1])}]"
    return DASH


def fmt_value(v: Any) -> str:
    """Compact formatting for run parameters (scalars, lists, dicts).

    Long lists are abbreviated to the first three values, an ellipsis and the last value,
    followed by the count; a long list of one repeated value is shown as ``value (all n)``."""
    if isinstance(v, (list, tuple)):
        items = [fmt_value(x) for x in v]
        if len(items) > 5:
            if len(set(items)) == 1:
                return f"{items[0]} (all {len(items)})"
            return "[" + ", ".join(items[:3] + ["\u2026", items[-1]]) + f"] ({len(items)} values)"
        return "[" + ", ".join(items) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {fmt_value(x)}" for k, x in v.items()) + "}"
    if v is None:
        return DASH
    if is_num(v) or isinstance(v, bool):
        return fmt_num(v)
    return str(v)


def fmt_seconds(s: Any) -> str:
    """A duration in seconds to three significant digits; an em dash when it is not a number."""
    if not is_num(s):
        return DASH
    return fmt_num(float(s), 3) + " s"
