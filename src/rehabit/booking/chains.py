"""An appointment and its earlier times as one row.

A move makes a new appointment (``moved_from``) and every appointment of one lineage shares
the calendar UID (``ical_uid``). A session moved three times and then cancelled is one
appointment to the person, with a history, not four rows: ``fold`` keeps the latest of
each lineage and lists its earlier times.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rehabit.booking.models import Appointment, AppointmentStatus


@dataclass
class Chain:
    latest: Appointment
    earlier: list[Appointment] = field(default_factory=list)  # oldest first


def _latest(members: list[Appointment]) -> Appointment:
    """The one that was not moved on (booked, cancelled or over); else the newest."""
    standing = [a for a in members if a.status != AppointmentStatus.MOVED]
    pool = standing or members
    return max(pool, key=lambda a: (a.created_at, a.start))


def fold(appointments: Iterable[Appointment]) -> list[Chain]:
    """One ``Chain`` per lineage among ``appointments``, in the order their latest
    appointment first appears."""
    groups: dict[str, list[Appointment]] = {}
    for appointment in appointments:
        groups.setdefault(appointment.ical_uid or str(appointment.pk), []).append(appointment)
    chains = []
    for members in groups.values():
        latest = _latest(members)
        earlier = sorted((a for a in members if a.pk != latest.pk), key=lambda a: a.created_at)
        chains.append(Chain(latest, earlier))
    return chains


def split(
    upcoming: Iterable[Appointment], recent: Iterable[Appointment]
) -> tuple[list[Chain], list[Chain]]:
    """The "coming up" and "past, moved and cancelled" lists, each lineage once: a lineage
    whose latest time is coming up is listed there with its earlier times folded in."""
    upcoming = list(upcoming)
    recent = list(recent)
    everything = {a.pk: a for a in [*upcoming, *recent]}
    chains = fold(everything.values())
    ahead = {a.pk for a in upcoming}
    coming = [c for c in chains if c.latest.pk in ahead]
    past = [c for c in chains if c.latest.pk not in ahead]
    coming.sort(key=lambda c: c.latest.start)
    past.sort(key=lambda c: c.latest.start, reverse=True)
    return coming, past


def history_rows(chain: Chain, zone: str) -> list[dict[str, Any]]:
    """The earlier times of a chain, as the page lists them."""
    from rehabit.booking.timefmt import format_span

    return [
        {"when": format_span(a.start, a.end, zone), "status": a.get_status_display()}
        for a in chain.earlier
    ]
