"""Pages: the exercise library, one page per exercise, and for a stored assessment its
self-care plan, home program (with the log and the next-morning check-in) and the guided
session player. Thin: parse, call a service, render."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rehabit.accounts.earlier import made_in_this_sitting
from rehabit.assessments.claims import SESSION_KEY as CLAIM_SESSION_KEY
from rehabit.assessments.claims import attach_assessments
from rehabit.assessments.models import Assessment
from rehabit.assessments.selectors import readable_assessment
from rehabit.care import presenters
from rehabit.care.adherence import weekly_adherence
from rehabit.care.advice import advice_for, urgent
from rehabit.care.models import Difficulty, ExerciseSession, NextMorning
from rehabit.care.player import player_strings, posted_session, session_steps, total_seconds
from rehabit.care.programs import (
    CareProgram,
    medication_answers,
    medication_questions,
    plan_for,
    program_for,
    watch_items,
)
from rehabit.care.selectors import (
    can_write,
    latest_assessment_of,
    patient_named,
    read_by_a_parent,
    sessions_of,
)
from rehabit.care.services import (
    FieldErrors,
    Refused,
    check_in,
    check_in_opens_at,
    log_session,
    save_medication_answers,
)
from rehabit.care.withdrawals import open_library, standing
from rehabit.care.zones import shown_in_page_zone
from rehabit.clinical.child_wording import is_child
from rehabit.clinical.exercises import get_exercise
from rehabit.clinical.medication import SCREEN_ANSWERS
from rehabit.clinical.triage import within_two_days
from rehabit.core.rate_limits import RateLimited, count_care_write
from rehabit.core.views import with_retry_after

LOG_ROWS = 50
CHECK_IN_DAYS = 7
# The advice after a check-in (a warning sign, "book a physiotherapist") stays on the page.
ADVICE_SHOWN_FOR = timedelta(days=2)


def _assessment_or_404(request: HttpRequest, assessment_id: UUID) -> Assessment:
    assessment = readable_assessment(request, assessment_id)
    if assessment is None:
        raise Http404(_("No such assessment."))
    return assessment


def _writable(request: HttpRequest, assessment: Assessment) -> None:
    if not can_write(request, assessment):
        raise PermissionDenied(_("Only the person this assessment belongs to can change it."))


def _base_context(request: HttpRequest, assessment: Assessment) -> dict[str, Any]:
    level = assessment.result["disposition"]["level"]
    return {
        "assessment": assessment,
        "result": assessment.result,
        "level": level,
        "within_two_days": within_two_days(assessment.result["disposition"]),
        "zone_name": presenters.zone_name(),
        "can_write": can_write(request, assessment),
        "anonymous_offer": _anonymous_offer(request, assessment),
        "zone_guess": request.method == "GET" and getattr(request, "zone_guess", False),
        # Under 16 a parent or carer answered: the plan, program and session speak to them
        # of "your child". Anyone else (the treating therapist, an admin, let in by the
        # audited record rule) reads the patient's own words, as on the progress pages.
        "for_child": read_by_a_parent(assessment, patient_named(request, assessment)),
    }


def _anonymous_offer(request: HttpRequest, assessment: Assessment) -> str | None:
    """For a visitor without an account: will signing up keep this log? ("claim": the
    assessment was made in this browser, so it is attached on sign-up or sign-in.)"""
    if request.user.is_authenticated or assessment.owner_id is not None:
        return None
    mine = request.session.get(CLAIM_SESSION_KEY) or []
    return "claim" if str(assessment.pk) in mine else "link"


# --- Library --------------------------------------------------------------------------------


@require_GET
def library(request: HttpRequest) -> HttpResponse:
    cards = [presenters.exercise_card(e) for e in open_library()]
    phases = [(p, presenters.phase_label(p)) for p in ("early", "middle", "loading")]
    latest = latest_assessment_of(request.user)
    response = render(
        request,
        "care/library.html",
        {"cards": cards, "phases": phases, "latest": latest},
    )
    if latest is None:
        response.public_page = True  # type: ignore[attr-defined]
    return response


@require_GET
def exercise(request: HttpRequest, exercise_id: str) -> HttpResponse:
    try:
        found = get_exercise(exercise_id)
    except KeyError:
        raise Http404(_("No such exercise.")) from None
    out = standing().get(found.id)
    if out is not None:  # no instructions for an exercise out of use: only why
        context = {"name": presenters.tr(found.name), "withdrawal": out}
        response = render(request, "care/exercise_withdrawn.html", context)
    else:
        response = render(request, "care/exercise.html", {"card": presenters.exercise_card(found)})
    response.public_page = True  # type: ignore[attr-defined]
    return response


# --- Self-care plan ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@shown_in_page_zone
def plan(request: HttpRequest, assessment_id: UUID) -> HttpResponse:
    assessment = _assessment_or_404(request, assessment_id)
    child = read_by_a_parent(assessment, patient_named(request, assessment))
    questions = medication_questions(assessment, child=child)
    stored = medication_answers(assessment)
    errors: dict[str, list[str]] = {}
    values = dict(stored)
    if request.method == "POST":
        _writable(request, assessment)
        values = {q.id: request.POST.get(q.id, "") for q in questions}
        try:
            save_medication_answers(assessment, request.POST)
        except FieldErrors as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Thank you. Your advice on painkillers is updated."))
            return redirect(reverse("care:plan", args=[assessment.pk]) + "#medicines")
    care_plan = plan_for(assessment, child=child)
    context = _base_context(request, assessment)
    context.update(
        plan=care_plan,
        questions=[
            {
                "q": q,
                "value": values.get(q.id, ""),
                "errors": errors.get(q.id, []),
            }
            for q in questions
        ],
        choices=[(v, _choice_label(v)) for v in SCREEN_ANSWERS],
        errors=errors,
        error_count=sum(len(m) for m in errors.values()),
        answered_all=bool(questions) and all(q.id in stored for q in questions),
        program=program_for(assessment, child=child),
    )
    return render(request, "care/plan.html", context, status=422 if errors else 200)


def _choice_label(value: str) -> str:
    return {"yes": _("Yes"), "no": _("No"), "not_sure": _("Not sure")}[value]


# --- Home program, log and check-in ----------------------------------------------------------


@require_http_methods(["GET", "POST"])
@shown_in_page_zone
def program(request: HttpRequest, assessment_id: UUID) -> HttpResponse:
    assessment = _assessment_or_404(request, assessment_id)
    errors: dict[str, list[str]] = {}
    posted: dict[str, str] = {}
    paused: RateLimited | None = None
    if request.method == "POST":
        _writable(request, assessment)
        posted = {k: request.POST.get(k, "") for k in ("session", "next_morning")}
        posted["settled_within_24h"] = request.POST.get("settled_within_24h", "")
        posted["signs"] = request.POST.getlist("signs")  # type: ignore[assignment]
        try:
            count_care_write(request, assessment)
            steps = check_in(assessment, posted["session"], request.POST)
        except RateLimited as refused:
            paused = refused  # the check-in is shown again as it was sent
            messages.error(request, refused.message)
        except FieldErrors as exc:
            errors = exc.errors
        except Refused as exc:
            messages.error(request, str(exc))
            return redirect(reverse("care:program", args=[assessment.pk]) + "#check-in")
        except (ExerciseSession.DoesNotExist, ValidationError, ValueError):
            raise Http404(_("No such session in this log.")) from None
        else:
            changed = [s for s in steps if s.to_level != s.from_level]
            messages.success(
                request,
                _("Thank you. Your program has been updated.")
                if changed
                else _("Thank you. Your answer is saved."),
            )
            session = ExerciseSession.objects.get(pk=posted["session"])
            anchor = "#advice" if advice_for(session, steps) else "#progress"
            return redirect(reverse("care:program", args=[assessment.pk]) + anchor)
    context = _base_context(request, assessment)
    care = program_for(assessment, child=context["for_child"])
    context.update(_program_context(assessment, care, child=context["for_child"]))
    matched = False
    for pending in context["pending"]:
        if (errors or paused) and str(pending["session"].pk) == posted.get("session"):
            pending.update(errors=errors, posted=posted)  # shown again, nothing lost
            matched = True
    if errors and not matched:
        raise Http404(_("No such session in this log."))
    if paused is not None:
        return with_retry_after(render(request, "care/program.html", context, status=429), paused)
    return render(request, "care/program.html", context, status=422 if errors else 200)


def _program_context(assessment: Assessment, care: CareProgram, *, child: bool) -> dict[str, Any]:
    """``child``: a parent reads about their child (``_base_context``'s ``for_child``)."""
    now = timezone.now()
    sessions = list(sessions_of(assessment))
    adherence = weekly_adherence(
        [s.logged_at for s in sessions],
        care.dosages(),
        now=now,
        zone=timezone.get_current_timezone(),
        began=assessment.created_at,
    )
    pending = [
        {
            "session": s,
            "opens_at": check_in_opens_at(s),
            "open": now >= check_in_opens_at(s),
            "question": presenters.check_in_question(s.logged_at, now),
            "errors": {},
            "posted": {},
        }
        for s in sessions
        if s.checked_in_at is None and (now - s.logged_at).days < CHECK_IN_DAYS
    ]
    items = [
        {
            "item": item,
            "card": presenters.exercise_card(item.exercise),
            "dosage": presenters.dosage_lines(item.dosage),
            "explanation": presenters.explain_item(item, sessions, child=child),
            "why": item.why,
            "book_pt": item.latest_step is not None and item.latest_step.action == "book_pt",
        }
        for item in care.items
    ]
    return {
        **_advice_context(assessment, care, sessions, now, child=child),
        "care": care,
        "items": items,
        "phase_label": presenters.phase_label(care.phase, child=child),
        "notes": care.notes,
        "adherence": adherence,
        "pending": pending,
        "log": [presenters.session_row(s) for s in sessions[:LOG_ROWS]],
        "log_more": max(0, len(sessions) - LOG_ROWS),
        "mornings": NextMorning.choices,
    }


def _advice_context(
    assessment: Assessment,
    care: CareProgram,
    sessions: list[ExerciseSession],
    now: Any,
    *,
    child: bool,
) -> dict[str, Any]:
    """What the latest check-in said to do at once, the warning signs the check-in asks
    about, and the families the therapist stopped."""
    latest = next((s for s in sessions if s.checked_in_at is not None), None)
    advice = []
    if (
        latest is not None
        and latest.checked_in_at
        and now - latest.checked_in_at < ADVICE_SHOWN_FOR
    ):
        advice = advice_for(latest, for_child=child)
    return {
        "advice": advice,
        "advice_urgent": urgent(advice),
        "advice_session": latest,
        "watch": [
            (w.id, presenters.tr(w.sign)) for w in watch_items(assessment, now=now, child=child)
        ],
        "stopped": [presenters.stopped_row(p) for p in care.stopped],
    }


# --- Guided session ------------------------------------------------------------------------


def _difficulties(*, child: bool) -> list[tuple[str, str]]:
    """How hard the session was: the answers, as a child's parent gives them about their
    child ("Hard but they managed") or as the patient does ("Hard but I managed")."""
    if not child:
        return list(Difficulty.choices)
    hard = _("Hard but they managed")
    return [(v, hard if v == Difficulty.HARD else label) for v, label in Difficulty.choices]


@require_http_methods(["GET", "POST"])
@shown_in_page_zone
def player(request: HttpRequest, assessment_id: UUID) -> HttpResponse:
    assessment = _assessment_or_404(request, assessment_id)
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {"exercise_ids": []}
    paused: RateLimited | None = None
    if request.method == "POST":
        _writable(request, assessment)
        values = posted_session(request.POST)
        if (
            request.user.is_authenticated
            and assessment.owner_id is None
            and made_in_this_sitting(assessment.created_at)
        ):
            # Signed in: a check this browser made in this sitting goes into the account
            # first, so the session is saved to the person's own log. An older one only
            # when they say it is theirs (the browser may be shared: accounts.earlier).
            attach_assessments(request.session, request.user, [str(assessment.pk)])
        try:
            count_care_write(request, assessment)
            _session, created = log_session(
                assessment, values, idempotency_key=request.POST.get("token", "")
            )
        except RateLimited as refused:
            paused = refused  # the session is shown again as it was sent, its token kept
            messages.error(request, refused.message)
        except Refused as exc:
            messages.error(request, str(exc))
            return redirect("care:program", assessment_id=assessment.pk)
        except FieldErrors as exc:
            errors = exc.errors
        else:
            saved = (
                _("Well done. Your child's session is saved in their log.")
                if is_child(assessment.answers.get("age"))
                else _("Well done. Your session is saved in your log.")
            )
            messages.success(request, saved if created else _("This session was already saved."))
            return redirect(reverse("care:program", args=[assessment.pk]) + "#log")
    context = _base_context(request, assessment)
    care = program_for(assessment, child=context["for_child"])
    context.update(_player_context(care, child=context["for_child"]))
    context.update(
        errors=errors,
        error_count=sum(len(m) for m in errors.values()),
        values=values,
        token=request.POST.get("token") if errors or paused else uuid.uuid4().hex,
        scale=[str(n) for n in range(11)],
        difficulties=_difficulties(child=context["for_child"]),
    )
    if paused is not None:
        return with_retry_after(render(request, "care/player.html", context, status=429), paused)
    return render(request, "care/player.html", context, status=422 if errors else 200)


def _player_context(care: CareProgram, *, child: bool = False) -> dict[str, Any]:
    exercises = []
    rows = []
    keep = (
        _("Keep your child's pain during this exercise at or below %(n)s out of 10.")
        if child
        else _("Keep the pain during this exercise at or below %(n)s out of 10.")
    )
    for item in care.items:
        card = presenters.exercise_card(item.exercise)
        steps = session_steps(item.dosage, child=child)
        max_pain = keep % {"n": item.max_pain}
        rows.append({"item": item, "card": card, "dosage": presenters.dosage_lines(item.dosage),
                     "max_pain": max_pain, "seconds": total_seconds(steps)})  # fmt: skip
        exercises.append(
            {
                "id": item.exercise.id,
                "name": card["name"],
                "url": reverse("care:exercise", args=[item.exercise.id]),
                "illustration": card["illustration_url"],
                "alt": card["alt"],
                "instructions": card["steps"],
                "dosage": presenters.dosage_lines(item.dosage),
                "max_pain_text": max_pain,
                "note": item.prescription.note if item.prescription is not None else "",
                "steps": steps,
            }
        )
    strings = player_strings(child=child)
    return {
        "care": care,
        "rows": rows,
        "player_data": {"exercises": exercises, "strings": strings},
    }
