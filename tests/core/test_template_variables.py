"""Every page renders every variable its template names: a page that prints a variable
its view does not give ("erased  days") is a bug Django hides by printing nothing. With
``string_if_invalid`` set to a marker, each page of the crawl (tests/browser/
test_accessibility_crawl.py: the same pages, for the same visitors) is fetched through the
test client and must not contain it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tests.accounts.helpers import login
from tests.browser.test_accessibility_crawl import _make_site, _user, pages_for

pytestmark = pytest.mark.django_db

MARKER = "@@missing:%s@@"


@pytest.mark.parametrize("visitor", ["anonymous", "patient", "therapist", "admin", "new_therapist"])
def test_no_page_prints_a_variable_its_view_does_not_give(visitor: str, settings: Any) -> None:
    templates = [dict(t) for t in settings.TEMPLATES]
    for t in templates:
        t["OPTIONS"] = {**t.get("OPTIONS", {}), "string_if_invalid": MARKER}
    settings.TEMPLATES = templates
    site = _make_site()
    client = Client()
    user = _user(visitor, site)
    if user is not None:
        login(client, user[0], mfa=user[1])
    problems = []
    for url in pages_for(visitor, site):
        response = client.get(url, follow=True)
        body = response.content.decode(errors="replace")
        # A dotted name (values.note) is a lookup in a dict of what was typed, empty on a
        # first visit by design; a plain name is one the view was meant to give.
        names = sorted({n for n in re.findall(r"@@missing:([^@]*)@@", body) if "." not in n})
        if names:
            problems.append(f"{url}: {names}")
    assert not problems, "\n".join(problems)
