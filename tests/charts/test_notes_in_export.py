"""A patient's signed clinical notes are in their personal-data export (right of access);
drafts are not."""

from __future__ import annotations

import pytest

from rehabit.accounts.data_rights import build_export
from rehabit.charts import notes
from tests.clinic.support import Clinic

pytestmark = pytest.mark.django_db


def test_signed_notes_and_addenda_are_exported_and_drafts_are_not(clinic: Clinic) -> None:
    author = clinic.therapist.user
    signed = notes.start_note(None, author, clinic.patient, "first_assessment")
    signed = notes.sign(
        None,
        author,
        signed,
        {"subjective": "Sprinting injury.", "assessment": "Grade 1 strain.", "plan": "Load."},
        revision=signed.revision,
    )
    notes.add_addendum(None, author, signed, "Reviewed the video again: no limp.")
    draft = notes.start_note(None, author, clinic.patient, "follow_up")
    exported = build_export(clinic.patient)["clinical_notes"]
    assert [n["id"] for n in exported] == [str(signed.id)]
    assert exported[0]["assessment"] == "Grade 1 strain."
    assert exported[0]["addenda"][0]["text"] == "Reviewed the video again: no limp."
    assert str(draft.id) not in {n["id"] for n in exported}
