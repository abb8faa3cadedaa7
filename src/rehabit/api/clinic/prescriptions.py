"""Prescriptions: a patient's home program as the therapist set it (GET, PUT), and the
clinician's clearance that opens a program withheld for safety (POST, withdraw)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal
from uuid import UUID

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from rehabit.accounts.records import audit_record_read
from rehabit.accounts.roles import is_staff_role
from rehabit.api.auth import signed_in
from rehabit.api.clinic.common import field_errors, iso
from rehabit.api.schemas import MessageOut, NotFoundOut, ValidationErrorOut
from rehabit.care.models import CLEARANCE_WHO_MAX, PRESCRIPTION_TEXT_MAX
from rehabit.care.presenters import dosage_lines, explain_item
from rehabit.care.programs import clearance_out, prescription_out, program_for
from rehabit.care.selectors import sessions_of
from rehabit.clinic import clearing, prescribing
from rehabit.clinic.errors import FieldErrors, NotPossible, Refused
from rehabit.clinic.relations import therapist_record
from rehabit.clinical.prescription import DOSAGE_LIMITS
from rehabit.core.inputs import Day
from rehabit.core.reviewed_text import tr

Rule = Literal["automatic", "hold", "with_therapist"]
router = Router(tags=["therapist workspace"])


class DosageIn(Schema):
    sets: int | None = Field(None, ge=DOSAGE_LIMITS["sets"][0], le=DOSAGE_LIMITS["sets"][1])
    reps: int | None = Field(None, ge=DOSAGE_LIMITS["reps"][0], le=DOSAGE_LIMITS["reps"][1])
    hold_seconds: int | None = Field(None, ge=1, le=DOSAGE_LIMITS["hold_seconds"][1])
    minutes: int | None = Field(None, ge=1, le=DOSAGE_LIMITS["minutes"][1])
    rest_seconds: int | None = Field(None, ge=1, le=DOSAGE_LIMITS["rest_seconds"][1])
    per_day: int | None = Field(None, ge=1, le=DOSAGE_LIMITS["per_day"][1])
    days_per_week: int | None = Field(None, ge=1, le=DOSAGE_LIMITS["days_per_week"][1])


class PrescriptionItemIn(Schema):
    family: str = Field(max_length=64, description="The exercise family (see /exercises).")
    exercise_id: str | None = Field(
        max_length=64, description="The exercise (so the level) to do; null stops the family."
    )
    dosage: DosageIn = Field(
        default_factory=DosageIn, description="Numbers replacing the library's; omit to keep them."
    )  # type: ignore[arg-type]
    rule: Rule = Field("automatic", description="automatic | hold | with_therapist")
    note: str = Field("", max_length=PRESCRIPTION_TEXT_MAX, description="Shown to the patient.")


class PrescriptionIn(Schema):
    items: list[PrescriptionItemIn] = Field(
        max_length=20,
        description="The whole prescription: a family not listed goes back to the automatic "
        "program.",
    )
    reason: str = Field(
        min_length=1, max_length=PRESCRIPTION_TEXT_MAX, description="Shown to the patient."
    )


class PrescribedOut(Schema):
    family: str
    exercise_id: str | None
    dosage: dict[str, int]
    rule: str
    note: str
    reason: str
    prescribed_by: str
    prescribed_at: str


class PrescriptionProgramItemOut(Schema):
    exercise_id: str
    name: str
    family: str
    level: int
    levels: list[int]
    dosage: dict[str, Any]
    dosage_text: list[str]
    rule: str
    progress: str
    prescription: PrescribedOut | None


class ClearanceIn(Schema):
    checked_by: str = Field(
        max_length=CLEARANCE_WHO_MAX, description="Who examined the patient (name, place)."
    )
    checked_on: Day = Field(
        description="The day of the examination, YYYY-MM-DD: not in the future, not before "
        "the pain began.",
    )
    finding: str = Field(
        max_length=PRESCRIPTION_TEXT_MAX, description="What they found; shown to the patient."
    )
    confirmed: bool = Field(
        description="True: you have read the clinician's findings and they cover everything "
        "in ``withheld_by``."
    )


class WithdrawalIn(Schema):
    reason: str = Field(max_length=PRESCRIPTION_TEXT_MAX)


class ClearanceOut(Schema):
    checked_by: str
    checked_on: date
    finding: str
    recorded_by: str
    recorded_at: str


class PrescriptionOut(Schema):
    patient_id: int
    assessment_id: UUID | None = Field(description="The program's assessment (the latest).")
    prescribable: bool = Field(
        description="False while the program is withheld for safety and no clinician's "
        "clearance is recorded."
    )
    withheld_by: list[str] = Field(
        description="While the program is withheld for safety (or opened by a clearance): "
        "the warning signs and causes a clinician must examine."
    )
    clearance: ClearanceOut | None = Field(
        description="The clinician's findings recorded on a withheld program: while one "
        "stands, you set every exercise (the rules add none)."
    )
    phase: str | None
    items: list[PrescriptionProgramItemOut]
    stopped: list[PrescribedOut]


def _prescribed(found: Any) -> dict[str, Any] | None:
    out = prescription_out(found)
    if out is not None:
        out["prescribed_at"] = iso(out["prescribed_at"])
    return out


def _prescription_body(patient: Any) -> dict[str, Any]:
    assessment = prescribing.current_assessment(patient)
    body: dict[str, Any] = {
        "patient_id": patient.pk,
        "assessment_id": assessment.pk if assessment else None,
        "prescribable": False,
        "withheld_by": [],
        "clearance": None,
        "phase": None,
        "items": [],
        "stopped": [],
    }
    if assessment is None:
        return body
    care = program_for(assessment)
    sessions = list(sessions_of(assessment))
    clearance = clearance_out(care.clearance)
    if clearance is not None:
        clearance["recorded_at"] = iso(clearance["recorded_at"])
    body.update(
        prescribable=care.prescribable,
        withheld_by=clearing.withheld_by(assessment, care)
        if care.clearance or not care.prescribable
        else [],
        clearance=clearance,
        phase=care.phase,
        items=[
            {
                "exercise_id": item.exercise.id,
                "name": tr(item.exercise.name),
                "family": item.family,
                "level": item.level,
                "levels": list(item.levels),
                "dosage": dict(item.dosage),
                "dosage_text": dosage_lines(item.dosage),
                "rule": item.rule,
                "progress": explain_item(item, sessions),
                "prescription": _prescribed(item.prescription),
            }
            for item in care.items
        ],
        stopped=[_prescribed(p) for p in care.stopped],
    )
    return body


def _patient_for_therapist(request: HttpRequest, patient_id: int) -> tuple[int, Any]:
    """(200, the patient) for a therapist who may read their record (audited), else 404
    with one answer whether or not the account exists, as the chart's API: a different
    one would tell any therapist which account numbers are patients."""
    no_patient = (
        404,
        {"detail": _("No such patient (or no session with you and no share of their record).")},
    )
    patient = get_user_model().objects.filter(pk=patient_id, is_active=True).first()
    if patient is None or is_staff_role(patient) or therapist_record(request.user) is None:
        return no_patient
    assessment = prescribing.current_assessment(patient)
    if not audit_record_read(request, patient, target=assessment):
        return no_patient
    return 200, patient


@router.get(
    "/patients/{patient_id}/prescription",
    auth=signed_in,
    response={200: PrescriptionOut, 403: MessageOut, 404: NotFoundOut, 422: ValidationErrorOut},
    summary="A patient's home program as prescribed",
)
def get_prescription(request: HttpRequest, patient_id: int) -> Status[Any]:
    """The program of the patient's latest assessment with the therapist's prescription
    applied: each exercise at its level, dosage, progression rule and reason. Audited."""
    status, found = _patient_for_therapist(request, patient_id)
    if status != 200:
        return Status(status, found)
    return Status(200, _prescription_body(found))


@router.put(
    "/patients/{patient_id}/prescription",
    auth=signed_in,
    response={
        200: PrescriptionOut,
        403: MessageOut,
        404: NotFoundOut,
        409: MessageOut,
        422: ValidationErrorOut,
    },
    summary="Set a patient's home program",
)
def put_prescription(request: HttpRequest, patient_id: int, payload: PrescriptionIn) -> Status[Any]:
    """Replace the prescription: each listed family at the given exercise (null: stopped),
    dosage, rule and note; families not listed go back to the automatic program. The
    patient sees the change with ``reason`` and gets an e-mail without details. 409 when
    the patient has no assessment or their program is withheld for safety; 422 names
    every bad field."""
    raw = [
        {**item.model_dump(), "dosage": item.dosage.model_dump(exclude_none=True)}
        for item in payload.items
    ]

    def change(patient: Any) -> None:
        items = prescribing.clean_items(raw)
        reason = prescribing.clean_reason(payload.reason)
        prescribing.prescribe(request, patient, items, reason, replace=True)

    return _changed(request, patient_id, change)


def _changed(request: HttpRequest, patient_id: int, change: Any) -> Status[Any]:
    """Run ``change(patient)`` for a therapist who may see the record; the program after it,
    or the refusal (403 not allowed, 409 not possible now, 422 per field)."""
    status, patient = _patient_for_therapist(request, patient_id)
    if status != 200:
        return Status(status, patient)
    try:
        change(patient)
    except FieldErrors as exc:
        return Status(422, field_errors(exc))
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    except NotPossible as exc:
        return Status(409, {"detail": str(exc)})
    return Status(200, _prescription_body(patient))


CLEARANCE_RESPONSES = {
    200: PrescriptionOut,
    403: MessageOut,
    404: NotFoundOut,
    409: MessageOut,
    422: ValidationErrorOut,
}


@router.post(
    "/patients/{patient_id}/clearance",
    auth=signed_in,
    response=CLEARANCE_RESPONSES,
    summary="Record that a clinician examined the patient and found exercise safe",
)
def post_clearance(request: HttpRequest, patient_id: int, payload: ClearanceIn) -> Status[Any]:
    """On a program withheld for safety (``withheld_by`` lists why): who examined the
    patient, on which day and what they found. The program then opens to your prescription
    (PUT ``/prescription``); the rules add no exercises of their own. Audited. 409 when the
    program is not withheld or a clearance already stands; 422 names every bad field."""

    def change(patient: Any) -> None:
        clearing.clear(request, patient, payload.model_dump())

    return _changed(request, patient_id, change)


@router.post(
    "/patients/{patient_id}/clearance/withdraw",
    auth=signed_in,
    response=CLEARANCE_RESPONSES,
    summary="Withdraw a recorded clearance",
)
def withdraw_clearance(request: HttpRequest, patient_id: int, payload: WithdrawalIn) -> Status[Any]:
    """The program is withheld again; prescriptions are kept, paused. Audited. 409 when no
    clearance stands."""

    def change(patient: Any) -> None:
        reason = clearing.clean_withdrawal(payload.reason)
        clearing.withdraw_clearance(request, patient, reason)

    return _changed(request, patient_id, change)
