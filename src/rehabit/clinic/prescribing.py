"""A therapist sets or edits a patient's home program: the only code that writes
``care.PrescribedExercise``.

The program belongs to the patient's latest assessment (the one the therapist sees before
a session). Only a therapist who may see the patient's record now (relationship and
consent: ``can_view_patient_record``) prescribes; each change is audited, moves the
family to the prescribed level, and tells the patient by e-mail that their program
changed (no health detail; at most one such e-mail a day). The core decides what fits
(``rehabit.clinical.prescription.check_override``); a program withheld for red flags or a
serious cause is not opened by a prescription, only by a clinician's clearance
(``rehabit.clinic.clearing``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from rehabit.assessments.models import Assessment
from rehabit.audit.models import AuditAction
from rehabit.audit.services import record
from rehabit.care.models import PRESCRIPTION_TEXT_MAX, PrescribedExercise, ProgramLevel
from rehabit.care.programs import standing_clearance, withheld_for_safety
from rehabit.care.withdrawals import standing
from rehabit.clinic import notices
from rehabit.clinic.errors import FieldErrors, NotPossible, Refused
from rehabit.clinic.relations import may_see_record, therapist_record
from rehabit.clinical.exercises import load_exercises
from rehabit.clinical.prescription import (
    DOSAGE_LIMITS,
    PrescriptionError,
    PrescriptionOverride,
    check_override,
)
from rehabit.clinical.progression import PROGRESSION_RULES
from rehabit.core.inputs import whole_number
from rehabit.mail.words import their_words


@dataclass
class PrescriptionItem:
    """One family's prescription as asked for (checked by ``clean_items``)."""

    family: str
    exercise_id: str | None  # None: stop the family
    dosage: dict[str, int] = field(default_factory=dict)
    rule: str = "automatic"
    note: str = ""


def current_assessment(patient: Any) -> Assessment | None:
    """The assessment whose program the therapist prescribes on: the patient's latest."""
    return Assessment.objects.filter(owner=patient).order_by("-created_at").first()


def prescriber(request: HttpRequest, patient: Any) -> Any:
    """The request's therapist record, if they may change this patient's program (and
    record a clearance on it); raises Refused otherwise."""
    therapist = therapist_record(request.user)
    if therapist is None or not may_see_record(therapist, patient):
        raise Refused(
            _(
                "Only a therapist the patient has a session with, and who the patient shares "
                "their record with, can change their program."
            )
        )
    return therapist


def _whole(value: Any) -> int | None:
    return whole_number(value, low=None)


def clean_items(raw: Any, prefix: str = "items") -> list[PrescriptionItem]:
    """Check the asked-for prescriptions against the library; FieldErrors names each
    problem as ``<prefix>.<n>.<field>`` (nothing is stored when any is wrong)."""
    errors: dict[str, list[str]] = {}
    if not isinstance(raw, list | tuple):
        raise FieldErrors({prefix: [_("Send a list of exercises.")]})
    library = load_exercises()
    withdrawn = standing()
    items: list[PrescriptionItem] = []
    seen: set[str] = set()
    for n, entry in enumerate(raw):
        where = f"{prefix}.{n}"
        if not isinstance(entry, Mapping):
            errors[where] = [_("Each exercise must be an object.")]
            continue
        family = str(entry.get("family") or "")
        exercise_id = entry.get("exercise_id") or None
        dosage: dict[str, int] = {}
        for key, value in dict(entry.get("dosage") or {}).items():
            if value in (None, ""):
                continue
            number = _whole(value)
            if number is None or str(key) not in DOSAGE_LIMITS:
                errors.setdefault(f"{where}.dosage.{key}", []).append(
                    _("Enter a whole number, or leave it empty to keep the library's dosage.")
                )
                continue
            dosage[str(key)] = number
        rule = str(entry.get("rule") or "automatic")
        note, problem = their_words(
            entry.get("note"), limit=PRESCRIPTION_TEXT_MAX, required=False, what=_("note")
        )
        if problem:
            errors.setdefault(f"{where}.note", []).append(problem)
        if family in seen:
            errors.setdefault(f"{where}.family", []).append(_("This exercise is listed twice."))
        seen.add(family)
        item = PrescriptionItem(family, exercise_id, dosage, rule, note)
        if exercise_id is not None and str(exercise_id) in withdrawn:
            errors.setdefault(f"{where}.exercise_id", []).append(
                _("This exercise is out of use at the moment (%(reason)s). Choose another.")
                % {"reason": withdrawn[str(exercise_id)].reason}
            )
            items.append(item)
            continue
        try:
            check_override(
                PrescriptionOverride(family, exercise_id, dosage, rule),  # type: ignore[arg-type]
                library,
            )
        except PrescriptionError as exc:
            errors.setdefault(f"{where}.{exc.field}", []).append(_problem(exc.field, rule))
        items.append(item)
    if errors:
        raise FieldErrors(errors)
    return items


