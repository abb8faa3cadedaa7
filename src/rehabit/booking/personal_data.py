"""A patient's appointments in their personal-data export, and back again on import."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.dateparse import parse_datetime

from rehabit.booking.models import Appointment

FIELDS = ("status", "share_record", "ical_uid", "sequence", "room_name", "cancel_reason")
TIMES = ("start", "end", "created_at", "changed_at", "cancelled_at")


def export_appointments(user: Any) -> list[dict[str, Any]]:
    rows = Appointment.objects.filter(patient=user).select_related("therapist", "session_type")
    return [
        {
            "id": str(a.id),
            "therapist_id": a.therapist_id,
            "therapist": a.therapist.name,
            "session_type": a.session_type.kind,
            "moved_from": str(a.moved_from_id) if a.moved_from_id else None,
            **{f: getattr(a, f) for f in FIELDS},
            **{t: getattr(a, t).isoformat() if getattr(a, t) else None for t in TIMES},
        }
        for a in rows.order_by("start", "id")
    ]


def import_appointments(user: Any, items: Iterable[Mapping[str, Any]]) -> int:
    """Recreate exported appointments (their therapists and session types must exist)."""
    from rehabit.booking.models import SessionType

    made = 0
    pending = list(items)
    for item in pending:
        session_type = SessionType.objects.get(
            therapist_id=item["therapist_id"], kind=item["session_type"]
        )
        Appointment.objects.create(
            id=item["id"],
            therapist_id=item["therapist_id"],
            patient=user,
            session_type=session_type,
            **{f: item[f] for f in FIELDS},
            **{t: parse_datetime(item[t]) if item[t] else None for t in TIMES},
        )
        made += 1
    for item in pending:  # lineage once every appointment exists
        if item.get("moved_from"):
            Appointment.objects.filter(pk=item["id"]).update(moved_from_id=item["moved_from"])
    return made
