import json
from functools import lru_cache
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.responses import NinjaJSONEncoder
from ninja.utils import check_csrf
from pydantic import Field

from rehabit.api.schemas import (
    MessageOut,
    NotFoundOut,
    RateLimitedOut,
    ValidationErrorOut,
    too_many,
    validation_error_body,
)
from rehabit.assessments.presenters import localized_questionnaire, result_json
from rehabit.assessments.selectors import readable_assessment
from rehabit.assessments.services import record_assessment
from rehabit.clinical import AnswerErrors, load_questionnaire
from rehabit.clinical.upgrade import RETIRED, current_answers
from rehabit.core.caching import etag_of, public_bytes
from rehabit.core.lean import API_PREFIX, serve_public, serve_public_post
from rehabit.core.rate_limits import RateLimited, count_assessment

JSON = "application/json; charset=utf-8"

router = Router(tags=["assessment"])


class OptionOut(Schema):
    value: str
    label: str


class ChildWordingOut(Schema):
    text: str | None = None
    help: str | None = None
    options: dict[str, str] | None = Field(
        None,
        description="Option value -> the label to show instead, for the options whose label "
        'speaks of the person ("Yes, but I limp" -> "Yes, but my child limps"); the other '
        "options keep their own label. The values, and what they mean, stay the same.",
    )


class QuestionOut(Schema):
    id: str
    text: str
    help: str | None = None
    for_a_child: ChildWordingOut | None = Field(
        None,
        description="The wording to show instead when the age answered is under 16 (a "
        "parent or carer answers for a child): its text, its help and some option labels, "
        "where they differ. A help given only here is shown to children's parents and to no "
        "one else.",
    )
    type: str = Field(description="integer | scale | single | multi | yes_no")
    required: bool
    min: int | None = None
    max: int | None = None
    unit: str | None = None
    options: list[OptionOut] = Field(default_factory=list)
    exclusive: list[str] = Field(default_factory=list)
    show_if: dict[str, Any] | None = Field(
        None,
        description=(
            "Skip logic: the question applies (may be answered, and must be when required) "
            "only when this rule is true. Rules: {q, in}, {q, all_of}, {q, gte}, {q, lte}, "
            "{q, answered}, {all: [...]}, {any: [...]}, {not: ...}. Two-valued, like FHIR "
            "enableWhen: a condition about a question with no answer is false, and all / any "
            "/ not combine plain true and false. A reference implementation in JavaScript is "
            "at /static/assessments/skip_logic.js. An answer to a question whose rule is false "
            "is refused with 422."
        ),
    )
    ask: str = Field(
        "always",
        description="always | when_useful: the guided pages ask a when_useful question only "
        "when one of its answers could change the advice or the likely causes. It is always "
        "optional, and the API accepts it whenever its show_if holds.",
    )
    loads_the_leg: bool = Field(
        False,
        description="A self-test that puts load or a strong stretch on the leg. The guided "
        "pages do not ask it once a warning sign (red flag) of urgent or emergency level has "
        "fired; a client that guides people should do the same. The API still accepts it.",
    )
    asked_first: bool = Field(
        False,
        description="A screening question the guided pages ask on a page of its own, with "
        "the questions that depend on it on the next page, before the rest of its section "
        "(the cauda equina screening: a yes leads straight to its items, any of which can be "
        "an emergency). A client that pages the check should do the same.",
    )


class SectionChildWordingOut(Schema):
    title: str | None = None
    intro: str | None = None


class SectionOut(Schema):
    id: str
    title: str
    intro: str | None = None
    for_a_child: SectionChildWordingOut | None = Field(
        None,
        description="The heading and intro to show instead once the age answered is under 16 "
        '(a parent or carer answers for a child), where they differ ("Your child\'s pain"). '
        "Before the age is known, show the section's own.",
    )
    questions: list[QuestionOut]


class QuestionnaireOut(Schema):
    version: str
    sections: list[SectionOut]


class AssessmentIn(Schema):
    answers: dict[str, Any] = Field(
        description="Question id -> value: a whole number, an option value, or a list of "
        "option values for multiple-choice questions."
    )
    questionnaire_version: str | None = Field(
        None,
        description="The questionnaire version the answers were given to (the `version` of "
        "GET /assessment/questionnaire); by default the current one. Answers to an earlier "
        "version are read in the current questions (a client that cached the questionnaire "
        "keeps working) and stored as read; an unknown version is refused with 422.",
    )


class DispositionOut(Schema):
    level: str = Field(description="emergency | urgent | soon | self_care")
    headline: str
    reasons: list[str]
    advice: list[str]


class RedFlagOut(Schema):
    id: str
    label: str
    disposition: str
    advice: str


class CauseOut(Schema):
    id: str
    name: str
    probability: float
    why_for: list[str]
    why_against: list[str]
    red_flag: bool


class ConfidenceOut(Schema):
    level: str
    score: float
    explanation: str


class AssessmentOut(Schema):
    id: UUID
    created_at: str
    questionnaire_version: str
    disposition: DispositionOut
    red_flags: list[RedFlagOut]
    causes: list[CauseOut]
    confidence: ConfidenceOut
    unanswered: list[str]


def _result(status: int, assessment: Any) -> HttpResponse:
    """An assessment in ``AssessmentOut``'s shape (``result_out``), encoded as django-ninja
    encodes it (its schema validation of every field is skipped: ``result_out`` builds
    exactly that; ``result_json`` writes that dictionary's JSON text directly)."""
    return HttpResponse(result_json(assessment).encode(), status=status, content_type=JSON)


