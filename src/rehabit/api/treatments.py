"""Treatments, what a clinician may offer for each cause, and the prevention programme:
read-only, public, straight from the reviewed data (clinical/treatments.py, prevention.py).
Every statement comes with its certainty (GRADE-style) and its citation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from rehabit.api.schemas import NotFoundOut, ValidationErrorOut
from rehabit.clinical.prevention import load_prevention
from rehabit.clinical.treatments import Claim, load_treatments

router = Router(tags=["treatments"])


class ClaimOut(Schema):
    text: str
    grade: str = Field(description="high | moderate | low | very_low | no_trials")
    source: str | None = Field(None, description="References: [n] evidence.md, [Rn] project")
    expert: str | None = Field(None, description="A written reason, only where no trial exists")


class TreatmentOut(Schema):
    id: str
    group: str
    name: str
    summary: str
    what_happens: str
    benefits: list[ClaimOut]
    harms: list[ClaimOut]
    questions: list[str]
    offered_for: list[str] = Field(description="Condition ids whose section offers it")
    url: str


class CauseOptionOut(Schema):
    treatment: str | None = Field(None, description="A treatment id, when it has a page")
    name: str | None = None
    verdict: str = Field(
        description="first_choice | may_help | uncertain | not_recommended | urgent"
    )
    claim: ClaimOut


class CauseTreatmentsOut(Schema):
    condition_id: str
    intro: str
    options: list[CauseOptionOut]
    questions: list[str]
    url: str


class RoutineOut(Schema):
    id: str
    name: str
    summary: str
    when: str
    exercises: list[str]
    url: str


class PreventionOut(Schema):
    title: str
    summary: str
    who_for: list[str]
    not_for: list[str]
    routines: list[RoutineOut]
    evidence: list[ClaimOut]


def _claim(claim: Claim) -> dict[str, Any]:
    return {
        "text": _(claim.text),
        "grade": claim.grade,
        "source": claim.source,
        "expert": claim.expert,
    }


def _treatment(treatment_id: str) -> dict[str, Any]:
    guide = load_treatments()
    t = guide.treatments[treatment_id]
    return {
        "id": t.id,
        "group": t.group,
        "name": _(t.name),
        "summary": _(t.summary),
        "what_happens": _(t.what_happens),
        "benefits": [_claim(c) for c in t.benefits],
        "harms": [_claim(c) for c in t.harms],
        "questions": [_(q) for q in t.questions],
        "offered_for": guide.causes_offering(t.id),
        "url": f"/treatments/{t.id}/",
    }


@router.get("/treatments", response=list[TreatmentOut], summary="Professional treatments")
def list_treatments(request: HttpRequest) -> list[dict[str, Any]]:
    """Every treatment page: what happens, benefits and harms with their certainty and
    citation, and the questions to ask."""
    return [_treatment(tid) for tid in load_treatments().treatments]


@router.get(
    "/treatments/{treatment_id}",
    response={200: TreatmentOut, 404: NotFoundOut, 422: ValidationErrorOut},
    summary="One treatment",
)
def get_treatment(request: HttpRequest, treatment_id: str) -> Status[dict[str, Any]]:
    if treatment_id not in load_treatments().treatments:
        return Status(404, {"detail": _("No such treatment.")})
    return Status(200, _treatment(treatment_id))


@router.get(
    "/conditions/{condition_id}/treatments",
    response={200: CauseTreatmentsOut, 404: NotFoundOut, 422: ValidationErrorOut},
    summary="What a clinician may offer for a cause",
)
def cause_treatments(request: HttpRequest, condition_id: str) -> Status[dict[str, Any]]:
    """Each option with its verdict and the trial evidence behind it."""
    section = load_treatments().causes.get(condition_id)
    if section is None:
        return Status(404, {"detail": _("No such condition.")})
    return Status(
        200,
        {
            "condition_id": section.condition_id,
            "intro": _(section.intro),
            "options": [
                {
                    "treatment": o.treatment,
                    "name": _(o.name) if o.name else None,
                    "verdict": o.verdict,
                    "claim": _claim(o.claim),
                }
                for o in section.options
            ],
            "questions": [_(q) for q in section.questions],
            "url": f"/conditions/{condition_id}/treatments/",
        },
    )


@router.get("/prevention", response=PreventionOut, summary="The prevention programme")
def prevention(request: HttpRequest) -> dict[str, Any]:
    """Who it is for, its routines (run them in the guided player at their URL) and the
    evidence, each statement with its certainty and citation."""
    program = load_prevention()
    return {
        "title": _(program.title),
        "summary": _(program.summary),
        "who_for": [_(w) for w in program.who_for],
        "not_for": [_(n) for n in program.not_for],
        "routines": [
            {
                "id": r.id,
                "name": _(r.name),
                "summary": _(r.summary),
                "when": _(r.when),
                "exercises": [item.exercise_id for item in r.items],
                "url": f"/prevention/{r.id}/",
            }
            for r in program.routines.values()
        ],
        "evidence": [_claim(c) for c in program.evidence],
    }
