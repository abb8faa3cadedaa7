"""Search across therapists: who can see the patient soonest.

A "find any therapist" page is linear in therapists x appointments (engineering.md §3.2):
filter the candidates first (specialty, language, licence region), then call this.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from datetime import datetime
from typing import Generic, NamedTuple, TypeVar

from .rules import AvailabilityRules, BusyLike, SessionType
from .slots import Slot, first_free_slots

__all__ = ["SearchCandidate", "earliest_slots"]

TherapistId = TypeVar("TherapistId", bound=Hashable)


class SearchCandidate(NamedTuple, Generic[TherapistId]):
    """One therapist to search: any 4-tuple in this order works as well."""

    therapist_id: TherapistId
    rules: AvailabilityRules
    session_type: SessionType | str
    busy: BusyLike


def earliest_slots(
    candidates: Iterable[tuple[TherapistId, AvailabilityRules, SessionType | str, BusyLike]],
    *,
    now: datetime,
    not_before: datetime | None = None,
    per_therapist: int = 3,
    limit: int | None = None,
) -> dict[TherapistId, list[Slot]]:
    """Each therapist's ``per_therapist`` earliest free slots.

    The dict is ordered by each therapist's first free slot (ties keep the input order);
    therapists with nothing free, or who do not offer the session type, are left out.
    ``limit`` keeps only that many therapists.
    """
    found = soonest_first(
        candidates,
        lambda rules, session_type, busy: first_free_slots(
            rules, session_type, busy, now=now, n=per_therapist, not_before=not_before
        ),
    )
    if limit is not None:
        found = dict(list(found.items())[: max(limit, 0)])
    return found


def soonest_first(
    candidates: Iterable[tuple[TherapistId, AvailabilityRules, SessionType | str, BusyLike]],
    first_slots: Callable[[AvailabilityRules, SessionType | str, BusyLike], list[Slot]],
) -> dict[TherapistId, list[Slot]]:
    """Each therapist's slots as ``first_slots`` finds them, ordered by each therapist's
    first one (ties keep the input order); therapists with none are left out. A therapist
    listed twice is a mistake of the caller's (``ValueError``)."""
    found: list[tuple[datetime, int, TherapistId, list[Slot]]] = []
    seen: set[TherapistId] = set()
    for index, (therapist_id, rules, session_type, busy) in enumerate(candidates):
        if therapist_id in seen:
            raise ValueError(f"Therapist {therapist_id!r} is listed twice.")
        seen.add(therapist_id)
        slots = first_slots(rules, session_type, busy)
        if slots:
            found.append((slots[0].start, index, therapist_id, slots))
    found.sort(key=lambda item: (item[0], item[1]))
    return {therapist_id: slots for _, _, therapist_id, slots in found}
