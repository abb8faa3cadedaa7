"""Clinical notes: start a draft from a template, save it, sign it, add addenda.

The rules live here, for the pages and the API alike:

- only a therapist who may read the patient's record now (``access.open_chart``) writes
  a note about them; only the note's author saves or signs a draft;
- a draft is saved with the revision the form was loaded at: a save from a stale form is
  refused (``Conflict``), never silently overwrites;
- a note is about one of the author's booked sessions with the patient, or none (never a
  cancelled or moved one), and is signed only once that session has started (``NotYet``);
- signing needs an assessment and a plan; the signed content gets a SHA-256 fingerprint
  and never changes (the model and the database refuse it: ``models``, migration 0002);
- an addendum (on a signed note only) is written by a therapist who may read the record,
  with their name and the time; it never changes either;
- every write is in the audit log (``record.changed``: which note, what was done).

A therapist sees their own notes (drafts too) and the signed notes of other therapists
of the patient; drafts are their author's alone.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from rehabit.audit.models import AuditAction
from rehabit.audit.services import record
from rehabit.booking.people import display_name
from rehabit.charts import exam
from rehabit.charts.models import (
    ADDENDUM_TEXT_MAX,
    NOTE_TEXT_MAX,
    ClinicalNote,
    NoteAddendum,
    NoteKind,
    NoteStatus,
)

SOAP = ("subjective", "objective", "assessment", "plan")
REQUIRED_TO_SIGN = ("assessment", "plan")


class NoteError(Exception):
    """Base of the refusals (each has a message for the person)."""


class NoteNotFound(NoteError):
    """No such note for this person (or not theirs to see)."""


class NotAuthor(NoteError):
    """Only the note's author may change or sign a draft."""


class Conflict(NoteError):
    """The note is signed, or changed since the form was loaded."""


class NotYet(NoteError):
    """The session the note is about has not started: a note about it is not signed yet."""


class FieldErrors(NoteError):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def visible_notes(user: Any, patient: Any) -> QuerySet[ClinicalNote]:
    """Notes about ``patient`` that ``user`` (a therapist who may read the record) sees."""
    return (
        ClinicalNote.objects.filter(patient=patient)
        .filter(Q(author_id=user.pk) | Q(status=NoteStatus.SIGNED))
        .prefetch_related("addenda")
        .order_by("-created_at")
    )


def note_for(user: Any, patient: Any, note_id: object) -> ClinicalNote:
    try:
        return visible_notes(user, patient).get(pk=uuid.UUID(str(note_id)))
    except (ClinicalNote.DoesNotExist, ValueError):
        raise NoteNotFound(_("No such note.")) from None


