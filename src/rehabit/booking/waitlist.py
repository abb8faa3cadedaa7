"""The waitlist: patients who want an earlier time with a therapist, or with any therapist
of a specialty.

When a time frees up (a cancellation or a move), it is offered to the waiting patients in
the order they joined (``rehabit.booking.offers``), each by an e-mail with a single-use
link. The first to accept gets it: accepting is an ordinary booking (or move) through
``services``, so the database constraints decide any race, and everyone else's offer for
that time is withdrawn.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from rehabit.booking import messages as msg
from rehabit.booking import services
from rehabit.booking.messages import BookingRefused
from rehabit.booking.models import (
    Appointment,
    OfferStatus,
    Therapist,
    WaitlistEntry,
    WaitlistOffer,
    WaitlistStatus,
)
from rehabit.booking.people import shares_record


def join(
    *,
    patient: Any,
    therapist: Therapist | None,
    specialty: str,
    kind: str,
    wanted_before: datetime,
    appointment: Appointment | None = None,
) -> WaitlistEntry:
    existing = WaitlistEntry.objects.filter(
        patient=patient,
        therapist=therapist,
        specialty=specialty if therapist is None else "",
        session_kind=kind,
        status=WaitlistStatus.WAITING,
    ).first()
    if existing is not None:
        existing.wanted_before = max(existing.wanted_before, wanted_before)
        existing.appointment = appointment or existing.appointment
        existing.save(update_fields=["wanted_before", "appointment"])
        return existing
    return WaitlistEntry.objects.create(
        patient=patient,
        therapist=therapist,
        specialty=specialty if therapist is None else "",
        session_kind=kind,
        wanted_before=wanted_before,
        appointment=appointment,
    )


def leave(entry: WaitlistEntry) -> None:
    WaitlistEntry.objects.filter(pk=entry.pk, status=WaitlistStatus.WAITING).update(
        status=WaitlistStatus.LEFT
    )
    WaitlistOffer.objects.filter(entry=entry, status=OfferStatus.OPEN).update(
        status=OfferStatus.EXPIRED
    )


def find_offer(token: str) -> WaitlistOffer | None:
    return (
        WaitlistOffer.objects.select_related("entry", "therapist", "session_type")
        .filter(token=token)
        .first()
    )


def accept(
    offer: WaitlistOffer,
    *,
    patient: Any,
    zone: str,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Book (or move to) the offered time. The link works once; a time someone else got
    first gives the usual "just taken" refusal with alternatives."""
    now = now or timezone.now()
    if offer.entry.patient_id != patient.pk:
        raise BookingRefused(msg.NOT_FOUND, _("There is no such offer."))
    if offer.status != OfferStatus.OPEN:
        raise BookingRefused(msg.NOT_ACTIVE, _("This offer was already used or withdrawn."))
    if offer.expires_at <= now:
        WaitlistOffer.objects.filter(pk=offer.pk).update(status=OfferStatus.EXPIRED)
        raise BookingRefused(msg.NOT_ACTIVE, _("This offer has expired."))
    kind = offer.session_type.kind
    try:
        with transaction.atomic():
            claimed = WaitlistOffer.objects.filter(pk=offer.pk, status=OfferStatus.OPEN).update(
                status=OfferStatus.ACCEPTED
            )
            if claimed != 1:
                raise BookingRefused(msg.NOT_ACTIVE, _("This offer was already used or withdrawn."))
            earlier = offer.entry.appointment
            # Moved only to a time of its own therapist's (offers.offer_freed_time offers
            # such an entry no other); an older offer of another's books a new session.
            if (
                earlier is not None
                and earlier.therapist_id == offer.therapist_id
                and earlier.status == "booked"
            ):
                appointment = services.reschedule(
                    earlier.pk,
                    actor=patient,
                    start=offer.start,
                    kind=kind,
                    zone=zone,
                    request=request,
                    now=now,
                )
            else:
                appointment = services.book(
                    patient=patient,
                    therapist_id=offer.therapist_id,
                    kind=kind,
                    start=offer.start,
                    # Sharing is per therapist: the offer's therapist sees the record
                    # only if the patient already shares it with them.
                    share_record=shares_record(patient, offer.therapist),
                    request=request,
                    now=now,
                )
            WaitlistOffer.objects.filter(pk=offer.pk).update(appointment=appointment)
            WaitlistEntry.objects.filter(pk=offer.entry_id).update(status=WaitlistStatus.BOOKED)
            WaitlistOffer.objects.filter(
                therapist_id=offer.therapist_id, start=offer.start, status=OfferStatus.OPEN
            ).update(status=OfferStatus.GONE)
    except BookingRefused as refused:
        if refused.code in (msg.TAKEN, "taken", "daily_limit", "not_offered"):
            WaitlistOffer.objects.filter(pk=offer.pk, status=OfferStatus.OPEN).update(
                status=OfferStatus.GONE
            )
        raise
    return appointment
