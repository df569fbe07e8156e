"""The PDF report: Typst source rendered from the template (formulas via tex2typst), compiled with Typst."""

from __future__ import annotations

import functools
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import artefacts
from reports.files import ASSETS, template_env
from reports.mathtext import pretty_latex, split_math


def typ_str(s: Any) -> str:
    """A Typst string literal."""
    s = "" if s is None else str(s)
    s = s.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "")
    s = s.replace("\n", "\\n").replace("\t", " ")
    return f'"{s}"'


def typ_text(s: Any) -> str:
    """Plain text as Typst markup: embedded string literals, so no markup char is active."""
    if s is None or str(s).strip() == "":
        return ""
    out = []
    for p in re.split(r"\n\s*\n", str(s).strip()):
        p = re.sub(r"\s*\n\s*", " ", p)
        if p:
            out.append(f"#{typ_str(p)};")
    return "\n\n".join(out)


def typ_cell(s: Any) -> str:
    """Plain text for a narrow table cell: allow line breaks after _ / , = (zero-width space)."""
    if s is None:
        return ""
    return typ_text(re.sub(r"([_/=])(?=\S)", "\\1\u200b", str(s)))


# A formula longer than this is not converted: tex2typst's parser is super-linear (a 16 KB closed form, B3's, took
# 36 s of a 48 s report), and a formula that long, scaled to the page's width, cannot be read anyway.
LONG_FORMULA = 3000
_MATH_PAGE = "#set page(width: auto, height: auto, margin: 1pt)\n"
# Typst's verdict on converted formulas, filled in batches by _check_math_batch before a render.
_MATH_OK: dict[str, bool] = {}


def _compiles(doc: str) -> bool:
    try:
        import typst

        typst.compile(doc.encode("utf-8"))
        return True
    except Exception:  # noqa: BLE001
        return False


