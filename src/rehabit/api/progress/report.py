"""The progress report of an assessment as a PDF, for the person to keep or share with a
clinician (the pages' ``rehabit.outcomes.report``)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from rehabit.api.care.access import find_assessment
from rehabit.api.progress.common import TAGS
from rehabit.api.schemas import MessageOut, NotFoundOut, RateLimitedOut, ValidationErrorOut
from rehabit.care.selectors import patient_named
from rehabit.core.rate_limits import count_report

router = Router(tags=TAGS)


PDF = {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
       "description": "The progress report as a PDF."}  # fmt: skip


@router.get(
    "/assessments/{assessment_id}/report",
    operation_id="rehabit_api_progress_get_report",
    response={403: MessageOut, 404: NotFoundOut, 422: ValidationErrorOut, 429: RateLimitedOut},
    summary="The progress report (PDF)",
    openapi_extra={"responses": {"200": PDF}},
)
def get_report(request: HttpRequest, assessment_id: UUID) -> Any:
    """Assessment summary, plan, programme, adherence, diary and measures with charts, as
    application/pdf, for the person to keep or share with a clinician. Limited per person
    and per client network (429 with `retry_after`): each report takes a second to make."""
    status, assessment = find_assessment(request, assessment_id)
    if status != 200:
        return Status(status, assessment)
    count_report(request)  # 429 past the limit (the API's handler)
    from rehabit.outcomes.report import report_response

    # Downloaded by a therapist (or an admin), the report speaks of the patient by name.
    name = patient_named(request, assessment)
    response: HttpResponse = report_response(assessment, patient_name=name)
    return response
