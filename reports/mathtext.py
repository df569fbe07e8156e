"""Text with embedded ``$...$`` math: splitting it into text and formula segments, and tidying sympy's LaTeX."""

from __future__ import annotations

import re
from typing import Any, Iterable

_GREEK = ("alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi "
          "pi rho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma "
          "Upsilon Phi Psi Omega").split()


def pretty_latex(latex: Any, symbols: Iterable[Any] = ()) -> str:
    """Make machine-generated (sympy) LaTeX easier to read, without changing its meaning.

    * a symbol named like ``sigma2`` (sympy prints ``\\sigma_{2}``) is the square of sigma,
      and ``theta0_sq`` (``\\theta_{0 sq}``) the square of theta0: both are shown as squares;
    * numeric literals with more than 6 significant digits are rounded to 6;
    * ``\\|x\\|`` pairs become ``\\left\\| x \\right\\|`` so that both renderers draw a norm."""
    if latex is None:
        return ""
    s = str(latex)
    syms = {str(x) for x in symbols or ()}
    for name in syms:
        m = re.fullmatch(r"([A-Za-z]+)2", name)
        if m and m.group(1) in _GREEK:
            s = re.sub(r"\\" + m.group(1) + r"_\{2\}", lambda _m, g=m.group(1): "{\\" + g + "^{2}}", s)
        m = re.fullmatch(r"([A-Za-z]+)(\d*)_sq", name)
        if m and m.group(1) in _GREEK:
            g, sub = m.group(1), m.group(2)
            pat = r"\\" + g + (r"_\{" + sub + r"\s*sq\}" if sub else r"_\{sq\}")
            rep = "{\\" + g + ("_{" + sub + "}" if sub else "") + "^{2}}"
            s = re.sub(pat, lambda _m, r=rep: r, s)

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
