"""The HTML report: formulas as MathML (latex2mathml), figures as inline SVG, no external resources."""

from __future__ import annotations

import functools
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


def svg_inline(path: Path, uid: str) -> str | None:
    """Return the SVG file content suitable for inlining (no XML prolog, unique ids)."""
    try:
        svg = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    svg = re.sub(r"<\?xml[^>]*\?>", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>[]*(\[[^\]]*\])?\s*>", "", svg, flags=re.S)
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    start = svg.find("<svg")
    if start < 0:
        return None
    svg = svg[start:].strip()
    # Make element ids unique across the page (several matplotlib figures share id schemes).
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    if ids:
        pref = re.sub(r"[^A-Za-z0-9_-]", "_", uid) + "-"

        svg = re.sub(r'(\bid=")([^"]+)(")', lambda m: m.group(1) + pref + m.group(2) + m.group(3), svg)
        svg = re.sub(r"(url\(#)([^)]+)(\))",
                     lambda m: m.group(1) + (pref + m.group(2) if m.group(2) in ids else m.group(2)) + m.group(3), svg)
        svg = re.sub(r'((?:xlink:)?href="#)([^"]+)(")',
                     lambda m: m.group(1) + (pref + m.group(2) if m.group(2) in ids else m.group(2)) + m.group(3), svg)
    # Drop any reference to external resources inside the figure.
    svg = re.sub(r'\s(?:xlink:)?href="(?:https?:)?//[^"]*"', "", svg)
    return svg


def render_html(ctx: dict) -> str:
    """The report as one self-contained HTML page (sets each claim's ``figure_svg``)."""
    for c in ctx["claims"]:
        svg = svg_inline(c["figure_file"], c["id"]) if c["has_figure"] else None
        if svg and 'viewBox="' in svg[:svg.find(">")]:
            # Let CSS size the figure (full width for multi-panel figures), keeping the aspect ratio.
            cls = "fig-wide" if c.get("figure_wide") else "fig-single"
            root_end = svg.find(">")
            root = re.sub(r'\s(?:width|height)="[^"]*"', "", svg[:root_end])
            svg = root + f' class="{cls}"' + svg[root_end:]
        c["figure_svg"] = Markup(svg or "")
    css = (ASSETS / "style.css").read_text(encoding="utf-8")
    env = template_env(autoescape=True, filters=dict(
        txt=html_text, cell=html_text, rich=html_rich,
        math=lambda s: html_math(s, display=True),
        imath=lambda s: html_math(s, display=False)))
    return env.get_template("report.html.j2").render(css=Markup(css), **ctx)
