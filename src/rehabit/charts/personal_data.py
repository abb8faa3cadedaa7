"""A patient's clinical notes in their personal-data export (the right of access).

Signed notes and their addenda are part of the patient's record and are exported; drafts
are the therapist's working papers until signed, and are not. Notes are not imported: they
are the therapist's record of care, written by someone else.
"""

from __future__ import annotations

from typing import Any

from rehabit.charts.models import ClinicalNote


def export_notes(user: Any) -> list[dict[str, Any]]:
    notes = (
        ClinicalNote.objects.filter(patient=user, signed_at__isnull=False)
        .prefetch_related("addenda")
        .order_by("signed_at", "id")
    )
    return [
        {
            "id": str(note.id),
            "kind": note.kind,
            "author": note.author_name,
            "appointment": str(note.appointment_id) if note.appointment_id else None,
            "signed_at": note.signed_at.isoformat() if note.signed_at else None,
            "subjective": note.subjective,
            "objective": note.objective,
            "assessment": note.assessment,
            "plan": note.plan,
            "tele_examination": note.exam,
            "content_fingerprint": note.signature,
            "addenda": [
                {
                    "author": addendum.author_name,
                    "written_at": addendum.created_at.isoformat(),
                    "text": addendum.text,
                }
                for addendum in sorted(note.addenda.all(), key=lambda a: (a.created_at, a.id))
            ],
        }
        for note in notes
    ]
