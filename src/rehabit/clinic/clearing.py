"""A therapist records that a clinician has examined the patient and found exercise safe:
the only code that writes ``care.Clearance``.

The program of an assessment with warning signs, or with a cause that needs checking first,
is withheld: the rules give no exercises and no prescription reopens it. Once the patient
has been examined (in an emergency department, by their doctor, by the therapist in
person), the therapist who may see their record records who examined them, on which day and
what they found, and confirms that the examination covered what withheld the program. The
program then opens to the therapist's prescription; the rules still add no exercise of
their own, and the self-care plan keeps its urgent advice. The clearance belongs to the
patient's latest assessment only (a new one is judged afresh); it can be withdrawn, with a
reason, and the program is withheld again. Each step is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from rehabit.assessments.models import Assessment
from rehabit.audit.models import AuditAction
from rehabit.audit.services import record
from rehabit.care.models import CLEARANCE_WHO_MAX, PRESCRIPTION_TEXT_MAX, Clearance
from rehabit.care.programs import (
    CareProgram,
    days_since_onset,
    standing_clearance,
    withheld_for_safety,
)
from rehabit.clinic.errors import FieldErrors, NotPossible
from rehabit.clinic.prescribing import current_assessment, prescriber
from rehabit.clinical.conditions import load_conditions
from rehabit.core.inputs import InputRefused, check_date, parse_date
from rehabit.core.reviewed_text import tr
from rehabit.core.timefmt import format_day
from rehabit.mail.words import their_words


@dataclass(frozen=True)
class ClearanceIn:
    """A clearance as asked for, checked by ``clean_clearance``."""

    checked_by: str
    checked_on: date
    finding: str


def first_day(assessment: Assessment, today: date) -> date | None:
    """The day the pain began, as the patient told it (None when they did not say)."""
    days = days_since_onset(assessment)
    return today - timedelta(days=days) if days is not None else None


def withheld_by(assessment: Any, care: CareProgram) -> list[str]:
    """What withholds the program, for the therapist to check against the clinician's
    findings: the warning signs the patient reported, then each cause to rule out (one a
    warning sign points to, a serious one the program was withheld for, or one likely
    enough to set its floor on the disposition); else the reasons their result gave."""
    result = assessment.result
    conditions = load_conditions()
    flags = [tr(f["label"]) for f in result.get("red_flags") or []]
    withheld_for = set(care.raw["causes"])
    causes = []
    for cause in result.get("causes") or []:
        found = conditions.get(cause["id"])
        if found is None:
            continue
        probability = float(cause["probability"])
        floored = any(probability >= threshold for _level, threshold in found.floors)
        if cause.get("red_flag") or (found.serious and (cause["id"] in withheld_for or floored)):
            causes.append(_("To rule out: %(cause)s.") % {"cause": tr(found.name)})
    reasons = [tr(r) for r in result["disposition"]["reasons"]]
    return flags + causes or reasons


def clean_clearance(
    raw: dict[str, Any], assessment: Assessment, *, today: date | None = None
) -> ClearanceIn:
    """Check a clearance as sent (``checked_by``, ``checked_on`` as YYYY-MM-DD or a date,
    ``finding``, ``confirmed``); FieldErrors names every problem, nothing is stored."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    who, problem = their_words(
        raw.get("checked_by"),
        limit=CLEARANCE_WHO_MAX,
        required=True,
        what=_("name of who examined the patient"),
    )
    if problem:
        errors["checked_by"] = [problem]
    finding, problem = their_words(
        raw.get("finding"), limit=PRESCRIPTION_TEXT_MAX, required=True, what=_("finding")
    )
    if problem:
        errors["finding"] = [problem]
    day, problem = _day(raw.get("checked_on"))
    began = first_day(assessment, today)
    if day is None:
        errors["checked_on"] = [problem]
    elif day > today:
        errors["checked_on"] = [_("The examination cannot be in the future.")]
    elif began is not None and day < began:
        errors["checked_on"] = [
            _(
                "The examination cannot be before the day the pain began (%(day)s, as the "
                "patient told it): an earlier one did not examine this pain."
            )
            % {"day": format_day(began)}
        ]
    if raw.get("confirmed") not in (True, "on", "true", "1", "yes"):
        errors["confirmed"] = [
            _(
                "Confirm that you have read the clinician's findings and that they cover the "
                "warning signs and causes listed."
            )
        ]
    if errors:
        raise FieldErrors(errors)
    assert day is not None
    return ClearanceIn(who, day, finding)


