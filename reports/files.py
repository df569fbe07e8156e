"""Where the report's templates and assets live, the Jinja2 environment over them, and atomic writes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

import jinja2

import artefacts

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
ASSETS = HERE / "assets"


def atomic_write(path: str | os.PathLike, data: bytes | str) -> None:
    """Write through a temp file and a rename (artefacts.write_bytes): an interrupted build leaves no half report."""
    artefacts.write_bytes(path, data)


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