def fingerprint(note: ClinicalNote) -> str:
    """SHA-256 of what was signed: who, about whom, when, and every word."""
    content = {
        "id": str(note.id),
        "patient": note.patient_id,
        "author": note.author_id,
        "author_name": note.author_name,
        "appointment": str(note.appointment_id or ""),
        "kind": note.kind,
        "soap": {k: getattr(note, k) for k in SOAP},
        "exam": note.exam,
        "signed_at": note.signed_at.isoformat() if note.signed_at else None,
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _audit(request: HttpRequest | None, actor: Any, note: ClinicalNote, change: str) -> None:
    record(
        AuditAction.RECORD_CHANGED,
        request=request,
        actor=actor,
        subject=note.patient_id,
        target_type="clinicalnote",
        target_id=note.pk,
        details={"change": change, "kind": note.kind},
    )


def _clean(data: Mapping[str, Any], kind: str) -> tuple[dict[str, Any], dict[str, list[str]]]:
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for key in SOAP:
        if key not in data:
            continue
        text = str(data[key] or "").strip()
        if len(text) > NOTE_TEXT_MAX:
            errors[key] = [
                _("At most %(max)s characters (this has %(count)s).")
                % {"max": NOTE_TEXT_MAX, "count": len(text)}
            ]
        values[key] = text
    if "exam" in data:
        raw = data["exam"] or {}
        if not isinstance(raw, Mapping):
            errors["exam"] = [_("The examination must be a set of fields.")]
        else:
            cleaned, problems = exam.clean(raw, kind)
            values["exam"] = cleaned
            for field_id, message in problems.items():
                errors[f"exam.{field_id}"] = [message]
    return values, errors


@transaction.atomic
def start_note(
    request: HttpRequest | None,
    author: Any,
    patient: Any,
    kind: str,
    *,
    appointment_id: Any = None,
    prefill: Mapping[str, str] | None = None,
) -> ClinicalNote:
    """A new draft by ``author`` about ``patient`` (access already decided by the caller
    through ``access.open_chart``), from the template of its ``kind``."""
    if kind not in NoteKind.values:
        raise FieldErrors({"kind": [_("Choose a first video assessment or a follow-up.")]})
    if appointment_id is not None:
        _check_session(author, patient, appointment_id)
    now = timezone.now()
    note = ClinicalNote.objects.create(
        patient=patient,
        author_id=author.pk,
        author_name=display_name(author)[:120],
        appointment_id=appointment_id,
        kind=kind,
        created_at=now,
        updated_at=now,
        **{k: str(v)[:NOTE_TEXT_MAX] for k, v in (prefill or {}).items() if k in SOAP},
    )
    _audit(request, author, note, "note.started")
    return note


def _check_session(author: Any, patient: Any, appointment_id: Any) -> None:
    """A note is about one of the author's sessions with the patient that still holds
    its time: never a cancelled or moved one."""
    from rehabit.booking.models import Appointment

    try:
        session = Appointment.objects.filter(
            pk=appointment_id, patient=patient, therapist__user=author
        ).first()
    except (ValidationError, ValueError, TypeError):  # an id that is no UUID ("nope")
        session = None
    if session is None:
        message = _("That is not a session of yours with this patient.")
        raise FieldErrors({"appointment_id": [message]})
    if not session.is_active:
        message = _(
            "That session was cancelled or moved: write the note about the session that "
            "took place, or about no session."
        )
        raise FieldErrors({"appointment_id": [message]})


def _check_started(note: ClinicalNote) -> None:
    """A note about a session is signed once the session has started, never before."""
    from rehabit.booking.models import Appointment
    from rehabit.core.timefmt import format_when

    session = Appointment.objects.filter(pk=note.appointment_id).first()
    if session is not None and session.start > timezone.now():
        raise NotYet(
            _(
                "This note is about the session of %(when)s, which has not started yet: "
                "it can be signed once the session has started. Your text is kept below: "
                "save it as a draft until then."
            )
            % {"when": format_when(session.start)}
        )


def _locked_draft(note: ClinicalNote, author: Any, revision: int | None) -> ClinicalNote:
    current = ClinicalNote.objects.select_for_update().get(pk=note.pk)
    if current.author_id != author.pk:
        raise NotAuthor(_("Only the therapist who wrote this note can change or sign it."))
    if current.is_signed:
        raise Conflict(_("This note is signed and can no longer change. Add an addendum."))
    if revision is not None and revision != current.revision:
        raise Conflict(
            _(
                "This note was changed elsewhere since you opened it (it is at version "
                "%(now)s, your form at %(yours)s). Your text is kept below: copy what you "
                "need, reload the note, and save again."
            )
            % {"now": current.revision, "yours": revision}
        )
    return current


@transaction.atomic
def save_draft(
    request: HttpRequest | None,
    author: Any,
    note: ClinicalNote,
    data: Mapping[str, Any],
    *,
    revision: int | None,
) -> ClinicalNote:
    current = _locked_draft(note, author, revision)
    values, errors = _clean(data, current.kind)
    if errors:
        raise FieldErrors(errors)
    for key, value in values.items():
        setattr(current, key, value)
    current.revision += 1
    current.updated_at = timezone.now()
    current.save()
    _audit(request, author, current, "note.saved")
    return current


@transaction.atomic
def sign(
    request: HttpRequest | None,
    author: Any,
    note: ClinicalNote,
    data: Mapping[str, Any] | None = None,
    *,
    revision: int | None,
) -> ClinicalNote:
    """Save ``data`` (if any) and sign: the note never changes again."""
    current = _locked_draft(note, author, revision)
    _check_started(current)
    values, errors = _clean(data or {}, current.kind)
    for key, value in values.items():
        setattr(current, key, value)
    for key in REQUIRED_TO_SIGN:
        if not getattr(current, key).strip() and key not in errors:
            errors[key] = [_("Write this before signing: a signed note cannot be changed.")]
    if errors:
        raise FieldErrors(errors)
    now = timezone.now()
    current.status = NoteStatus.SIGNED
    current.signed_at = now
    current.updated_at = now
    current.revision += 1
    current.signature = fingerprint(current)
    current.save()
    _audit(request, author, current, "note.signed")
    return current


@transaction.atomic
def discard_draft(request: HttpRequest | None, author: Any, note: ClinicalNote) -> None:
    current = _locked_draft(note, author, None)
    _audit(request, author, current, "note.discarded")
    current.delete()


@transaction.atomic
def add_addendum(
    request: HttpRequest | None, author: Any, note: ClinicalNote, text: object
) -> NoteAddendum:
    """An amendment to a signed note by a therapist who may read the record (checked by
    the caller through ``access.open_chart``)."""
    current = ClinicalNote.objects.select_for_update().get(pk=note.pk)
    if not current.is_signed:
        raise Conflict(_("A draft is changed directly; addenda are for signed notes."))
    cleaned = str(text or "").strip()
    if not cleaned:
        raise FieldErrors({"text": [_("Write the addendum.")]})
    if len(cleaned) > ADDENDUM_TEXT_MAX:
        raise FieldErrors(
            {
                "text": [
                    _("At most %(max)s characters (this has %(count)s).")
                    % {"max": ADDENDUM_TEXT_MAX, "count": len(cleaned)}
                ]
            }
        )
    addendum = NoteAddendum.objects.create(
        note=current,
        author_id=author.pk,
        author_name=display_name(author)[:120],
        text=cleaned,
        created_at=timezone.now(),
    )
    _audit(request, author, current, "note.addendum")
    return addendum


def verify(note: ClinicalNote) -> bool:
    """Does the signed content still match its fingerprint?"""
    return note.is_signed and note.signature == fingerprint(note)
