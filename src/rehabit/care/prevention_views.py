"""The prevention programme's pages: the programme with its evidence (public, no assessment
needed) and the guided player for one routine, with its log form. Thin: the programme is
rehabit.clinical.prevention, the log rehabit.care.prevention."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from rehabit.care import presenters
from rehabit.care.models import Difficulty
from rehabit.care.player import player_strings, posted_session, session_steps, total_seconds
from rehabit.care.prevention import (
    log_prevention_session,
    parse_week,
    prevention_log,
    suggested_week,
)
from rehabit.care.services import FieldErrors, Refused
from rehabit.care.withdrawals import standing, told
from rehabit.care.zones import shown_in_page_zone
from rehabit.clinical.exercises import get_exercise
from rehabit.clinical.prevention import PreventionProgram, Routine, load_prevention
from rehabit.education.evidence import claim_view, grade_key, references_of

LOG_ROWS = 20


def _week(request: HttpRequest, value: object) -> tuple[int, list[str]]:
    """The week asked for in the address, else the suggested one (with the message why an
    unusable value was set aside)."""
    suggested = suggested_week(request, timezone.localdate())
    if value in (None, ""):
        return suggested, []
    try:
        return parse_week(value), []
    except FieldErrors as exc:
        return suggested, exc.errors["week"]


def _within_routine(dosage: dict[str, Any]) -> dict[str, Any]:
    """An exercise's dose inside a routine: how often is the routine's own "when" ("before
    every training session"), not the exercise's "once a day, 3 days a week" beside it."""
    return {k: v for k, v in dosage.items() if k not in ("per_day", "days_per_week")}


def _nordic_lines(program: PreventionProgram, week: int) -> list[str]:
    stage = program.nordic_stage(week)
    reps = [str(r) for r in stage.reps_per_set]
    lines = [
        ngettext("%(n)s session a week", "%(n)s sessions a week", stage.sessions_per_week)
        % {"n": stage.sessions_per_week},
        ngettext("%(n)s set", "%(n)s sets", len(reps)) % {"n": len(reps)},
    ]
    if len(set(reps)) == 1:
        lines.append(_("%(n)s repetitions in each set") % {"n": reps[0]})
    else:
        lines.append(_("Repetitions in each set: %(list)s") % {"list": ", ".join(reps)})
    if stage.reps_up_to:
        lines.append(_("Up to %(n)s repetitions a set if it feels well") % {"n": stage.reps_up_to})
    lines.append(_("Rest %(n)s seconds between sets") % {"n": program.nordic_rest_seconds})
    return lines


def _nordic_table(program: PreventionProgram) -> list[dict[str, str]]:
    table = []
    for stage in program.nordic_stages:
        if stage.last_week is None:
            weeks = _("Week %(n)s onwards, to keep it up") % {"n": stage.first_week}
        elif stage.last_week == stage.first_week:
            weeks = _("Week %(n)s") % {"n": stage.first_week}
        else:
            weeks = _("Weeks %(a)s to %(b)s") % {"a": stage.first_week, "b": stage.last_week}
        reps = ", ".join(str(r) for r in stage.reps_per_set)
        if stage.reps_up_to:
            reps = _("%(reps)s (up to %(n)s each)") % {"reps": reps, "n": stage.reps_up_to}
        table.append({"weeks": weeks, "sessions": str(stage.sessions_per_week), "reps": reps})
    return table


def _rows(
    program: PreventionProgram, routine: Routine, week: int, out_of_use: frozenset[str]
) -> list[dict[str, Any]]:
    """The routine's exercises at this week, without those out of use."""
    rows = []
    for item in routine.items:
        if item.exercise_id in out_of_use:
            continue
        exercise = get_exercise(item.exercise_id)
        dosage = program.dosage(item, week)
        steps = session_steps(dosage)
        rows.append(
            {
                "card": presenters.exercise_card(exercise),
                "exercise": exercise,
                "dosage": _nordic_lines(program, week)
                if item.dosage is None
                else presenters.dosage_lines(_within_routine(dosage)),
                "steps": steps,
                "seconds": total_seconds(steps),
                "max_pain": _("Keep the pain during this exercise at or below %(n)s out of 10.")
                % {"n": exercise.max_pain},
            }
        )
    return rows


def _log_rows(request: HttpRequest, program: PreventionProgram) -> list[dict[str, Any]]:
    rows = []
    for entry in prevention_log(request)[:LOG_ROWS]:
        routine = program.routines.get(entry.routine)
        names = []
        for ex_id in entry.exercises:
            try:
                names.append(presenters.tr(get_exercise(str(ex_id)).name))
            except KeyError:
                names.append(str(ex_id))
        rows.append(
            {"entry": entry, "routine": presenters.tr(routine.name) if routine else entry.routine,
             "names": names}
        )  # fmt: skip
    return rows


@require_GET
@shown_in_page_zone
def prevention(request: HttpRequest) -> HttpResponse:
    program = load_prevention()
    week, week_errors = _week(request, request.GET.get("week"))
    withdrawn = standing()
    out_of_use = frozenset(withdrawn)
    routines = [
        {"routine": r, "rows": _rows(program, r, week, out_of_use), "uses_week": r.uses_nordic_plan}
        for r in program.routines.values()
    ]
    used = {item.exercise_id for r in program.routines.values() for item in r.items}
    claims = list(program.evidence) + [a.claim for a in program.advice]
    context = {
        "program": program,
        "routines": routines,
        "week": week,
        "week_errors": week_errors,
        "nordic_lines": _nordic_lines(program, week),
        "nordic_table": _nordic_table(program),
        "evidence": [claim_view(c) for c in program.evidence],
        "advice": [(a.title, claim_view(a.claim)) for a in program.advice],
        "references": references_of(claims, program.source, program.nordic_source),
        "grades": grade_key(),
        "log": _log_rows(request, program),
        "paused": told([row for ex_id, row in withdrawn.items() if ex_id in used]),
        "zone_name": presenters.zone_name(),
        "zone_guess": getattr(request, "zone_guess", False),
    }
    response = render(request, "care/prevention.html", context)
    if not request.user.is_authenticated and not context["log"] and not withdrawn:
        response.public_page = True  # type: ignore[attr-defined]
    return response


@require_http_methods(["GET", "POST"])
@shown_in_page_zone
def prevention_session(request: HttpRequest, routine_id: str) -> HttpResponse:
    program = load_prevention()
    routine = program.routines.get(routine_id)
    if routine is None:
        raise Http404(_("No such routine in the prevention programme."))
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {"exercise_ids": []}
    week, week_errors = _week(request, request.POST.get("week") or request.GET.get("week"))
    if request.method == "POST":
        values = posted_session(request.POST, "week")
        try:
            _entry, created = log_prevention_session(
                request, routine, values, idempotency_key=request.POST.get("token", "")
            )
        except Refused as exc:
            messages.error(request, str(exc))
            return redirect(reverse("care:prevention") + "#log")
        except FieldErrors as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _("Well done. Your session is saved in your prevention log.")
                if created
                else _("This session was already saved."),
            )
            return redirect(reverse("care:prevention") + "#log")
    withdrawn = standing()
    rows = _rows(program, routine, week, frozenset(withdrawn))
    context = {
        "program": program,
        "routine": routine,
        "rows": rows,
        "week": week,
        "week_errors": week_errors,
        "errors": errors,
        "error_count": sum(len(m) for m in errors.values()),
        "values": values,
        "token": request.POST.get("token") if errors else uuid.uuid4().hex,
        "scale": [str(n) for n in range(11)],
        "difficulties": Difficulty.choices,
        "player_data": {"exercises": _player_exercises(rows), "strings": _player_strings()},
        "signed_in": request.user.is_authenticated,
        "paused": told(
            [
                row
                for ex_id, row in withdrawn.items()
                if ex_id in {i.exercise_id for i in routine.items}
            ]
        ),
        "zone_guess": request.method == "GET" and getattr(request, "zone_guess", False),
    }
    return render(request, "care/prevention_session.html", context, status=422 if errors else 200)


def _player_exercises(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": row["card"]["id"],
            "name": row["card"]["name"],
            "url": reverse("care:exercise", args=[row["card"]["id"]]),
            "illustration": row["card"]["illustration_url"],
            "alt": row["card"]["alt"],
            "instructions": row["card"]["steps"],
            "dosage": row["dosage"],
            "max_pain_text": row["max_pain"],
            "note": "",
            "steps": row["steps"],
        }
        for row in rows
    ]


def _player_strings() -> dict[str, str]:
    strings = player_strings()
    strings["session_done"] = _(
        "Session complete. Tell us how it went below, then save it to your prevention log."
    )
    return strings
