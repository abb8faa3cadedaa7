"""Server-side SVG charts of a trend (matplotlib's SVG backend), safe to put inline.

``render_chart(chart, markers)`` draws one chart of a ``rehabit.outcomes.progress.Trend``:
the series over time (broken where a long time passed without a rating), the no-real-change
band around the starting score, the plan's stage changes (dashed lines, each named in a row
above the plot) and exercise level changes (triangles with the new level, in a row above the
plot too: nothing is written over the data). The SVG is then made fit for a page with a
strict Content Security Policy and for the PDF: every ``style`` attribute becomes
presentation attributes (CSP blocks inline styles, not attributes), the ``<style>`` block
and metadata go, text stays text (readable by screen readers and copyable from the PDF),
and it scales to its container (viewBox). It carries ``role="img"`` with a title and a
description; the table beside it has the same data.
"""

from __future__ import annotations

import io
import math
import re
import threading
import xml.etree.ElementTree as ET  # noqa: S405 - parses only SVG that matplotlib just wrote
from datetime import date, timedelta
from itertools import permutations
from typing import Any

import matplotlib

matplotlib.use("svg")
from matplotlib import dates as mdates  # noqa: E402
from matplotlib.backends.backend_svg import FigureCanvasSVG  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.ticker import FixedLocator, FuncFormatter  # noqa: E402
from matplotlib.transforms import offset_copy  # noqa: E402

from rehabit.core.timefmt import format_short_day  # noqa: E402
from rehabit.outcomes.progress import Chart, Marker, Series  # noqa: E402

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"

# Colours with at least 3:1 contrast on white (WCAG 1.4.11), told apart by marker too.
COLOURS = ("#1f5fa8", "#b34700", "#2e7d32")
MARKERS = ("o", "s", "D")
BAND = "#d9e7d3"
STAGE = "#444444"  # the plan's stage changes: dashed lines, their names above the plot
LEVEL = "#6a3d9a"  # exercise level changes
# The figure is drawn at a phone's width: 4 in is 288 SVG units, which is the chart's own
# width on a 320 px screen (the page's side margins taken off), so 12-unit text is 12 CSS
# px there and larger on any wider screen; nothing is smaller than FONT. The page caps the
# chart's width on a wide screen (outcomes.css), the PDF sets its own (report.html).
FIGSIZE = (4.0, 3.4)
FONT = 12
MAX_TICKS = 4
# Above the plot: a row (in points, which are SVG units) for the exercise level changes and
# one for each stage's name, starting ABOVE points over the plot's top edge; PAD (in the
# layout's pixels) keeps a stage's joining line clear of the end of a name below it.
ROW = 16
ABOVE = 4
PAD = 3
GAP = 1  # points between a joining line's top and its stage's name
MAX_ORDERED = 5  # stage labels whose rows are ordered (every order tried); more keep theirs
TICK_STEPS = (1, 2, 3, 4, 5, 7, 14, 28, 56, 91, 182, 364)
RC = {
    "svg.fonttype": "none",  # text as text
    "svg.hashsalt": "rehabit",  # stable ids
    "font.family": "DejaVu Sans",
    "font.size": FONT,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
_lock = threading.Lock()  # rcParams are process-wide
_STYLE_SPLIT = re.compile(r"\s*;\s*")


def _figure(chart: Chart, markers: tuple[Marker, ...], start: Any, end: Any) -> Figure:
    shown = [m for m in markers if start <= m.on <= end]
    stages = [m for m in shown if m.kind == "phase"]
    levels = [m for m in shown if m.kind != "phase"]
    rows = len(stages) + (1 if levels else 0)
    width, height = FIGSIZE
    # The marks' rows above the plot add to the figure's height, so the plot keeps its own.
    strip = (ABOVE + rows * ROW) / 72 if rows else 0.0
    figure = Figure(figsize=(width, height + strip), layout="constrained")
    ax = figure.add_subplot()
    if chart.band is not None:
        ax.axhspan(chart.band.low, chart.band.high, color=BAND, zorder=0,
                   label=_band_label())  # fmt: skip
        ax.axhline(chart.band.start, color="#4d6b45", linewidth=1, linestyle=":", zorder=1)
    for n, series in enumerate(chart.series):
        if not series.points:
            continue
        xs, ys = _line(series)
        ax.plot(xs, ys, color=COLOURS[n % 3], marker=MARKERS[n % 3], markersize=5,
                linewidth=2, linestyle="-" if n == 0 else "--", label=series.label)  # fmt: skip
    for marker in stages:
        ax.axvline(marker.on, color=STAGE, linewidth=1, linestyle="--", zorder=1)
    ax.set_ylim(chart.low, chart.high)
    last = max(end, start + timedelta(days=6))
    # Half a day's margin each side, so the first and last points are not cut by the frame
    # (in days as matplotlib counts them: a date minus 12 hours is still the same date).
    ax.set_xlim(mdates.date2num(start) - 0.5, mdates.date2num(last) + 0.5)
    ax.xaxis.set_major_locator(FixedLocator(mdates.date2num(_ticks(start, last))))
    # The month in the reader's language ("7 Jan"), where strftime's %b is the C locale's.
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda value, _position: format_short_day(mdates.num2date(value).date()))
    )
    ax.set_ylabel(chart.unit)
    ax.grid(axis="y", color="#e0e0e0", linewidth=0.8)
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        figure.legend(handles, labels, loc="outside lower center", ncols=2, frameon=False,
                      fontsize=FONT, handlelength=1.6, columnspacing=1.2)  # fmt: skip
    _level_marks(ax, levels)
    if stages:
        _stage_labels(figure, ax, stages, base=ABOVE + (ROW if levels else 0))
    return figure


