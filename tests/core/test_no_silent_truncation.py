"""No text box cuts what is pasted into it without a word. A browser stops a ``<textarea>``
with ``maxlength`` at that many characters, silently: a phone walk pasted 1,700 characters
into the exercise log's note and 1,000 were saved, the note ending mid-word; a cancel
reason and a message were cut the same way. The server checks every limit, says how long
the text is, and keeps it in the box to shorten (tested with each form), so no page puts
``maxlength`` on a text box. Every page of the accessibility crawl, for each kind of
visitor."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.accounts.helpers import login
from tests.browser.test_accessibility_crawl import _make_site, _user, pages_for

pytestmark = pytest.mark.django_db

TEXTAREA = re.compile(r"<textarea\b[^>]*>", re.IGNORECASE)


@pytest.mark.parametrize("visitor", ["anonymous", "patient", "therapist", "admin"])
def test_no_text_box_cuts_what_is_pasted(visitor: str) -> None:
    site = _make_site()
    client = Client()
    user = _user(visitor, site)
    if user is not None:
        login(client, user[0], mfa=user[1])
    boxes = 0
    cut: dict[str, str] = {}
    for url in pages_for(visitor, site):
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for tag in TEXTAREA.findall(response.content.decode()):
            boxes += 1
            if "maxlength" in tag.lower():
                cut.setdefault(tag, url)
    if visitor in ("patient", "therapist"):
        assert boxes >= 3, boxes  # the crawl reached pages with text boxes
    assert not cut, "\n".join(f"{url}: {tag}" for tag, url in cut.items())
