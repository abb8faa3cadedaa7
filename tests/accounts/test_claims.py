"""An assessment done before signing up or in is attached to the account, from the same
browser, without retyping anything (one made in this sitting at once; an older one once
the person says it is theirs: tests/accounts/test_earlier.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from rehabit.assessments.claims import SESSION_KEY, attach_assessments, forget_assessments
from rehabit.assessments.models import Assessment
from tests.accounts.helpers import PASSWORD, assessment_for, sign_up, valid_answers

pytestmark = pytest.mark.django_db


def anonymous_assessment(client: Client) -> str:
    """Complete an assessment as the browser does (the API stores it; the pages keep its
    id in the session, which is what the pages' _finish does)."""
    response = client.post(
        "/api/v1/assessments", data={"answers": valid_answers()}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assessment_id = response.json()["id"]
    session = client.session
    session[SESSION_KEY] = [*session.get(SESSION_KEY, []), assessment_id]
    session.save()
    return assessment_id


def test_sign_up_then_verify_attaches_the_earlier_assessment() -> None:
    client = Client()
    assessment_id = anonymous_assessment(client)
    assert "saved to your new account" in client.get("/account/signup/").content.decode()
    sign_up(client, "fresh@example.org")
    user = get_user_model().objects.get(email="fresh@example.org")
    assert Assessment.objects.get(pk=assessment_id).owner == user
    url = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
    client.post(url)
    response = client.get("/account/", follow=True)
    client.post(
        "/account/profile/",
        {
            "full_name": "Fresh Person",
            "date_of_birth": "1980-05-05",
            "time_zone": "UTC",
            "language": "en-gb",
        },
    )
    body = client.get("/account/").content.decode()
    assert f"/assessment/result/{assessment_id}/" in body
    assert response.status_code == 200


def test_login_attaches_the_earlier_assessment(patient: Any) -> None:
    client = Client()
    assessment_id = anonymous_assessment(client)
    response = client.post("/account/login/", {"login": patient.email, "password": PASSWORD})
    assert response.status_code == 302
    assert Assessment.objects.get(pk=assessment_id).owner == patient
    assert client.session[SESSION_KEY] == []


def test_an_assessment_owned_by_someone_else_is_never_taken(
    patient: Any, other_patient: Any
) -> None:
    theirs = assessment_for(other_patient)
    client = Client()
    session = client.session
    session[SESSION_KEY] = [str(theirs.pk), "not-a-uuid"]
    session.save()
    client.post("/account/login/", {"login": patient.email, "password": PASSWORD})
    theirs.refresh_from_db()
    assert theirs.owner == other_patient


def test_attaching_is_idempotent_and_takes_only_listed_unowned_ones(
    patient: Any, other_patient: Any
) -> None:
    listed = assessment_for(None)
    not_listed = assessment_for(None)
    theirs = assessment_for(other_patient)
    session: dict[str, Any] = {SESSION_KEY: [str(listed.pk), str(theirs.pk)]}
    asked = [str(listed.pk), str(not_listed.pk), str(theirs.pk)]
    attached = attach_assessments(session, patient, asked)  # type: ignore[arg-type]
    assert attached == [(str(listed.pk), listed.created_at)]
    assert attach_assessments(session, patient, asked) == []  # type: ignore[arg-type]
    assert session[SESSION_KEY] == [str(theirs.pk)]
    not_listed.refresh_from_db()
    theirs.refresh_from_db()
    assert not_listed.owner is None and theirs.owner == other_patient


def test_forgetting_takes_it_off_the_list_and_leaves_it_unowned() -> None:
    kept, dropped = assessment_for(None), assessment_for(None)
    session: dict[str, Any] = {SESSION_KEY: [str(kept.pk), str(dropped.pk)]}
    forget_assessments(session, [str(dropped.pk)])  # type: ignore[arg-type]
    assert session[SESSION_KEY] == [str(kept.pk)]
    assert Assessment.objects.get(pk=dropped.pk).owner is None
