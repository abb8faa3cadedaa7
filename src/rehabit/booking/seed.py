"""Demo therapists across time zones, so a new installation can book at once.

Listed in ``settings.REHABIT_DEMO_SEEDERS``; ``rehabit serve`` runs it on an empty
database. Each therapist gets a sign-in account (no usable password: an admin sets one)
in the therapist role, specialties, languages, two session types and a usual week.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import time

from django.contrib.auth import get_user_model
from django.db import transaction

from rehabit.booking.models import (
    SessionKind,
    SessionType,
    Therapist,
    TherapistLanguage,
    TherapistSpecialty,
    WorkingHours,
)

Span = tuple[time, time]
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Demo:
    email: str
    name: str
    title: str
    bio: str
    zone: str
    specialties: tuple[str, ...]
    languages: tuple[str, ...]
    week: dict[int, tuple[Span, ...]]


def _t(text: str) -> time:
    hour, minute = text.split(":")
    return time(int(hour), int(minute))


def _days(days: range | tuple[int, ...], *spans: tuple[str, str]) -> dict[int, tuple[Span, ...]]:
    return {day: tuple((_t(a), _t(b)) for a, b in spans) for day in days}


DEMO_THERAPISTS = (
    Demo(
        "amara.okafor@therapists.rehabit.localhost",
        "Amara Okafor",
        "Physiotherapist, MSc Sports Physiotherapy",
        "Twelve years with runners and footballers; most of her patients come with a pulled "
        "hamstring or pain where the thigh meets the buttock.",
        "Europe/London",
        ("hamstring", "sports", "back", "hip"),
        ("en", "fr"),
        _days(range(5), ("09:00", "12:30"), ("13:30", "17:30")),
    ),
    Demo(
        "daniel.reyes@therapists.rehabit.localhost",
        "Daniel Reyes",
        "Doctor of Physical Therapy",
        "Knee and hamstring rehabilitation after sports injuries and surgery; sessions in "
        "English or Spanish.",
        "America/New_York",
        ("knee", "sports", "hamstring", "shoulder"),
        ("en", "es"),
        {
            **_days(range(4), ("08:00", "12:00"), ("13:00", "18:00")),
            5: ((_t("09:00"), _t("13:00")),),
        },
    ),
    Demo(
        "priya.raman@therapists.rehabit.localhost",
        "Priya Raman",
        "Physiotherapist, MPT Musculoskeletal",
        "Low back pain, sciatica and arthritis; a calm, step-by-step approach to getting "
        "moving again.",
        "Asia/Kolkata",
        ("back", "neck", "arthritis", "hamstring"),
        ("en", "hi", "ta"),
        _days(range(6), ("10:00", "13:00"), ("15:00", "19:00")),
    ),
    Demo(
        "oliver.brennan@therapists.rehabit.localhost",
        "Oliver Brennan",
        "Sports and Exercise Physiotherapist",
        "Shoulders, elbows and necks of people who lift, swim or sit at a desk all day; early "
        "and evening sessions.",
        "Australia/Sydney",
        ("shoulder", "elbow", "neck", "sports"),
        ("en",),
        _days(range(5), ("07:30", "11:30"), ("16:00", "20:00")),
    ),
    Demo(
        "lena.hoffmann@therapists.rehabit.localhost",
        "Lena Hoffmann",
        "Physiotherapist, manual therapy",
        "Hip and knee pain, arthritis and the back of the thigh; in German or English.",
        "Europe/Berlin",
        ("hip", "knee", "arthritis", "back", "hamstring"),
        ("de", "en"),
        _days(range(5), ("08:00", "16:00")),
    ),
    Demo(
        "maya.cohen@therapists.rehabit.localhost",
        "Maya Cohen",
        "Physical Therapist, OCS",
        "Hamstring tendinopathy, piriformis pain and returning to running.",
        "America/Los_Angeles",
        ("hamstring", "back", "hip", "sports"),
        ("en", "he"),
        _days(range(1, 6), ("09:00", "17:00")),
    ),
)


def _account(email: str, name: str, zone: str) -> object:
    from rehabit.accounts.models import Profile

    user_model = get_user_model()
    first, _, last = name.partition(" ")
    user, created = user_model.objects.get_or_create(
        username=email, defaults={"email": email, "first_name": first, "last_name": last}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        # The account's profile says what the therapist record says, so a demo therapist's
        # first sign-in does not ask for a name and zone they already have.
        Profile.objects.update_or_create(user=user, defaults={"full_name": name, "time_zone": zone})
    try:
        from rehabit.accounts.roles import THERAPIST, assign_role

        assign_role(user, THERAPIST)
    except Exception:  # noqa: BLE001 - roles not migrated yet: the profile still works
        logger.warning("Demo therapist %s has no therapist role yet.", email)
    return user


@transaction.atomic
def seed_demo_therapists(*, if_empty: bool = False) -> int:
    """Create the demo therapists that do not exist yet; returns how many were made."""
    if if_empty and Therapist.objects.exists():
        return 0
    created = 0
    for demo in DEMO_THERAPISTS:
        if Therapist.objects.filter(name=demo.name).exists():
            continue
        therapist = Therapist.objects.create(
            user=_account(demo.email, demo.name, demo.zone),
            name=demo.name,
            title=demo.title,
            bio=demo.bio,
            time_zone=demo.zone,
            buffer_after_minutes=10,
            minimum_notice_minutes=12 * 60,
            horizon_days=60,
            daily_maximum=8,
            slot_step_minutes=15,
        )
        TherapistSpecialty.objects.bulk_create(
            TherapistSpecialty(therapist=therapist, specialty=s) for s in demo.specialties
        )
        TherapistLanguage.objects.bulk_create(
            TherapistLanguage(therapist=therapist, language=code) for code in demo.languages
        )
        SessionType.objects.bulk_create(
            [
                SessionType(
                    therapist=therapist, kind=SessionKind.FIRST_ASSESSMENT, duration_minutes=45
                ),
                SessionType(therapist=therapist, kind=SessionKind.FOLLOW_UP, duration_minutes=30),
            ]
        )
        WorkingHours.objects.bulk_create(
            WorkingHours(therapist=therapist, weekday=day, start=start, end=end)
            for day, spans in demo.week.items()
            for start, end in spans
        )
        created += 1
    return created
