"""A new therapist's guided start: the steps, which are done, and which comes next.

1. the account and password (``rehabit.accounts.invitations``: the invitation link);
2. two-factor authentication with an authenticator app, and the recovery codes (allauth's
   own activation);
3. the therapist profile (``rehabit.booking.therapist_profile``);
4. the first usual week and notice (``rehabit.booking.availability``).

Each step is decided from what is stored, never from where the person has been, so the
flow can be left and resumed at any point, and someone given the therapist role without
an invitation is led through the same steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from rehabit.booking.models import Therapist, WorkingHours

AUDIT_CODES_SAVED = "workspace.recovery_codes_saved"
AUDIT_FINISHED = "workspace.onboarding_finished"


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    url_name: str
    done: bool


def _has_totp(user: Any) -> bool:
    from rehabit.accounts.access import has_totp

    return has_totp(user)


def steps_for(user: Any) -> list[Step]:
    therapist = Therapist.objects.filter(user=user).first()
    has_hours = therapist is not None and WorkingHours.objects.filter(therapist=therapist).exists()
    return [
        Step("account", str(_("Your password")), "", True),
        Step(
            "two_factor",
            str(_("Two-factor authentication")),
            "workspace:welcome_two_factor",
            _has_totp(user),
        ),
        Step(
            "profile",
            str(_("Your therapist profile")),
            "workspace:welcome_profile",
            therapist is not None,
        ),
        Step(
            "availability",
            str(_("Your usual week")),
            "workspace:welcome_availability",
            has_hours,
        ),
    ]


def next_step(user: Any) -> Step | None:
    """The first step not done yet (None: onboarding is complete)."""
    return next((step for step in steps_for(user) if not step.done), None)
