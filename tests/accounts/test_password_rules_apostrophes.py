"""The sign-up page lists the password rules: Django's own (“Your password can’t be
entirely numeric.”, with a typographic apostrophe) and Rehabit's, which had a straight one
("can't ... site's"): a phone walk in en-US read the two kinds side by side."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en-US", "en-GB"])
def test_the_password_rules_use_one_kind_of_apostrophe(language: str) -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE=language).get("/account/signup/").content.decode()
    rules = [
        html.unescape(re.sub(r"<[^>]+>", "", item))
        for item in re.findall(r"<li>(.*?)</li>", page, re.S)
        if "Your password" in item
    ]
    assert len(rules) >= 5, rules  # Django's four and Rehabit's own
    assert any("’" in rule for rule in rules)
    assert not [rule for rule in rules if "'" in rule]
