"""Offering time that has just come free (a cancelled or moved appointment) to the people
on the waitlist, in order (``rehabit.booking.services`` calls it inside the action's
transaction; accepting an offer is ``rehabit.booking.waitlist``)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q

from rehabit.booking import slots as engine
from rehabit.booking import tasks
from rehabit.booking.models import (
    Appointment,
    AppointmentStatus,
    SessionType,
    WaitlistEntry,
    WaitlistOffer,
    WaitlistStatus,
)


def offer_freed_time(freed: Appointment, *, now: datetime) -> list[WaitlistOffer]:
    """Offer the time ``freed`` held to the waitlist, in order. Runs inside the action's
    transaction (after the time was released), so the engine already sees it free."""
    therapist = freed.therapist
    specialties = list(therapist.specialties.values_list("specialty", flat=True))
    entries = (
        WaitlistEntry.objects.filter(status=WaitlistStatus.WAITING, wanted_before__gt=freed.start)
        .filter(Q(therapist=therapist) | Q(therapist__isnull=True, specialty__in=specialties))
        .exclude(patient_id=freed.patient_id)
        # An entry for moving a booked session earlier waits for that session's therapist:
        # another therapist's time would be "moved" to with the wrong therapist (a review).
        # Once that session is cancelled, the person waits for any time again.
        .exclude(
            Q(appointment__status=AppointmentStatus.BOOKED) & ~Q(appointment__therapist=therapist)
        )
        .order_by("created_at", "id")
    )
    schedule = engine.schedule_of(therapist.id, now)
    if schedule is None:
        return []
    offers: list[WaitlistOffer] = []
    for entry in entries:
        verdict = engine.check(schedule, entry.session_kind, freed.start, now)
        if not verdict.ok or verdict.slot is None:
            continue
        session_type = SessionType.objects.filter(
            therapist=therapist, kind=entry.session_kind, is_offered=True
        ).first()
        if session_type is None:
            continue
        offers.append(
            WaitlistOffer.objects.create(
                entry=entry,
                therapist=therapist,
                session_type=session_type,
                start=verdict.slot.start,
                end=verdict.slot.end,
                position=len(offers) + 1,
                expires_at=verdict.slot.start,
            )
        )
    if offers:
        ids = [offer.pk for offer in offers]
        transaction.on_commit(lambda: tasks.enqueue_offers(ids))
    return offers