def _day(value: Any) -> tuple[date | None, str]:
    """(the day, "") or (None, the problem): YYYY-MM-DD, in the range every date is in."""
    if value in (None, ""):
        return None, _("Enter the day of the examination.")
    try:
        return (check_date(value) if isinstance(value, date) else parse_date(str(value))), ""
    except InputRefused as refused:
        return None, refused.message


def record_clearance(request: HttpRequest, patient: Any, given: ClearanceIn) -> Clearance:
    """Store the clearance on the patient's latest assessment. Raises Refused, or
    NotPossible (no assessment; its program is not withheld; one already stands)."""
    therapist = prescriber(request, patient)
    assessment = current_assessment(patient)
    if assessment is None:
        raise NotPossible(_("The patient has not done a self-assessment yet."))
    if not withheld_for_safety(assessment):
        raise NotPossible(_("The patient's program is not withheld, so there is nothing to clear."))
    try:
        with transaction.atomic():
            Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
            if standing_clearance(assessment) is not None:
                raise NotPossible(_("A clearance is already recorded for this assessment."))
            found = Clearance.objects.create(
                assessment=assessment,
                checked_by=given.checked_by,
                checked_on=given.checked_on,
                finding=given.finding,
                recorded_by=request.user,
                recorder_name=therapist.name[:120],
            )
            record(
                AuditAction.RECORD_CHANGED,
                request=request,
                subject=patient,
                target_type="clearance",
                target_id=assessment.pk,
                details={"change": "clearance recorded", "checked_on": str(given.checked_on)},
            )
    except IntegrityError:  # two at once: the constraint keeps one
        raise NotPossible(_("A clearance is already recorded for this assessment.")) from None
    return found


def clear(request: HttpRequest, patient: Any, raw: dict[str, Any]) -> Clearance:
    """Check a clearance as sent (``clean_clearance``) and record it: what the page and the
    API call. Raises Refused (checked before the answers say anything), FieldErrors or
    NotPossible."""
    prescriber(request, patient)
    assessment = current_assessment(patient)
    if assessment is None:
        raise NotPossible(_("The patient has not done a self-assessment yet."))
    return record_clearance(request, patient, clean_clearance(raw, assessment))


def clean_withdrawal(raw: Any) -> str:
    reason, problem = their_words(
        raw, limit=PRESCRIPTION_TEXT_MAX, required=True, what=_("reason for withdrawing it")
    )
    if problem:
        raise FieldErrors({"reason": [problem]})
    return reason


def withdraw_clearance(request: HttpRequest, patient: Any, reason: str) -> Clearance:
    """Withdraw the standing clearance of the latest assessment: its program is withheld
    again (prescriptions are kept, paused). Raises Refused or NotPossible."""
    prescriber(request, patient)
    assessment = current_assessment(patient)
    with transaction.atomic():
        found = (
            Clearance.objects.select_for_update()
            .filter(assessment=assessment, withdrawn_at__isnull=True)
            .first()
            if assessment is not None
            else None
        )
        if found is None:
            raise NotPossible(_("No clearance stands for the patient's latest assessment."))
        found.withdrawn_at = timezone.now()
        found.withdrawn_reason = reason
        found.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        record(
            AuditAction.RECORD_CHANGED,
            request=request,
            subject=patient,
            target_type="clearance",
            target_id=found.assessment_id,
            details={"change": "clearance withdrawn"},
        )
    return found


__all__ = [
    "ClearanceIn",
    "clean_clearance",
    "clean_withdrawal",
    "clear",
    "record_clearance",
    "withdraw_clearance",
    "withheld_by",
]
