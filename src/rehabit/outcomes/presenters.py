"""What the progress pages, the report and the API say: the verdicts and advice in the
reader's language, and the tables beside the charts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rehabit.clinical.outcomes import Advice, Change, compare, load_outcomes, shown_score
from rehabit.core.reviewed_text import tr
from rehabit.core.timefmt import current_zone_name
from rehabit.outcomes.charts import render_chart
from rehabit.outcomes.progress import Chart, Marker, Series, Summary, Trend

# The measure each chart draws (its no-real-change band is that measure's rule).
MEASURE_OF_CHART = {"pain": "nprs", "function": "psfs", "strength": "bridge"}
# A chart needs scores on at least this many days: one day is a lone dot on the band, a
# "chart" beside "not enough entries yet".
CHART_MIN_DAYS = 2


def _format(template: str, params: dict[str, Any]) -> str:
    values = {**params, "size": tr(str(params.get("size") or ""))}
    try:
        return tr(template).format(**values)
    except (KeyError, IndexError, ValueError):  # a translation with a broken placeholder
        return template.format(**values)


def _worded(template: str, child: bool) -> str:
    """A verdict's or advice's template, in a parent's words about their child when
    ``child`` (outcomes.yaml ``messages_for_a_child``)."""
    return load_outcomes().for_a_child(template) if child else template


def change_text(change: Change, *, child: bool = False) -> str:
    """A measure's verdict in words (``child``: to a child's parent, about their child)."""
    return _format(_worded(change.template, child), dict(change.params))


def advice_text(advice: Advice, *, child: bool = False) -> str:
    """A piece of advice in words (``child``: to a child's parent, about their child)."""
    return _format(_worded(advice.template, child), dict(advice.params))


def verdict_label(verdict: str) -> str:
    return tr(load_outcomes().overall[verdict])


def _about_patient_labels() -> dict[str, str]:
    """A measure's name where it speaks to the patient ("Activities you find hard"), as
    read by someone else, keyed by the summary row or chart it names."""
    return {
        "psfs": _("Activities the patient finds hard"),
        "function": _("Activities the patient finds hard (0 = cannot do, 10 = as before)"),
    }


def _about_child_labels() -> dict[str, str]:
    """A measure's name where it speaks to the patient ("Activities you find hard"), as
    a child's parent reads it, keyed by the summary row or chart it names."""
    return {
        "psfs": _("Activities your child finds hard"),
        "function": _("Activities your child finds hard (0 = cannot do, 10 = as before)"),
    }


def _labels(for_therapist: bool, for_child: bool) -> dict[str, str]:
    if for_therapist:
        return _about_patient_labels()
    return _about_child_labels() if for_child else {}


def summary_context(
    summary: Summary, *, for_therapist: bool = False, for_child: bool = False
) -> dict[str, Any]:
    """The verdict, its rows and advice for a page. ``for_therapist``: read by someone
    other than the patient (a therapist, an admin), so a measure's name speaks of the
    patient; the verdicts' and the advice's own words stay the patient's (the page shows
    them as what the patient reads). ``for_child``: read by a child's parent, so a
    measure's name, the verdicts and the advice speak of their child."""
    labels = _labels(for_therapist, for_child)
    child = for_child and not for_therapist
    return {
        "verdict": summary.progress.verdict,
        "verdict_label": verdict_label(summary.progress.verdict),
        "rows": [
            {
                "label": labels.get(row["key"], row["label"]),
                "verdict": row["change"].verdict,
                "verdict_label": verdict_label(row["change"].verdict),
                "text": change_text(row["change"], child=child),
            }
            for row in summary.rows
        ],
        "advice": [
            {"key": a.key, "text": advice_text(a, child=child)} for a in summary.progress.advice
        ],
        "warning_signs": [
            {"sign": tr(w["sign"]), "action": tr(w["action"]), "level": w["level"]}
            for w in summary.warning_signs
        ],
        "book": summary.progress.verdict == "worse"
        or any(a.key == "book" for a in summary.progress.advice),
        "due": summary.due,
        "streak": summary.streak,
        "pain_from_check": summary.pain_from_check,
    }


def _day(on: Any) -> str:
    from rehabit.core.timefmt import format_day

    return format_day(on)


def more_days_text(
    key: str, more: int, *, for_therapist: bool = False, for_child: bool = False
) -> str:
    """What a chart with too few days still needs, in the words of its measure (about the
    patient, ``for_therapist``; to a child's parent about their child, ``for_child``)."""
    if for_therapist:
        return _more_days_about_patient(key, more)
    if for_child:
        return _more_days_about_child(key, more)
    if key == "function":
        return ngettext(
            "This chart appears here once you have rated your activities %(n)s more time.",
            "This chart appears here once you have rated your activities %(n)s more times.",
            more,
        ) % {"n": more}
    if key == "strength":
        return ngettext(
            "This chart appears here once you have done the bridge test %(n)s more time.",
            "This chart appears here once you have done the bridge test %(n)s more times.",
            more,
        ) % {"n": more}
    return ngettext(
        "Your pain chart appears here once you have logged your pain on %(n)s more day.",
        "Your pain chart appears here once you have logged your pain on %(n)s more days.",
        more,
    ) % {"n": more}


def _more_days_about_child(key: str, more: int) -> str:
    if key == "function":
        return ngettext(
            "This chart appears here once your child's activities have been rated %(n)s more time.",
            "This chart appears here once your child's activities have been rated %(n)s more "
            "times.",
            more,
        ) % {"n": more}
    if key == "strength":
        return ngettext(
            "This chart appears here once your child has done the bridge test %(n)s more time.",
            "This chart appears here once your child has done the bridge test %(n)s more times.",
            more,
        ) % {"n": more}
    return ngettext(
        "Your child's pain chart appears here once you have logged their pain on %(n)s more day.",
        "Your child's pain chart appears here once you have logged their pain on %(n)s more days.",
        more,
    ) % {"n": more}


def _more_days_about_patient(key: str, more: int) -> str:
    if key == "function":
        return ngettext(
            "This chart appears here once the patient has rated their activities %(n)s more time.",
            "This chart appears here once the patient has rated their activities %(n)s more times.",
            more,
        ) % {"n": more}
    if key == "strength":
        return ngettext(
            "This chart appears here once the patient has done the bridge test %(n)s more time.",
            "This chart appears here once the patient has done the bridge test %(n)s more times.",
            more,
        ) % {"n": more}
    return ngettext(
        "The pain chart appears here once the patient has logged their pain on %(n)s more day.",
        "The pain chart appears here once the patient has logged their pain on %(n)s more days.",
        more,
    ) % {"n": more}


def chart_blocks(
    trend: Trend,
    *,
    id_prefix: str = "chart",
    labelled: bool = True,
    for_therapist: bool = False,
    for_child: bool = False,
) -> list[dict[str, Any]]:
    """Each chart with data: its SVG and the same data as table rows (day by day). A chart
    with scores on fewer than ``CHART_MIN_DAYS`` days is not drawn: its block says instead
    what it still needs (``more_days``, ``more_text``). ``for_therapist``: read by someone
    other than the patient (a therapist, an admin), so the titles and captions speak of the
    patient in the third person; ``for_child``: read by a child's parent, so they speak of
    their child."""
    titles = _labels(for_therapist, for_child)
    blocks = []
    for chart in trend.charts:
        series = [s for s in chart.series if s.points]
        if not series:
            continue
        if chart.key in titles:
            chart = replace(chart, title=titles[chart.key])
        days = sorted({p.on for s in series for p in s.points})
        more = max(0, CHART_MIN_DAYS - len(days))
        block: dict[str, Any] = {
            "key": chart.key,
            "title": chart.title,
            "columns": [s.label for s in series],
            "rows": _table_rows(series, days, trend.markers),
            "more_days": more,
            "more_text": more_days_text(
                chart.key, more, for_therapist=for_therapist, for_child=for_child
            )
            if more
            else "",
            "svg": "",
            "band": "",
        }
        if not more:
            block.update(
                _drawn(
                    chart,
                    trend,
                    days,
                    chart_id=f"{id_prefix}-{chart.key}",
                    labelled=labelled,
                    for_therapist=for_therapist,
                    for_child=for_child,
                )
            )
        blocks.append(block)
    return blocks


def _table_rows(
    series: list[Series], days: list[date], markers: tuple[Marker, ...]
) -> list[dict[str, Any]]:
    values = {s.key: {p.on: p.value for p in s.points} for s in series}
    return [
        {
            "day": _day(day),
            "iso": day.isoformat(),
            # (column, value): the column's name goes with each value, for the table
            # stacked on a phone ("Worst in 24 hours: 5").
            "cells": [(s.label, score_text(values[s.key].get(day))) for s in series],
            "events": [m.label for m in markers if m.on == day],
        }
        for day in days
    ]


def _is_real_change(measure: str, start: float, score: float) -> bool:
    return compare(measure, start, score).verdict != "no_change"


def _band_sentences(for_therapist: bool, for_child: bool = False) -> dict[tuple[bool, bool], str]:
    """The band's caption by (low edge left out, high edge left out), to the patient, to a
    child's parent about their child or, on the therapist's pages, about the patient."""
    if for_child and not for_therapist:
        return {
            (True, True): _(
                "Above %(low)s and below %(high)s is no real change from your child's start "
                "(%(start)s)."
            ),
            (True, False): _(
                "Above %(low)s, up to %(high)s, is no real change from your child's start "
                "(%(start)s)."
            ),
            (False, True): _(
                "From %(low)s to below %(high)s is no real change from your child's start "
                "(%(start)s)."
            ),
            (False, False): _(
                "From %(low)s to %(high)s is no real change from your child's start (%(start)s)."
            ),
        }
    if for_therapist:
        return {
            (True, True): _(
                "Above %(low)s and below %(high)s is no real change from the patient's start "
                "(%(start)s)."
            ),
            (True, False): _(
                "Above %(low)s, up to %(high)s, is no real change from the patient's start "
                "(%(start)s)."
            ),
            (False, True): _(
                "From %(low)s to below %(high)s is no real change from the patient's start "
                "(%(start)s)."
            ),
            (False, False): _(
                "From %(low)s to %(high)s is no real change from the patient's start (%(start)s)."
            ),
        }
    return {
        (True, True): _(
            "Above %(low)s and below %(high)s is no real change from your start (%(start)s)."
        ),
        (True, False): _(
            "Above %(low)s, up to %(high)s, is no real change from your start (%(start)s)."
        ),
        (False, True): _(
            "From %(low)s to below %(high)s is no real change from your start (%(start)s)."
        ),
        (False, False): _(
            "From %(low)s to %(high)s is no real change from your start (%(start)s)."
        ),
    }


def _start_from_check(for_therapist: bool, for_child: bool) -> str:
    """Where the pain chart's start came from when it is not a diary entry: the worst pain
    the check asked about (the table beside the chart has only the diary's days)."""
    if for_therapist:
        return _("The start is the worst pain in 24 hours the patient gave in their check.")
    if for_child:
        return _("The start is the worst pain in 24 hours you gave in your child's check.")
    return _("The start is the worst pain in 24 hours you gave in your check.")


def band_text(chart: Chart, *, for_therapist: bool = False, for_child: bool = False) -> str:
    """The no-real-change band in words, each edge left out when reaching it is a real
    change (the verdict's own rule decides), kept in when it is the end of the scale."""
    band = chart.band
    if band is None:
        return ""
    measure = MEASURE_OF_CHART[chart.key]
    values = {
        "low": score_text(band.low),
        "high": score_text(band.high),
        "start": score_text(band.start),
    }
    edges = (
        _is_real_change(measure, band.start, band.low),
        _is_real_change(measure, band.start, band.high),
    )
    said = _band_sentences(for_therapist, for_child)[edges] % values
    if band.from_check:
        said += " " + _start_from_check(for_therapist, for_child)
    return said


def _drawn(
    chart: Chart,
    trend: Trend,
    days: list[date],
    *,
    chart_id: str,
    labelled: bool = True,
    for_therapist: bool = False,
    for_child: bool = False,
) -> dict[str, str]:
    """The chart's SVG and the caption of its no-real-change band. Its text alternative
    says what the picture does: the days it covers, the band, where a line breaks for a
    long time without a rating; the table beside it has every number."""
    band = band_text(chart, for_therapist=for_therapist, for_child=for_child)
    span = _("%(title)s from %(first)s to %(last)s.") % {
        "title": chart.title,
        "first": _day(days[0]),
        "last": _day(days[-1]),
    }
    table = _("The table beside the chart has the same numbers.")
    description = " ".join(part for part in (span, band, *gap_sentences(chart), table) if part)
    svg = render_chart(
        chart,
        trend.markers,
        start=trend.start,
        end=trend.end,
        chart_id=chart_id,
        description=description,
        labelled=labelled,
    )
    return {"svg": svg, "band": band}


def gap_sentences(chart: Chart) -> list[str]:
    """Each break in the chart's lines (a long time without a rating, ``Series.gaps``), in
    words: once for a break every line has, with the line's name for one only some have."""
    drawn = [s for s in chart.series if s.points]
    if not drawn:
        return []
    common = set(drawn[0].gaps).intersection(*(s.gaps for s in drawn[1:]))
    sentences = [
        _("Nothing was recorded between %(first)s and %(last)s, so the line breaks there.")
        % {"first": _day(first), "last": _day(last)}
        for first, last in sorted(common)
    ]
    for series in drawn:
        sentences += [
            _(
                "%(line)s: nothing was recorded between %(first)s and %(last)s, so the line "
                "breaks there."
            )
            % {"line": series.label, "first": _day(first), "last": _day(last)}
            for first, last in series.gaps
            if (first, last) not in common
        ]
    return sentences


def event_rows(trend: Trend) -> list[dict[str, str]]:
    return [{"day": _day(m.on), "label": m.label} for m in trend.markers]


def score_text(value: Any) -> str:
    """A score as every page, table, chart text and the report show it: the core's one
    rule (``shown_score``: one decimal, halves rounded up, "4" not "4.0"), so the table
    says 7.3 where the verdict does; a dash when there is none."""
    if value is None:
        return "—"
    return shown_score(float(value))


def zone_name() -> str:
    """The zone days and times are shown in, named as people read it."""
    return current_zone_name()
