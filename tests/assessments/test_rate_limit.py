"""Security review 2, finding 4: finishing the guided check stores a new assessment, so it
counts against the limit of new assessments per client network (and per signed-in
person). Refused, the last page is shown again as it was sent, with the wait; nothing is
stored, and sending it again later gives the result."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from rehabit.assessments.models import Assessment
from tests.accounts.helpers import login, make_user
from tests.support import guided_case, page_of, section_form, walk_pages

pytestmark = pytest.mark.django_db


def _walk_until_refused(client: Client, answers: dict[str, Any]) -> tuple[str, Any, Any]:
    """The guided pages up to the answer that is not a redirect: (its page's URL, the
    form sent, the answer)."""
    response = client.post("/assessment/", {"action": "restart"})
    for _ in range(40):
        assert response.status_code == 302, response.content.decode()[:2000]
        url = str(response["Location"])
        assert "/assessment/step/" in url, url
        form = section_form(page_of(url.rstrip("/").split("/")[-1]), answers)
        response = client.post(url, form)
        if response.status_code != 302:
            return url, form, response
    raise AssertionError("the guided pages did not end")


def _form(html: str) -> str:
    found = re.search(r"<form method=\"post\".*?</form>", html, re.S)
    assert found is not None
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", found.group(0))


def test_finishing_the_check_past_the_limit_keeps_the_answers(
    client: Client, settings: Any
) -> None:
    settings.REHABIT_ASSESSMENTS_PER_NETWORK = 1
    answers = dict(guided_case("self_care")["answers"])
    assert "/assessment/result/" in walk_pages(client, answers)
    url, form, refused = _walk_until_refused(client, answers)
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert 3590 <= wait <= 3600
    html = refused.content.decode()
    assert "Your result is not ready yet" in html and 'role="alert"' in html
    assert escape("Please try again in 60 minutes. Nothing was stored.") in html
    assert "Your answers are kept in this browser" in html
    # The last page, as it was sent (its answers chosen again), the same form that
    # opening the page now shows from the kept draft.
    shown = _form(html)
    assert shown == _form(client.get(url).content.decode())
    asked = [(k, v) for k, v in form.items() if f'name="{k}"' in shown and k != "action"]
    assert asked and all(f'name="{k}" value="{v}" checked' in shown for k, v in asked)
    assert Assessment.objects.count() == 1
    with time_machine.travel(timezone.now() + timedelta(seconds=wait + 1)):
        again = client.post(url, form)
    assert again.status_code == 302 and "/assessment/result/" in again["Location"]
    assert Assessment.objects.count() == 2


def test_another_network_and_another_person_are_not_affected(settings: Any) -> None:
    settings.REHABIT_ASSESSMENTS_PER_NETWORK = 1
    settings.REHABIT_ASSESSMENTS_PER_USER = 1
    answers = dict(guided_case("self_care")["answers"])
    home = Client(REMOTE_ADDR="203.0.113.7")
    assert "/assessment/result/" in walk_pages(home, answers)
    assert _walk_until_refused(home, answers)[2].status_code == 429
    elsewhere = Client(REMOTE_ADDR="198.51.100.9")
    assert "/assessment/result/" in walk_pages(elsewhere, answers)
    # Signed in, the person's own limit counts too.
    settings.REHABIT_ASSESSMENTS_PER_NETWORK = 10
    person = login(Client(REMOTE_ADDR="192.0.2.1"), make_user("walker@example.org"))
    assert "/assessment/result/" in walk_pages(person, answers)
    assert _walk_until_refused(person, answers)[2].status_code == 429
    assert Assessment.objects.filter(owner__email="walker@example.org").count() == 1
