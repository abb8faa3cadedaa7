"""Alerts: a check-in that reports a warning sign, or pain the pain-monitoring rule can no
longer answer by itself, reaches the patient's therapists at once.

``alert_kinds`` is the rule (pure): a warning sign from the plan's "signs to watch for"
raises a warning-sign alert at the sign's own level; a progression decision of
``book_pt`` (worse after two sessions in a row: ``clinical/progression.py``) raises a
worsening alert; a step up held for the therapist (``with_therapist``) a routine "may be
ready" note. ``raise_for_check_in`` stores one alert per kind and therapist for each
therapist who may see the patient's record now (relationship and consent), e-mails them
a notice without details (not for the routine note), and is called in the check-in's
own transaction (``rehabit.care.signals.check_in_recorded``).

``raise_for_withdrawal``: when an administrator takes an exercise out of use
(``rehabit.care.signals.exercise_withdrawn``), the therapist who prescribed it to a patient
whose record they may see gets one alert per patient, and an e-mail naming nobody: the
prescription is paused and the program goes on without the exercise.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from rehabit.audit.models import AuditAction
from rehabit.audit.services import record
from rehabit.care.models import PrescribedExercise
from rehabit.clinic import notices
from rehabit.clinic.errors import Refused
from rehabit.clinic.models import Alert, AlertKind, Urgency
from rehabit.clinic.relations import may_see_record, therapist_record, therapists_of

_SIGN_URGENCY = {"emergency": Urgency.EMERGENCY, "urgent": Urgency.URGENT, "soon": Urgency.SOON}
_ORDER = [Urgency.EMERGENCY, Urgency.URGENT, Urgency.SOON, Urgency.ROUTINE]


def alert_kinds(
    sign_levels: Sequence[str], actions_and_reasons: Sequence[tuple[str, str]]
) -> list[tuple[str, str]]:
    """(kind, urgency) of each alert a check-in raises. ``sign_levels``: the level of each
    warning sign reported; ``actions_and_reasons``: each family's progression decision."""
    kinds: list[tuple[str, str]] = []
    if sign_levels:
        levels = [_SIGN_URGENCY.get(level, Urgency.URGENT) for level in sign_levels]
        kinds.append((AlertKind.WARNING_SIGN, min(levels, key=_ORDER.index)))
    if any(action == "book_pt" for action, _reason in actions_and_reasons):
        kinds.append((AlertKind.WORSENING, Urgency.SOON))
    if any(reason == "with_therapist" for _action, reason in actions_and_reasons):
        kinds.append((AlertKind.READY, Urgency.ROUTINE))
    return kinds


def raise_for_check_in(session: Any, steps: Sequence[Any], signs: Sequence[Any]) -> list[Alert]:
    """Alerts for one next-morning check-in (``signs``: the plan's watch items reported)."""
    assessment = session.assessment
    patient = assessment.owner
    kinds = alert_kinds([s.level for s in signs], [(s.action, s.reason) for s in steps])
    if patient is None or not kinds:
        return []
    details = {
        "signs": [s.id for s in signs],
        "families": [
            s.family for s in steps if s.action == "book_pt" or s.reason == "with_therapist"
        ],
    }
    raised: list[Alert] = []
    for therapist in therapists_of(patient):
        if not may_see_record(therapist, patient):
            continue  # no share with this therapist: the patient's advice stands alone
        for kind, urgency in kinds:
            alert = _store(session, therapist, patient, kind, urgency, details)
            raised.append(alert)
            if kind != AlertKind.READY:
                notices.post_alert(therapist.user, alert)
    return raised


def _store(
    session: Any, therapist: Any, patient: Any, kind: str, urgency: str, details: dict[str, Any]
) -> Alert:
    try:
        with transaction.atomic():
            alert, _created = Alert.objects.get_or_create(
                session=session,
                therapist=therapist,
                kind=kind,
                defaults={
                    "patient": patient,
                    "assessment": session.assessment,
                    "urgency": urgency,
                    "details": details,
                    "raised_at": timezone.now(),
                },
            )
    except IntegrityError:
        alert = Alert.objects.get(session=session, therapist=therapist, kind=kind)
    return alert


