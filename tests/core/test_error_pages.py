"""One styled error page for 400, 403, 404 and 500 (and a refused form), a favicon."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.urls import path

from rehabit.config.urls import urlpatterns as site_urlpatterns
from rehabit.core.views import server_error

pytestmark = pytest.mark.django_db


def _forbidden(request: Any) -> Any:
    raise PermissionDenied("no")


def _bad(request: Any) -> Any:
    raise SuspiciousOperation("odd")


def _broken(request: Any) -> Any:
    raise RuntimeError("a bug")


urlpatterns = [
    path("forbidden/", _forbidden),
    path("bad/", _bad),
    path("broken/", _broken),
    *site_urlpatterns,
]
handler500 = "rehabit.core.views.server_error"


def _is_styled(html: str) -> None:
    assert "core/rehabit." in html and 'class="site-header"' in html  # the site's frame
    assert 'href="tel:' in html  # the emergency number, also here
    assert 'href="/contact/"' in html


def test_an_unknown_address_gets_the_styled_not_found_page(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    _is_styled(html)
    assert "We cannot find that page" in html and "<title>Page not found" in html


def test_a_signed_out_owner_of_a_result_is_told_to_sign_in(db: Any) -> None:
    """A result saved to an account is 404 to everyone else (its existence is not told),
    so the page says how its owner gets to it: sign in, and come back to this address."""
    from tests.accounts.helpers import assessment_for, login, make_user

    owner = make_user("owner.of.result@example.org")
    assessment = assessment_for(owner)
    path = f"/assessment/result/{assessment.pk}/"
    html = Client().get(path).content.decode()
    assert f'href="/account/login/?next=/assessment/result/{assessment.pk}/"' in html
    assert "If this is your own result" in html
    response = login(Client(), owner).get(path)
    assert response.status_code == 200
    signed_in_elsewhere = login(Client(), make_user("someone.else@example.org"))
    html = signed_in_elsewhere.get(path).content.decode()
    assert "If this is your own result" not in html


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/forbidden/", 403, "This page is not open to you"),
        ("/bad/", 400, "We could not understand that request"),
    ],
)
def test_refusals_get_the_same_styled_page(url: str, status: int, heading: str) -> None:
    response = Client().get(url)
    assert response.status_code == status
    html = response.content.decode()
    _is_styled(html)
    assert heading in html


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_gets_the_styled_page() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    _is_styled(html)
    assert "Something went wrong on our side" in html


def test_the_server_error_page_needs_no_database() -> None:
    def refuse(*args: Any) -> Any:
        raise AssertionError("the 500 page touched the database")

    request = RequestFactory().get("/broken/")
    with connection.execute_wrapper(refuse):
        response = server_error(request)
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_a_form_refused_for_its_csrf_token_gets_the_styled_page() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/account/login/", {"login": "a@example.org", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    _is_styled(html)
    assert "The form has expired" in html


def test_the_favicon(client: Client) -> None:
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/core/favicon.' in html
    assert '.ico" sizes="16x16 32x32 48x48">' in html and '.svg" type="image/svg+xml">' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".ico")
