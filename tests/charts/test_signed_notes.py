"""A signed note never changes: refused by the service, the model, the queryset, and by
the database itself (triggers on SQLite and PostgreSQL), including a raw SQL UPDATE.
Addenda are written on signed notes only and never change either. Only the patient's
account erasure removes them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from rehabit.charts import notes
from rehabit.charts.models import ClinicalNote, NoteAddendum, SignedNoteError
from tests.clinic.support import Clinic

pytestmark = pytest.mark.django_db


def _signed(clinic: Clinic) -> ClinicalNote:
    author = clinic.therapist.user
    note = notes.start_note(None, author, clinic.patient, "first_assessment")
    return notes.sign(
        None,
        author,
        note,
        {"subjective": "Sprinting injury.", "assessment": "Grade 1 strain.", "plan": "Load."},
        revision=note.revision,
    )


def _raw(sql: str, params: list[Any]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _note_id(note: ClinicalNote) -> Any:
    """The primary key as the database stores it (SQLite: 32 hex digits)."""
    return note.pk.hex if connection.vendor == "sqlite" else note.pk


def test_signing_fingerprints_the_content(clinic: Clinic) -> None:
    note = _signed(clinic)
    assert note.is_signed and note.signed_at is not None
    assert len(note.signature) == 64 and notes.verify(note)
    note.plan = "Changed in memory"
    assert not notes.verify(note)


def test_the_service_refuses_to_change_a_signed_note(clinic: Clinic) -> None:
    note = _signed(clinic)
    author = clinic.therapist.user
    with pytest.raises(notes.Conflict):
        notes.save_draft(None, author, note, {"plan": "Other"}, revision=note.revision)
    with pytest.raises(notes.Conflict):
        notes.sign(None, author, note, {"plan": "Other"}, revision=note.revision)
    with pytest.raises(notes.Conflict):
        notes.discard_draft(None, author, note)
    note.refresh_from_db()
    assert note.plan == "Load."


def test_the_model_and_queryset_refuse_too(clinic: Clinic) -> None:
    note = _signed(clinic)
    note.plan = "Rewritten"
    with pytest.raises(SignedNoteError):
        note.save()
    with pytest.raises(SignedNoteError):
        ClinicalNote.objects.filter(pk=note.pk).update(plan="Rewritten")
    with pytest.raises(SignedNoteError):
        ClinicalNote.objects.filter(pk=note.pk).delete()
    with pytest.raises(SignedNoteError):
        note.delete()
    addendum = notes.add_addendum(None, clinic.therapist.user, note, "SLR 60 degrees.")
    addendum.text = "Rewritten"
    with pytest.raises(SignedNoteError):
        addendum.save()
    with pytest.raises(SignedNoteError):
        NoteAddendum.objects.filter(pk=addendum.pk).update(text="Rewritten")
    with pytest.raises(SignedNoteError):
        addendum.delete()
    assert ClinicalNote.objects.get(pk=note.pk).plan == "Load."


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE charts_clinicalnote SET plan = 'Rewritten' WHERE id = %s",
        "UPDATE charts_clinicalnote SET status = 'draft', signed_at = NULL WHERE id = %s",
        "UPDATE charts_clinicalnote SET signature = '' WHERE id = %s",
        "DELETE FROM charts_clinicalnote WHERE id = %s",
    ],
)
def test_the_database_refuses_a_raw_change_of_a_signed_note(clinic: Clinic, sql: str) -> None:
    """On SQLite and on PostgreSQL (the suite runs on both), by the triggers of
    migration charts.0002, whatever the application code does."""
    note = _signed(clinic)
    with pytest.raises(DatabaseError, match="signed note"):
        _raw(sql, [_note_id(note)])
    stored = ClinicalNote.objects.get(pk=note.pk)
    assert stored.plan == "Load." and stored.is_signed and notes.verify(stored)


def test_the_database_refuses_a_raw_change_of_an_addendum(clinic: Clinic) -> None:
    note = _signed(clinic)
    addendum = notes.add_addendum(None, clinic.therapist.user, note, "SLR 60 degrees.")
    key = addendum.pk.hex if connection.vendor == "sqlite" else addendum.pk
    with pytest.raises(DatabaseError, match="addendum"):
        _raw("UPDATE charts_noteaddendum SET text = 'Rewritten' WHERE id = %s", [key])
    with pytest.raises(DatabaseError, match="addendum"):
        _raw("DELETE FROM charts_noteaddendum WHERE id = %s", [key])
    assert NoteAddendum.objects.get(pk=addendum.pk).text == "SLR 60 degrees."


def test_the_database_refuses_an_addendum_on_a_draft(clinic: Clinic) -> None:
    draft = notes.start_note(None, clinic.therapist.user, clinic.patient, "follow_up")
    with pytest.raises(notes.Conflict):
        notes.add_addendum(None, clinic.therapist.user, draft, "Too early.")
    with pytest.raises(DatabaseError, match="signed notes"), transaction.atomic():
        NoteAddendum.objects.create(note=draft, author_id=1, author_name="X", text="Raw.")
    assert not NoteAddendum.objects.exists()


def test_a_draft_may_change_and_be_discarded(clinic: Clinic) -> None:
    draft = notes.start_note(None, clinic.therapist.user, clinic.patient, "follow_up")
    _raw("UPDATE charts_clinicalnote SET plan = 'Draft plan' WHERE id = %s", [_note_id(draft)])
    assert ClinicalNote.objects.get(pk=draft.pk).plan == "Draft plan"
    notes.discard_draft(None, clinic.therapist.user, draft)
    assert not ClinicalNote.objects.filter(pk=draft.pk).exists()


def test_only_the_patients_erasure_removes_their_notes(clinic: Clinic) -> None:
    from rehabit.accounts.erasure import erase_account

    note = _signed(clinic)
    notes.add_addendum(None, clinic.therapist.user, note, "SLR 60 degrees.")
    other = notes.start_note(None, clinic.stranger.user, clinic.other_patient, "follow_up")
    other = notes.sign(
        None, clinic.stranger.user, other, {"assessment": "A", "plan": "P"}, revision=other.revision
    )
    erase_account(clinic.patient)
    assert not ClinicalNote.objects.filter(pk=note.pk).exists()
    assert not NoteAddendum.objects.exists()
    # The permit was for that patient, inside that transaction only.
    with pytest.raises(DatabaseError, match="signed note"):
        _raw("DELETE FROM charts_clinicalnote WHERE id = %s", [_note_id(other)])
    assert ClinicalNote.objects.filter(pk=other.pk).exists()


def test_the_erasure_method_is_no_way_round_the_database_outside_the_permit(
    clinic: Clinic,
) -> None:
    """``erase()`` (the queryset method the patient's erasure uses inside its permit) is
    refused by the database anywhere else, for a signed note and for its addenda."""
    note = _signed(clinic)
    with pytest.raises(DatabaseError, match="signed note"), transaction.atomic():
        ClinicalNote.objects.filter(pk=note.pk).erase()
    notes.add_addendum(None, clinic.therapist.user, note, "SLR 60 degrees.")
    with pytest.raises(DatabaseError, match="addendum"), transaction.atomic():
        ClinicalNote.objects.filter(pk=note.pk).erase()
    assert ClinicalNote.objects.filter(pk=note.pk).exists()
    assert NoteAddendum.objects.filter(note=note).count() == 1


def test_the_sqlite_triggers_exist_on_a_migrated_database() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only (PostgreSQL: the raw-SQL tests above)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        names = {row[0] for row in cursor.fetchall()}
    assert {
        "charts_clinicalnote_no_update",
        "charts_clinicalnote_no_delete",
        "charts_noteaddendum_signed_only",
        "charts_noteaddendum_no_update",
        "charts_noteaddendum_no_delete",
    } <= names
