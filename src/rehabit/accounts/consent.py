"""Consent: append-only events; the current state of each purpose is derived."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from rehabit.accounts.models import ConsentEvent, ConsentPurpose
from rehabit.accounts.notices import CURRENT_VERSIONS, REQUIRED_PURPOSES, current_version
from rehabit.audit.models import AuditAction
from rehabit.audit.services import record


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


def current_consents(user: Any) -> dict[str, ConsentState]:
    """The latest event per purpose (withdrawal wins over older grants)."""
    states = {
        purpose: ConsentState(purpose, False, None, None) for purpose in ConsentPurpose.values
    }
    for event in ConsentEvent.objects.filter(user=user).order_by("recorded_at", "id"):
        states[event.purpose] = ConsentState(
            event.purpose, event.granted, event.version, event.recorded_at
        )
    return states


def has_consented(user: Any, purpose: str) -> bool:
    event = ConsentEvent.objects.filter(user=user, purpose=purpose).order_by("-recorded_at", "-id")
    latest = event.first()
    return bool(latest and latest.granted and latest.version == current_version(purpose))


def missing_required_consents(user: Any) -> list[str]:
    states = current_consents(user)
    return [purpose for purpose in REQUIRED_PURPOSES if not states[purpose].is_current]


@transaction.atomic
def set_consent(
    user: Any, purpose: str, granted: bool, *, request: HttpRequest | None = None, source: str = ""
) -> ConsentEvent | None:
    """Record giving or withdrawing consent; takes effect at once.

    Returns None (and records nothing) when the state would not change.
    """
    if purpose not in ConsentPurpose.values:
        raise ValueError(f"Unknown consent purpose {purpose!r}.")
    version = current_version(purpose)
    state = current_consents(user)[purpose]
    if state.granted == granted and (not granted or state.version == version):
        return None
    event = ConsentEvent.objects.create(
        user=user, purpose=purpose, version=version, granted=granted, source=source
    )
    record(
        AuditAction.CONSENT_GRANTED if granted else AuditAction.CONSENT_WITHDRAWN,
        request=request,
        actor=user,
        subject=user,
        target_type="consent",
        target_id=event.pk,
        details={"purpose": purpose, "version": version},
    )
    return event
