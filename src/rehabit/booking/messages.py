"""Every refusal the booking layer can give, with the sentence a person reads.

Pages and the API show the same words. ``BookingRefused.status`` is the HTTP status the
API answers with: 409 when the world changed under the request (taken, window closed,
no longer active), 422 for a request that can never succeed as written, 404 for an
unknown therapist or appointment, 429 for too many booking changes in a short time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rehabit.booking.timefmt import format_when
from rehabit.scheduling import Reason, Slot

TAKEN = "taken"
WINDOW_CLOSED = "window_closed"
NOT_ACTIVE = "not_active"
ALREADY_HELD = "already_held"
NOT_FOUND = "not_found"
UNKNOWN_TIME_ZONE = "unknown_time_zone"
NAIVE_TIME = "naive_time"
NOT_LISTED = "not_listed"
OUT_OF_RANGE = "out_of_range"
SAME_TIME = "same_time"
TOO_MANY_BOOKINGS = "too_many_bookings"
RATE_LIMITED = "rate_limited"

CONFLICTS = {
    TAKEN,
    WINDOW_CLOSED,
    NOT_ACTIVE,
    ALREADY_HELD,
    TOO_MANY_BOOKINGS,
    Reason.TAKEN.value,
    Reason.DAILY_LIMIT.value,
}

# The request field each refusal is about (for field-level API errors).
FIELD_OF = {
    Reason.UNKNOWN_SESSION_TYPE.value: "session_type",
    UNKNOWN_TIME_ZONE: "time_zone",
    NOT_LISTED: "therapist_id",
}


@dataclass
class BookingRefused(Exception):
    """A booking, move or cancellation that cannot be done, and why."""

    code: str
    message: str
    alternatives: list[Slot] = field(default_factory=list)
    retry_after: int | None = None

    def __str__(self) -> str:
        return self.message

    @property
    def status(self) -> int:
        if self.code == NOT_FOUND:
            return 404
        if self.code == RATE_LIMITED:
            return 429
        return 409 if self.code in CONFLICTS else 422

    @property
    def field(self) -> str:
        return FIELD_OF.get(self.code, "start")


def _duration(minutes: int) -> str:
    if minutes % 1440 == 0:
        days = minutes // 1440
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


def refusal(reason: str, *, therapist: Any, kind_label: str = "", offered: str = "") -> str:
    """The sentence for an engine ``Reason`` (or one of the codes above)."""
    name = therapist.name if therapist is not None else ""
    if reason == Reason.IN_THE_PAST:
        return _("That time has already passed. Please choose a time that is still to come.")
    if reason == Reason.TOO_SOON:
        return _(
            "%(name)s needs at least %(notice)s notice, so that time is too soon. "
            "Please choose a later time."
        ) % {"name": name, "notice": _duration(therapist.minimum_notice_minutes)}
    if reason == Reason.BEYOND_HORIZON:
        return _(
            "%(name)s takes bookings up to %(days)s ahead, and that time is further away. "
            "Please choose an earlier date."
        ) % {"name": name, "days": _duration(therapist.horizon_days * 1440)}
    if reason == Reason.NOT_OFFERED:
        return _(
            "%(name)s does not offer a session at that time. Please choose one of the times shown."
        ) % {"name": name}
    if reason in (Reason.TAKEN, TAKEN):
        return _("Sorry, that time was just taken. The nearest free times are shown instead.")
    if reason == Reason.DAILY_LIMIT:
        return _("%(name)s is fully booked on that day. Please choose another day.") % {
            "name": name
        }
    if reason == Reason.UNKNOWN_SESSION_TYPE:
        return _("%(name)s does not offer “%(kind)s”. They offer: %(offered)s.") % {
            "name": name,
            "kind": kind_label,
            "offered": offered or _("no sessions at the moment"),
        }
    if reason == NOT_LISTED:
        return _("This therapist is not taking bookings.")
    if reason == NOT_ACTIVE:
        return _("This appointment was already cancelled or moved, so it cannot be changed.")
    if reason == ALREADY_HELD:
        return _(
            "This session has already taken place, so it cannot be moved. Book a new session "
            "instead."
        )
    return _("That time cannot be booked.")


def same_time(when: str) -> str:
    return _(
        "Your session is already at %(when)s. Choose a different time to move it to, or keep "
        "it as it is."
    ) % {"when": when}


def unknown_zone(name: str, suggestion: str | None = None) -> str:
    shown = name if len(name) <= 60 else name[:57] + "..."
    message = _(
        "“%(zone)s” is not a time zone we know. Use a name from the list, such as "
        "Europe/London or Asia/Kolkata."
    ) % {"zone": shown}
    if suggestion:
        message += " " + _("Did you mean %(suggestion)s?") % {"suggestion": suggestion}
    return message


def naive_time() -> str:
    return _(
        "Give the time with its UTC offset, for example 2026-03-02T09:00:00+00:00, "
        "so it cannot be misread."
    )


# --- The patient's change window --------------------------------------------------------


def window_hours() -> int:
    return int(settings.REHABIT_PATIENT_CHANGE_WINDOW_HOURS)


def change_deadline(appointment: Any) -> datetime:
    """Until when a patient may cancel or move ``appointment`` online."""
    return appointment.start - timedelta(hours=window_hours())


def patient_may_change(appointment: Any, now: datetime | None = None) -> bool:
    return (now or timezone.now()) < change_deadline(appointment)


def patient_bound(appointment: Any, person: Any) -> bool:
    """Whether ``person`` is held to the patient's change window for ``appointment``: its
    patient, unless they are also its therapist, who may change it at any time. The one
    definition behind the appointment page, its e-mails and its calendar files."""
    return bool(person.pk == appointment.patient_id and person.pk != appointment.therapist.user_id)


def policy_sentence(deadline: datetime, zone: str, now: datetime | None = None) -> str:
    """The rule exactly as it is enforced, with this appointment's deadline. Given ``now``
    past the deadline (a session booked less than the window before it starts, or a
    reminder an hour before), it says the session can no longer be changed online instead
    of naming a deadline already gone as if it were still to come."""
    hours = window_hours()
    if now is not None and now >= deadline:
        return ngettext(
            "This appointment can no longer be cancelled or moved online: that is possible "
            "only until %(hours)d hour before it starts. To change it, write to your therapist.",
            "This appointment can no longer be cancelled or moved online: that is possible "
            "only until %(hours)d hours before it starts. To change it, write to your therapist.",
            hours,
        ) % {"hours": hours}
    return ngettext(
        "You can cancel or move this appointment online until %(deadline)s "
        "(%(hours)d hour before it starts). After that, write to your therapist.",
        "You can cancel or move this appointment online until %(deadline)s "
        "(%(hours)d hours before it starts). After that, write to your therapist.",
        hours,
    ) % {"deadline": format_when(deadline, zone), "hours": hours}


def booking_policy_sentence(deadline: datetime, zone: str, now: datetime) -> str:
    """The rule as told before booking: a time that starts sooner than the window cannot
    be cancelled or moved online once booked, and the person is told so before they book."""
    if now < deadline:
        return policy_sentence(deadline, zone)
    hours = window_hours()
    return ngettext(
        "This session starts in less than %(hours)d hour: once booked, it cannot be "
        "cancelled or moved online (that is possible only until %(hours)d hour before it "
        "starts). To change it, you would write to your therapist.",
        "This session starts in less than %(hours)d hours: once booked, it cannot be "
        "cancelled or moved online (that is possible only until %(hours)d hours before it "
        "starts). To change it, you would write to your therapist.",
        hours,
    ) % {"hours": hours}


def therapist_policy_sentence(deadline: datetime, zone: str, now: datetime | None = None) -> str:
    """The same rule told to the therapist: what binds the patient, and that the
    therapist is not bound by it (past the deadline, given ``now``: that it binds now)."""
    hours = window_hours()
    if now is not None and now >= deadline:
        return ngettext(
            "The patient can no longer cancel or move this appointment online (that is "
            "possible only until %(hours)d hour before it starts); they write to you. You can "
            "move or cancel it at any time.",
            "The patient can no longer cancel or move this appointment online (that is "
            "possible only until %(hours)d hours before it starts); they write to you. You can "
            "move or cancel it at any time.",
            hours,
        ) % {"hours": hours}
    return ngettext(
        "The patient can cancel or move this appointment online until %(deadline)s "
        "(%(hours)d hour before it starts); after that, they write to you. You can move "
        "or cancel it at any time.",
        "The patient can cancel or move this appointment online until %(deadline)s "
        "(%(hours)d hours before it starts); after that, they write to you. You can move "
        "or cancel it at any time.",
        hours,
    ) % {"deadline": format_when(deadline, zone), "hours": hours}


def window_closed(deadline: datetime, zone: str) -> str:
    hours = window_hours()
    return ngettext(
        "This appointment can no longer be cancelled or moved online: that was possible "
        "until %(deadline)s (%(hours)d hour before it starts). Write to your therapist instead.",
        "This appointment can no longer be cancelled or moved online: that was possible "
        "until %(deadline)s (%(hours)d hours before it starts). Write to your therapist instead.",
        hours,
    ) % {"deadline": format_when(deadline, zone), "hours": hours}
