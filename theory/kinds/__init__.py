"""The comparison kinds' symbolic halves, one module per kind found by its name.

A kind module here declares the options a check of that kind may set (``OPTIONS``), what its prediction is
(``PREDICTS``: "curve", a sympy expression in x and the run parameters evaluated on the grid, the default; or "number",
an expression in the run parameters only), whether it takes a series of curves (``SERIES``, default: for curves) and
draws the prediction on a fine grid (``DENSE``, default: for curves), an optional ``validate(check)`` for constraints
between fields, and ``derive(check, grid) -> dict``: the number the kind compares, derived from the prediction.  Its empirical half,
``analysis/kinds/<kind>.py``, compares, draws and makes synthetic data; adding a kind is those two files and a test.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType
from typing import Any

import artefacts


@dataclass(frozen=True)
class Option:
    """A kind-specific option of a check: its default and, when it is an enumeration, the valid values."""

    default: Any
    choices: tuple = ()


def names() -> tuple[str, ...]:
    return artefacts.plugin_names(__name__)


@lru_cache(maxsize=None)
def get(kind: str) -> ModuleType:
    """The module of a kind in this package; an unknown kind is one line naming the valid ones."""
    return artefacts.plugin(__name__, kind)


def predicts_number(kind: str) -> bool:
    return getattr(get(kind), "PREDICTS", "curve") == "number"


def takes_series(kind: str) -> bool:
    return getattr(get(kind), "SERIES", not predicts_number(kind))


def draws_dense(kind: str) -> bool:
    return getattr(get(kind), "DENSE", not predicts_number(kind))


def options(kind: str, given: dict[str, Any], where: str) -> dict[str, Any]:
    """The kind's options with defaults filled in; an option the kind does not take, or a value outside its choices,
    raises ValueError naming the valid ones."""
    declared: dict[str, Option] = getattr(get(kind), "OPTIONS", {})
    unknown = sorted(set(given) - set(declared))
    if unknown:
        takes = ", ".join(declared) or "no options"
        raise ValueError(f"{where}: kind {kind} takes no option {', '.join(unknown)} (it takes {takes})")
    out = {}
    for name, option in declared.items():
        value = given.get(name, option.default)
        if option.choices and value not in option.choices:
            raise ValueError(f"{where}: unknown {name} {value!r}; valid: {', '.join(map(str, option.choices))}")
        out[name] = value
    return out


def scalar_prediction(name: str, check, grid) -> dict:
    """The derived number of a scalar kind: the prediction with the run parameters substituted."""
    return {"name": name, "value": float(grid.substituted), "latex": grid.latex(grid.expr)}
