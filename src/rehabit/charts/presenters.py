"""The intake summary (``rehabit.clinical.intake``) in the reader's language: each
``Text`` translated (``gettext``/``ngettext`` on its English message), its parameters
filled in, dates in the active locale's format."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext

from rehabit.clinical.intake import IntakeSummary
from rehabit.clinical.intake_impression import FLAG_LEVELS
from rehabit.clinical.phrases import Param, Text, verbatim


def render(text: Text) -> str:
    if text.verbatim:
        return gettext(text.message) if text.message else ""
    if text.plural is not None and text.count is not None:
        template = ngettext(text.message, text.plural, text.count)
    else:
        template = gettext(text.message) if text.message else ""
    params = {key: _param(value) for key, value in text.params.items()}
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):  # a broken translation: the English text
        return text.english()


def _param(value: Param) -> str:
    if isinstance(value, Text):
        return render(value)
    if isinstance(value, date):
        from rehabit.core.timefmt import format_date

        return format_date(value)  # the site's one format (rehabit.core.timefmt)
    return str(value)


def sentence(text: Text) -> str:
    return str(capfirst(render(text)))


def intake_context(summary: IntakeSummary) -> dict[str, Any]:
    """Everything the chart, the note templates and the API show of the intake."""

    def screened(items: Any) -> list[dict[str, str]]:
        return [
            {
                "id": s.question_id,
                "label": sentence(s.label),
                "status": s.status,
                "answer": render(s.answer),
            }
            for s in items
        ]

    return {
        "narrative": [sentence(t) for t in summary.narrative],
        "facts": [{"label": sentence(f.label), "value": render(f.value)} for f in summary.facts],
        "screening": screened(summary.screening),
        "history": screened(summary.history),
        "symptoms": [
            {"label": sentence(f.label), "value": render(f.value)} for f in summary.symptoms
        ],
        "self_tests": [
            {"label": sentence(f.label), "value": render(f.value)} for f in summary.self_tests
        ],
        "disposition_level": summary.disposition_level,
        "disposition": sentence(summary.disposition),
        "flags": [
            {
                "id": f.id,
                "level": f.level,
                "level_label": render(FLAG_LEVELS.get(f.level) or verbatim(f.level)),
                "unsure": f.unsure,
                "text": sentence(f.text),
                "condition": render(f.condition) if f.condition is not None else "",
            }
            for f in summary.flags
        ],
        "causes": [
            {
                "id": c.id,
                "name": sentence(c.name),
                "probability": c.probability,
                "linked_to_flag": c.linked_to_flag,
                "weighs_for": [render(t) for t in c.weighs_for],
                "weighs_against": [render(t) for t in c.weighs_against],
            }
            for c in summary.causes
        ],
        "child": summary.child,
        "questionnaire_version": summary.questionnaire_version,
        "assessed_on": summary.assessed_on,
        "onset_date": summary.onset_date,
        "age": summary.age,
        "sex": summary.sex,
        "side": summary.side,
    }
