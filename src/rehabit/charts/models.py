"""Clinical notes: SOAP notes a therapist writes about a patient, drafted then signed.

A signed note never changes. The service (``rehabit.charts.notes``) refuses it, the model
refuses to save it, and the database refuses it too (migration 0002: triggers on SQLite
and PostgreSQL refuse any UPDATE of a signed note or of an addendum, and any DELETE of
either, except inside the patient's account erasure or the test profile's ``flush``).
Corrections are addenda, each with its author and time.

The author is kept as an id and a name written at the time (no foreign key that a later
change of the author's account could rewrite); the patient is a foreign key, so the
patient's account erasure removes their notes (``rehabit.charts.receivers``).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NOTE_TEXT_MAX = 10_000
ADDENDUM_TEXT_MAX = 5_000
NAME_MAX = 120


class SignedNoteError(RuntimeError):
    """A signed note (or an addendum) was about to be changed or deleted."""


class NoteKind(models.TextChoices):
    FIRST_ASSESSMENT = "first_assessment", _("First video assessment")
    FOLLOW_UP = "follow_up", _("Follow-up")


class NoteStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")


class ClinicalNoteQuerySet(models.QuerySet["ClinicalNote"]):
    def update(self, **kwargs: Any) -> int:
        if self.filter(status=NoteStatus.SIGNED).exists():
            raise SignedNoteError("A signed note never changes: write an addendum.")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(status=NoteStatus.SIGNED).exists():
            raise SignedNoteError("A signed note is never deleted.")
        return super().delete()

    def erase(self) -> tuple[int, dict[str, int]]:
        """The one sanctioned bulk erasure: these notes, signed or not, with their addenda.

        Only for the patient's account erasure (``rehabit.charts.receivers.erase_notes``),
        inside ``rehabit.charts.guards.erasure_permitted`` for that patient: without that
        permit the database's triggers refuse to delete a signed note or an addendum, so
        this is no way round ``delete()`` (which refuses signed notes in any case).

        Django's public ``QuerySet.delete()``, without the check ``delete()`` adds: the
        addenda go with their notes (``on_delete=CASCADE``), deleted before them, so the
        addendum trigger still finds the note's patient.
        """
        return super().delete()


class ClinicalNote(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinical_notes"
    )
    author_id = models.BigIntegerField(_("author (user id)"), db_index=True)
    author_name = models.CharField(_("author"), max_length=NAME_MAX)
    # The session the note is about (an id, not a foreign key: the note outlives it).
    appointment_id = models.UUIDField(_("session"), null=True, blank=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=NoteKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=NoteStatus.choices, default=NoteStatus.DRAFT
    )
    subjective = models.TextField(_("subjective"), max_length=NOTE_TEXT_MAX, blank=True)
    objective = models.TextField(_("objective"), max_length=NOTE_TEXT_MAX, blank=True)
    assessment = models.TextField(_("assessment"), max_length=NOTE_TEXT_MAX, blank=True)
    plan = models.TextField(_("plan"), max_length=NOTE_TEXT_MAX, blank=True)
    # The tele-examination: {field id: value} for the fields of rehabit.charts.exam.
    exam = models.JSONField(_("tele-examination"), default=dict, blank=True)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    updated_at = models.DateTimeField(_("last saved"), default=timezone.now)
    # Raised on every save of a draft: a save from a stale form is refused, not lost.
    revision = models.PositiveIntegerField(default=1)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    # SHA-256 of the content as signed (rehabit.charts.notes.fingerprint).
    signature = models.CharField(_("content fingerprint"), max_length=64, blank=True)

    objects = ClinicalNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("clinical note")
        verbose_name_plural = _("clinical notes")
        indexes = [models.Index(fields=["patient", "created_at"], name="charts_note_patient")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | (models.Q(status="signed") & models.Q(signed_at__isnull=False)),
                name="charts_signed_note_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Clinical note {self.id} ({self.status})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True)
            if stored.first() == NoteStatus.SIGNED:
                raise SignedNoteError("A signed note never changes: write an addendum.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.is_signed:
            raise SignedNoteError("A signed note is never deleted.")
        return super().delete(*args, **kwargs)

    @property
    def is_signed(self) -> bool:
        return self.status == NoteStatus.SIGNED


class NoteAddendumQuerySet(models.QuerySet["NoteAddendum"]):
    def update(self, **kwargs: Any) -> int:
        raise SignedNoteError("An addendum never changes: write another one.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise SignedNoteError("An addendum is never deleted.")


class NoteAddendum(models.Model):
    """An amendment to a signed note: what changes, by whom, when. Never edited."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    note = models.ForeignKey(ClinicalNote, on_delete=models.CASCADE, related_name="addenda")
    author_id = models.BigIntegerField(_("author (user id)"))
    author_name = models.CharField(_("author"), max_length=NAME_MAX)
    text = models.TextField(_("addendum"), max_length=ADDENDUM_TEXT_MAX)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    objects = NoteAddendumQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")

    def __str__(self) -> str:
        return f"Addendum {self.id} to {self.note_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise SignedNoteError("An addendum never changes: write another one.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise SignedNoteError("An addendum is never deleted.")