def _problem(field_name: str, rule: str) -> str:
    if field_name == "rule":
        return _("Choose how the exercise may progress.")
    if field_name == "family":
        return _("Choose an exercise from the library.")
    if field_name == "exercise_id":
        return _("Choose an exercise of this kind from the library.")
    if field_name == "dosage":
        return _("A stopped exercise has no dosage: leave the numbers empty.")
    key = field_name.removeprefix("dosage.")
    low, high = DOSAGE_LIMITS.get(key, (1, 1))
    return _(
        "Not part of this exercise's dosage, or out of range: enter a whole number from "
        "%(low)s to %(high)s, or leave it empty."
    ) % {"low": low, "high": high}


def clean_reason(raw: Any) -> str:
    reason, problem = their_words(
        raw, limit=PRESCRIPTION_TEXT_MAX, required=True, what=_("reason for the change")
    )
    if problem:
        raise FieldErrors({"reason": [problem]})
    return reason


def _withheld(assessment: Assessment) -> bool:
    """Withheld for safety, and no clinician's clearance stands (``rehabit.clinic.clearing``)."""
    return withheld_for_safety(assessment) and standing_clearance(assessment) is None


def prescribe(
    request: HttpRequest,
    patient: Any,
    items: Sequence[PrescriptionItem],
    reason: str,
    *,
    replace: bool = False,
    reset: Sequence[str] = (),
) -> list[PrescribedExercise]:
    """Store the prescriptions ``items`` (checked by ``clean_items``) with ``reason``
    (checked by ``clean_reason``) on the patient's current program. ``replace``: families
    not in ``items`` go back to the rules' program (the API's PUT); ``reset``: these
    families go back. Raises Refused or NotPossible (no assessment; program withheld)."""
    therapist = prescriber(request, patient)
    assessment = current_assessment(patient)
    if assessment is None:
        raise NotPossible(
            _(
                "The patient has not done a self-assessment yet, and a home program is built "
                "from one. Ask them to do it from their account first."
            )
        )
    if _withheld(assessment) and (items or reset or replace):
        raise NotPossible(
            _(
                "The patient's latest answers withhold exercises until a clinician has seen "
                "them (warning signs or a cause that needs checking first). Record the "
                "clinician's findings first; then you can set the program."
            )
        )
    now = timezone.now()
    library = {e.id: e for e in load_exercises()}
    with transaction.atomic():
        Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
        stored = []
        for item in items:
            row, _created = PrescribedExercise.objects.update_or_create(
                assessment=assessment,
                family=item.family,
                defaults={
                    "exercise_id": item.exercise_id or "",
                    "dosage": item.dosage,
                    "rule": item.rule,
                    "note": item.note,
                    "reason": reason,
                    "prescribed_by": request.user,
                    "prescriber_name": therapist.name[:120],
                    "prescribed_at": now,
                },
            )
            stored.append(row)
            if item.exercise_id:
                ProgramLevel.objects.update_or_create(
                    assessment=assessment,
                    family=item.family,
                    defaults={"level": library[item.exercise_id].level, "updated_at": now},
                )
        kept = {i.family for i in items}
        gone = PrescribedExercise.objects.filter(assessment=assessment)
        gone = gone.exclude(family__in=kept) if replace else gone.filter(family__in=reset)
        removed = sorted(gone.values_list("family", flat=True))
        gone.delete()
        if not stored and not removed:
            return []
        record(
            AuditAction.RECORD_CHANGED,
            request=request,
            subject=patient,
            target_type="prescription",
            target_id=assessment.pk,
            details={"change": "prescription", "families": sorted(kept), "removed": removed},
        )
        day = now.date().isoformat()
        notices.post_program_changed(patient, assessment, f"{assessment.pk}.{day}")
    return stored


__all__ = [
    "PROGRESSION_RULES",
    "PrescriptionItem",
    "clean_items",
    "clean_reason",
    "current_assessment",
    "prescribe",
    "prescriber",
]
