"""One figure per claim: each panel shows a run's measured curves (seed mean, 95% CI band) against the sympy predictions of its checks."""

from __future__ import annotations

import math
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.ticker import LogFormatterSciNotation  # noqa: E402

from analysis import kinds  # noqa: E402



@dataclass
class Panel:
    """What a kind's draw() needs of the panel its check is drawn on (analysis/kinds/<kind>.py)."""

    x: np.ndarray  # the grid
    estimate: np.ndarray  # the measured curve
    predicted: np.ndarray  # the prediction on the grid (nan at a pole)
    in_window: np.ndarray  # the compared grid points
    color: tuple  # the measured metric's colour
    ylabel: str
    overlay: bool  # runs overlaid on shared axes
    checks: list[dict]  # every check on this panel
    drawn: set = field(default_factory=set)

    def theory_line(self, check: dict, lo: float = -math.inf, hi: float = math.inf, label=None):
        return _theory_line(check, self.x, self.predicted, label, lo, hi)



_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_SCI_TICK = re.compile(r"^\$\\mathdefault\{(?:(\d+(?:\.\d+)?)\\times)?10\^\{(-?\d+)\}\}\$$")


class UnicodeLogFormatter(LogFormatterSciNotation):
    """Log-axis tick labels as plain text with Unicode superscripts (10², 3×10⁻¹), the same ticks and the same
    labelled subset as matplotlib's default: its mathtext labels cost a pyparsing parse each, which was a quarter of
    the comparisons' time (1013 parses for 40 figures)."""

    def __call__(self, x, pos=None):
        label = super().__call__(x, pos)
        m = _SCI_TICK.match(label)
        if m is None:
            return label
        power = "10" + m.group(2).translate(_SUPERSCRIPT)
        return f"{m.group(1)}×{power}" if m.group(1) else power


def plain_log_ticks(ax) -> None:
    """Every log axis of ``ax`` labelled by UnicodeLogFormatter, major and minor ticks as the scale's defaults."""
    for axis in (ax.xaxis, ax.yaxis):
        for get, put in ((axis.get_major_formatter, axis.set_major_formatter),
                         (axis.get_minor_formatter, axis.set_minor_formatter)):
            old = get()
            if type(old) is LogFormatterSciNotation:
                put(UnicodeLogFormatter(base=old._base, labelOnlyBase=old.labelOnlyBase))


def wrap_title(title: str, width: int) -> str:
    """A title wrapped to ``width`` characters without breaking inside a $...$ formula (matplotlib draws the formula
    as mathtext, and a line break inside one would leave its dollars unmatched)."""
    protected = re.sub(r"\$[^$]*\$", lambda m: m.group(0).replace(" ", "\x00"), title)
    return textwrap.fill(protected, width=width).replace("\x00", " ")

def _panels(checks: list[dict], overlay: bool = False) -> dict[tuple[str, str], list[dict]]:
    """Checks grouped into panels: by (run, x), or by (metric, x) when the claim overlays its runs.  On a grid of one
    point there is no curve to share: each metric gets its own panel (its own y scale), titled 'run: metric'.  A
    ratio-scale metric (possibly on log axes) and an absolute one (a difference, a 0/1 flag) do not share a panel."""
    grouped: dict[tuple[str, str, bool], list[dict]] = {}
    for c in checks:
        single = len(c["grid"]["x_values"]) == 1 and not overlay
        head = f"{c['run']}: {c['metric']}" if single else (c["metric"] if overlay else c["run"])
        grouped.setdefault((head, c["x"], c["scale"] in ("relative", "log")), []).append(c)
    panels: dict[tuple[str, str], list[dict]] = {}
    for (head, x, ratio), group in grouped.items():
        split = (head, x, not ratio) in grouped  # name the two panels of one run apart
        panels[(f"{head} ({'ratios' if ratio else 'differences'})" if split else head, x)] = group
    return panels


def _spread(check: dict) -> str:
    reduce = check["reduce"]
    return "95% CI" if reduce == "mean" else f"{reduce} over seeds, 95% CI"


def _theory_line(check: dict, x: np.ndarray, pred: np.ndarray, label=None, lo=-math.inf, hi=math.inf):
    """The prediction's line: its fine grid (prediction.json 'dense') when there is one, else the measured grid; only
    between lo and hi, and for one series label when given."""
    dense = check["dense"]
    if dense:
        dx, dv = np.asarray(dense["x"], dtype=float), np.asarray(dense["values"], dtype=float)  # None -> nan: a gap
        keep = (dx >= lo - 1e-12 * abs(lo)) & (dx <= hi + 1e-12 * abs(hi))
        if label is not None:
            keep &= np.asarray([v == label for v in dense["series"]])
        if keep.sum() >= 2:
            return dx[keep], dv[keep]
    keep = (x >= lo) & (x <= hi)
    return x[keep], pred[keep]