def _check_math_batch(sources: list[str]) -> None:
    """Typst's verdict on many formulas with few compiles: all in one document, halved where it fails (one compile a
    formula took 17 ms, two thirds of it the compiler's fixed cost)."""
    todo = [s for s in dict.fromkeys(sources) if s not in _MATH_OK]
    stack = [todo] if todo else []
    while stack:
        part = stack.pop()
        if _compiles(_MATH_PAGE + "".join(f"#block[$ {s} $]\n" for s in part)):
            _MATH_OK.update(dict.fromkeys(part, True))
        elif len(part) == 1:
            _MATH_OK[part[0]] = False
        else:
            stack += [part[: len(part) // 2], part[len(part) // 2:]]


def _typst_math_ok(src: str) -> bool:
    if src not in _MATH_OK:
        _MATH_OK[src] = _compiles(_MATH_PAGE + "$ " + src + " $\n")
    return _MATH_OK[src]


@functools.lru_cache(maxsize=None)
def _converted(latex: str) -> str | None:
    """tex2typst's Typst math for a LaTeX formula, unchecked; None when it fails."""
    try:
        from tex2typst import tex2typst

        src = tex2typst(latex)
    except Exception:  # noqa: BLE001
        return None
    if not isinstance(src, str) or not src.strip() or "$" in src:
        return None
    return _typst_names(src.strip())


# Two spellings of tex2typst's output that Typst 0.15 rejects, and with them the whole formula (7 of the smoke report's
# 938, each then shown as LaTeX source and found by halving a batch, about 70 compiles): \big( as big( (Typst sizes
# its delimiters itself) and \odot as dot.circle (Typst's Hadamard product is dot.o).
_BIG_DELIMITER = re.compile(r"\bbig\s*(?=[(\[\])])")
_HADAMARD = re.compile(r"\bdot\.circle\b")


def _typst_names(src: str) -> str:
    return _HADAMARD.sub("dot.o", _BIG_DELIMITER.sub("", src))


def _tex2typst(latex: str) -> str | None:
    """Typst math for a LaTeX formula, or None when tex2typst fails or Typst rejects its output.

    A function of the formula alone (the raw-math fallback is decided by the caller), so the
    cache holds the same answer for every render."""
    src = _converted(latex)
    return src if src is not None and _typst_math_ok(src) else None


@dataclass(frozen=True)
class TypstMath:
    """The formula filters of one Typst render.

    With ``raw`` every formula is shown as its LaTeX source instead of Typst math: the fallback
    for a document that does not compile. Each render gets its own (immutable) instance, so a
    fallback render cannot change how a later one draws its formulas."""

    raw: bool = False
    collect: list | None = None  # where a collecting pass notes the formulas (render_typst)

    def math(self, latex: Any, display: bool = False) -> str:
        if latex is None or str(latex).strip() == "":
            return ""
        latex = pretty_latex(latex)
        if len(latex) > LONG_FORMULA:
            return typ_text(f"(a closed form of {len(latex)} characters of LaTeX, too long to typeset: the HTML report "
                            "shows it, and the claim's prediction.json holds it)")
        if self.collect is not None:  # the first pass of a render: note the formula, draw nothing
            self.collect.append(latex)
            return ""
        src = None if self.raw else _tex2typst(latex)
        if src is None:
            return f"#texsrc-block({typ_str(latex)});" if display else f"#texsrc({typ_str(latex)});"
        if display:
            return f"#fit(display-fracs[$ {src} $])"
        return f"${src}$"

    def rich(self, text: Any) -> str:
        """Text with its ``$...$`` formulas; blank lines keep paragraphs apart."""
        parts = []
        for kind, s in split_math(text):
            if kind == "text":
                if not s:
                    continue
                pieces = re.split(r"\n\s*\n", s)
                rendered = []
                for p in pieces:
                    p = re.sub(r"\s*\n\s*", " ", p)
                    rendered.append(f"#{typ_str(p)};" if p else "")
                parts.append("\n\n".join(rendered))
            else:
                parts.append(self.math(s, display=(kind == "dmath")))
        return "".join(parts)


def _typst_images_ok(paths: list[Path]) -> set[Path]:
    """The images Typst can read, found with few compiles: all in one document, halved where it fails (a compile for
    each of the smoke report's 89 figures took 2 s of its 16)."""
    import typst

    paths = list(dict.fromkeys(Path(p).resolve() for p in paths))
    if not paths:
        return set()
    root = Path(os.path.commonpath([str(p.parent) for p in paths]))

    def compiles(part: list[Path]) -> bool:
        doc = "#set page(width: auto, height: auto)\n" + "".join(
            "#image(" + typ_str("/" + p.relative_to(root).as_posix()) + ")\n" for p in part)
        try:
            typst.compile(doc.encode("utf-8"), root=str(root))
            return True
        except Exception:  # noqa: BLE001
            return False

    ok: set[Path] = set()
    stack = [paths]
    while stack:
        part = stack.pop()
        if compiles(part):
            ok.update(part)
        elif len(part) > 1:
            stack += [part[: len(part) // 2], part[len(part) // 2:]]
    return ok


def render_typst(ctx: dict, root: Path, figures: bool = True, raw_math: bool = False) -> str:
    """The report as Typst source (sets each claim's ``figure_typ``, relative to ``root``).

    ``raw_math`` shows every formula as LaTeX source; ``figures=False`` leaves the figures out."""
    glance_file = ctx.get("glance_file")
    readable = _typst_images_ok([c["figure_file"] for c in ctx["claims"] if c["has_figure"]]
                                + ([Path(glance_file)] if glance_file else [])) if figures else set()
    for c in ctx["claims"]:
        if c["has_figure"] and Path(c["figure_file"]).resolve() in readable:
            rel = os.path.relpath(c["figure_file"].resolve(), root)
            c["figure_typ"] = "/" + Path(rel).as_posix()
        else:
            c["figure_typ"] = ""
    ctx = {**ctx, "glance_typ": "/" + Path(os.path.relpath(Path(glance_file).resolve(), root)).as_posix()
           if glance_file and Path(glance_file).resolve() in readable else ""}
    preamble = (ASSETS / "preamble.typ").read_text(encoding="utf-8")

    def render(formulas: TypstMath) -> str:
        env = template_env(autoescape=False, filters=dict(
            txt=typ_text, cell=typ_cell, rich=formulas.rich, str=typ_str,
            math=lambda s: formulas.math(s, display=True),
            imath=lambda s: formulas.math(s, display=False)))
        return env.get_template("report.typ.j2").render(preamble=preamble, **ctx)

    if not raw_math:  # a first pass finds every formula, so that Typst checks their conversions in a few compiles
        found: list = []
        render(TypstMath(collect=found))
        _check_math_batch([s for s in map(_converted, dict.fromkeys(found)) if s is not None])
    return render(TypstMath(raw=raw_math))


def write_pdf(ctx: dict, pdf_path: str | os.PathLike, results_dir: str | os.PathLike) -> Path:
    """Render ``report.typ`` next to the PDF and compile it with Typst.

    If compilation fails, retry with every formula shown as LaTeX source, then also
    without figures (e.g. an SVG Typst cannot read), so that a PDF is always produced."""
    import typst

    pdf_path = Path(pdf_path).resolve()
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    typ_path = pdf_path.with_suffix(".typ")
    root = Path(os.path.commonpath([str(Path(results_dir).resolve()), str(typ_path.parent)]))

    attempts = [(False, True), (True, True), (True, False)]  # (raw math, figures)
    pdf = None
    for i, (raw_math, figures) in enumerate(attempts):
        try:
            src = render_typst(ctx, root, figures=figures, raw_math=raw_math)
            artefacts.write_bytes(typ_path, src)
            pdf = typst.compile(str(typ_path), root=str(root))
            break
        except Exception as exc:  # noqa: BLE001
            if i == len(attempts) - 1:
                raise
            nxt = "with raw LaTeX math" + ("" if attempts[i + 1][1] else " and without figures")
            print(f"reports.build: Typst compile failed ({exc}); retrying {nxt}", file=sys.stderr)
    artefacts.write_bytes(pdf_path, pdf)
    return typ_path
