"""The audited path to a patient's record: every staff read goes through here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest

from rehabit.accounts.access import MFARequired, can_view_patient_record, session_passed_mfa
from rehabit.accounts.consent import ConsentState, current_consents
from rehabit.accounts.models import Profile
from rehabit.accounts.roles import is_staff_role
from rehabit.audit.models import AuditAction
from rehabit.audit.services import record


@dataclass(frozen=True)
class PatientRecord:
    patient: Any
    profile: Profile
    consents: dict[str, ConsentState]
    assessments: list[Any]


def _target(target: Any) -> tuple[str, str]:
    if target is None:
        return "patient_record", ""
    return target._meta.model_name, str(target.pk)


def audit_record_read(request: HttpRequest, patient: Any, *, target: Any = None) -> bool:
    """Decide a read of ``patient``'s record by someone else and write it to the log.

    Staff without two-factor authentication in this session get ``MFARequired``; a refusal
    is logged as ``record.access_denied``, an allowed read as ``record.viewed``.
    """
    user = request.user
    target_type, target_id = _target(target)
    if is_staff_role(user) and not session_passed_mfa(request):
        raise MFARequired("Two-factor authentication is required to open patient records.")
    if not is_staff_role(user) or not can_view_patient_record(user, patient):
        record(
            AuditAction.ACCESS_DENIED,
            request=request,
            subject=patient,
            target_type=target_type,
            target_id=target_id,
        )
        return False
    record(
        AuditAction.RECORD_VIEWED,
        request=request,
        subject=patient,
        target_type=target_type,
        target_id=target_id or patient.pk,
    )
    return True


def get_patient_record(request: HttpRequest, patient_id: int) -> PatientRecord:
    """A patient's whole record for staff (or the patient themselves). 404 otherwise."""
    from rehabit.assessments.models import Assessment

    patient = get_user_model().objects.filter(pk=patient_id, is_active=True).first()
    if patient is None or is_staff_role(patient):
        raise Http404("No such patient.")
    if request.user.pk != patient.pk and not audit_record_read(request, patient):
        raise Http404("No such patient.")
    profile, _ = Profile.objects.get_or_create(user=patient)
    return PatientRecord(
        patient=patient,
        profile=profile,
        consents=current_consents(patient),
        assessments=list(Assessment.objects.filter(owner=patient).order_by("-created_at")),
    )


def authorize_assessment_read(request: HttpRequest, assessment: Any) -> bool:
    """May this request read this stored assessment? Audits staff reads.

    For the assessment pages and API (``rehabit.assessments.selectors``): an assessment
    nobody owns stays readable by its unguessable link, as before; an owned one only by
    its owner, or by staff through the audited record rule.
    """
    owner_id = getattr(assessment, "owner_id", None)
    if owner_id is None:
        return True
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if user.pk == owner_id:
        return True
    return audit_record_read(request, assessment.owner, target=assessment)
