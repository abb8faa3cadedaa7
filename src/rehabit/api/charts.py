"""Patients and clinical notes for their therapist: the list, the chart summary, and SOAP
notes (list, start a draft, save it, sign it, add an addendum).

The same rules as the pages (``rehabit.charts``): only a signed-in therapist with a
therapist record (403 for anyone else); a patient's chart and notes only while the patient
has a session with them and shares their record with them (404 otherwise), each read in
the patient's access log. Drafts are their author's; a signed note never changes (409).
Writes carry the CSRF token (``X-CSRFToken``). Instants are ISO 8601 in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from rehabit.api.schemas import MessageOut, ValidationErrorOut, validation_error_body
from rehabit.api.therapist import therapist_only
from rehabit.booking.people import display_name, zone_of
from rehabit.charts import access, exam, notes
from rehabit.charts.chart import chart_context, chosen_assessment
from rehabit.charts.models import ADDENDUM_TEXT_MAX, NOTE_TEXT_MAX, ClinicalNote
from rehabit.charts.note_templates import prefill

router = Router(tags=["patients and clinical notes"], auth=therapist_only)
NO_PATIENT = "No such patient (or no session with you and no share of their record)."
Kind = Literal["first_assessment", "follow_up"]


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


class PatientOut(Schema):
    id: int
    name: str
    next_session: str | None = Field(description="Start of the next session with you (UTC).")
    last_session: str | None


class PatientListOut(Schema):
    patients: list[PatientOut]
    not_sharing: int = Field(
        description="Patients with a session with you who do not share their record."
    )


class AddendumOut(Schema):
    id: UUID
    author_name: str
    text: str
    created_at: str


class NoteOut(Schema):
    id: UUID
    patient_id: int
    kind: str
    status: str = Field(description="draft | signed")
    author_id: int
    author_name: str
    appointment_id: UUID | None
    subjective: str
    objective: str
    assessment: str
    plan: str
    exam: dict[str, Any] = Field(description="Tele-examination fields by id (see exam_fields).")
    revision: int = Field(description="Send it back when saving or signing a draft.")
    created_at: str
    updated_at: str
    signed_at: str | None
    signature: str = Field(description="SHA-256 of the signed content (empty for a draft).")
    addenda: list[AddendumOut]


class ExamFieldOut(Schema):
    id: str
    section: str
    label: str
    kind: str = Field(description="choice | number | text")
    choices: list[str]
    minimum: int | None
    maximum: int | None


class NoteListOut(Schema):
    notes: list[NoteOut]
    exam_fields: list[ExamFieldOut]


class NoteIn(Schema):
    kind: Kind
    appointment_id: UUID | None = Field(None, description="One of your sessions with them.")
    from_template: bool = Field(True, description="Start from the kind's template.")


class DraftIn(Schema):
    revision: int = Field(ge=1, description="The revision the draft was read at.")
    subjective: str | None = Field(None, max_length=NOTE_TEXT_MAX)
    objective: str | None = Field(None, max_length=NOTE_TEXT_MAX)
    assessment: str | None = Field(None, max_length=NOTE_TEXT_MAX)
    plan: str | None = Field(None, max_length=NOTE_TEXT_MAX)
    exam: dict[str, str | int | None] | None = Field(
        None, description="Replaces the whole examination; fields by id."
    )


class AddendumIn(Schema):
    text: str = Field(min_length=1, max_length=ADDENDUM_TEXT_MAX)


def _note_out(note: ClinicalNote) -> dict[str, Any]:
    return {
        "id": note.pk,
        "patient_id": note.patient_id,
        "kind": note.kind,
        "status": note.status,
        "author_id": note.author_id,
        "author_name": note.author_name,
        "appointment_id": note.appointment_id,
        **{key: getattr(note, key) for key in notes.SOAP},
        "exam": dict(note.exam),
        "revision": note.revision,
        "created_at": _iso(note.created_at),
        "updated_at": _iso(note.updated_at),
        "signed_at": _iso(note.signed_at),
        "signature": note.signature,
        "addenda": [
            {
                "id": a.pk,
                "author_name": a.author_name,
                "text": a.text,
                "created_at": _iso(a.created_at),
            }
            for a in note.addenda.all()
        ],
    }


def _exam_fields() -> list[dict[str, Any]]:
    return [
        {
            "id": f.id,
            "section": s.id,
            "label": str(f.label),
            "kind": f.kind,
            "choices": [value for value, _label in f.choices],
            "minimum": f.minimum if f.kind == "number" else None,
            "maximum": f.maximum if f.kind == "number" else None,
        }
        for s in exam.SECTIONS
        for f in s.fields
    ]


def _open(request: HttpRequest, patient_id: int, target: Any = None) -> tuple[Any, Any]:
    try:
        return access.open_chart(request, patient_id, target=target)
    except access.NoChart:
        raise HttpError(404, NO_PATIENT) from None


def _open_note(request: HttpRequest, patient_id: int, note_id: UUID) -> tuple[Any, ClinicalNote]:
    def pick(patient: Any) -> ClinicalNote | None:
        try:
            return notes.note_for(request.user, patient, note_id)
        except notes.NoteNotFound:
            return None

    patient, note = _open(request, patient_id, pick)
    if note is None:
        raise HttpError(404, "No such note.")
    return patient, note


def _refusal(exc: notes.NoteError) -> Status[Any]:
    if isinstance(exc, notes.FieldErrors):
        return Status(422, validation_error_body(exc.errors, ["body", "payload"]))
    if isinstance(exc, notes.NotAuthor):
        return Status(403, {"detail": str(exc)})
    return Status(409, {"detail": str(exc)})


@router.get(
    "/patients",
    response={200: PatientListOut, 403: MessageOut},
    summary="Your patients who share their record",
)
def list_patients(request: HttpRequest) -> dict[str, Any]:
    rows, withheld = access.patient_list(request.user)
    return {
        "patients": [
            {
                "id": r["patient"].pk,
                "name": r["name"],
                "next_session": _iso(r["next"].start) if r["next"] else None,
                "last_session": _iso(r["last"].start) if r["last"] else None,
            }
            for r in rows
        ],
        "not_sharing": withheld,
    }


@router.get(
    "/patients/{patient_id}/chart",
    response={200: dict[str, Any], 403: MessageOut, 404: MessageOut, 422: ValidationErrorOut},
    summary="A patient's chart: intake summary, plan, program, adherence, log, check-ins",
)
def patient_chart(request: HttpRequest, patient_id: int, assessment: UUID | None = None) -> Any:
    with timezone.override(zone_of(request.user)):
        patient, chosen = _open(request, patient_id, lambda p: chosen_assessment(p, assessment))
        context = chart_context(request.user, patient, chosen)
        out: dict[str, Any] = {
            "patient": {"id": patient.pk, "name": display_name(patient)},
            "zone": timezone.get_current_timezone_name(),
            "assessment_id": str(chosen.pk) if chosen else None,
            "assessments": [
                {"id": str(a.pk), "created_at": _iso(a.created_at), "disposition": a.disposition}
                for a in context["assessments"]
            ],
            "notes": [_note_out(n) for n in context["notes"]],
        }
        if chosen is None:
            return out
        intake = dict(context["intake"])
        for key in ("assessed_on", "onset_date"):
            intake[key] = intake[key].isoformat() if intake[key] else None
        care = context["care"]
        out.update(
            {
                "intake": intake,
                "program": [
                    {
                        k: item[k]
                        for k in (
                            "name",
                            "family",
                            "level",
                            "top",
                            "dosage",
                            "max_pain",
                            "rule",
                            "explanation",
                        )
                    }
                    for item in care["items"]
                ],
                "adherence": [
                    {"week_start": w.week_start.isoformat(), "done": w.done, "planned": w.planned}
                    for w in context["adherence"]
                ],
                "log": [
                    {
                        "id": str(row["session"].pk),
                        "logged_at": _iso(row["session"].logged_at),
                        "exercises": row["exercises"],
                        "pain_during": row["session"].pain_during,
                        "pain_after": row["session"].pain_after,
                        "difficulty": row["session"].difficulty,
                        "note": row["note"],
                        "next_morning": row["session"].next_morning or None,
                        "settled_within_24h": row["session"].settled_within_24h,
                        "warning_signs": row["signs"],
                    }
                    for row in context["log"]
                ],
            }
        )
        return out


@router.get(
    "/patients/{patient_id}/notes",
    response={200: NoteListOut, 403: MessageOut, 404: MessageOut, 422: ValidationErrorOut},
    summary="The clinical notes about a patient you may see",
)
def list_notes(request: HttpRequest, patient_id: int) -> Any:
    patient, _read = _open(request, patient_id)
    found = notes.visible_notes(request.user, patient)
    return {"notes": [_note_out(n) for n in found], "exam_fields": _exam_fields()}


@router.post(
    "/patients/{patient_id}/notes",
    response={201: NoteOut, 403: MessageOut, 404: MessageOut, 422: ValidationErrorOut},
    summary="Start a draft note (first video assessment or follow-up)",
)
def create_note(request: HttpRequest, patient_id: int, payload: NoteIn) -> Any:
    with timezone.override(zone_of(request.user)):
        patient, chosen = _open(request, patient_id, lambda p: chosen_assessment(p))
        text = prefill(payload.kind, chart_context(request.user, patient, chosen))
        try:
            note = notes.start_note(
                request,
                request.user,
                patient,
                payload.kind,
                appointment_id=payload.appointment_id,
                prefill=text if payload.from_template else None,
            )
        except notes.NoteError as refused:
            return _refusal(refused)
    return Status(201, _note_out(note))


@router.get(
    "/patients/{patient_id}/notes/{note_id}",
    response={200: NoteOut, 403: MessageOut, 404: MessageOut, 422: ValidationErrorOut},
    summary="One note with its addenda",
)
def get_note(request: HttpRequest, patient_id: int, note_id: UUID) -> Any:
    _patient, note = _open_note(request, patient_id, note_id)
    return _note_out(note)


@router.patch(
    "/patients/{patient_id}/notes/{note_id}",
    response={
        200: NoteOut,
        403: MessageOut,
        404: MessageOut,
        409: MessageOut,
        422: ValidationErrorOut,
    },
    summary="Save a draft (only its author; refused once signed or if changed since read)",
)
def update_note(request: HttpRequest, patient_id: int, note_id: UUID, payload: DraftIn) -> Any:
    return _write_draft(notes.save_draft, request, patient_id, note_id, payload)


@router.post(
    "/patients/{patient_id}/notes/{note_id}/sign",
    response={
        200: NoteOut,
        403: MessageOut,
        404: MessageOut,
        409: MessageOut,
        422: ValidationErrorOut,
    },
    summary="Sign a draft (with any last changes): it never changes again",
)
def sign_note(request: HttpRequest, patient_id: int, note_id: UUID, payload: DraftIn) -> Any:
    return _write_draft(notes.sign, request, patient_id, note_id, payload)


def _write_draft(
    action: Any, request: HttpRequest, patient_id: int, note_id: UUID, payload: DraftIn
) -> Any:
    """Save or sign a draft with the fields sent, at the revision the caller read."""
    _patient, note = _open_note(request, patient_id, note_id)
    data = payload.dict(exclude_unset=True, exclude={"revision"})
    try:
        note = action(request, request.user, note, data, revision=payload.revision)
    except notes.NoteError as refused:
        return _refusal(refused)
    return _note_out(note)


@router.post(
    "/patients/{patient_id}/notes/{note_id}/addenda",
    response={
        201: NoteOut,
        403: MessageOut,
        404: MessageOut,
        409: MessageOut,
        422: ValidationErrorOut,
    },
    summary="Add an addendum to a signed note",
)
def add_addendum(request: HttpRequest, patient_id: int, note_id: UUID, payload: AddendumIn) -> Any:
    _patient, note = _open_note(request, patient_id, note_id)
    try:
        notes.add_addendum(request, request.user, note, payload.text)
    except notes.NoteError as refused:
        return _refusal(refused)
    note.refresh_from_db()
    return Status(201, _note_out(ClinicalNote.objects.prefetch_related("addenda").get(pk=note.pk)))
