"""Pages of the self-assessment: start, one page per section, result, printable result."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from rehabit.assessments import wizard
from rehabit.assessments.presenters import answer_rows, result_context
from rehabit.assessments.selectors import readable_assessment
from rehabit.assessments.services import record_assessment
from rehabit.clinical import AnswerErrors, load_questionnaire
from rehabit.clinical.child_wording import is_child
from rehabit.clinical.flow import TYPICAL_MINUTES, TYPICAL_QUESTIONS
from rehabit.core.rate_limits import RateLimited, count_assessment
from rehabit.core.views import too_many_requests, with_retry_after

SESSION_RESULTS_KEY = "assessment_ids"
ERRORS_KEY = "assessment_errors"
RESUME_KEY = "assessment_resume"
# The check this browser finished last (its id), until another is started: a step of it
# opened again (the Back button from the result) says so, not an empty check.
FINISHED_KEY = "assessment_finished"


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        draft = wizard.load_draft(request.session)
        if request.POST.get("action") == "restart" or not draft.answers:
            wizard.clear_draft(request.session)
            request.session.pop(FINISHED_KEY, None)
            return redirect("assessments:step", page_id=wizard.pages()[0].id)
        return redirect("assessments:step", page_id=_resume_page(draft))
    draft = wizard.load_draft(request.session)
    return render(
        request,
        "assessments/start.html",
        {
            "sections": load_questionnaire().sections,
            "has_draft": bool(draft.answers),
            "typical_questions": TYPICAL_QUESTIONS,
            "typical_minutes": TYPICAL_MINUTES,
        },
    )


def _resume_page(draft: wizard.Draft) -> str:
    """The first page with an unanswered question, for "continue where I left off"."""
    for index, page in enumerate(wizard.pages()):
        questions = wizard.shown(index, draft.answers)
        if any(q.id not in draft.answers for q in questions):
            return page.id
    return wizard.pages()[-1].id


@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, page_id: str) -> HttpResponse:
    index = wizard.page_index(page_id)
    if index is None:
        raise Http404("No such step.")
    draft = wizard.load_draft(request.session)
    finished = request.session.get(FINISHED_KEY)
    if finished and not draft.answers and request.method == "GET":
        # A step of a check already finished (Back from its result): not an empty check
        # that looks like the same one, but the way to its result or to a new check.
        return render(request, "assessments/finished.html", {"assessment_id": finished})
    if any(f.ends_check for f in wizard.stopping(draft.answers)):
        return redirect("assessments:stop")  # the check cannot go on (a child under 5)
    questions = wizard.shown(index, draft.answers)
    if not questions:  # nothing applies here (an address typed by hand, or answers changed)
        following = wizard.next_index(index, draft.answers)
        if following is None:
            return _finish(request, draft)
        return redirect("assessments:step", page_id=wizard.pages()[following].id)
    errors: dict[str, list[str]] = request.session.pop(ERRORS_KEY, None) or {}

    if request.method == "POST":
        action = request.POST.get("action", "next")
        answers, raw, errors = wizard.parse_page(questions, request.POST, draft)
        draft.answers, draft.raw = dict(answers), raw
        if action == "back":
            # Going back never loses what was typed, valid or not.
            wizard.save_draft(request.session, draft)
            previous = wizard.next_index(index, draft.answers, step=-1)
            return redirect("assessments:step", page_id=wizard.pages()[previous or 0].id)
        for qid, messages in wizard.page_errors(questions, answers).items():
            errors.setdefault(qid, messages)
        # An emergency among the answers given stops the check at once, even when other
        # questions of the page are still unanswered (or wrong): they are asked afterwards,
        # if the person finishes the check. An answer with an error counts for nothing.
        given = {k: v for k, v in draft.answers.items() if k not in errors}
        stop = [f for f in wizard.stopping(given) if f.id not in draft.seen_flags]
        # A sign whose advice the person has already been given at a stop (the cauda equina
        # items all say the same) does not stop them again: it joins the notice on every
        # later page. Advice not given yet, or the end of the check, stops at once.
        told = wizard.advice_given(draft.seen_flags)
        news = [f for f in stop if f.ends_check or f.advice not in told]
        draft.seen_flags += [f.id for f in stop]
        if news:
            wizard.save_draft(request.session, draft)
            request.session[RESUME_KEY] = page_id
            return redirect("assessments:stop")
        if not errors:
            wizard.save_draft(request.session, draft)
            following = wizard.next_index(index, draft.answers)
            if following is None:
                return _finish(request, draft, index, questions)
            return redirect("assessments:step", page_id=wizard.pages()[following].id)
        wizard.save_draft(request.session, draft)

    return render(
        request,
        "assessments/step.html",
        _step_context(index, questions, draft, errors),
        status=422 if errors and request.method == "POST" else 200,
    )


BLOOD_THINNER_QUESTION = "blood_thinners"  # clinical/data/questionnaire.yaml


def _blood_thinner_said(answers: Mapping[str, object]) -> str:
    """What the stop page tells the caller to say about a blood thinner: "yes" (say that
    they take one), "ask" (not answered, or not sure: say if they take one) or "" (they
    said they take none: nothing to say)."""
    answer = wizard.prune(answers).get(BLOOD_THINNER_QUESTION)
    if answer == "yes":
        return "yes"
    return "" if answer == "no" else "ask"


@require_http_methods(["GET", "POST"])
def stop(request: HttpRequest) -> HttpResponse:
    """The advice first, as soon as an answer means an emergency (or ends the check); the
    person may then finish the check, unless the check cannot help them at all."""
    draft = wizard.load_draft(request.session)
    flags = wizard.stopping(draft.answers)
    if not flags:
        return redirect("assessments:start")
    ends = any(f.ends_check for f in flags)
    if request.method == "POST" and not ends:
        resume = request.session.get(RESUME_KEY, "")
        index = wizard.page_index(resume)
        unanswered = index is not None and wizard.page_errors(
            wizard.shown(index, draft.answers), draft.answers
        )
        if unanswered:
            # The stop came before the page was complete: its other questions come first.
            return redirect("assessments:step", page_id=resume)
        following = wizard.next_index(index, draft.answers) if index is not None else None
        if following is None:
            return _finish(request, draft)
        return redirect("assessments:step", page_id=wizard.pages()[following].id)
    emergency = any(f.disposition == "emergency" for f in flags)
    return render(
        request,
        "assessments/stop.html",
        {
            "flags": flags,
            # Signs of one condition share its advice (numbness in the saddle and trouble
            # peeing both say "go to the emergency department now"): it is said once.
            "advice": list(dict.fromkeys(f.advice for f in flags)),
            "ends": ends,
            "emergency": emergency,
            "for_child": is_child(draft.answers.get("age")),
            "blood_thinner": _blood_thinner_said(draft.answers),
        },
    )


def _finish(
    request: HttpRequest,
    draft: wizard.Draft,
    index: int | None = None,
    questions: list[Any] | None = None,
) -> HttpResponse:
    """Store the check's result and show it. Refused by the rate limit of new checks
    (``count_assessment``, after the answers are found valid), the draft stays: the last
    page (``index``, its ``questions``) is shown again as it was sent, with the wait."""
    answers = wizard.prune(draft.answers)
    if any(f.ends_check for f in wizard.stopping(answers)):
        return redirect("assessments:stop")
    try:
        assessment = record_assessment(
            answers, owner=request.user, admit=lambda: count_assessment(request)
        )
    except AnswerErrors as exc:
        request.session[ERRORS_KEY] = wizard.errors_in_words(exc.errors, answers)
        return redirect("assessments:step", page_id=wizard.first_page_with_errors(exc.errors))
    except RateLimited as refused:
        if index is None or not questions:
            return too_many_requests(request, refused, back=reverse("assessments:start"))
        context = {**_step_context(index, questions, draft, {}), "paused": refused.message}
        page = render(request, "assessments/step.html", context, status=429)
        return with_retry_after(page, refused)
    wizard.clear_draft(request.session)
    request.session.pop(RESUME_KEY, None)
    request.session[FINISHED_KEY] = str(assessment.id)
    if assessment.owner_id is None:  # signed out: claimed on sign-up or sign-in later
        mine = request.session.get(SESSION_RESULTS_KEY, [])
        request.session[SESSION_RESULTS_KEY] = [*mine, str(assessment.id)][-20:]
    return redirect("assessments:result", assessment_id=assessment.id)


def _step_context(
    index: int,
    questions: list[Any],
    draft: wizard.Draft,
    errors: dict[str, list[str]],
) -> dict[str, Any]:
    page = wizard.pages()[index]
    following = wizard.next_index(index, draft.answers)
    # Sections in which no question is shown are not counted (wizard.step_number).
    number, total = wizard.step_number(index, draft.answers, following)
    earlier = wizard.before(index, draft.answers)
    age = earlier.get("age")
    items = []
    for question in questions:
        value = draft.answers.get(question.id)
        items.append(
            {
                "q": question.worded_for(age),
                "value": value,
                "values": value if isinstance(value, list) else [value],
                "raw": draft.raw.get(question.id, "" if value is None else str(value)),
                "errors": errors.get(question.id, []),
                "scale": [str(n) for n in range(11)] if question.type == "scale" else [],
            }
        )
    # Warning signs already given stay in view on every later page: an urgent one while the
    # check goes on, an emergency one after its stop if the person finishes the check (and
    # then no slower "see a doctor today" beside it). The stop may come before its own page
    # is complete: that page, asked again, keeps the emergency in view too.
    emergency = list(wizard.stopping(earlier))
    here = {q.id: draft.answers[q.id] for q in questions if q.id in draft.answers}
    emergency += [
        f
        for f in wizard.stopping({**earlier, **here})
        if f.id in draft.seen_flags and f.id not in {e.id for e in emergency}
    ]
    notice_flags = emergency or list(wizard.urgent(earlier))
    # An urgent notice the person has read in full on the page before is folded on the next
    # ones (its headline stays, the rest a tap away): a phone walk scrolled past the same
    # hundred words at the top of five pages. An emergency one always stays open.
    shown_before: set[str] = set()
    previous = wizard.next_index(index, draft.answers, step=-1)
    if previous is not None and not emergency:
        shown_before = {f.id for f in wizard.urgent(wizard.before(previous, draft.answers))}
    folded = bool(notice_flags) and {f.id for f in notice_flags} <= shown_before
    # Signs that share their advice (the cauda equina items all say the same) are listed
    # together above that advice once, not each followed by the same paragraph.
    notice_groups: dict[str, list[str]] = {}
    for flag in notice_flags:
        notice_groups.setdefault(flag.advice, []).append(flag.label)
    return {
        "page": page,
        "section": page.section.worded_for(age),  # a parent reads "Your child's pain"
        "follow_up": page.follow_up,
        "questions": items,
        # Only this page's: the summary counts what it lists (answers of later pages that
        # need a change are asked there).
        "errors": {q.id: errors[q.id] for q in questions if q.id in errors},
        "error_count": sum(len(errors.get(q.id, [])) for q in questions),
        "number": number,
        "total": total,
        "is_last": following is None,
        "has_previous": index > 0,
        "notice_level": "emergency" if emergency else "urgent",
        "notice_flags": notice_flags,
        "notice_folded": folded,
        "notice_groups": [
            {"labels": labels, "advice": advice} for advice, labels in notice_groups.items()
        ],
        # Every urgent sign so far gives a day or two ("today or tomorrow"), not today.
        "notice_within_two_days": not emergency
        and all(f.within == "two_days" for f in notice_flags),
        # Under 16 a parent or carer answers: every later page says so.
        "for_child": is_child(age),
    }


def _get_or_404(request: HttpRequest, assessment_id: UUID) -> Any:
    assessment = readable_assessment(request, assessment_id)
    if assessment is None:
        raise Http404("No such result.")
    return assessment


@require_GET
def result(request: HttpRequest, assessment_id: UUID) -> HttpResponse:
    from rehabit.assessments.claims import listed_assessments

    assessment = _get_or_404(request, assessment_id)
    context = result_context(assessment)
    # Made in this browser and in nobody's account: signing up or in keeps it (at once if
    # made in this sitting, else after "Is this yours?": accounts.earlier); signed in,
    # the question is a link away.
    listed = assessment.owner_id is None and str(assessment.pk) in (
        listed_assessments(request.session)
    )
    context["claimable"] = listed and not request.user.is_authenticated
    context["ask_if_yours"] = listed and request.user.is_authenticated
    return render(request, "assessments/result.html", context)


@require_GET
def result_print(request: HttpRequest, assessment_id: UUID) -> HttpResponse:
    assessment = _get_or_404(request, assessment_id)
    context = result_context(assessment)
    context["answer_rows"] = answer_rows(assessment.current_answers)
    context["printable"] = True
    return render(request, "assessments/print.html", context)
