"""Who may do what between a patient and a therapist: one place for the clinic's rules.

- **Relationship**: the patient has, or recently had, an appointment with the therapist
  (the accounts app's ``AppointmentRelation``, over ``REHABIT_THERAPIST_ACCESS_DAYS``).
  Messages need only this: they can be about scheduling.
- **Record**: reading or changing the patient's health record (program, check-ins,
  alerts) needs ``can_view_patient_record``: the relationship *and* the patient's
  current consent to share with this therapist.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from rehabit.accounts.access import appointment_relations, can_view_patient_record
from rehabit.accounts.roles import THERAPIST, role_of
from rehabit.booking.models import Appointment, Therapist


def therapist_record(user: Any) -> Therapist | None:
    """The therapist profile of a signed-in therapist account (else None)."""
    if isinstance(user, Therapist):
        return user
    if not getattr(user, "is_authenticated", False) or role_of(user) != THERAPIST:
        return None
    return Therapist.objects.filter(user=user).first()


def _since() -> Any:
    return timezone.now() - timedelta(days=settings.REHABIT_THERAPIST_ACCESS_DAYS)


def in_practice(therapist: Therapist) -> bool:
    """Does the therapist's account hold the therapist role now? An account whose role was
    taken away keeps its ``Therapist`` row (its sessions are history) but is nobody's
    therapist: no relationship, so no messages either way and no e-mail about them."""
    user = therapist.user if therapist.user_id is not None else None
    return user is not None and user.is_active and role_of(user) == THERAPIST


def related(therapist: Therapist, patient: Any) -> bool:
    """Does ``patient`` have, or recently had, an appointment with ``therapist``, while
    the therapist is in practice (``in_practice``)?"""
    if patient is None or not patient.is_active or not in_practice(therapist):
        return False
    return any(
        relation.has_appointment_since(therapist.user, patient, _since())
        for relation in appointment_relations()
    )


def may_see_record(therapist: Therapist, patient: Any) -> bool:
    """The one record rule (relationship and this therapist's share)."""
    user = therapist.user
    return user is not None and user.is_active and can_view_patient_record(user, patient)


def related_patient_ids(therapist: Therapist) -> set[int]:
    """The ids of the patients related to ``therapist`` now, in one query (the booking
    app's relation, as ``related`` asks it one patient at a time)."""
    found = Appointment.objects.active().filter(therapist=therapist, end__gte=_since())
    return set(found.values_list("patient_id", flat=True))


def patients_of(therapist: Therapist) -> list[Any]:
    """The patients related to ``therapist`` now, in account order."""
    ids = related_patient_ids(therapist)
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def therapists_of(patient: Any) -> list[Therapist]:
    """The therapists (with an account, in practice) the patient is related to now."""
    ids = (
        Appointment.objects.active()
        .filter(patient=patient, end__gte=_since(), therapist__user__isnull=False)
        .values("therapist")
    )
    found = Therapist.objects.filter(pk__in=ids, user__is_active=True).select_related("user")
    return [therapist for therapist in found.order_by("name") if in_practice(therapist)]
