"""The therapist's alerts: the list (each a read of the patient's record) and acknowledging."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rehabit.booking.people import display_name
from rehabit.care.models import ExerciseWithdrawal, ProgressionStep
from rehabit.care.presenters import explain_step, family_name, tr
from rehabit.clinic import alerts as service
from rehabit.clinic.errors import Refused
from rehabit.clinic.models import Alert, AlertKind
from rehabit.clinic.views.common import therapist_only
from rehabit.clinical.exercises import get_exercise
from rehabit.clinical.selfcare import load_selfcare


def alert_view(alert: Alert) -> dict[str, Any]:
    """What the therapist reads about one alert, in the clinical data's words."""
    watch = {w.id: w for w in load_selfcare().watch_for}
    signs = [
        {"sign": tr(watch[s].sign), "action": tr(watch[s].action), "level": watch[s].level}
        for s in alert.details.get("signs", [])
        if s in watch
    ]
    steps = []
    if alert.session_id is not None:
        found = ProgressionStep.objects.filter(session_id=alert.session_id).order_by("id")
        steps = [
            {"name": family_name(s.family), "text": explain_step(s)}
            for s in found
            if s.family in alert.details.get("families", [])
        ]
    if alert.kind == AlertKind.EXERCISE_PAUSED:
        steps = [_paused_step(str(alert.details.get("exercise_id", "")))]
    return {
        "alert": alert,
        "patient_name": display_name(alert.patient),
        "signs": signs,
        "steps": steps,
        "session": alert.session,
    }


def _paused_step(exercise_id: str) -> dict[str, str]:
    """The exercise taken out of use, why, and whether it is back in use now."""
    try:
        name = tr(get_exercise(exercise_id).name)
    except KeyError:
        name = exercise_id
    latest = ExerciseWithdrawal.objects.filter(exercise_id=exercise_id).first()
    if latest is None or latest.restored_at is not None:
        text = _("It is back in use: your prescription of it applies again.")
    else:
        text = _(
            "Taken out of use by the clinic: %(reason)s Your prescription of it is paused and "
            "the patient's program goes on without it; review their program."
        ) % {"reason": latest.reason}
    return {"name": name, "text": text}


@require_GET
@therapist_only
def alerts(request: HttpRequest) -> HttpResponse:
    shown = request.GET.get("show") == "all"
    found = service.alerts_for(request, include_acknowledged=shown)
    return render(
        request,
        "clinic/alerts.html",
        {"rows": [alert_view(a) for a in found], "show_all": shown},
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
