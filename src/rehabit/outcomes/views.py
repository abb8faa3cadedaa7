"""Pages: the pain diary, progress (charts with tables, "is this real improvement?"), the
two outcome measures, the reminder setting, and the PDF report and diary CSV downloads.
Thin: parse, call a service, render. Times and days in the viewer's zone."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rehabit.assessments.models import Assessment
from rehabit.assessments.selectors import readable_assessment
from rehabit.care.selectors import can_write, patient_named, read_by_a_parent
from rehabit.care.zones import shown_in_page_zone
from rehabit.clinical.outcomes import load_outcomes
from rehabit.core.inputs import InputRefused, parse_date
from rehabit.core.rate_limits import RateLimited, count_care_write, count_report
from rehabit.core.reviewed_text import tr
from rehabit.core.timefmt import format_day
from rehabit.core.views import too_many_requests, with_retry_after
from rehabit.outcomes import exports, nudges, presenters, services
from rehabit.outcomes.models import Morning
from rehabit.outcomes.progress import entries_of, first_day, summary_for, trend_for

RECENT_ENTRIES = 14
DIARY_FIELDS = (
    "entry_date",
    *services.PAIN_FIELDS,
    "next_morning",
    "sleep_disturbed",
    "activity",
)


def _assessment_or_404(request: HttpRequest, assessment_id: UUID) -> Assessment:
    assessment = readable_assessment(request, assessment_id)
    if assessment is None:
        raise Http404(_("No such assessment."))
    return assessment


def _writable(request: HttpRequest, assessment: Assessment) -> None:
    if not can_write(request, assessment):
        raise PermissionDenied(_("Only the person this assessment belongs to can change it."))


def _base(request: HttpRequest, assessment: Assessment) -> dict[str, Any]:
    # Who reads: the patient (the owner, or anyone with the link to an assessment nobody
    # owns), who may also write; or someone the audited record rule let in (a therapist
    # the patient shares with, an admin), to whom the pages speak of the patient.
    to_patient = can_write(request, assessment)
    patient_name = patient_named(request, assessment)
    return {
        "assessment": assessment,
        "about_patient": bool(patient_name),
        "patient_name": patient_name,
        # Under 16 a parent or carer answered: to them the pages speak of "your child" (the
        # pain, the sleep, what was done are the child's), as the plan and program do.
        "for_child": read_by_a_parent(assessment, patient_name),
        "zone_name": presenters.zone_name(),
        "zone_id": timezone.get_current_timezone_name(),  # a form's value
        "can_write": to_patient,
        "zone_guess": request.method == "GET" and getattr(request, "zone_guess", False),
        "today": timezone.localdate(),
        "first_day": first_day(assessment),
    }


def _errors(errors: dict[str, list[str]]) -> dict[str, Any]:
    return {"errors": errors, "error_count": sum(len(m) for m in errors.values())}


# --- Pain diary ---------------------------------------------------------------------------------


def _saved_text(day: date, today: date, created: bool) -> str:
    """What saving a diary entry says: today's, or the day it was for, in words."""
    if not created:
        return _("Thank you. The entry for %(day)s is updated.") % {"day": format_day(day)}
    if day == today:
        return _("Thank you. Today's entry is saved.")
    return _("Thank you. The entry for %(day)s is saved.") % {"day": format_day(day)}


@require_http_methods(["GET", "POST"])
@shown_in_page_zone
def diary(request: HttpRequest, assessment_id: UUID) -> HttpResponse:
    assessment = _assessment_or_404(request, assessment_id)
    context = _base(request, assessment)
    errors: dict[str, list[str]] = {}
    chosen = _entry_day(request.GET.get("day"), context["first_day"], context["today"])
    values: dict[str, Any] = {"entry_date": (chosen or context["today"]).isoformat()}
    if request.method == "POST" and request.POST.get("form") == "reminder":
        _writable(request, assessment)
        return _save_reminder(request, assessment)
    paused: RateLimited | None = None
    if request.method == "POST":
        _writable(request, assessment)
        values = {k: request.POST.get(k, "") for k in DIARY_FIELDS}
        try:
            count_care_write(request, assessment)
            entry, created = services.save_diary_entry(
                assessment, request.POST, first_day=context["first_day"], today=context["today"]
            )
        except RateLimited as refused:
            paused = refused  # the form is shown again as it was sent
            messages.error(request, refused.message)
        except services.FieldErrors as exc:
            # The summary lists the problems in the form's order (the check finds a worst
            # pain lower than the pain now after every score's own problem).
            errors = {k: exc.errors[k] for k in DIARY_FIELDS if k in exc.errors}
            errors.update((k, v) for k, v in exc.errors.items() if k not in errors)
        except services.Refused as exc:
            messages.error(request, str(exc))
        else:
            nudges.after_log(assessment)
            messages.success(request, _saved_text(entry.entry_date, context["today"], created))
            return redirect(reverse("outcomes:progress", args=[assessment.pk]))
    entries = entries_of(assessment)
    day = _entry_day(values["entry_date"], context["first_day"], context["today"])
    context.update(
        values=values,
        # The questions ask about the entry's day: today's wording, or that day's.
        entry_day=day or context["today"],
        past_day=day is not None and day < context["today"],
        missed_days=missed_days(entries, context["first_day"], context["today"]),
        scale=[str(n) for n in range(11)],
        mornings=Morning.choices,
        recent=list(reversed(entries))[:RECENT_ENTRIES],
        summary=presenters.summary_context(summary_for(assessment)),
        reminder=nudges.reminder_of(assessment),
        can_remind=nudges.can_remind(request, assessment),
        **_errors(errors),
    )
    if paused is not None:
        page = render(request, "outcomes/diary.html", context, status=429)
        return with_retry_after(page, paused)
    return render(request, "outcomes/diary.html", context, status=422 if errors else 200)


