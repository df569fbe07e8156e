"""Where the report's templates and assets live, and the Jinja2 environment over them."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import jinja2


HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
ASSETS = HERE / "assets"


def template_env(autoescape: bool, filters: dict[str, Callable[..., Any]]) -> jinja2.Environment:
    """A Jinja2 environment over ``templates/`` with the output format's filters.

    Both templates use the same filter names (txt, cell, rich, math, imath), each format
    supplying its own implementation."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=autoescape,
        undefined=jinja2.ChainableUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(filters)
    return env
