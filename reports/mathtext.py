"""Text with embedded ``$...$`` math: splitting it into text and formula segments, and tidying sympy's LaTeX."""

from __future__ import annotations

import re
from typing import Any

def pretty_latex(latex: Any) -> str:
    """Make machine-generated (sympy) LaTeX easier to read, without changing its meaning (symbol names are rendered
    where the LaTeX is made, theory.comparisons.latex_name):

    * numeric literals with more than 6 significant digits are rounded to 6;
    * ``\\|x\\|`` pairs become ``\\left\\| x \\right\\|`` so that both renderers draw a norm."""
    if latex is None:
        return ""
    s = str(latex)

    def _round(m: re.Match) -> str:
        txt = m.group(0)
        digits = len(re.sub(r"[^0-9]", "", txt).lstrip("0"))
        if digits <= 6:
            return txt
        return f"{float(txt):.6g}"

    s = re.sub(r"(?<![A-Za-z_{\\])\d+\.\d+", _round, s)
    if "\\left\\|" not in s and s.count("\\|") >= 2 and s.count("\\|") % 2 == 0:
        s = re.sub(r"\\\|(.+?)\\\|", lambda m: "\\left\\| " + m.group(1) + " \\right\\|", s)
    return s


_MATH_RE = re.compile(r"\$\$(.+?)\$\$|(?<!\\)\$(.+?)(?<!\\)\$", re.S)


def split_math(text: Any) -> list[tuple[str, str]]:
    """Split text into [("text", s) | ("math", latex) | ("dmath", latex)] segments."""
    if text is None:
        return []
    text = str(text)
    out: list[tuple[str, str]] = []
    pos = 0
    for m in _MATH_RE.finditer(text):
        if m.start() > pos:
            out.append(("text", text[pos:m.start()]))
        if m.group(1) is not None:
            out.append(("dmath", m.group(1).strip()))
        else:
            out.append(("math", m.group(2).strip()))
        pos = m.end()
    if pos < len(text):
        out.append(("text", text[pos:]))
    return [(k, s.replace("\\$", "$") if k == "text" else s) for k, s in out]
