"""Treatment pages: every professional treatment (what it is, what the trials say, harms,
questions to ask) and, per cause, what a clinician may offer. Thin: the content and its
checks live in rehabit.clinical.treatments; labels in rehabit.education.evidence."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from rehabit.clinical.conditions import load_conditions
from rehabit.clinical.treatments import CauseOption, Treatment, TreatmentGuide, load_treatments
from rehabit.education.content import get_condition_page
from rehabit.education.evidence import (
    claim_view,
    grade_key,
    group_label,
    references_of,
    verdict_label,
)


def _public(response: HttpResponse) -> HttpResponse:
    response.public_page = True  # type: ignore[attr-defined]
    return response


def _condition_title(condition_id: str) -> str:
    page = get_condition_page(condition_id)
    return str(page["title"]) if page else load_conditions()[condition_id].name


def _card(treatment: Treatment) -> dict[str, Any]:
    return {"id": treatment.id, "name": treatment.name, "summary": treatment.summary}


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    guide = load_treatments()
    context = {
        "groups": [
            (group, group_label(group), [_card(t) for t in treatments])
            for group, treatments in guide.by_group()
        ],
        "causes": [(cid, _condition_title(cid)) for cid in guide.causes],
        "grades": grade_key(),
    }
    return _public(render(request, "education/treatments.html", context))


@require_GET
def detail(request: HttpRequest, treatment_id: str) -> HttpResponse:
    guide = load_treatments()
    treatment = guide.treatments.get(treatment_id)
    if treatment is None:
        raise Http404(_("No such treatment page."))
    context = {
        "treatment": treatment,
        "group_label": group_label(treatment.group),
        "is_medicine": treatment.group == "medicines",
        "benefits": [claim_view(c) for c in treatment.benefits],
        "harms": [claim_view(c) for c in treatment.harms],
        "causes": [(cid, _condition_title(cid)) for cid in guide.causes_offering(treatment.id)],
        "references": references_of(list(treatment.claims()), treatment.source),
        "grades": grade_key(),
    }
    return _public(render(request, "education/treatment.html", context))


def _option(guide: TreatmentGuide, option: CauseOption) -> dict[str, Any]:
    treatment = guide.treatments[option.treatment] if option.treatment else None
    return {
        "name": treatment.name if treatment else option.name,
        "treatment_id": treatment.id if treatment else None,
        "is_medicine": treatment is not None and treatment.group == "medicines",
        "verdict": option.verdict,
        "verdict_label": verdict_label(option.verdict),
        "claim": claim_view(option.claim),
    }


@require_GET
def cause(request: HttpRequest, condition_id: str) -> HttpResponse:
    guide = load_treatments()
    section = guide.causes.get(condition_id)
    if section is None:
        raise Http404(_("No such condition page."))
    condition = load_conditions()[condition_id]
    context = {
        "condition_id": condition_id,
        "title": _condition_title(condition_id),
        "serious": condition.serious,
        "section": section,
        "options": [_option(guide, o) for o in section.options],
        "references": references_of([o.claim for o in section.options], section.source),
        "grades": grade_key(),
    }
    return _public(render(request, "education/cause_treatments.html", context))
