"""Whether a caller may read an assessment's care, and add to its exercise log.

Shared with the progress API (``rehabit.api.progress``): the same rule for the diary and
the outcome measures. Each answer is ``(200, assessment)`` or an error status with its body.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja.utils import check_csrf

from rehabit.assessments.selectors import readable_assessment
from rehabit.care.selectors import can_write

NOT_FOUND = gettext_noop("No assessment with this id.")


def find_assessment(request: HttpRequest, assessment_id: UUID) -> tuple[int, Any]:
    """(200, assessment) or an error status with its body."""
    try:
        assessment = readable_assessment(request, assessment_id)
    except PermissionDenied as exc:
        return 403, {"detail": str(exc) or _("Not allowed.")}
    if assessment is None:
        return 404, {"detail": _(NOT_FOUND)}
    return 200, assessment


def find_writable_assessment(request: HttpRequest, assessment_id: UUID) -> tuple[int, Any]:
    status, found = find_assessment(request, assessment_id)
    if status != 200:
        return status, found
    if not can_write(request, found):
        return 403, {"detail": _("Only the person this assessment belongs to can add to its log.")}
    if found.owner_id is not None and check_csrf(request) is not None:
        return 403, {"detail": _("CSRF check failed: send the X-CSRFToken header.")}
    return 200, found
