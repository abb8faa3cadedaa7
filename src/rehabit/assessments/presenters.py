"""Turn the clinical core's objects and stored results into what pages and the API show."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import cache
from json.encoder import encode_basestring_ascii
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rehabit.clinical import load_questionnaire
from rehabit.clinical.child_wording import is_child
from rehabit.clinical.differential import shown_first
from rehabit.clinical.triage import in_child_words, within_two_days
from rehabit.core.timefmt import current_zone_name
from rehabit.education.content import load_condition_pages


@cache
def questionnaire_as_dict() -> dict[str, Any]:
    return load_questionnaire().to_dict()


def result_context(assessment: Any) -> dict[str, Any]:
    result = assessment.result
    pages = load_condition_pages()
    causes = [{**cause, "page": cause["id"] in pages} for cause in result["causes"]]
    top = shown_first(causes)
    questions = load_questionnaire().questions
    age = (assessment.answers or {}).get("age")
    return {
        "assessment": assessment,
        "result": result,
        "created_at": assessment.created_at,
        "zone_name": current_zone_name(),
        "for_child": is_child(age),
        # A child's result made before triage spoke of the child ("See a doctor today",
        # "You limp when you walk."): its page still says that "you" means the child.
        "you_means_child": is_child(age) and not in_child_words(result["disposition"]),
        "within_two_days": within_two_days(result["disposition"]),
        "top_box": top_box(result),
        "top_causes": top,
        "other_causes": causes[len(top) :],
        "unanswered": [
            questions[q].worded_for(age).text for q in result["unanswered"] if q in questions
        ],
    }


def top_box(result: Mapping[str, Any]) -> dict[str, list[str]]:
    """What the result's top box shows, each thing once, from the stored sentences.

    ``warning_signs``: each warning sign as it was told (``RedFlag.as_told``: the case that
    held, a parent's words about their child), once. The stored reasons begin with the same
    labels (triage.decide); they are shown here, beside the advice, and nowhere else on the
    page. ``reasons``: the other reasons for the level. ``advice``: "What to do now", as
    stored, each line once. (Since 2026-12-07 a sign's own advice stands in the level's
    action in the core, triage_words.ACTION_REST; a result stored before shows both, as stored.)
    """
    disposition = result["disposition"]
    flags = result.get("red_flags") or []
    signs = list(dict.fromkeys(f["label"] for f in flags))
    told = set(signs)
    reasons = [r for r in disposition["reasons"] if r not in told]
    advice = list(dict.fromkeys(disposition["advice"]))
    return {"warning_signs": signs, "reasons": reasons, "advice": advice}


def answer_rows(answers: Mapping[str, Any]) -> list[dict[str, str]]:
    """Each answered question with the answer in words, in questionnaire order."""
    rows = []
    for section in load_questionnaire().sections:
        for asked in section.questions:
            if asked.id not in answers:
                continue
            question = asked.worded_for(answers.get("age"))
            value = answers[question.id]
            labels = {o.value: o.label for o in question.options}
            if isinstance(value, list):
                text = ", ".join(_(labels.get(v, v)) for v in value)
            elif question.options:
                text = _(labels.get(str(value), str(value)))
            else:
                text = _with_unit(value, question.unit)
            rows.append({"question": question.text, "answer": text})
    return rows


# The questionnaire's units (its integer questions'), singular and plural.
_UNITS = {"days": ("%(n)d day", "%(n)d days"), "years": ("%(n)d year", "%(n)d years")}


def _with_unit(value: Any, unit: str | None) -> str:
    """A number with its unit, singular or plural as the reader's language says ("1 day")."""
    forms = _UNITS.get(unit or "")
    if forms is not None and isinstance(value, int):
        return ngettext(forms[0], forms[1], value) % {"n": value}
    return f"{value} {_(unit)}" if unit else str(value)


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
            if "for_a_child" in section:  # the heading and intro a child's parent reads
                out["for_a_child"] = {k: tr(v) for k, v in section["for_a_child"].items()}
            questions = []
            for question in section["questions"]:
                q = {**question, "text": tr(question["text"])}
                for key in ("help", "unit"):
                    if key in q:
                        q[key] = tr(q[key])
                if "for_a_child" in q:
                    q["for_a_child"] = _child_wording_in(q["for_a_child"], tr)
                if "options" in q:
                    q["options"] = [{**o, "label": tr(o["label"])} for o in q["options"]]
                questions.append(q)
            out["questions"] = questions
            sections.append(out)
    return {**questionnaire_as_dict(), "sections": sections}


def _child_wording_in(child: Mapping[str, Any], tr: Callable[[str], str]) -> dict[str, Any]:
    """A question's ``for_a_child`` through ``tr``: its text, help and option labels."""
    out: dict[str, Any] = {k: tr(v) for k, v in child.items() if k != "options"}
    if "options" in child:
        out["options"] = {value: tr(label) for value, label in child["options"].items()}
    return out


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


# --- The API's answer as JSON text, without the intermediate dictionary (issue 10) -------

_encoded: dict[str, dict[object, str]] = {}
# Per language, (cause id, name) -> the start of a cause without reasons, up to its number.
_plain_causes: dict[str, dict[tuple[Any, str], str]] = {}
_PLAIN_TAIL = ', "why_for": [], "why_against": [], "red_flag": false}'
_INFINITY = float("inf")


def _fragment(value: Any) -> str:
    """``value`` as ``json.dumps(..., cls=NinjaJSONEncoder)`` writes it inside a document
    (the same text at any depth: default separators, ASCII escapes)."""
    if type(value) is str:
        return encode_basestring_ascii(value)  # type: ignore[no-any-return]
    from ninja.responses import NinjaJSONEncoder

    return json.dumps(value, cls=NinjaJSONEncoder)


def _number(value: Any) -> str:
    """``float(value)`` as the JSON encoder writes a float (``repr``; NaN and infinities
    as ``NaN``, ``Infinity``, ``-Infinity``)."""
    number = float(value)
    if number != number:
        return "NaN"
    if number == _INFINITY:
        return "Infinity"
    if number == -_INFINITY:
        return "-Infinity"
    return float.__repr__(number)


def _sentence_encoder(language: str) -> Callable[[Any], str]:
    """A sentence translated into ``language`` (``_translator``) and encoded as a JSON
    string, remembered per sentence like the translation itself."""
    memo = _encoded.setdefault(language, {})
    tr = _translator(language)

    def enc(text: Any) -> str:
        if type(text) is not str:  # not a sentence: as result_out would give it
            return _fragment(tr(text))
        found = memo.get(text)
        if found is None:
            found = memo[text] = _fragment(tr(text))
        return found

    return enc


def _array(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]" if items else "[]"


def result_json(assessment: Any, result: Mapping[str, Any] | None = None) -> str:
    """``json.dumps(result_out(assessment, result), cls=NinjaJSONEncoder)``, character for
    character, written directly: each sentence's translation is encoded once per process
    and language, and no intermediate dictionary is built (the API's answer to every
    assessment POST and GET)."""
    from django.utils import translation

    language = translation.get_language() or ""
    enc = _sentence_encoder(language)
    frag = _fragment
    result = assessment.result if result is None else result
    disposition = result["disposition"]
    confidence = result["confidence"]
    flags = [
        f'{{"id": {frag(f["id"])}, "label": {enc(f["label"])}, '
        f'"disposition": {frag(f["disposition"])}, "advice": {enc(f["advice"])}}}'
        for f in result["red_flags"]
    ]
    causes = []
    plain = _plain_causes.setdefault(language, {})
    for c in result["causes"]:
        cid, name, probability = c["id"], c["name"], c["probability"]
        why_for, why_against, flagged = c["why_for"], c["why_against"], c["red_flag"]
        if type(probability) is float and probability - probability == 0.0:  # finite
            number = float.__repr__(probability)
        else:
            number = _number(probability)
        if why_for == [] and why_against == [] and not flagged and type(cid) is type(name) is str:
            # Most causes: no reasons, no warning sign; all but the number written once.
            head = plain.get((cid, name))
            if head is None:
                head = plain[(cid, name)] = (
                    f'{{"id": {frag(cid)}, "name": {enc(name)}, "probability": '
                )
            causes.append(head + number + _PLAIN_TAIL)
            continue
        pro = _array([enc(t) for t in why_for])
        con = _array([enc(t) for t in why_against])
        causes.append(
            f'{{"id": {frag(cid)}, "name": {enc(name)}, "probability": {number}, '
            f'"why_for": {pro}, "why_against": {con}, '
            f'"red_flag": {"true" if flagged else "false"}}}'
        )
    reasons = _array([enc(t) for t in disposition["reasons"]])
    advice = _array([enc(t) for t in disposition["advice"]])
    unanswered = _array([frag(q) for q in result["unanswered"]])
    return (
        f'{{"id": {encode_basestring_ascii(str(assessment.id))}, '
        f'"created_at": {encode_basestring_ascii(assessment.created_at.isoformat())}, '
        f'"questionnaire_version": {frag(result["questionnaire_version"])}, '
        f'"disposition": {{"level": {frag(disposition["level"])}, '
        f'"headline": {enc(disposition["headline"])}, "reasons": {reasons}, '
        f'"advice": {advice}}}, "red_flags": {_array(flags)}, "causes": {_array(causes)}, '
        f'"confidence": {{"level": {frag(confidence["level"])}, '
        f'"score": {_number(confidence["score"])}, '
        f'"explanation": {enc(confidence["explanation"])}}}, "unanswered": {unanswered}}}'
    )