def _draw_series(ax, check: dict, table: list[dict], palette) -> None:
    """One colour per series label: measured points with their CI, the prediction as a line of the same colour."""
    labels = sorted({r["series"] for r in table})
    ls, what = kinds.get(check["kind"]).LINE
    name = check["grid"]["series"]["name"]
    for j, label in enumerate(labels):
        rows = [r for r in table if r["series"] == label]
        color = palette[j % len(palette)]
        x = np.array([r["x"] for r in rows])
        order = np.argsort(x)
        col = {k: np.array([r[k] for r in rows], dtype=float)[order] for k in ("estimate", "ci_lo", "ci_hi", "predicted")}
        x = x[order]
        ax.fill_between(x, col["ci_lo"], col["ci_hi"], color=color, alpha=0.25, lw=0)
        ax.plot(x, col["estimate"], "o", ms=3, color=color, label=f"{name} = {label:g}")
        ax.plot(*_theory_line(check, x, col["predicted"], label), ls, color=color, lw=1.2)
    # One legend entry per series colour, and one saying what points and lines are.
    ax.plot([], [], "o", ms=3, color="0.4", label=f"{check['metric']} measured ({_spread(check)})")
    ax.plot([], [], ls, color="0.4", lw=1.2, label=f"{what} (theory), same colour")


def _draw_trace(ax, trace: dict, arrays: dict, palette) -> None:
    """Raw curves of a run (median over seeds thick, each seed thin) with per-seed event times marked at their median,
    one colour per grid value."""
    x = np.asarray(arrays[trace["x"]], dtype=float)
    grid_values = np.atleast_1d(np.asarray(arrays.get(trace["grid"], []), dtype=float))
    colours: dict[int, tuple] = {}
    n = 0

    def name(g: int, n_grid: int) -> str:
        if n_grid == 1:
            return ""
        return f", {trace['grid']} = {grid_values[g]:g}" if g < grid_values.size else f", grid point {g}"

    for metric in trace["metrics"]:
        y = np.asarray(arrays[metric], dtype=float)
        y = y[:, None, :] if y.ndim == 2 else y  # (seeds, grid, T)
        grid_idx = list(range(y.shape[1]))
        for g in grid_idx:
            colour = palette[n % len(palette)]
            n += 1
            colours.setdefault(g, colour)
            for seed_curve in y[:, g, : len(x)]:
                ax.plot(x[: len(seed_curve)], seed_curve, color=colour, lw=0.5, alpha=0.35)
            ax.plot(x, np.nanmedian(y[:, g, : len(x)], axis=0), color=colour, lw=1.6,
                    label=f"{metric}{name(g, len(grid_idx))} (median over seeds)")
    for j, event in enumerate(trace["events"]):
        t = np.asarray(arrays[event], dtype=float)
        t = t[:, None] if t.ndim == 1 else t
        cols = list(range(t.shape[1]))
        for g in cols:
            finite = t[:, g][np.isfinite(t[:, g])]
            if finite.size == 0:
                continue
            at = float(np.median(finite))
            colour = colours.get(g, "0.2") if len(cols) > 1 else "0.2"
            ax.axvline(at, color=colour, ls=("--", ":", "-.")[j % 3], lw=1.0,
                       label=f"{event}{name(g, len(cols))} (median {at:.3g}, {finite.size} seeds)")
            ax.plot(finite, np.full(finite.size, 0.02 + 0.03 * j), "|", ms=8, color=colour, transform=ax.get_xaxis_transform())
    if trace["logx"]:
        ax.set_xscale("log")
    if trace["logy"]:
        ax.set_yscale("log")
    ax.set_title(trace["title"], fontsize=9)
    ax.set_xlabel(trace["x"])
    ax.set_ylabel(trace["ylabel"] or ", ".join(trace["metrics"]), fontsize=8)


