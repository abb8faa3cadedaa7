"""Builders for the booking tests: therapists with simple rules, patients, free slots."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from email import message_from_bytes
from email.message import Message
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from rehabit.accounts.models import Profile
from rehabit.booking import services
from rehabit.booking import slots as engine
from rehabit.booking.models import (
    SessionType,
    Therapist,
    TherapistLanguage,
    TherapistSpecialty,
    WorkingHours,
)
from tests.accounts.helpers import TOTP_SECRET, make_user

FIRST = "first_assessment"
FOLLOW_UP = "follow_up"
WHOLE_DAY = ((time(0, 0), time(0, 0)),)


def make_therapist(
    name: str = "Tara Therapist",
    *,
    zone: str = "Europe/London",
    email: str | None = None,
    notice_minutes: int = 60,
    horizon_days: int = 30,
    buffer_before: int = 0,
    buffer_after: int = 0,
    daily_maximum: int | None = None,
    step: int = 15,
    hours: dict[int, tuple[tuple[time, time], ...]] | None = None,
    kinds: dict[str, int] | None = None,
    specialties: tuple[str, ...] = ("hamstring",),
    languages: tuple[str, ...] = ("en",),
    with_user: bool = True,
) -> Therapist:
    user = None
    if with_user:
        slug = name.lower().replace(" ", ".")
        user = make_user(
            email or f"{slug}@clinic.example", role="therapist", name=name, totp_secret=TOTP_SECRET
        )
        Profile.objects.filter(user=user).update(time_zone=zone)
    therapist = Therapist.objects.create(
        user=user,
        name=name,
        time_zone=zone,
        minimum_notice_minutes=notice_minutes,
        horizon_days=horizon_days,
        buffer_before_minutes=buffer_before,
        buffer_after_minutes=buffer_after,
        daily_maximum=daily_maximum,
        slot_step_minutes=step,
    )
    for day, spans in (hours or dict.fromkeys(range(7), WHOLE_DAY)).items():
        for start, end in spans:
            WorkingHours.objects.create(therapist=therapist, weekday=day, start=start, end=end)
    for kind, minutes in (kinds or {FIRST: 45, FOLLOW_UP: 30}).items():
        SessionType.objects.create(therapist=therapist, kind=kind, duration_minutes=minutes)
    for specialty in specialties:
        TherapistSpecialty.objects.create(therapist=therapist, specialty=specialty)
    for language in languages:
        TherapistLanguage.objects.create(therapist=therapist, language=language)
    return therapist


def make_patient(email: str, name: str, *, zone: str = "Europe/London", share: bool = False) -> Any:
    user = make_user(email, name=name, share=share)
    Profile.objects.filter(user=user).update(time_zone=zone)
    user.__dict__.pop("_rehabit_profile", None)
    return user


def free_start(
    therapist: Therapist, kind: str = FIRST, *, after: timedelta = timedelta(days=2)
) -> datetime:
    """The first free start of ``kind`` at least ``after`` from now, on the hour when possible,
    with room on both sides inside the therapist's working day (02:00 to 21:00 on their wall
    clock), so that a test may try times just before and after it at any test clock."""
    now = timezone.now()
    schedule = engine.schedule_of(therapist.pk, now)
    assert schedule is not None
    zone = ZoneInfo(therapist.time_zone)
    not_before = (now + after).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    found = engine.earliest([schedule], kind, now, per_therapist=400, not_before=not_before)
    for slot in found.get(therapist.pk, []):
        local = slot.start.astimezone(zone)
        if time(2, 0) <= local.time() <= time(21, 0) and local.minute == 0:
            return slot.start
    raise AssertionError(f"no free {kind} start with room around it after {not_before}")


def book(
    patient: Any, therapist: Therapist, start: datetime, kind: str = FIRST, **extra: Any
) -> Any:
    return services.book(
        patient=patient,
        therapist_id=therapist.pk,
        kind=kind,
        start=start,
        share_record=extra.pop("share_record", False),
        **extra,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Mailbox:
    """Messages a real SMTP server (aiosmtpd) accepted, parsed."""

    messages: list[Message] = field(default_factory=list)
    delay: float = 0.0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.delay:
            # A slow server: a client that disconnects meanwhile never gets its "250",
            # and the message is dropped, as a real MTA drops an unfinished transaction.
            await asyncio.sleep(self.delay)
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if address in m["To"]]


def calendar_part(message: Message) -> tuple[bytes, Message]:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload, part
    raise AssertionError("no text/calendar part")


def text_body(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no text part")
