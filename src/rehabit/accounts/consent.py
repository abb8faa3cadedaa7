"""Consent: append-only events; the current state is derived from the latest event.

Two kinds of consent:

- account-wide purposes (terms of use, privacy notice): one state per person
  (``current_consents``, ``has_consented``);
- sharing the record with a therapist: one state per (patient, therapist) pair
  (``shares_with``, ``sharing_states``, ``set_sharing``). A patient shares with *this*
  therapist; there is no switch that shares with everyone. The one access rule
  (``rehabit.accounts.access.can_view_patient_record``) reads ``shares_with``.

Withdrawal takes effect at once; a grant counts only for the notice version in force.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest

from rehabit.accounts.models import ConsentEvent, ConsentPurpose
from rehabit.accounts.notices import CURRENT_VERSIONS, REQUIRED_PURPOSES, current_version
from rehabit.audit.models import AuditAction
from rehabit.audit.services import record

SHARE = ConsentPurpose.SHARE_WITH_THERAPIST
# Purposes with one state for the whole account.
ACCOUNT_PURPOSES = tuple(p for p in ConsentPurpose.values if p != SHARE)


@dataclass(frozen=True)
class ConsentState:
    purpose: str
    granted: bool
    version: str | None
    recorded_at: datetime | None

    @property
    def is_current(self) -> bool:
        """Granted, and for the notice text in force today."""
        return self.granted and self.version == CURRENT_VERSIONS[self.purpose]

    @property
    def label(self) -> str:
        return str(ConsentPurpose(self.purpose).label)


@dataclass(frozen=True)
class SharingState:
    """Whether the patient shares their record with one therapist."""

    therapist: Any
    name: str
    granted: bool
    version: str | None
    recorded_at: datetime | None

    @property
    def is_current(self) -> bool:
        return self.granted and self.version == CURRENT_VERSIONS[SHARE]


def therapist_name(user: Any) -> str:
    """How a therapist is named to patients: their listed name, else their profile's."""
    from rehabit.accounts.preferences import profile_of

    if user is None:
        return ""
    listed = getattr(getattr(user, "therapist_profile", None), "name", "")
    return str(listed or profile_of(user).full_name or user.email)


def _check_account_purpose(purpose: str) -> None:
    if purpose == SHARE:
        raise ValueError("Sharing is per therapist: use shares_with() / set_sharing().")
    if purpose not in ConsentPurpose.values:
        raise ValueError(f"Unknown consent purpose {purpose!r}.")


def current_consents(user: Any) -> dict[str, ConsentState]:
    """The latest event of each account-wide purpose (withdrawal wins over older grants)."""
    states = {purpose: ConsentState(purpose, False, None, None) for purpose in ACCOUNT_PURPOSES}
    events = ConsentEvent.objects.filter(user=user, purpose__in=ACCOUNT_PURPOSES)
    for event in events.order_by("recorded_at", "id"):
        states[event.purpose] = ConsentState(
            event.purpose, event.granted, event.version, event.recorded_at
        )
    return states


def has_consented(user: Any, purpose: str) -> bool:
    """Account-wide purposes only; sharing is asked per therapist (``shares_with``)."""
    _check_account_purpose(purpose)
    latest = (
        ConsentEvent.objects.filter(user=user, purpose=purpose)
        .order_by("-recorded_at", "-id")
        .first()
    )
    return bool(latest and latest.granted and latest.version == current_version(purpose))


def missing_required_consents(user: Any) -> list[str]:
    states = current_consents(user)
    return [purpose for purpose in REQUIRED_PURPOSES if not states[purpose].is_current]


def _latest_share(patient: Any, therapist: Any) -> ConsentEvent | None:
    if getattr(patient, "pk", None) is None or getattr(therapist, "pk", None) is None:
        return None
    return (
        ConsentEvent.objects.filter(user=patient, purpose=SHARE, therapist=therapist)
        .order_by("-recorded_at", "-id")
        .first()
    )


def shares_with(patient: Any, therapist: Any) -> bool:
    """Does ``patient`` currently share their record with ``therapist`` (an account)?"""
    latest = _latest_share(patient, therapist)
    return bool(latest and latest.granted and latest.version == current_version(SHARE))


def sharing_states(patient: Any, *, also: list[Any] | tuple[Any, ...] = ()) -> list[SharingState]:
    """The patient's sharing state with each therapist they ever decided about, and with
    the therapists in ``also`` (those they have appointments with), by name."""
    latest: dict[int, ConsentEvent] = {}
    events = ConsentEvent.objects.filter(user=patient, purpose=SHARE, therapist__isnull=False)
    for event in events.order_by("recorded_at", "id"):
        latest[int(event.therapist_id or 0)] = event
    wanted = set(latest) | {t.pk for t in also if t is not None and t.pk != patient.pk}
    people = get_user_model().objects.filter(pk__in=wanted)
    states = []
    for person in people:
        event = latest.get(person.pk)
        states.append(
            SharingState(
                therapist=person,
                name=therapist_name(person),
                granted=bool(event and event.granted),
                version=event.version if event else None,
                recorded_at=event.recorded_at if event else None,
            )
        )
    return sorted(states, key=lambda s: (s.name.casefold(), s.therapist.pk))


def _audit(event: ConsentEvent, request: HttpRequest | None) -> None:
    details: dict[str, Any] = {"purpose": event.purpose, "version": event.version}
    if event.therapist_id is not None:
        details["therapist_id"] = event.therapist_id
    record(
        AuditAction.CONSENT_GRANTED if event.granted else AuditAction.CONSENT_WITHDRAWN,
        request=request,
        actor=event.user,
        subject=event.user,
        target_type="consent",
        target_id=event.pk,
        details=details,
    )


@transaction.atomic
def set_consent(
    user: Any, purpose: str, granted: bool, *, request: HttpRequest | None = None, source: str = ""
) -> ConsentEvent | None:
    """Record giving or withdrawing an account-wide consent; takes effect at once.

    Returns None (and records nothing) when the state would not change.
    """
    _check_account_purpose(purpose)
    version = current_version(purpose)
    state = current_consents(user)[purpose]
    if state.granted == granted and (not granted or state.version == version):
        return None
    event = ConsentEvent.objects.create(
        user=user, purpose=purpose, version=version, granted=granted, source=source
    )
    _audit(event, request)
    return event


@transaction.atomic
def set_sharing(
    patient: Any,
    therapist: Any,
    granted: bool,
    *,
    request: HttpRequest | None = None,
    source: str = "",
) -> ConsentEvent | None:
    """Share (or stop sharing) the patient's record with one therapist; at once.

    Returns None (and records nothing) when the state would not change.
    """
    if therapist is None or therapist.pk is None or therapist.pk == patient.pk:
        raise ValueError("Sharing needs a therapist other than the patient.")
    version = current_version(SHARE)
    latest = _latest_share(patient, therapist)
    was_granted = bool(latest and latest.granted)
    if was_granted == granted and (not granted or (latest and latest.version == version)):
        return None
    event = ConsentEvent.objects.create(
        user=patient,
        purpose=SHARE,
        therapist=therapist,
        version=version,
        granted=granted,
        source=source,
    )
    _audit(event, request)
    return event
