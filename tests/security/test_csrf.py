"""CSRF is enforced on every form: a POST without the token is refused (403) on every
URL that accepts one. The JSON API is excluded: its only write endpoint is public and
takes no cookies-based authority."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.accounts.helpers import login
from tests.security.url_rules import RULES, SELF, STAFF

pytestmark = pytest.mark.django_db

FORMS = sorted(key for key in RULES if not key.startswith("api:") and key not in {"core:health"})


def _url(key: str, ctx: Any) -> str | None:
    rule = RULES[key]
    if rule.build is not None and rule.kind in {SELF, STAFF}:
        return rule.build(ctx)
    try:
        return reverse(key)
    except NoReverseMatch:
        return None


@pytest.mark.parametrize("key", FORMS)
def test_posts_without_a_csrf_token_are_refused(key: str, patient: Any) -> None:
    class Ctx:
        pass

    ctx = Ctx()
    ctx.patient = patient  # type: ignore[attr-defined]
    url = _url(key, ctx)
    if url is None:
        pytest.skip("needs URL arguments (secret keys); covered by the generic middleware")
    for client in (
        Client(enforce_csrf_checks=True),
        login(Client(enforce_csrf_checks=True), patient),
    ):
        response = client.post(url, {"email": "x@example.org", "password": "x", "login": "x"})
        assert response.status_code in {403, 405} or (
            response.status_code == 302 and "/account/login/" in response["Location"]
        ), f"{url}: {response.status_code}"
        if response.status_code == 403:
            assert b"CSRF" in response.content or response.reason_phrase == "Forbidden"


def test_signup_with_token_works_and_without_is_refused() -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/account/signup/")
    token = page.context["csrf_token"]
    data = {
        "email": "csrf@example.org",
        "password1": "lilac piriformis harbour 8",
        "password2": "lilac piriformis harbour 8",
        "accept_terms": "on",
    }
    assert client.post("/account/signup/", data).status_code == 403
    assert (
        client.post("/account/signup/", {**data, "csrfmiddlewaretoken": str(token)}).status_code
        == 302
    )
