"""Who may read a patient's record: one rule, asked by every selector.

Deny by default. A patient sees their own record. A therapist sees a patient's record only
while the patient has, or recently had (``REHABIT_THERAPIST_ACCESS_DAYS``, default 30), an
appointment with them *and* currently shares their record with *this* therapist
(``rehabit.accounts.consent.shares_with``: consent is per therapist, never one switch for
all). An admin reads records only through the audited selector
(``rehabit.accounts.records``). Staff must also have passed two-factor authentication in
the current session.

Appointments belong to the booking app: it implements ``AppointmentRelation`` and
registers it from its ``AppConfig.ready`` (or lists its class in
``settings.REHABIT_APPOINTMENT_RELATIONS``). Without a relation no therapist sees a record.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string

from rehabit.accounts.roles import ADMIN, THERAPIST, role_of

MFA_SESSION_KEY = "rehabit.mfa_verified_at"


@runtime_checkable
class AppointmentRelation(Protocol):
    """Implemented by the booking app."""

    def has_appointment_since(self, therapist: Any, patient: Any, since: datetime) -> bool:
        """True when ``patient`` has an appointment with ``therapist`` that is upcoming or
        in progress, or that ended at or after ``since`` (cancelled ones do not count)."""
        ...

    def therapists_of(self, patient: Any) -> list[Any]:
        """The accounts of the therapists ``patient`` has or had appointments with (for
        the consent page, which lists each one with its own sharing switch)."""
        ...


_registered: list[AppointmentRelation] = []


def register_appointment_relation(relation: AppointmentRelation) -> None:
    if not isinstance(relation, AppointmentRelation):
        raise TypeError(
            "An appointment relation needs has_appointment_since() and therapists_of()."
        )
    if relation not in _registered:
        _registered.append(relation)


def appointment_relations() -> list[AppointmentRelation]:
    configured = [
        import_string(path)() for path in getattr(settings, "REHABIT_APPOINTMENT_RELATIONS", [])
    ]
    return [*configured, *_registered]


class MFARequired(PermissionDenied):
    """Staff whose session has not passed two-factor authentication."""


def has_totp(user: Any) -> bool:
    from allauth.mfa.models import Authenticator

    return bool(
        user.is_authenticated
        and Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )


def mark_mfa_passed(request: HttpRequest) -> None:
    """Called when this session proved possession of a second factor (activation)."""
    request.session[MFA_SESSION_KEY] = time.time()


def session_passed_mfa(request: HttpRequest) -> bool:
    """Did the signed-in person pass a second factor in this session?"""
    from allauth.account.authentication import get_authentication_records

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if any(r.get("method") == "mfa" for r in get_authentication_records(request, user)):
        return True
    return bool(request.session.get(MFA_SESSION_KEY)) and has_totp(user)


def has_relation(therapist: Any, patient: Any) -> bool:
    """Whether the therapist has, or had within ``REHABIT_THERAPIST_ACCESS_DAYS``, a session
    with the patient (booked or held; a cancelled one does not count)."""
    since = timezone.now() - timedelta(days=settings.REHABIT_THERAPIST_ACCESS_DAYS)
    return any(
        relation.has_appointment_since(therapist, patient, since)
        for relation in appointment_relations()
    )


def related_therapists(patient: Any) -> list[Any]:
    """Every therapist account the patient has or had an appointment with."""
    found: dict[int, Any] = {}
    for relation in appointment_relations():
        for therapist in relation.therapists_of(patient):
            if therapist is not None:
                found.setdefault(therapist.pk, therapist)
    return list(found.values())


def can_view_patient_record(staff_user: Any, patient: Any) -> bool:
    """The one rule for reading a patient's record (not counting MFA; see above)."""
    from rehabit.accounts.consent import shares_with

    if staff_user is None or patient is None:
        return False
    if not staff_user.is_authenticated or not staff_user.is_active:
        return False
    if staff_user.pk == patient.pk:
        return True
    role = role_of(staff_user)
    if role == ADMIN:
        return bool(staff_user.has_perm("accounts.view_patient_record_as_admin"))
    if role == THERAPIST:
        return (
            staff_user.has_perm("accounts.view_patient_record")
            and shares_with(patient, staff_user)
            and has_relation(staff_user, patient)
        )
    return False
