"""Server-side SVG charts of a trend (matplotlib's SVG backend), safe to put inline.

``render_chart(chart, markers)`` draws one chart of a ``rehabit.outcomes.progress.Trend``:
the series over time, the no-real-change band around the starting score, the plan's stage
changes (dashed lines) and exercise level changes (triangles with the new level). The
SVG is then made fit for a page with a strict Content Security Policy and for the PDF:
every ``style`` attribute becomes presentation attributes (CSP blocks inline styles, not
attributes), the ``<style>`` block and metadata go, text stays text (readable by screen
readers and copyable from the PDF), and it scales to its container (viewBox). It carries
``role="img"`` with a title and a description; the table beside it has the same data.
"""

from __future__ import annotations

import io
import re
import threading
import xml.etree.ElementTree as ET  # noqa: S405 - parses only SVG that matplotlib just wrote
from datetime import date, timedelta
from typing import Any

import matplotlib

matplotlib.use("svg")
from matplotlib import dates as mdates  # noqa: E402
from matplotlib.backends.backend_svg import FigureCanvasSVG  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FixedLocator, FuncFormatter  # noqa: E402

from rehabit.core.timefmt import format_short_day  # noqa: E402
from rehabit.outcomes.progress import Chart, Marker  # noqa: E402

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"

# Colours with at least 3:1 contrast on white (WCAG 1.4.11), told apart by marker too.
COLOURS = ("#1f5fa8", "#b34700", "#2e7d32")
MARKERS = ("o", "s", "D")
BAND = "#d9e7d3"
# The figure is drawn at a phone's width: 4 in is 288 SVG units, which is the chart's own
# width on a 320 px screen (the page's side margins taken off), so 12-unit text is 12 CSS
# px there and larger on any wider screen; nothing is smaller than FONT. The page caps the
# chart's width on a wide screen (outcomes.css), the PDF sets its own (report.html).
FIGSIZE = (4.0, 3.4)
FONT = 12
MAX_TICKS = 4
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
    figure = Figure(figsize=FIGSIZE, layout="constrained")
    ax = figure.add_subplot()
    if chart.band is not None:
        ax.axhspan(chart.band.low, chart.band.high, color=BAND, zorder=0,
                   label=_band_label())  # fmt: skip
        ax.axhline(chart.band.start, color="#4d6b45", linewidth=1, linestyle=":", zorder=1)
    for n, series in enumerate(chart.series):
        if not series.points:
            continue
        xs = [p.on for p in series.points]
        ys = [p.value for p in series.points]
        ax.plot(xs, ys, color=COLOURS[n % 3], marker=MARKERS[n % 3], markersize=5,
                linewidth=2, linestyle="-" if n == 0 else "--", label=series.label)  # fmt: skip
    top = chart.high
    for marker in markers:
        if not start <= marker.on <= end:
            continue
        if marker.kind == "phase":
            ax.axvline(marker.on, color="#555555", linewidth=1, linestyle="--", zorder=1)
            ax.annotate(marker.short, (marker.on, top), xytext=(3, -2), textcoords="offset points",
                        fontsize=FONT, color="#333333", va="top", rotation=90)  # fmt: skip
        else:
            ax.plot([marker.on], [top * 0.97], marker="^" if "↑" in marker.short else "v",
                    color="#6a3d9a", markersize=7, linestyle="none")  # fmt: skip
            ax.annotate(marker.short.strip("↑↓"), (marker.on, top * 0.97), xytext=(5, -4),
                        textcoords="offset points", fontsize=FONT, color="#6a3d9a")  # fmt: skip
    ax.set_ylim(chart.low, top)
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
    return figure


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