def _line(series: Series) -> tuple[list[date], list[float]]:
    """The series' days and values, with a gap (a value that is not a number, where
    matplotlib lifts the pen) before each day that comes after a long time without a
    rating: a line across it would show a steady change nobody measured."""
    after_gap = {after for _before, after in series.gaps}
    xs: list[date] = []
    ys: list[float] = []
    for point in series.points:
        if point.on in after_gap and xs:
            xs.append(point.on)
            ys.append(math.nan)
        xs.append(point.on)
        ys.append(point.value)
    return xs, ys


def _level_marks(ax: Any, levels: list[Marker]) -> None:
    """Each exercise level change: a triangle (up or down) with the new level, in a row
    just above the plot, so it never covers a score at the top of the scale."""
    above = ax.get_xaxis_transform()  # x: days; y: 0 at the bottom of the plot, 1 at its top
    centre = offset_copy(above, fig=ax.figure, y=ABOVE + ROW / 2, units="points")
    for marker in levels:
        up = "↑" in marker.short
        day = mdates.date2num(marker.on)  # no unit conversion outside the data's coordinates
        ax.plot([day], [1], transform=centre, marker="^" if up else "v", color=LEVEL,
                markersize=7, linestyle="none", clip_on=False)  # fmt: skip
        ax.annotate(marker.short.strip("↑↓"), (day, 1), xycoords=above,
                    xytext=(5, ABOVE + ROW / 2), textcoords="offset points", va="center",
                    fontsize=FONT, color=LEVEL, annotation_clip=False)  # fmt: skip


def _stage_labels(figure: Figure, ax: Any, stages: list[Marker], *, base: float) -> None:
    """Each stage's name above the plot, where it cannot cover a line or a point (written
    down the stage's line inside the plot, it ran through them): one row each, joined to
    its line by a dashed line straight down, the text starting at the line or moved left
    just enough to end inside the plot's width. The rows are ordered so that no joining
    line crosses a name in a row below it."""
    above = ax.get_xaxis_transform()
    days = [mdates.date2num(marker.on) for marker in stages]
    labels = [
        ax.annotate(
            marker.short,
            (day, 1),
            xycoords=above,
            xytext=(0, base),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=FONT,
            color=STAGE,
            annotation_clip=False,
        )
        for marker, day in zip(stages, days, strict=True)
    ]
    # Lay the figure out without the names (they stay inside the plot's width, so they
    # change only its height), to learn their widths and where the stage lines fall.
    for label in labels:
        label.set_in_layout(False)
    figure.draw_without_rendering()
    left, right = ax.get_window_extent().x0, ax.get_window_extent().x1
    anchors = [ax.transData.transform((day, 0))[0] for day in days]
    widths = [Text.get_window_extent(label).width for label in labels]  # the text alone
    starts = [max(left, min(at, right - width)) for at, width in zip(anchors, widths, strict=True)]
    spans = [(start, start + width) for start, width in zip(starts, widths, strict=True)]
    rows, crossing = _stage_rows(spans, anchors)
    points = 72 / figure.dpi  # display pixels of this layout to points
    for label, day, at, start, row, crosses in zip(
        labels, days, anchors, starts, rows, crossing, strict=True
    ):
        label.xyann = ((start - at) * points, base + row * ROW)
        label.set_in_layout(True)
        if not crosses:  # the joining line, never through another name
            ax.annotate("", (day, 1), xycoords=above, xytext=(0, base + row * ROW - GAP),
                        textcoords="offset points", annotation_clip=False,
                        arrowprops={"arrowstyle": "-", "linestyle": "--", "linewidth": 1,
                                    "color": STAGE, "shrinkA": 0, "shrinkB": 0})  # fmt: skip


