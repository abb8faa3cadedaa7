"""Reads for the care pages and API, with the access rule of the assessment they belong to.

An assessment nobody owns is reachable by anyone holding its unguessable id; an owned one
only by its owner, or by staff through the audited record rule
(``rehabit.accounts.records.authorize_assessment_read``). Only the owner (or, for an
anonymous assessment, whoever holds the link) may add to its log: staff read, never write.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from rehabit.assessments.models import Assessment
from rehabit.booking.people import display_name
from rehabit.care.models import ExerciseSession
from rehabit.clinical.child_wording import is_child


def can_write(request: HttpRequest, assessment: Assessment) -> bool:
    if assessment.owner_id is None:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.pk == assessment.owner_id)


def patient_named(request: HttpRequest, assessment: Any) -> str:
    """The patient's name when someone other than the patient reads their pages or report
    (a therapist the patient shares with, an admin, let in by the audited record rule):
    these then speak of the patient by name and in the third person. Empty when the
    patient reads (the owner, or anyone with the link to an assessment nobody owns)."""
    if can_write(request, assessment) or assessment.owner is None:
        return ""
    return display_name(assessment.owner) or _("the patient")


def read_by_a_parent(assessment: Any, patient_name: str) -> bool:
    """Whether what is read speaks to a child's parent about their child ("Your child's
    pain ..."): the patient's side reads (no ``patient_name``, see ``patient_named``: the
    owner, or anyone with the link to an assessment nobody owns) and the check is a child's
    (under 16, answered by a parent or carer). Anyone else (a therapist, an admin) reads
    the patient's own words. The one rule for the care pages (plan, program, player), the
    progress pages, the report and the API; here, below both apps, so each can import it."""
    return not patient_name and is_child(assessment.answers.get("age"))


def sessions_of(assessment: Assessment) -> QuerySet[ExerciseSession]:
    return ExerciseSession.objects.filter(assessment=assessment).order_by("-logged_at")


def latest_assessment_of(user: Any) -> Assessment | None:
    """The signed-in person's most recent assessment (for "your program" links)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Assessment.objects.filter(owner=user).order_by("-created_at").first()
