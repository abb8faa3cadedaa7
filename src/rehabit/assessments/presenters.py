"""Turn the clinical core's objects and stored results into what pages and the API show."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from rehabit.clinical import load_questionnaire
from rehabit.education.content import load_condition_pages

TOP_CAUSES = 3


@cache
def questionnaire_as_dict() -> dict[str, Any]:
    return load_questionnaire().to_dict()


def result_context(assessment: Any) -> dict[str, Any]:
    result = assessment.result
    pages = load_condition_pages()
    causes = [{**cause, "page": cause["id"] in pages} for cause in result["causes"]]
    questions = load_questionnaire().questions
    return {
        "assessment": assessment,
        "result": result,
        "created_at": assessment.created_at,
        "zone_name": timezone.get_current_timezone_name(),
        "top_causes": causes[:TOP_CAUSES],
        "other_causes": causes[TOP_CAUSES:],
        "unanswered": [questions[q].text for q in result["unanswered"] if q in questions],
    }


def answer_rows(answers: Mapping[str, Any]) -> list[dict[str, str]]:
    """Each answered question with the answer in words, in questionnaire order."""
    rows = []
    for section in load_questionnaire().sections:
        for question in section.questions:
            if question.id not in answers:
                continue
            value = answers[question.id]
            labels = {o.value: o.label for o in question.options}
            if isinstance(value, list):
                text = ", ".join(_(labels.get(v, v)) for v in value)
            elif question.options:
                text = _(labels.get(str(value), str(value)))
            else:
                text = f"{value} {_(question.unit)}" if question.unit else str(value)
            rows.append({"question": question.text, "answer": text})
    return rows


# --- In the reader's language (the API): the stored sentences are English message ids ---

_translated: dict[str, dict[str, str]] = {}


def _translator(language: str) -> Any:
    """gettext for ``language``, remembered per sentence (translations do not change while
    the process runs; a result has about a hundred sentences)."""
    memo = _translated.setdefault(language, {})

    def tr(text: str) -> str:
        found = memo.get(text)
        if found is None:
            found = memo[text] = _(text) if text else text
        return found

    return tr


def localized_questionnaire(language: str) -> dict[str, Any]:
    """The questionnaire (``questionnaire_as_dict``) with its words in ``language``."""
    from django.utils import translation

    with translation.override(language):
        tr = _translator(translation.get_language())
        sections = []
        for section in questionnaire_as_dict()["sections"]:
            out = {**section, "title": tr(section["title"])}
            if "intro" in section:
                out["intro"] = tr(section["intro"])
            questions = []
            for question in section["questions"]:
                q = {**question, "text": tr(question["text"])}
                for key in ("help", "unit"):
                    if key in q:
                        q[key] = tr(q[key])
                if "options" in q:
                    q["options"] = [{**o, "label": tr(o["label"])} for o in q["options"]]
                questions.append(q)
            out["questions"] = questions
            sections.append(out)
    return {**questionnaire_as_dict(), "sections": sections}


def result_out(assessment: Any, result: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A stored assessment as the API shows it (``AssessmentOut``, fields in its order),
    in the active language."""
    from django.utils import translation

    tr = _translator(translation.get_language() or "")
    result = assessment.result if result is None else result
    disposition = result["disposition"]
    confidence = result["confidence"]
    return {
        "id": str(assessment.id),
        "created_at": assessment.created_at.isoformat(),
        "questionnaire_version": result["questionnaire_version"],
        "disposition": {
            "level": disposition["level"],
            "headline": tr(disposition["headline"]),
            "reasons": [tr(t) for t in disposition["reasons"]],
            "advice": [tr(t) for t in disposition["advice"]],
        },
        "red_flags": [
            {
                "id": f["id"],
                "label": tr(f["label"]),
                "disposition": f["disposition"],
                "advice": tr(f["advice"]),
            }
            for f in result["red_flags"]
        ],
        "causes": [
            {
                "id": c["id"],
                "name": tr(c["name"]),
                "probability": float(c["probability"]),
                "why_for": [tr(t) for t in c["why_for"]],
                "why_against": [tr(t) for t in c["why_against"]],
                "red_flag": bool(c["red_flag"]),
            }
            for c in result["causes"]
        ],
        "confidence": {
            "level": confidence["level"],
            "score": float(confidence["score"]),
            "explanation": tr(confidence["explanation"]),
        },
        "unanswered": list(result["unanswered"]),
    }
