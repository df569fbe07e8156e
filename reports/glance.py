"""The report's first figure, results at a glance: every check of every claim and control as its deviation from the prediction in units of its tolerance band, with its 95% CI, grouped by family and coloured by outcome (a forest plot)."""

from __future__ import annotations

import io
import math
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import artefacts  # noqa: E402

CLIP = 4.0  # band half-widths: a value beyond is drawn at the edge with an arrow
# The report's outcome colours (reports/assets/preamble.typ and style.css).
COLOURS = {"pass": "#1a7f37", "fail": "#c62828", "inconclusive": "#b26a00", "error": "#6a4c93"}
ROWS_PER_COLUMN = 48
ROW_INCH = 0.095
WIDTH_INCH = 6.9  # the PDF's text width: the figure's fonts print at their nominal size


def _scaled(v: float, centre: float, half: float) -> float:
    return (v - centre) / half


def position(raw: dict) -> tuple[float, float, float, str] | None:
    """(z, z_lo, z_hi, shape) of one check on the figure's common axis, where its band is [-1, 1]; None when the
    check has no estimate.

    A two-sided band [a, b] maps affinely onto [-1, 1]: z = (x - (a+b)/2) / ((b-a)/2).  An exact check (a = b) sits at
    0 when its interval lies on the value and beyond the axis otherwise.  An inequality's band is one-sided: its
    bound maps to the near edge (+1 for an upper bound, -1 for a lower one) and the slack relative to the larger of
    |bound| and |estimate| moves the point inward, up to the far edge; a violated bound lies outside by the same
    measure."""
    est, ci, band = raw.get("estimate"), raw.get("ci"), raw.get("band")
    if est is None or band is None or not all(map(math.isfinite, [est, *(ci or [est, est])])):
        return None
    lo, hi = ci or (est, est)
    a, b = band
    if a is not None and b is not None:
        if b > a:
            c, h = (a + b) / 2, (b - a) / 2
            return _scaled(est, c, h), _scaled(lo, c, h), _scaled(hi, c, h), "two-sided"
        inside = a - 1e-12 * max(1.0, abs(a)) <= lo and hi <= b + 1e-12 * max(1.0, abs(b))
        z = 0.0 if inside else math.copysign(CLIP + 1, est - a)
        return z, z, z, "exact"
    upper = b is not None
    bound = b if upper else a
    scale = max(abs(bound), abs(est), abs(lo), abs(hi)) or 1.0

    def z(v: float) -> float:
        r = (v - bound) / scale  # < 0 inside an upper bound, > 0 inside a lower one
        return 1 + 2 * r if upper else -1 + 2 * r

    return z(est), z(lo), z(hi), "upper" if upper else "lower"


def rows(claims: list[dict]) -> list[dict]:
    """The figure's rows in report order: a heading row per family, then one row per check."""
    out, family = [], None
    for c in claims:
        if c["family"] != family:
            family = c["family"]
            out.append({"heading": c.get("family_title") or family, "family": family})
        for i, k in enumerate(c["checks"]):
            # the claim's id labels its first check; its other checks follow in the order of its checks table
            out.append({"label": c["short_id"] if i == 0 else "", "check": k["name"], "claim": c["id"],
                        "control": c["control"], "outcome": k["outcome"], "identity": k.get("role") == "identity",
                        "first": i == 0, "pos": position(k.get("raw") or {})})
    return out


def _columns(all_rows: list[dict]) -> list[list[dict]]:
    """Rows split into columns of at most ROWS_PER_COLUMN, at a family heading where one is near the split."""
    n_cols = max(1, math.ceil(len(all_rows) / ROWS_PER_COLUMN))
    target = math.ceil(len(all_rows) / n_cols)
    cols, current = [], []
    for r in all_rows:
        # start a new column at a family heading once the current one is nearly full, or at a claim once it is full
        due = (len(current) >= target and r.get("first", False) or "heading" in r and len(current) >= 0.75 * target
               or len(current) >= 1.25 * ROWS_PER_COLUMN)
        if current and due and len(cols) < n_cols - 1:
            cols.append(current)
            current = []
        current.append(r)
    cols.append(current)
    return cols


