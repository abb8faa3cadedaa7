"""A therapist's own profile: who they are to patients (name, title, about, specialties,
languages), the zone their hours are in, and the sessions they offer with their lengths.

The only code that creates a therapist record for an account. Saved in one transaction
holding the therapist's lock, checked by building the slot engine's rules (so a stored
profile always makes valid rules), and audited with the names of the fields changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from rehabit.audit.services import record
from rehabit.booking.models import (
    SessionKind,
    SessionType,
    Therapist,
    TherapistLanguage,
    TherapistSpecialty,
)

AUDIT_PROFILE_SAVED = "workspace.profile_saved"


@dataclass(frozen=True)
class TherapistDetails:
    name: str
    title: str
    bio: str
    time_zone: str
    specialties: tuple[str, ...]
    languages: tuple[str, ...]
    # Minutes per offered kind (``SessionKind`` values); a kind left out is not offered.
    sessions: dict[str, int]


def details_of(therapist: Therapist) -> TherapistDetails:
    return TherapistDetails(
        name=therapist.name,
        title=therapist.title,
        bio=therapist.bio,
        time_zone=therapist.time_zone,
        specialties=tuple(therapist.specialties.values_list("specialty", flat=True)),
        languages=tuple(therapist.languages.values_list("language", flat=True)),
        sessions=dict(
            therapist.session_types.filter(is_offered=True).values_list("kind", "duration_minutes")
        ),
    )


def _changed_fields(before: TherapistDetails | None, after: TherapistDetails) -> list[str]:
    if before is None:
        return sorted(after.__dataclass_fields__)
    return sorted(
        name for name in after.__dataclass_fields__ if getattr(before, name) != getattr(after, name)
    )


@transaction.atomic
def save_profile(user: Any, details: TherapistDetails, request: HttpRequest | None) -> Therapist:
    """Create or update the therapist record of ``user`` (a new one is not listed until
    onboarding is finished). The account's own profile takes the same name and zone."""
    from rehabit.accounts.preferences import profile_of
    from rehabit.booking.availability import check_availability

    therapist = Therapist.objects.select_for_update().filter(user=user).first()
    before = details_of(therapist) if therapist is not None else None
    now = timezone.now()
    if therapist is None:
        therapist = Therapist.objects.create(
            user=user,
            name=details.name,
            title=details.title,
            bio=details.bio,
            time_zone=details.time_zone,
            is_listed=False,
            created_at=now,
            updated_at=now,
        )
    else:
        Therapist.objects.filter(pk=therapist.pk).update(
            name=details.name,
            title=details.title,
            bio=details.bio,
            time_zone=details.time_zone,
            updated_at=now,
        )
        therapist.refresh_from_db()
    TherapistSpecialty.objects.filter(therapist=therapist).exclude(
        specialty__in=details.specialties
    ).delete()
    for code in details.specialties:
        TherapistSpecialty.objects.get_or_create(therapist=therapist, specialty=code)
    TherapistLanguage.objects.filter(therapist=therapist).exclude(
        language__in=details.languages
    ).delete()
    for code in details.languages:
        TherapistLanguage.objects.get_or_create(therapist=therapist, language=code)
    for kind in SessionKind.values:
        minutes = details.sessions.get(kind)
        if minutes:
            SessionType.objects.update_or_create(
                therapist=therapist,
                kind=kind,
                defaults={"duration_minutes": minutes, "is_offered": True},
            )
        else:
            SessionType.objects.filter(therapist=therapist, kind=kind).update(is_offered=False)
    check_availability(therapist)
    profile = profile_of(user)
    type(profile).objects.filter(pk=profile.pk).update(
        full_name=details.name, time_zone=details.time_zone, updated_at=now
    )
    user.__dict__.pop("_rehabit_profile", None)
    user.__dict__.pop("_rehabit_therapist_zone", None)
    record(
        AUDIT_PROFILE_SAVED,
        request=request,
        actor=user,
        subject=user,
        target_type="therapist",
        target_id=therapist.pk,
        details={"fields": _changed_fields(before, details), "created": before is None},
    )
    return therapist
