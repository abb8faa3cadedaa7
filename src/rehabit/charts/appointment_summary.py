"""What the therapist sees of the patient before a session, on the appointment's page:
only with consent, audited. (The booking app shows it through ``register_patient_summary``,
which the charts app calls at start-up: booking imports nothing of charts.)

The patient's latest assessment (red flags, disposition, likely causes and why) is shown
to the appointment's therapist while the patient shares their record with *that*
therapist (``rehabit.accounts.consent.shares_with``: the box ticked when booking them, or
the switch for them on the account page; withdrawal takes effect at once). The decision
and the audit entry come from the accounts app's one rule
(``rehabit.accounts.records.audit_record_read``), which also demands two-factor
authentication from staff. The appointment's own ``share_record`` only says what was
chosen when booking; it never opens the record by itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from rehabit.booking.models import Appointment
from rehabit.care.models import ExerciseSession
from rehabit.charts.chart import intake_of, log_rows


@dataclass
class PatientSummary:
    visible: bool
    why_not: str = ""
    assessment: Any = None
    result: dict[str, Any] = field(default_factory=dict)
    progress: list[Any] = field(default_factory=list)
    # The clinician's intake summary (rehabit.charts.presenters.intake_context).
    intake: dict[str, Any] = field(default_factory=dict)


def summary_for(request: HttpRequest, appointment: Appointment) -> PatientSummary | None:
    """None for anyone but the appointment's therapist."""
    from django.utils.translation import gettext as _

    from rehabit.accounts.consent import shares_with
    from rehabit.accounts.records import audit_record_read
    from rehabit.assessments.models import Assessment

    user = request.user
    if not user.is_authenticated or user.pk != appointment.therapist.user_id:
        return None
    if not appointment.share_record and not shares_with(appointment.patient, user):
        return PatientSummary(False, _("The patient chose not to share their assessments."))
    latest = (
        Assessment.objects.filter(owner_id=appointment.patient_id).order_by("-created_at").first()
    )
    if not audit_record_read(request, appointment.patient, target=latest):
        if _ended_by_cancelling(appointment, user):
            # The patient still shares, but no session relates them any more: the reason
            # is the cancellation, not their choice (a therapist's walk read "does not
            # share" under a session they had just cancelled).
            return PatientSummary(
                False,
                _(
                    "You no longer see the patient's assessments and progress: access ended "
                    "with the cancellation of this session."
                ),
            )
        return PatientSummary(
            False, _("The patient does not share their assessments and progress at the moment.")
        )
    if latest is None:
        return PatientSummary(True, _("The patient has not done an assessment yet."))
    return PatientSummary(
        True,
        assessment=latest,
        result=latest.result,
        progress=_progress(latest),
        intake=intake_of(latest),
    )


def _ended_by_cancelling(appointment: Appointment, therapist: Any) -> bool:
    """Whether this session's cancellation took the therapist's access away: it is
    cancelled, the patient still shares with them, and no other session relates them now
    (``rehabit.accounts.access.has_relation``, the record rule's own test)."""
    from rehabit.accounts.access import has_relation
    from rehabit.accounts.consent import shares_with
    from rehabit.booking.models import AppointmentStatus

    return (
        appointment.status == AppointmentStatus.CANCELLED
        and shares_with(appointment.patient, therapist)
        and not has_relation(therapist, appointment.patient)
    )


def _progress(assessment: Any, limit: int = 8) -> list[Any]:
    """The latest exercise-diary entries: each exercise by name and level, pain during
    and after, difficulty and the patient's own note (``rehabit.charts.chart.log_rows``)."""
    sessions = ExerciseSession.objects.filter(assessment=assessment).order_by("-logged_at")
    return log_rows(list(sessions[:limit]), {})
