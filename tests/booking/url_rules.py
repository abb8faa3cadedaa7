"""Access rules for the booking URLs, in the form of ``tests/security/url_rules.py``.

The security suite (owned by the accounts work) must merge these with one line in
``tests/security/url_rules.py``::

    from tests.booking.url_rules import BOOKING_RULES
    RULES.update(BOOKING_RULES)

Appointment pages are RECORD rules: the build functions give the context's patient an
appointment with a therapist (made on first use) and address it.
"""

from __future__ import annotations

from typing import Any

from tests.security.url_rules import PUBLIC, RECORD, SELF, STAFF, Rule


def appointment_of(ctx: Any) -> Any:
    """The context patient's appointment (booked more than a day ahead), made once."""
    found = getattr(ctx, "_booking_appointment", None)
    if found is None:
        from datetime import timedelta

        from tests.booking.support import book, free_start, make_therapist

        therapist = make_therapist("Rule Therapist")
        found = book(ctx.patient, therapist, free_start(therapist, after=timedelta(days=3)))
        ctx._booking_appointment = found
    return found


def _appointment(suffix: str = "") -> Any:
    return lambda ctx: f"/booking/appointments/{appointment_of(ctx).pk}/{suffix}"


def _therapist_availability(ctx: Any) -> str:
    return f"/booking/therapists/{appointment_of(ctx).therapist_id}/availability/"


def _therapist_sessions(ctx: Any) -> str:
    return f"/booking/therapists/{appointment_of(ctx).therapist_id}/sessions/"


BOOKING_RULES: dict[str, Rule] = {
    "booking:search": Rule(PUBLIC, why="therapists and free times; no personal data"),
    "booking:therapist": Rule(PUBLIC, why="a therapist's public profile and free times"),
    "booking:book": Rule(PUBLIC, why="shows the chosen time; booking itself needs an account"),
    "booking:feed": Rule(PUBLIC, why="opened by its secret token alone, for calendar apps"),
    "booking:offer": Rule(
        PUBLIC, why="single-use secret token from the e-mail, and only its patient signed in"
    ),
    "booking:appointments": Rule(SELF, lambda ctx: "/booking/appointments/"),
    "booking:waitlist": Rule(SELF, lambda ctx: "/booking/waitlist/"),
    "booking:leave_waitlist": Rule(SELF, lambda ctx: "/booking/waitlist/1/leave/"),
    "booking:feed_settings": Rule(SELF, lambda ctx: "/booking/calendar/"),
    # Only the two participants, from 10 minutes before (tests/booking/test_pages.py);
    # SELF rules are built without a context, so this one names no real appointment.
    "booking:join": Rule(
        SELF, lambda ctx: "/booking/appointments/00000000-0000-4000-8000-000000000000/join/"
    ),
    "booking:appointment": Rule(RECORD, _appointment()),
    "booking:calendar_file": Rule(RECORD, _appointment("session.ics")),
    "booking:reschedule": Rule(RECORD, _appointment("reschedule/")),
    "booking:cancel": Rule(RECORD, _appointment("cancel/")),
    "booking:therapist_availability": Rule(STAFF, _therapist_availability),
    "booking:therapist_sessions": Rule(
        STAFF, _therapist_sessions, why="administrators only: a therapist's booked sessions"
    ),
    "api:list_therapists": Rule(PUBLIC),
    "api:therapist_slots": Rule(PUBLIC),
    "api:list_appointments": Rule(SELF, lambda ctx: "/api/v1/appointments"),
    "api:create_appointment": Rule(SELF, lambda ctx: "/api/v1/appointments"),
    "api:get_appointment": Rule(
        RECORD, lambda ctx: f"/api/v1/appointments/{appointment_of(ctx).pk}"
    ),
    "api:reschedule_appointment": Rule(
        RECORD, lambda ctx: f"/api/v1/appointments/{appointment_of(ctx).pk}"
    ),
    "api:cancel_appointment": Rule(
        RECORD, lambda ctx: f"/api/v1/appointments/{appointment_of(ctx).pk}"
    ),
    "api:cancel_appointment_with_reason": Rule(
        RECORD,
        lambda ctx: f"/api/v1/appointments/{appointment_of(ctx).pk}",
        why="POST .../cancel acts on the appointment read here (refused to others: "
        "tests/api/test_booking_api.py)",
    ),
}
