"""Who opens a patient's chart: a therapist, through the one record rule, audited.

The chart (intake summary, plan, program, log, check-ins, notes) is the patient's record.
A therapist opens it only while ``can_view_patient_record`` holds (an appointment with
them, now or within ``REHABIT_THERAPIST_ACCESS_DAYS``, and the patient's share with *this*
therapist), and every opening is written to the audit log by the accounts app's audited
selector (``audit_record_read``), which also demands two-factor authentication. Anyone
else is told there is no such chart (a refusal is audited too).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest

from rehabit.accounts.records import audit_record_read
from rehabit.accounts.roles import is_staff_role
from rehabit.booking.people import display_name
from rehabit.clinic.relations import may_see_record, patients_of, therapist_record


class NoChart(LookupError):
    """No chart for this person here: not a therapist, no such patient, or no
    relationship and consent. Pages and the API answer "not found"."""


def chart_therapist(user: Any) -> Any:
    """The therapist profile of a signed-in therapist, else ``NoChart``."""
    therapist = therapist_record(user)
    if therapist is None:
        raise NoChart("Only therapists open patient charts.")
    return therapist


def open_chart(
    request: HttpRequest, patient_id: object, *, target: Callable[[Any], Any] | None = None
) -> tuple[Any, Any]:
    """(the patient whose record the signed-in therapist reads now, what is read), or
    ``NoChart``. ``target(patient)`` picks what is read (an assessment, a note), named in
    the audit entry; it is called before anything of the record is shown."""
    chart_therapist(request.user)
    try:
        pk = int(str(patient_id))
    except ValueError:
        raise NoChart("No such patient.") from None
    if not 0 < pk < 2**63:  # a database integer
        raise NoChart("No such patient.")
    patient = get_user_model().objects.filter(pk=pk, is_active=True).first()
    if patient is None or patient.pk == request.user.pk or is_staff_role(patient):
        raise NoChart("No such patient.")
    read = target(patient) if target is not None else None
    if not audit_record_read(request, patient, target=read):
        raise NoChart("No such patient.")
    return patient, read


def may_open(user: Any, patient: Any) -> bool:
    """Would ``open_chart`` let this therapist in (no audit entry: for links only)?"""
    therapist = therapist_record(user)
    return therapist is not None and may_see_record(therapist, patient)


def patient_list(user: Any) -> tuple[list[dict[str, Any]], int]:
    """The therapist's patients whose chart they may open (name and session times only,
    no health content, so listing them reads no record), and how many other patients
    with sessions do not share their record with them."""
    from rehabit.booking.models import Appointment

    therapist = chart_therapist(user)
    rows, withheld = [], 0
    for patient in patients_of(therapist):
        if not may_see_record(therapist, patient):
            withheld += 1
            continue
        sessions = Appointment.objects.active().filter(therapist=therapist, patient=patient)
        rows.append(
            {
                "patient": patient,
                "name": display_name(patient),
                "next": sessions.filter(end__gte=_now()).order_by("start").first(),
                "last": sessions.filter(end__lt=_now()).order_by("-start").first(),
            }
        )
    rows.sort(key=lambda r: (r["next"] is None, r["next"].start if r["next"] else 0, r["name"]))
    return rows, withheld


def _now() -> Any:
    from django.utils import timezone

    return timezone.now()
