"""The read-only treatments and prevention API: every statement with its certainty and
citation, the same data as the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from rehabit.clinical.conditions import load_conditions
from rehabit.clinical.prevention import load_prevention
from rehabit.clinical.treatments import GRADES, load_treatments

pytestmark = pytest.mark.django_db


def test_every_treatment_is_listed_with_graded_cited_claims(client: Client) -> None:
    body = client.get("/api/v1/treatments").json()
    assert [t["id"] for t in body] == list(load_treatments().treatments)
    for treatment in body:
        assert client.get(treatment["url"]).status_code == 200
        for claim in treatment["benefits"] + treatment["harms"]:
            assert claim["grade"] in GRADES
            assert claim["source"] or (claim["grade"] == "no_trials" and claim["expert"])


def test_one_treatment_and_an_unknown_one(client: Client) -> None:
    first = next(iter(load_treatments().treatments))
    assert client.get(f"/api/v1/treatments/{first}").json()["id"] == first
    missing = client.get("/api/v1/treatments/leeches")
    assert missing.status_code == 404 and missing.json()["detail"]


def test_every_cause_has_its_options_and_the_anchors_hold(client: Client) -> None:
    for condition_id in load_conditions():
        body = client.get(f"/api/v1/conditions/{condition_id}/treatments").json()
        assert body["condition_id"] == condition_id and body["options"]
    strain = client.get("/api/v1/conditions/hamstring_strain/treatments").json()
    prp = [o for o in strain["options"] if o["treatment"] == "platelet_rich_plasma"]
    assert prp and prp[0]["verdict"] == "not_recommended"
    assert client.get("/api/v1/conditions/gout/treatments").status_code == 404


def test_the_prevention_programme_and_its_routines(client: Client) -> None:
    body = client.get("/api/v1/prevention").json()
    assert [r["id"] for r in body["routines"]] == list(load_prevention().routines)
    for routine in body["routines"]:
        assert client.get(routine["url"]).status_code == 200
    assert any("[56]" in (c["source"] or "") for c in body["evidence"])