def draw(claims: list[dict], path: str | os.PathLike) -> Path | None:
    """Write the at-a-glance figure as SVG to ``path``; None (and no file) when there is no check to show."""
    all_rows = rows(claims)
    if not any("pos" in r and r["pos"] for r in all_rows):
        return None
    cols = _columns(all_rows)
    height = max(len(c) for c in cols) * ROW_INCH + 1.1
    fig, axes = plt.subplots(1, len(cols), figsize=(WIDTH_INCH, height), squeeze=False)
    for ax, col in zip(axes[0], cols):
        n = len(col)
        ax.axvspan(-1, 1, color="#e8e8e8", zorder=0)
        ax.axvline(0, color="#9e9e9e", lw=0.6, zorder=1)
        labels = []
        for i, r in enumerate(col):
            y = n - 1 - i
            if "heading" in r:
                labels.append((y, r["family"], True, False))
                ax.axhline(y, color="#bdbdbd", lw=0.4, zorder=1)
                continue
            labels.append((y, r["label"], False, r["control"]))
            if r["first"] and i and "heading" not in col[i - 1]:
                ax.axhline(y + 0.5, color="#e0e0e0", lw=0.3, zorder=1)
            if not r["pos"]:
                ax.text(0, y, "no estimate", fontsize=5, ha="center", va="center", color=COLOURS["error"],
                        gid=f"glance-{r['claim']}-{r['check']}")
                continue
            z, zlo, zhi, shape = r["pos"]
            colour = COLOURS.get(r["outcome"], COLOURS["error"])
            lo, hi = max(zlo, -CLIP), min(zhi, CLIP)
            if hi > lo:
                ax.plot([lo, hi], [y, y], color=colour, lw=1.1, solid_capstyle="butt", zorder=2)
            marker = {"two-sided": "o", "exact": "D", "upper": "<", "lower": ">"}[shape]
            clipped = abs(z) > CLIP
            zc = max(-CLIP, min(CLIP, z))
            if clipped:
                marker = ">" if z > 0 else "<"
                zc = math.copysign(CLIP + 0.15, z)
            (point,) = ax.plot([zc], [y], marker=marker, ms=3.2, color=colour, zorder=3,
                               markerfacecolor="white" if r["identity"] else colour, markeredgewidth=0.8)
            point.set_gid(f"glance-{r['claim']}-{r['check']}")  # an id in the SVG: which check this point is
        ax.set_ylim(-0.7, n - 0.3)
        ax.set_xlim(-CLIP - 0.4, CLIP + 0.4)
        ax.set_yticks([y for y, *_ in labels])
        ax.set_yticklabels([t for _, t, *_ in labels], fontsize=5.5)
        for tick, (_, _, heading, control) in zip(ax.get_yticklabels(), labels):
            if heading:
                tick.set_fontweight("bold")
            elif control:
                tick.set_fontstyle("italic")
                tick.set_color("#616161")
        ax.tick_params(axis="y", length=0, pad=2)
        # the band's edges, +-1, are the shading's; more ticks crowd a narrow column
        ax.set_xticks([-4, 0, 4] if len(cols) > 3 else [-4, -1, 0, 1, 4])
        ax.tick_params(axis="x", labelsize=5.5)
        ax.set_xlabel("deviation / band half-width", fontsize=5.5)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
    handles = [plt.Line2D([], [], color=COLOURS[o], marker="o", lw=1.1, ms=3.2, label=o) for o in COLOURS]
    handles += [plt.Line2D([], [], color="#424242", marker="o", markerfacecolor="white", lw=0, ms=3.2,
                           label="identity check"),
                plt.Line2D([], [], color="#424242", marker="<", lw=0, ms=3.2, label="inequality (bound at the edge)")]
    fig.legend(handles=handles, loc="upper center", ncol=len(handles), fontsize=5.5, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.35 / height))
    buf = io.BytesIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    artefacts.write_bytes(path, buf.getvalue())
    return Path(path)
