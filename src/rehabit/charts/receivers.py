"""The patient's account erasure removes their clinical notes (with their addenda)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from rehabit.accounts.erasure import personal_data_erasing
from rehabit.charts.guards import erasure_permitted
from rehabit.charts.models import ClinicalNote


@receiver(personal_data_erasing, dispatch_uid="rehabit.charts.erase_notes")
def erase_notes(sender: Any, user: Any, **kwargs: Any) -> None:
    """Inside the erasure's transaction: the only deletion the database lets through."""
    notes = ClinicalNote.objects.filter(patient=user)
    with erasure_permitted(int(user.pk), using=notes.db):
        notes.erase()