def draw(prediction: dict, results: list[dict], path_svg: Path, arrays_by_run: dict[str, dict] | None = None) -> None:
    """results: the per-check dicts of analysis.comparators.compare (with their 'table'); arrays_by_run: the runs'
    metrics, for the claim's trace panels (none drawn without them)."""
    sns.set_theme(style="whitegrid", context="paper")
    by_name = {r["name"]: r for r in results if r.get("table")}
    checks = [c for c in prediction["checks"] if c["name"] in by_name]
    overlay = prediction["overlay_runs"]
    panels = _panels(checks, overlay)
    traces = [t for t in prediction["traces"] if arrays_by_run and t["run"] in arrays_by_run]
    n = max(len(panels) + len(traces), 1)
    cols = min(n, 3)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.3 * cols, 3.3 * rows), squeeze=False)
    legend_outside = False
    palette = sns.color_palette("colorblind")
    for ax, ((run, xname), group) in zip(axes.flat, panels.items()):
        drawn_metrics: dict[str, tuple] = {}
        drawn: set = set()  # theory lines already on the panel (a bound shared by several runs is drawn once)
        for c in group:
            table = by_name[c["name"]]["table"]
            if c["grid"]["series"]:
                _draw_series(ax, c, table, palette)
                continue
            x = np.array([r["x"] for r in table])
            est = np.array([r["estimate"] for r in table])
            lo = np.array([r["ci_lo"] for r in table])
            hi = np.array([r["ci_hi"] for r in table])
            ylabel = c["metric"] if not c["crossing"] else c["crossing"]["grid"]
            key = (c["run"], ylabel) if overlay else ylabel
            if key not in drawn_metrics:
                color = palette[len(drawn_metrics) % len(palette)]
                ax.fill_between(x, lo, hi, color=color, alpha=0.25, lw=0)
                who = f"run {c['run']}: " if overlay else ""
                ax.plot(x, est, "o-" if overlay else "o", ms=3.5, lw=0.8, color=color,
                        label=f"{who}{ylabel} measured ({_spread(c)})")
                drawn_metrics[key] = color
            panel = Panel(x=x, estimate=est, predicted=np.array([r["predicted"] for r in table], dtype=float),
                          in_window=np.array([r["in_window"] for r in table]), color=drawn_metrics[key], ylabel=ylabel,
                          overlay=overlay, checks=group, drawn=drawn)
            kinds.get(c["kind"]).draw(ax, c, by_name[c["name"]], panel)
        shaded = set()
        for c in group:
            for lo_ex, hi_ex in c["exclude"]:
                if (lo_ex, hi_ex) not in shaded:
                    shaded.add((lo_ex, hi_ex))
                    ax.axvspan(lo_ex, hi_ex, color="0.6", alpha=0.18, lw=0, zorder=0,
                               label="excluded from the comparison (pole)" if len(shaded) == 1 else None)
                    # Near a pole the mean is heavy-tailed: show the median over seeds there too.
                    near_pole = [r for r in by_name[c["name"]]["table"] if lo_ex <= r["x"] <= hi_ex and "median" in r]
                    if near_pole:
                        ax.plot([r["x"] for r in near_pole], [r["median"] for r in near_pole], "D", ms=3.5, mfc="none", color="0.2",
                                label="median over seeds (excluded region)")
            for mark in c["marks"]:
                ax.axvline(mark["value"], color="0.35", ls="-.", lw=0.9, zorder=1)
                ax.annotate(f"{mark['label']} = {mark['value']:.3g}", (mark["value"], 0.98), xycoords=("data", "axes fraction"),
                            rotation=90, fontsize=6, color="0.25", ha="right", va="top")
        positive = all(r["estimate"] > 0 and (r["predicted"] is None or r["predicted"] > 0)
                       for c in group for r in by_name[c["name"]]["table"])
        several_x = len({r["x"] for c in group for r in by_name[c["name"]]["table"]}) > 1
        if positive and several_x and all(c["scale"] in ("relative", "log") for c in group):
            ax.set_xscale("log")
            ax.set_yscale("log")
        ax.set_title(f"{run}" if overlay or ": " in run else f"run {run}", fontsize=9)
        ax.set_xlabel(xname)
        ax.set_ylabel(", ".join(dict.fromkeys(c["crossing"]["grid"] if c["crossing"] else c["metric"] for c in group)), fontsize=8)
        handles, _ = ax.get_legend_handles_labels()
        if len(handles) > 5:  # a long legend goes beside the panel, off the data
            ax.legend(fontsize=6, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
            legend_outside = True
        else:
            ax.legend(fontsize=6, loc="best")
    for ax, trace in zip(list(axes.flat)[len(panels):], traces):
        _draw_trace(ax, trace, arrays_by_run[trace["run"]], palette)
        handles, _ = ax.get_legend_handles_labels()
        if len(handles) > 5:
            ax.legend(fontsize=6, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
            legend_outside = True
        else:
            ax.legend(fontsize=6, loc="best")
    for ax in list(axes.flat)[len(panels) + len(traces):]:
        ax.set_visible(False)
    if legend_outside:
        fig.set_size_inches(6.4 * cols, 3.3 * rows)
    title = wrap_title(prediction["title"], width=60 * cols)  # never cut at the edge
    fig.suptitle(title, fontsize=10)
    for ax in axes.flat:
        plain_log_ticks(ax)
    fig.tight_layout()
    # tight_layout leaves a placeholder layout engine behind, and savefig draws the whole figure once more for any
    # engine before the SVG's own draw: with none, one draw (a third of the comparisons' time).
    fig.set_layout_engine(None)
    path_svg.parent.mkdir(parents=True, exist_ok=True)
    # SVG only: both reports embed it, and a PNG beside it was a third full render (with tight_layout's and the SVG's)
    # for a third of the comparisons' time.
    fig.savefig(path_svg)
    plt.close(fig)
