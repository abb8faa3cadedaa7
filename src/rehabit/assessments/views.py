"""Pages of the self-assessment: start, one page per section, result, printable result."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from rehabit.assessments import wizard
from rehabit.assessments.presenters import answer_rows, result_context
from rehabit.assessments.selectors import readable_assessment
from rehabit.assessments.services import record_assessment
from rehabit.clinical import AnswerErrors, load_questionnaire

SESSION_RESULTS_KEY = "assessment_ids"
ERRORS_KEY = "assessment_errors"


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    questionnaire = load_questionnaire()
    if request.method == "POST":
        if request.POST.get("action") == "restart":
            wizard.clear_draft(request.session)
        return redirect("assessments:step", section_id=questionnaire.sections[0].id)
    draft = wizard.load_draft(request.session)
    return render(
        request,
        "assessments/start.html",
        {"sections": questionnaire.sections, "has_draft": bool(draft.answers)},
    )


@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, section_id: str) -> HttpResponse:
    index = wizard.section_index(section_id)
    if index is None:
        raise Http404("No such step.")
    sections = wizard.sections()
    section = sections[index]
    draft = wizard.load_draft(request.session)
    errors: dict[str, list[str]] = request.session.pop(ERRORS_KEY, None) or {}

    if request.method == "POST":
        action = request.POST.get("action", "next")
        answers, raw, errors = wizard.parse_step(section, request.POST, draft)
        draft.answers, draft.raw = dict(answers), raw
        if action == "back":
            # Going back never loses what was typed, valid or not.
            wizard.save_draft(request.session, draft)
            target = sections[max(index - 1, 0)].id
            return redirect("assessments:step", section_id=target)
        for qid, messages in wizard.step_errors(section, answers).items():
            errors.setdefault(qid, messages)
        wizard.save_draft(request.session, draft)
        if not errors:
            if index + 1 < len(sections):
                return redirect("assessments:step", section_id=sections[index + 1].id)
            return _finish(request, draft)

    return render(
        request,
        "assessments/step.html",
        _step_context(section, index, sections, draft, errors),
        status=422 if errors and request.method == "POST" else 200,
    )


def _finish(request: HttpRequest, draft: wizard.Draft) -> HttpResponse:
    answers = wizard.prune(draft.answers)
    try:
        assessment = record_assessment(answers, owner=request.user)
    except AnswerErrors as exc:
        request.session[ERRORS_KEY] = exc.errors
        return redirect("assessments:step", section_id=wizard.first_section_with_errors(exc.errors))
    wizard.clear_draft(request.session)
    if assessment.owner_id is None:  # signed out: claimed on sign-up or sign-in later
        mine = request.session.get(SESSION_RESULTS_KEY, [])
        request.session[SESSION_RESULTS_KEY] = [*mine, str(assessment.id)][-20:]
    return redirect("assessments:result", assessment_id=assessment.id)


def _step_context(
    section: Any,
    index: int,
    sections: Any,
    draft: wizard.Draft,
    errors: dict[str, list[str]],
) -> dict[str, Any]:
    questionnaire = load_questionnaire()
    questions = []
    for question in wizard.visible_questions(section, draft.answers):
        value = draft.answers.get(question.id)
        questions.append(
            {
                "q": question,
                "value": value,
                "values": value if isinstance(value, list) else [value],
                "raw": draft.raw.get(question.id, "" if value is None else str(value)),
                "errors": errors.get(question.id, []),
                "scale": [str(n) for n in range(11)] if question.type == "scale" else [],
                "condition": (
                    wizard.condition_hint(questionnaire, question)
                    if wizard.same_section_refs(section, question)
                    else None
                ),
            }
        )
    return {
        "section": section,
        "questions": questions,
        "errors": errors,
        "error_count": sum(len(m) for m in errors.values()),
        "index": index,
        "number": index + 1,
        "total": len(sections),
        "sections": sections,
        "is_last": index + 1 == len(sections),
        "version": questionnaire.version,
    }


def _get_or_404(request: HttpRequest, assessment_id: UUID) -> Any:
    assessment = readable_assessment(request, assessment_id)
    if assessment is None:
        raise Http404("No such result.")
    return assessment


@require_GET
def result(request: HttpRequest, assessment_id: UUID) -> HttpResponse:
    assessment = _get_or_404(request, assessment_id)
    return render(request, "assessments/result.html", result_context(assessment))


@require_GET
def result_print(request: HttpRequest, assessment_id: UUID) -> HttpResponse:
    assessment = _get_or_404(request, assessment_id)
    context = result_context(assessment)
    context["answer_rows"] = answer_rows(assessment.answers)
    context["printable"] = True
    return render(request, "assessments/print.html", context)
