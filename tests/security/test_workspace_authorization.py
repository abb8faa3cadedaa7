"""Every page and endpoint of the therapist's workspace (THERAPIST rules in
tests/security/url_rules.py), walked from the URL list: the therapist sees their own;
another therapist sees none of it; a patient and a visitor are refused; a therapist-role
account without a therapist record is told what is missing (pages) or refused (API),
except on the guided start, which exists for them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from tests.accounts.helpers import TOTP_SECRET, assessment_for, login, make_user
from tests.booking.support import book, free_start, make_therapist
from tests.security.url_rules import RULES, THERAPIST

pytestmark = pytest.mark.django_db

KEYS = sorted(key for key, rule in RULES.items() if rule.kind == THERAPIST)
# The guided start works before a therapist record exists (it creates it).
ONBOARDING = {key for key in KEYS if key.startswith("workspace:welcome")}
REFUSED = {403, 404}


@dataclass
class Context:
    patient: Any
    assessment: Any
    therapist: Any


@pytest.fixture
def ctx(patient: Any) -> Context:
    therapist = make_therapist("Wanda Workspace")
    book(patient, therapist, free_start(therapist, after=timedelta(hours=3)))
    return Context(patient=patient, assessment=assessment_for(patient), therapist=therapist)


def _secrets(ctx: Context) -> tuple[str, ...]:
    return (ctx.patient.email, ctx.patient.profile.full_name)


def test_every_workspace_url_is_walked() -> None:
    assert len(KEYS) >= 12 and "workspace:home" in KEYS and "api:put_availability" in KEYS


@pytest.mark.parametrize("key", KEYS)
def test_only_the_therapist_sees_their_workspace(key: str, ctx: Context) -> None:
    url = RULES[key].build(ctx)  # type: ignore[misc]
    owner = login(Client(), ctx.therapist.user, mfa=True)
    response = owner.get(url)
    assert response.status_code in ({200, 302} if key in ONBOARDING else {200}), (
        url,
        response.status_code,
    )
    other = make_therapist("Otto Other")
    response = login(Client(), other.user, mfa=True).get(url)
    assert response.status_code in {200, 302}
    body = response.content.decode()
    for secret in _secrets(ctx):
        assert secret not in body, f"{url} shows another therapist's patient {secret!r}"

    for who, client in {
        "the patient": login(Client(), ctx.patient),
        "anonymous": Client(),
    }.items():
        response = client.get(url)
        login_redirect = response.status_code == 302 and "/account/login/" in response["Location"]
        assert response.status_code in REFUSED or login_redirect, (url, who, response.status_code)
        for secret in _secrets(ctx):
            assert secret not in response.content.decode()


@pytest.mark.parametrize("key", KEYS)
def test_a_therapist_without_a_record_is_told_what_is_missing(key: str, ctx: Context) -> None:
    url = RULES[key].build(ctx)  # type: ignore[misc]
    role_only = make_user("role.only@example.org", role="therapist", totp_secret=TOTP_SECRET)
    response = login(Client(), role_only, mfa=True).get(url)
    body = response.content.decode()
    if key in ONBOARDING:
        assert response.status_code in {200, 302}, (url, response.status_code)
    elif url.startswith("/api/"):
        assert response.status_code == 403 and "/therapist/welcome/" in body
    else:
        assert response.status_code == 409, (url, response.status_code)
        assert "Your therapist profile is not set up yet" in body and "/therapist/welcome/" in body
    for secret in _secrets(ctx):
        assert secret not in body


@pytest.mark.parametrize("key", sorted(k for k in KEYS if k.startswith("api:")))
def test_writes_are_refused_to_everyone_but_a_therapist(key: str, ctx: Context) -> None:
    url = RULES[key].build(ctx)  # type: ignore[misc]
    body = '{"weekly": [], "notice_hours": 0}'
    for client in (Client(), login(Client(), ctx.patient)):
        response = client.put(url, body, content_type="application/json")
        assert response.status_code in {403, 405}
    assert ctx.therapist.working_hours.count() == 7
