"""The treatment pages through the Django test client: one per treatment, one per cause,
reached from the condition pages and from the result page."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from rehabit.clinical.conditions import load_conditions
from rehabit.clinical.treatments import load_treatments
from rehabit.education.evidence import grade_label, verdict_label
from tests.care.helpers import make_assessment

pytestmark = pytest.mark.django_db


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


def test_the_index_lists_every_treatment_and_every_cause(client: Client) -> None:
    response = client.get("/treatments/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    page = response.content.decode()
    guide = load_treatments()
    for treatment_id in guide.treatments:
        assert f'href="/treatments/{treatment_id}/"' in page
    for condition_id in load_conditions():
        assert f'href="/conditions/{condition_id}/treatments/"' in page
    assert 'href="/prevention/"' in page


def test_the_causes_overview_links_treatments_and_prevention(client: Client) -> None:
    page = client.get("/conditions/").content.decode()
    assert 'href="/treatments/"' in page and 'href="/prevention/"' in page


@pytest.mark.parametrize("treatment_id", list(load_treatments().treatments))
def test_every_treatment_page_shows_its_claims_with_grades_and_sources(
    client: Client, treatment_id: str
) -> None:
    treatment = load_treatments().treatments[treatment_id]
    response = client.get(f"/treatments/{treatment_id}/")
    assert response.status_code == 200
    page = _text(response)
    assert treatment.name in page and treatment.summary in page
    for claim in treatment.claims():
        assert claim.text in page
        for ref in claim.references:
            assert f'href="#ref-{ref}"' in page and f'id="ref-{ref}"' in page
    assert grade_label(treatment.benefits[0].grade) in page
    assert "Questions to ask your clinician" in page
    for question in treatment.questions:
        assert question in page
    if treatment.group == "medicines":
        assert "ask a pharmacist or doctor" in page


@pytest.mark.parametrize("condition_id", list(load_conditions()))
def test_every_cause_has_a_treatments_page(client: Client, condition_id: str) -> None:
    guide = load_treatments()
    section = guide.causes[condition_id]
    response = client.get(f"/conditions/{condition_id}/treatments/")
    assert response.status_code == 200
    page = _text(response)
    assert "What a clinician may offer, and what the trials say" in page
    assert section.intro in page
    for option in section.options:
        assert option.claim.text in page
        assert verdict_label(option.verdict) in page
        assert grade_label(option.claim.grade) in page
        if option.treatment:
            assert f'href="/treatments/{option.treatment}/"' in page
    if load_conditions()[condition_id].serious:
        assert "This cause needs a doctor." in page


@pytest.mark.parametrize("condition_id", list(load_conditions()))
def test_every_condition_page_links_to_its_treatments(client: Client, condition_id: str) -> None:
    page = client.get(f"/conditions/{condition_id}/").content.decode()
    assert f'href="/conditions/{condition_id}/treatments/"' in page


def test_the_result_page_links_each_cause_to_its_treatments(client: Client) -> None:
    assessment = make_assessment("self_care")
    page = client.get(f"/assessment/result/{assessment.pk}/").content.decode()
    top = re.findall(
        r'<li class="card cause[^"]*">.*?</li>\s*(?=<li class="card cause|</ol>)', page, re.S
    )
    assert top, "no causes on the result page"
    for block in top:
        cause_id = re.search(r'href="/conditions/([a-z_]+)/"', block)
        assert cause_id, block[:200]
        assert f'href="/conditions/{cause_id.group(1)}/treatments/"' in block
        assert "Treatments for this" in block


def test_the_printable_result_has_no_treatment_links(client: Client) -> None:
    assessment = make_assessment("self_care")
    response = client.get(f"/assessment/result/{assessment.pk}/print/")
    assert response.status_code == 200
    assert "Treatments for this" not in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/treatments/not-a-treatment/", "/conditions/not-a-condition/treatments/"]
)
def test_unknown_pages_are_404(client: Client, url: str) -> None:
    assert client.get(url).status_code == 404
