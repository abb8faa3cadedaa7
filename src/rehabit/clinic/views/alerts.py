"""The therapist's alerts: the list (each a read of the patient's record) and acknowledging."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rehabit.booking.people import display_name
from rehabit.care.models import ExerciseWithdrawal, ProgressionStep
from rehabit.care.presenters import explain_step, family_name
from rehabit.care.withdrawals import standing
from rehabit.clinic import alerts as service
from rehabit.clinic.errors import Refused
from rehabit.clinic.models import Alert, AlertKind
from rehabit.clinic.views.common import therapist_only
from rehabit.clinical.exercises import get_exercise
from rehabit.clinical.selfcare_file import load_selfcare
from rehabit.core.reviewed_text import tr


def alert_views(alerts: Sequence[Alert]) -> list[dict[str, Any]]:
    """What the therapist reads about each alert, in the clinical data's words. What the
    alerts need from the database is read once for all of them (the check-ins' progression
    steps, the withdrawals in force), so a long list costs no more queries than a short one."""
    sessions = {a.session_id for a in alerts if a.session_id is not None}
    steps = _steps_of(sessions) if sessions else {}
    paused = any(a.kind == AlertKind.EXERCISE_PAUSED for a in alerts)
    in_force = standing() if paused else {}
    return [_alert_view(a, steps, in_force) for a in alerts]


def alert_view(alert: Alert) -> dict[str, Any]:
    """What the therapist reads about one alert."""
    return alert_views([alert])[0]


def _steps_of(sessions: set[Any]) -> dict[Any, list[ProgressionStep]]:
    """The progression steps of the check-ins, by session (one query)."""
    found: dict[Any, list[ProgressionStep]] = {}
    for step in ProgressionStep.objects.filter(session_id__in=sessions).order_by("id"):
        found.setdefault(step.session_id, []).append(step)
    return found


def _alert_view(
    alert: Alert,
    steps_by_session: dict[Any, list[ProgressionStep]],
    in_force: dict[str, ExerciseWithdrawal],
) -> dict[str, Any]:
    watch = {w.id: w for w in load_selfcare().watch_for}
    signs = [
        {"sign": tr(watch[s].sign), "action": tr(watch[s].action), "level": watch[s].level}
        for s in alert.details.get("signs", [])
        if s in watch
    ]
    families = alert.details.get("families", [])
    steps = [
        {"name": family_name(s.family), "text": explain_step(s)}
        for s in steps_by_session.get(alert.session_id, [])
        if s.family in families
    ]
    if alert.kind == AlertKind.EXERCISE_PAUSED:
        exercise_id = str(alert.details.get("exercise_id", ""))
        steps = [_paused_step(exercise_id, in_force.get(exercise_id))]
    return {
        "alert": alert,
        "patient_name": display_name(alert.patient),
        "signs": signs,
        "steps": steps,
        "session": alert.session,
    }


def _paused_step(exercise_id: str, withdrawal: ExerciseWithdrawal | None) -> dict[str, str]:
    """The exercise taken out of use, why, and whether it is back in use now (``withdrawal``:
    the one in force for it, None once it is brought back)."""
    try:
        name = tr(get_exercise(exercise_id).name)
    except KeyError:
        name = exercise_id
    if withdrawal is None:
        text = _("It is back in use: your prescription of it applies again.")
    else:
        text = _(
            "Taken out of use by the clinic: %(reason)s Your prescription of it is paused and "
            "the patient's program goes on without it; review their program."
        ) % {"reason": withdrawal.reason}
    return {"name": name, "text": text}


@require_GET
@therapist_only
def alerts(request: HttpRequest) -> HttpResponse:
    shown = request.GET.get("show") == "all"
    found = service.alerts_for(request, include_acknowledged=shown)
    return render(
        request,
        "clinic/alerts.html",
        {"rows": alert_views(found), "show_all": shown},
    )


@require_POST
@therapist_only
def acknowledge(request: HttpRequest, alert_id: UUID) -> HttpResponse:
    try:
        service.acknowledge(request, alert_id)
    except Refused:
        raise Http404(_("No such alert for you.")) from None
    flash.success(request, _("Alert marked as seen."))
    return redirect("clinic:alerts")