MISSED_DAYS_SHOWN = 6


def _entry_day(raw: object, first: date, today: date) -> date | None:
    """The day asked for (``?day=`` or the posted entry date) when it is one a diary entry
    may be for; None otherwise (the form then checks the posted value and says why)."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    try:
        day = parse_date(raw)
    except InputRefused:
        return None
    return day if first <= day <= today else None


def missed_days(entries: list[Any], first: date, today: date) -> list[date]:
    """The days of the last week (from the first diary day, before today) without an entry,
    newest first: each links to the form asking about that day."""
    have = {e.entry_date for e in entries}
    days = (today - timedelta(days=n) for n in range(1, MISSED_DAYS_SHOWN + 1))
    return [d for d in days if d >= first and d not in have]


def _save_reminder(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    try:
        nudges.set_reminder(request, assessment, request.POST)
    except services.FieldErrors as exc:
        for problems in exc.errors.values():
            for problem in problems:
                messages.error(request, problem)
    except services.Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your reminder setting is saved."))
    return redirect(reverse("outcomes:diary", args=[assessment.pk]) + "#reminder")


# --- Progress -----------------------------------------------------------------------------------


@require_GET
@shown_in_page_zone
def progress(request: HttpRequest, assessment_id: UUID) -> HttpResponse:
    assessment = _assessment_or_404(request, assessment_id)
    context = _base(request, assessment)
    trend = trend_for(assessment)
    about_patient, for_child = context["about_patient"], context["for_child"]
    context.update(
        summary=presenters.summary_context(
            summary_for(assessment), for_therapist=about_patient, for_child=for_child
        ),
        charts=presenters.chart_blocks(trend, for_therapist=about_patient, for_child=for_child),
        events=presenters.event_rows(trend),
        activities=services.activities_of(assessment),
        excluded=[
            {"name": tr(v["name"]), "decision": tr(v["decision"])}
            for v in load_outcomes().not_included.values()
        ],
        reminder=nudges.reminder_of(assessment),
        can_remind=nudges.can_remind(request, assessment),
    )
    return render(request, "outcomes/progress.html", context)


# --- The two measures -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@shown_in_page_zone
def activities(request: HttpRequest, assessment_id: UUID) -> HttpResponse:
    """The PSFS: name 3-5 activities once, then rate them (at the start, then weekly)."""
    assessment = _assessment_or_404(request, assessment_id)
    context = _base(request, assessment)
    chosen = services.activities_of(assessment)
    errors: dict[str, list[str]] = {}
    posted: dict[str, Any] = {}
    paused: RateLimited | None = None
    if request.method == "POST":
        _writable(request, assessment)
        posted = dict(request.POST.items())
        try:
            count_care_write(request, assessment)
            if request.POST.get("step") == "name":
                services.set_activities(assessment, request.POST.getlist("activity"))
                messages.success(
                    request,
                    _("Your child's activities are saved. Now rate each one.")
                    if context["for_child"]
                    else _("Your activities are saved. Now rate each one."),
                )
                return redirect(reverse("outcomes:activities", args=[assessment.pk]))
            services.record_psfs(assessment, request.POST, today=context["today"])
        except RateLimited as refused:
            paused = refused  # the form is shown again as it was sent
            messages.error(request, refused.message)
        except services.FieldErrors as exc:
            errors = exc.errors
        except services.Refused as exc:
            messages.error(request, str(exc))
            return redirect(reverse("outcomes:activities", args=[assessment.pk]))
        else:
            nudges.after_log(assessment)
            messages.success(
                request,
                _("Thank you. Your child's ratings are saved.")
                if context["for_child"]
                else _("Thank you. Your ratings are saved."),
            )
            return redirect(reverse("outcomes:progress", args=[assessment.pk]) + "#function")
    rules = load_outcomes()
    names = request.POST.getlist("activity") if request.method == "POST" else []
    # Each rating's problem names its activity and leads to it: the same message for two
    # activities said twice, and nothing about which.
    named = {f"rating_{a.position}": a.name for a in chosen}
    # A problem with the list of activities leads to the first field (it had no link).
    anchors = {"activities": "activity-1"}
    summary = [
        (f"{key}-0", f"{named[key]}: {m}") if key in named else (anchors.get(key, ""), m)
        for key, problems in errors.items()
        for m in problems
    ]
    context.update(
        chosen=chosen,
        slots=[names[n] if n < len(names) else "" for n in range(rules.psfs_activities[1])],
        fewest=rules.psfs_activities[0],
        most=rules.psfs_activities[1],
        max_length=rules.activity_max_length,
        posted=posted,
        scale=[str(n) for n in range(11)],
        rating_rows=[
            {
                "name": a.name,
                "field": f"rating_{a.position}",
                "value": posted.get(f"rating_{a.position}"),
                "errors": errors.get(f"rating_{a.position}", []),
            }
            for a in chosen
        ],
        summary=summary,
        **_errors(errors),
    )
    if paused is not None:
        page = render(request, "outcomes/activities.html", context, status=429)
        return with_retry_after(page, paused)
    return render(request, "outcomes/activities.html", context, status=422 if errors else 200)


@require_http_methods(["GET", "POST"])
@shown_in_page_zone
def bridge(request: HttpRequest, assessment_id: UUID) -> HttpResponse:
    """The self-counted single-leg bridge test, with its instructions."""
    assessment = _assessment_or_404(request, assessment_id)
    context = _base(request, assessment)
    phase = summary_for(assessment).phase
    errors: dict[str, list[str]] = {}
    posted: dict[str, Any] = {}
    paused: RateLimited | None = None
    if request.method == "POST":
        _writable(request, assessment)
        posted = dict(request.POST.items())
        try:
            count_care_write(request, assessment)
            services.record_bridge(assessment, request.POST, today=context["today"], phase=phase)
        except RateLimited as refused:
            paused = refused  # the form is shown again as it was sent
            messages.error(request, refused.message)
        except services.FieldErrors as exc:
            errors = exc.errors
        except services.Refused as exc:
            messages.error(request, str(exc))
            return redirect(reverse("outcomes:progress", args=[assessment.pk]))
        else:
            nudges.after_log(assessment)
            messages.success(
                request,
                _("Thank you. Your child's bridge test is saved.")
                if context["for_child"]
                else _("Thank you. Your bridge test is saved."),
            )
            return redirect(reverse("outcomes:progress", args=[assessment.pk]) + "#strength")
    test = load_outcomes().bridge
    box, steps, stop_if = test.worded(child=context["for_child"])
    context.update(
        open=phase is not None and phase not in test.not_in_phases,
        box=tr(box),
        steps=[tr(s) for s in steps],
        stop_if=tr(stop_if).format(limit=test.stop_above_pain),
        posted=posted,
        **_errors(errors),
    )
    if paused is not None:
        page = render(request, "outcomes/bridge.html", context, status=429)
        return with_retry_after(page, paused)
    return render(request, "outcomes/bridge.html", context, status=422 if errors else 200)


# --- Downloads -----------------------------------------------------------------------------------


@require_GET
@shown_in_page_zone
def report_pdf(request: HttpRequest, assessment_id: UUID) -> HttpResponse:
    assessment = _assessment_or_404(request, assessment_id)
    try:
        count_report(request)  # each report takes about a second to make
    except RateLimited as refused:
        return too_many_requests(
            request, refused, back=reverse("outcomes:progress", args=[assessment.pk])
        )
    from rehabit.outcomes.report import report_response

    # Downloaded by a therapist (or an admin), the report speaks of the patient by name.
    return report_response(assessment, patient_name=patient_named(request, assessment))


@require_GET
@shown_in_page_zone
def diary_csv(request: HttpRequest, assessment_id: UUID) -> HttpResponse:
    assessment = _assessment_or_404(request, assessment_id)
    response = HttpResponse(exports.diary_csv(assessment), content_type="text/csv; charset=utf-8")
    name = f"rehabit-pain-diary-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
