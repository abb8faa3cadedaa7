"""The patient's conversations and alerts in their data export, and back on import.

For ``rehabit.accounts.data_rights``: ``export_clinic(user)`` gives the conversations the
person had as a patient (every message, both sides) and the alerts their check-ins
raised; ``import_clinic(user, section)`` recreates them once the assessments, exercise
log and appointments are back (a conversation with a therapist no longer listed is left
out). Erasure needs nothing here: threads and alerts go with the account (CASCADE).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from rehabit.booking.models import Therapist
from rehabit.clinic.models import Alert, Message, MessageThread
from rehabit.core.exported import iso as _iso
from rehabit.core.exported import when as _when


def export_clinic(user: Any) -> dict[str, list[dict[str, Any]]]:
    threads = MessageThread.objects.filter(patient=user).select_related("therapist")
    return {
        "conversations": [
            {
                "id": str(t.id),
                "therapist_id": t.therapist_id,
                "therapist": t.therapist.name,
                "created_at": _iso(t.created_at),
                "last_message_at": _iso(t.last_message_at),
                "messages": [
                    {
                        "id": str(m.id),
                        "from_patient": m.from_patient,
                        "body": m.body,
                        "sent_at": _iso(m.sent_at),
                        "read_at": _iso(m.read_at),
                    }
                    for m in t.messages.order_by("sent_at", "id")
                ],
            }
            for t in threads.order_by("created_at", "id")
        ],
        "alerts": [
            {
                "id": str(a.id),
                "therapist_id": a.therapist_id,
                "assessment_id": str(a.assessment_id),
                "session_id": str(a.session_id) if a.session_id else None,
                "kind": a.kind,
                "urgency": a.urgency,
                "details": a.details,
                "raised_at": _iso(a.raised_at),
                "acknowledged_at": _iso(a.acknowledged_at),
            }
            for a in Alert.objects.filter(patient=user).order_by("raised_at", "id")
        ],
    }


@transaction.atomic
def import_clinic(user: Any, section: Mapping[str, Any]) -> None:
    therapists = {t.pk: t for t in Therapist.objects.all()}
    for c in section.get("conversations") or []:
        therapist = therapists.get(c.get("therapist_id"))
        if therapist is None:
            continue
        thread = MessageThread.objects.create(
            id=c["id"],
            patient=user,
            therapist=therapist,
            created_at=_when(c["created_at"]),
            last_message_at=_when(c.get("last_message_at")),
        )
        for m in c.get("messages") or []:
            Message.objects.create(
                id=m["id"],
                thread=thread,
                sender=user if m["from_patient"] else therapist.user,
                from_patient=bool(m["from_patient"]),
                body=m["body"],
                sent_at=_when(m["sent_at"]),
                read_at=_when(m.get("read_at")),
            )
    for a in section.get("alerts") or []:
        therapist = therapists.get(a.get("therapist_id"))
        if therapist is None:
            continue
        Alert.objects.create(
            id=a["id"],
            patient=user,
            therapist=therapist,
            assessment_id=a["assessment_id"],
            session_id=a.get("session_id"),
            kind=a["kind"],
            urgency=a["urgency"],
            details=a.get("details") or {},
            raised_at=_when(a["raised_at"]),
            acknowledged_at=_when(a.get("acknowledged_at")),
        )
