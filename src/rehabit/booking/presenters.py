"""Turn engine slots and stored appointments into what pages and the API show."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from itertools import groupby
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from rehabit.booking import video
from rehabit.booking.messages import (
    change_deadline,
    patient_bound,
    patient_may_change,
    policy_sentence,
)
from rehabit.booking.models import Appointment, Specialty, Therapist
from rehabit.booking.people import display_name
from rehabit.booking.timefmt import (
    format_day,
    format_span,
    format_time,
    format_when,
    format_zone_short,
    in_zone,
    zone_label,
)
from rehabit.scheduling import Slot
from rehabit.scheduling.day_parts import DayPart, starts_in_part


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def book_url(therapist_id: int, kind: str, slot: Slot, zone: str) -> str:
    query = urlencode({"session": kind, "start": iso_utc(slot.start), "tz": zone})
    return reverse("booking:book", args=[therapist_id]) + "?" + query


def slot_view(slot: Slot, zone: str, *, therapist_id: int, therapist_zone: str) -> dict[str, Any]:
    return {
        "start": slot.start,
        "iso": iso_utc(slot.start),
        "time": format_time(slot.start, zone),
        "zone": format_zone_short(slot.start, zone),  # beside each time: "17:00 CST"
        "day": format_day(slot.start, zone),
        "when": format_when(slot.start, zone),
        "therapist_when": format_when(slot.start, therapist_zone),
        "url": book_url(therapist_id, slot.session_type_id, slot, zone),
    }


def slots_by_day(
    slots: Iterable[Slot],
    zone: str,
    *,
    therapist_id: int,
    therapist_zone: str,
    part: DayPart = DayPart.ANY,
) -> list[dict[str, Any]]:
    """Slots grouped under the viewer's local dates.

    With a part of the day (``rehabit.scheduling.day_parts``), each day that has free
    times keeps only those starting in it: a day whose free times are all at other hours
    is listed with no slots, so the page can say so rather than leave the day out."""
    views = [
        slot_view(s, zone, therapist_id=therapist_id, therapist_zone=therapist_zone) for s in slots
    ]
    return [
        {"day": day, "slots": [v for v in items if starts_in_part(v["start"], part, zone)]}
        for day, items in groupby(views, key=lambda v: v["day"])
    ]


def therapist_cards(therapists: list[Therapist]) -> dict[int, dict[str, Any]]:
    """Cards for many therapists from three plain queries (no model instances)."""
    from rehabit.booking.loading import fast_rows
    from rehabit.booking.models import (
        SPOKEN_LANGUAGES,
        SessionKind,
        SessionType,
        TherapistLanguage,
        TherapistSpecialty,
    )

    ids = [t.pk for t in therapists]
    cards: dict[int, dict[str, Any]] = {
        t.pk: {"therapist": t, "specialties": [], "languages": [], "session_types": []}
        for t in therapists
    }
    specialty_names = dict(Specialty.choices)
    language_names = dict(SPOKEN_LANGUAGES)
    kind_names = dict(SessionKind.choices)
    query = TherapistSpecialty.objects.filter(therapist_id__in=ids).order_by("pk")
    for tid, code in fast_rows(query.values_list("therapist_id", "specialty"), "", ""):
        cards[tid]["specialties"].append(specialty_names.get(code, code))
    query = TherapistLanguage.objects.filter(therapist_id__in=ids).order_by("pk")
    for tid, code in fast_rows(query.values_list("therapist_id", "language"), "", ""):
        cards[tid]["languages"].append(language_names.get(code, code))
    query = SessionType.objects.filter(therapist_id__in=ids, is_offered=True).order_by("kind")
    for tid, kind, minutes in fast_rows(
        query.values_list("therapist_id", "kind", "duration_minutes"), "", "", ""
    ):
        cards[tid]["session_types"].append(
            {
                "get_kind_display": kind_names.get(kind, kind),
                "duration_minutes": minutes,
                "kind": kind,
            }
        )
    return cards


def therapist_card(therapist: Therapist) -> dict[str, Any]:
    labels = dict(Specialty.choices)
    return {
        "therapist": therapist,
        "specialties": [labels.get(s.specialty, s.specialty) for s in therapist.specialties.all()],
        "languages": [lang.get_language_display() for lang in therapist.languages.all()],
        "session_types": [s for s in therapist.session_types.all() if s.is_offered],
    }


def next_session_view(user: Any, zone: str, now: datetime | None = None) -> dict[str, Any] | None:
    """The next session ``user`` is booked into as the patient (the soonest booked one not
    yet over), as its page shows it (``appointment_view``: when, in ``zone``, with the zone;
    join; move or cancel while allowed), for the account page; None when there is none.
    A therapist's sessions with their patients are not theirs to attend as a patient."""
    from rehabit.booking.selectors import upcoming_for

    now = now or timezone.now()
    following = upcoming_for(user, now).filter(patient=user).first()
    return None if following is None else appointment_view(following, user, zone, now)


def appointment_view(
    appointment: Appointment, user: Any, zone: str, now: datetime | None = None
) -> dict[str, Any]:
    """Everything an appointment page shows, in the viewer's zone and the therapist's."""
    now = now or timezone.now()
    therapist_zone = appointment.therapist.time_zone
    is_patient = user.pk == appointment.patient_id
    is_therapist = user.pk == appointment.therapist.user_id
    deadline = change_deadline(appointment)
    active = appointment.is_active and appointment.end > now
    may_change = active and (
        not patient_bound(appointment, user) or patient_may_change(appointment, now)
    )
    return {
        "appointment": appointment,
        "when": format_span(appointment.start, appointment.end, zone),
        "therapist_when": format_span(appointment.start, appointment.end, therapist_zone),
        "same_zone": zone_label(appointment.start, zone)
        == zone_label(appointment.start, therapist_zone),
        "local_start": in_zone(appointment.start, zone),
        "is_patient": is_patient,
        "is_therapist": is_therapist,
        "active": active,
        "may_change": may_change,
        "policy": policy_sentence(deadline, zone, now),
        "deadline_passed": now >= deadline,
        "video_open": video.is_open(appointment, now) and video.is_participant(user, appointment),
        "video_opens": format_when(video.opens_at(appointment), zone),
        "is_participant": video.is_participant(user, appointment),
        "patient_name": display_name(appointment.patient) if is_therapist else "",
    }