def alerts_for(request: HttpRequest, *, include_acknowledged: bool = False) -> list[Alert]:
    """The signed-in therapist's alerts for patients whose record they may see now; each
    listing is a read of those records, audited once per patient."""
    therapist = therapist_record(request.user)
    if therapist is None:
        raise Refused(_("Only therapists have alerts."))
    found = Alert.objects.filter(therapist=therapist, patient__is_active=True)
    if not include_acknowledged:
        found = found.filter(acknowledged_at__isnull=True)
    alerts = list(found.select_related("patient", "session").order_by("-raised_at")[:200])
    allowed: dict[int, bool] = {}
    patients: dict[int, Any] = {}
    for alert in alerts:
        if alert.patient_id not in allowed:
            patients[alert.patient_id] = alert.patient
            allowed[alert.patient_id] = may_see_record(therapist, alert.patient)
            if allowed[alert.patient_id]:
                record(AuditAction.RECORD_VIEWED, request=request, subject=alert.patient,
                       target_type="alert", target_id=alert.pk)  # fmt: skip
        # One object per patient: what is read about them to present an alert (their
        # profile, for the name) is read once for all their alerts, not once for each.
        alert.patient = patients[alert.patient_id]
    return [a for a in alerts if allowed[a.patient_id]]


def acknowledge(request: HttpRequest, alert_id: Any, *, now: datetime | None = None) -> Alert:
    """Mark an alert seen and acted on (idempotent). Refused for anyone but its therapist
    while they may see the patient's record; audited as a change to the record, and again
    as a read when it was already acknowledged."""
    therapist = therapist_record(request.user)
    alert = (
        Alert.objects.filter(pk=alert_id, therapist=therapist).select_related("patient").first()
        if therapist is not None
        else None
    )
    if alert is None or not may_see_record(alert.therapist, alert.patient):
        raise Refused(_("No such alert for you."))
    if alert.acknowledged_at is None:
        alert.acknowledged_at = now or timezone.now()
        alert.acknowledged_by = request.user
        alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
        record(
            AuditAction.RECORD_CHANGED,
            request=request,
            subject=alert.patient,
            target_type="alert",
            target_id=alert.pk,
            details={"change": "alert_acknowledged", "kind": alert.kind},
        )
    else:
        # Nothing changes, but the alert (the patient's warning signs) is read again: the
        # API returns it, so the read is audited as every other read of it is.
        record(AuditAction.RECORD_VIEWED, request=request, subject=alert.patient,
               target_type="alert", target_id=alert.pk)  # fmt: skip
    return alert


def raise_for_withdrawal(withdrawal: Any) -> list[Alert]:
    """Alerts for an exercise taken out of use: one per prescribing therapist and patient."""
    raised: list[Alert] = []
    seen: set[tuple[int, int]] = set()
    prescriptions = PrescribedExercise.objects.filter(
        exercise_id=withdrawal.exercise_id,
        assessment__owner__isnull=False,
        prescribed_by__isnull=False,
    ).select_related("assessment__owner", "prescribed_by")
    for prescription in prescriptions.order_by("-prescribed_at"):
        therapist = therapist_record(prescription.prescribed_by)
        patient = prescription.assessment.owner
        if therapist is None or (therapist.pk, patient.pk) in seen:
            continue
        seen.add((therapist.pk, patient.pk))
        if not may_see_record(therapist, patient):
            continue  # no longer shared: nothing about the patient reaches them
        alert = Alert.objects.create(
            patient=patient,
            therapist=therapist,
            assessment=prescription.assessment,
            kind=AlertKind.EXERCISE_PAUSED,
            urgency=Urgency.SOON,
            details={"exercise_id": withdrawal.exercise_id, "family": prescription.family},
        )
        notices.post_exercise_paused(therapist.user, alert)
        raised.append(alert)
    return raised