@lru_cache(maxsize=32)
def questionnaire_bytes(version: str, language: str) -> tuple[bytes, str]:
    """The questionnaire as the API sends it, in ``language``, and its ETag: built once
    per questionnaire version and language (validated against ``QuestionnaireOut`` then)."""
    data = QuestionnaireOut.model_validate(localized_questionnaire(language)).model_dump()
    body = json.dumps(data, cls=NinjaJSONEncoder).encode()
    return body, etag_of(body)


@router.get(
    "/assessment/questionnaire",
    response=QuestionnaireOut,
    summary="The whole questionnaire",
)
def get_questionnaire(request: HttpRequest) -> HttpResponse:
    """Sections and questions in order, with options and skip logic (`show_if`, two-valued:
    a condition about an unanswered question is false; see the field's description), in
    the reader's language. The same for everyone: public, cacheable, with an `ETag`; send
    it back in `If-None-Match` to get `304 Not Modified` while the questionnaire has not
    changed."""
    return questionnaire_answer(request)


def questionnaire_answer(request: HttpRequest) -> HttpResponse:
    """The questionnaire's bytes in the reader's language, or 304 (also served on the
    short path for anonymous readers: ``rehabit.core.lean.serve_public``)."""
    body, etag = questionnaire_bytes(load_questionnaire().version, translation.get_language())
    return public_bytes(request, body, etag, content_type=JSON)


serve_public(API_PREFIX + "assessment/questionnaire", questionnaire_answer)


@router.post(
    "/assessments",
    response={
        201: AssessmentOut,
        400: MessageOut,
        403: MessageOut,
        422: ValidationErrorOut,
        429: RateLimitedOut,
    },
    summary="Run and store a self-assessment",
)
def create_assessment(
    request: HttpRequest, payload: AssessmentIn
) -> Status[dict[str, Any]] | HttpResponse:
    """Validates every answer against the questionnaire; on success stores the result under
    an unguessable id. Red flags decide the disposition first; causes come ranked by
    probability (causes linked to a red flag first), each with the answers for and against.
    Signed in (session cookie, with the CSRF header), the result belongs to the account.
    The sentences are in the reader's language. New assessments are limited per client
    network and per signed-in person (429 with `retry_after` and `Retry-After`; answers
    refused with 422 are not counted)."""
    owner = None
    if request.user.is_authenticated:
        # Signed in by the session cookie: the result becomes theirs, so the write must
        # carry the CSRF token like every other signed-in write.
        if check_csrf(request) is not None:
            return Status(403, {"detail": "CSRF check failed: send the X-CSRFToken header."})
        owner = request.user
    answers = payload.answers
    version = payload.questionnaire_version
    if version is not None and version != load_questionnaire().version:
        try:
            answers = current_answers(version, answers)
        except ValueError:
            message = _(
                "Unknown questionnaire version '%(version)s'. The current one is %(current)s."
            )
            said = message % {"version": version, "current": load_questionnaire().version}
            return Status(422, validation_error_body({"questionnaire_version": [said]}, ["body"]))
    try:
        assessment = record_assessment(
            answers, owner=owner, admit=lambda: count_assessment(request)
        )
    except AnswerErrors as exc:
        errors = exc.errors if version is not None else _name_retired(exc.errors)
        return Status(422, validation_error_body(errors, ["body", "answers"]))
    return _result(201, assessment)


def _name_retired(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """An unknown question that an earlier questionnaire asked says which one, and how to
    send its answers (a client that cached the questionnaire before an upgrade)."""
    out = dict(errors)
    for qid, version in RETIRED.items():
        if qid in out:
            message = _(
                "Unknown question '%(question)s': questionnaire %(version)s asked it. Send "
                '"questionnaire_version": "%(version)s" with answers to that version, or '
                "answer the current questionnaire (%(current)s)."
            )
            said = {"question": qid, "version": version, "current": load_questionnaire().version}
            out[qid] = [message % said]
    return out


def anonymous_assessment(request: HttpRequest) -> HttpResponse | None:
    """``create_assessment`` for an anonymous caller on the short path
    (``rehabit.core.lean.serve_public_post``): the same row and the same answer, without
    the API framework's parsing. A body that is not JSON ``{"answers": {...}}``, or answers
    the clinical core refuses, is left to ``create_assessment`` (None), which says why."""
    if request.content_type != "application/json":
        return None
    try:
        body = json.loads(request.body)
    except ValueError:
        return None
    answers = body.get("answers") if type(body) is dict else None
    if type(answers) is not dict or "questionnaire_version" in body:
        return None  # an earlier version's answers are read by ``create_assessment``
    try:
        assessment = record_assessment(answers, admit=lambda: count_assessment(request))
    except AnswerErrors:
        return None
    except RateLimited as refused:
        return too_many(refused)
    return _result(201, assessment)


serve_public_post(API_PREFIX + "assessments", anonymous_assessment)


@router.get(
    "/assessments/{assessment_id}",
    response={200: AssessmentOut, 404: NotFoundOut, 422: ValidationErrorOut},
    summary="A stored assessment result",
)
def get_assessment(
    request: HttpRequest, assessment_id: UUID
) -> Status[dict[str, Any]] | HttpResponse:
    """The result as it was given, its sentences in the reader's language."""
    assessment = readable_assessment(request, assessment_id)
    if assessment is None:
        return Status(404, {"detail": "No assessment with this id."})
    return _result(200, assessment)