def _stage_rows(
    spans: list[tuple[float, float]], anchors: list[float]
) -> tuple[list[int], list[bool]]:
    """The row of each label (0 nearest the plot), given its horizontal extent and the x
    of its stage's line: the order in which the fewest joining lines pass through a label
    in a lower row (none, unless two labels each cover the other's line); then whether
    each label's joining line still does."""

    def crossings(order: tuple[int, ...]) -> list[bool]:
        found = [False] * len(order)
        for row, i in enumerate(order):
            found[i] = any(
                spans[j][0] - PAD <= anchors[i] <= spans[j][1] + PAD for j in order[:row]
            )
        return found

    count = len(spans)
    orders = permutations(range(count)) if count <= MAX_ORDERED else iter([tuple(range(count))])
    best = min(orders, key=lambda order: sum(crossings(order)))
    rows = [0] * len(spans)
    for row, i in enumerate(best):
        rows[i] = row
    return rows, crossings(best)


def _ticks(start: date, last: date) -> list[date]:
    """At most MAX_TICKS days on the axis, so their labels never run into each other at
    this size: the first day, then every few days, every week or every few weeks."""
    span = (last - start).days
    step = next((s for s in TICK_STEPS if span // s < MAX_TICKS), -(-span // (MAX_TICKS - 1)))
    return [start + timedelta(days=n * step) for n in range(span // step + 1)]


def _band_label() -> str:
    from django.utils.translation import gettext as _

    return _("No real change")


def _presentation_attributes(root: ET.Element) -> None:
    """style="a: b; c: d" -> a="b" c="d" on every element (allowed under CSP)."""
    for element in root.iter():
        style = element.attrib.pop("style", None)
        if not style:
            continue
        for declaration in _STYLE_SPLIT.split(style.strip().rstrip(";")):
            name, _sep, value = declaration.partition(":")
            name, value = name.strip(), value.strip()
            if not name or not value:
                continue
            if name == "font":  # e.g. "400 11px 'DejaVu Sans'"
                parts = value.split()
                element.set("font-weight", parts[0])
                element.set("font-size", parts[1])
                element.set("font-family", " ".join(parts[2:]).strip("'\""))
            else:
                element.set(name, value)


def _own_ids(root: ET.Element, prefix: str) -> None:
    """Prefix every id (and every reference to one), so several charts on one page never
    share an id or each other's clip paths."""
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    for element in root.iter():
        if element.get("id"):
            element.set("id", f"{prefix}-{element.get('id')}")
        for name, value in list(element.attrib.items()):
            if "url(#" in value:
                element.set(
                    name,
                    re.sub(
                        r"url\(#([^)]+)\)",
                        lambda m: (
                            f"url(#{prefix}-{m.group(1)})" if m.group(1) in ids else m.group(0)
                        ),
                        value,
                    ),
                )
            elif (
                name in {f"{{{XLINK}}}href", "href"} and value.startswith("#") and value[1:] in ids
            ):
                element.set(name, f"#{prefix}-{value[1:]}")


def _clean(svg: bytes, *, title: str, description: str, chart_id: str, labelled: bool) -> str:
    root = ET.fromstring(svg)  # noqa: S314 - matplotlib's own output, no entities
    for parent in list(root.iter()):
        for child in list(parent):
            tag = child.tag.split("}")[-1]
            if tag in {"metadata", "style"}:
                parent.remove(child)
    _presentation_attributes(root)
    _own_ids(root, chart_id)
    root.set("stroke-linejoin", "round")
    root.set("stroke-linecap", "butt")
    for size in ("width", "height"):
        root.attrib.pop(size, None)
    root.set("class", "chart-svg")
    root.set("id", chart_id)
    root.set("preserveAspectRatio", "xMidYMid meet")
    if not labelled:  # in the PDF the heading and the table say it (no hidden text)
        root.set("aria-hidden", "true")
        return _serialise(root)
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    title_el = ET.Element(f"{{{SVG}}}title", {"id": f"{chart_id}-title"})
    title_el.text = title
    desc_el = ET.Element(f"{{{SVG}}}desc", {"id": f"{chart_id}-desc"})
    desc_el.text = description
    root.insert(0, desc_el)
    root.insert(0, title_el)
    return _serialise(root)


def _serialise(root: ET.Element) -> str:
    # The prefix registry is process-wide (other libraries change it): name ours each time.
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", XLINK)
    return ET.tostring(root, encoding="unicode")


def render_chart(
    chart: Chart,
    markers: tuple[Marker, ...],
    *,
    start: Any,
    end: Any,
    chart_id: str | None = None,
    description: str = "",
    labelled: bool = True,
) -> str:
    """One chart as inline SVG markup (no XML declaration), scaling to its container."""
    with _lock:
        with matplotlib.rc_context(RC):
            figure = _figure(chart, markers, start, end)
            buffer = io.BytesIO()
            FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None, "Creator": None})
        return _clean(
            buffer.getvalue(),
            title=chart.title,
            description=description,
            chart_id=chart_id or f"chart-{chart.key}",
            labelled=labelled,
        )
