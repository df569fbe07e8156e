"""The HTML report: formulas as MathML (latex2mathml), figures linked as SVG files beside it, no external resources."""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from reports.files import ASSETS, template_env
from reports.mathtext import pretty_latex, split_math


@functools.lru_cache(maxsize=None)
def _mathml(latex: str, display: bool) -> str | None:
    try:
        from latex2mathml.converter import convert

        return convert(latex, display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - any conversion problem -> show source
        return None


def html_math(latex: Any, display: bool = False) -> Markup:
    """A formula as MathML, or its LaTeX source in a <code> element when it does not convert."""
    if latex is None or str(latex).strip() == "":
        return Markup("")
    latex = pretty_latex(latex)
    mm = _mathml(latex, display)
    if mm is None:
        return Markup('<code class="tex">') + escape(latex) + Markup("</code>")
    return Markup(mm)


def html_rich(text: Any) -> Markup:
    """Escaped text with its ``$...$`` formulas as MathML; blank lines become paragraph breaks."""
    parts: list[Markup] = []
    for kind, s in split_math(text):
        if kind == "text":
            esc = str(escape(s))
            esc = re.sub(r"\n\s*\n", "<br><br>", esc)
            parts.append(Markup(esc))
        else:
            parts.append(html_math(s, display=(kind == "dmath")))
    return Markup("").join(parts)


def html_text(text: Any) -> Markup:
    """Escaped plain text; None -> empty."""
    return escape("" if text is None else str(text))


def _readable_svg(path: Path) -> bool:
    """True when the file is an SVG document (a browser shows it), not an empty or broken file."""
    try:
        with open(path, encoding="utf-8") as fh:
            return "<svg" in fh.read(4000)
    except (OSError, UnicodeDecodeError):
        return False


def render_html(ctx: dict, html_dir: Path | str = ".") -> str:
    """The report as one HTML page whose figures are the SVG files beside it in the results directory, linked by
    relative paths (sets each claim's ``figure_src``): inlined, 40 figures made a 5 MB page; linked, the page opens
    offline from results/ and loads the figures lazily."""
    html_dir = Path(html_dir).resolve()

    def src(path) -> str:
        return Path(os.path.relpath(Path(path).resolve(), html_dir)).as_posix()

    for c in ctx["claims"]:
        c["figure_src"] = src(c["figure_file"]) if c["has_figure"] and _readable_svg(c["figure_file"]) else ""
    ctx = {**ctx, "glance_src": src(ctx["glance_file"]) if ctx.get("glance_file") else ""}
    css = (ASSETS / "style.css").read_text(encoding="utf-8")
    env = template_env(autoescape=True, filters=dict(
        txt=html_text, cell=html_text, rich=html_rich,
        math=lambda s: html_math(s, display=True),
        imath=lambda s: html_math(s, display=False)))
    return env.get_template("report.html.j2").render(css=Markup(css), **ctx)
