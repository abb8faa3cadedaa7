"""Every word a page shows is translatable: each page of the site is read in a pseudo
language whose "translation" of any message is the message in ⟪ ⟫, so text that never went
through gettext (a template string outside {% translate %}, a Python string not marked, a
data-file string not passed through ``tr``, a list whose names are only gettext_noop'd)
is left bare, and is found.

The pages are those of the accessibility crawl (``tests/browser/test_accessibility_crawl``:
every URL pattern, for each kind of visitor), fetched with the test client. What may stay
bare is what is not ours to translate: the people's own names, addresses and words, time
zone ids and abbreviations, the content fingerprint of a signed note, bibliographic
references, and each language's name in that language (the language switcher's)."""

from __future__ import annotations

import gettext as gettext_module
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.utils.translation import gettext_lazy, trans_real

from tests.accounts.helpers import login
from tests.browser.test_accessibility_crawl import _make_site, _user, pages_for

pytestmark = pytest.mark.django_db

OPEN, CLOSE = "\u27ea", "\u27eb"
PSEUDO = "de"  # a language Django has its own catalogue for, so the site accepts it
MARKED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
WORD = re.compile(r"[A-Za-z][A-Za-z']{2,}")
NOT_OURS = [
    re.compile(r"\b[A-Z][A-Za-z_-]*(?:/[A-Za-z_ +-]+)+|\bUTC\b"),  # zone ids
    re.compile(r"\b[A-Z]{2,5}\b"),  # zone abbreviations: GMT, BST, AEDT
    re.compile(r"\b[0-9a-f]{32,}\b"),  # a signed note's content fingerprint
    re.compile(r"\S+@\S+"),  # e-mail addresses
    re.compile(r"^\s*\[[A-Z]?\d+[a-z]?\].*$"),  # a reference: "[R51] Mason DL, ... 2012."
]


class PseudoTranslation(gettext_module.NullTranslations):
    """Every message "translated" to itself in ⟪ ⟫ (its context dropped)."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self._language = language

    def gettext(self, message: str) -> str:
        message = message.split("\x04", 1)[-1]
        return f"{OPEN}{message}{CLOSE}" if message.strip() else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)

    def pgettext(self, context: str, message: str) -> str:
        return self.gettext(message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self.ngettext(singular, plural, n)

    def language(self) -> str:
        return self._language

    def to_language(self) -> str:
        return self._language


class _Text(HTMLParser):
    """The text a person reads: text nodes outside scripts, and the attributes read out."""

    SKIP = frozenset({"script", "style", "template"})
    READ = frozenset({"alt", "title", "aria-label", "placeholder"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skipping += tag in self.SKIP
        self.parts.extend(value for name, value in attrs if name in self.READ and value)

    def handle_endtag(self, tag: str) -> None:
        self.skipping -= tag in self.SKIP

    def handle_data(self, data: str) -> None:
        if not self.skipping and data.strip():
            self.parts.append(data)


def bare_text(html: str, theirs: set[str]) -> Iterator[str]:
    """The lines of ``html``'s text with a word that went through no translation."""
    parser = _Text()
    parser.feed(html)
    text = "\n".join(parser.parts)
    while (unmarked := MARKED.sub(" ", text)) != text:  # innermost first, across tags
        text = unmarked
    for line in text.split("\n"):
        left = line
        for value in theirs:
            left = left.replace(value, " ")
        for pattern in NOT_OURS:
            left = pattern.sub(" ", left)
        if WORD.search(left):
            yield " ".join(line.split())


def their_words() -> set[str]:
    """What the site's people typed: names, and the words of the therapist's notes."""
    from django.contrib.auth import get_user_model

    from rehabit.accounts.models import Profile
    from rehabit.booking.models import Therapist
    from rehabit.charts.models import ClinicalNote

    values = {u.get_full_name() for u in get_user_model().objects.all()}
    values |= set(Profile.objects.values_list("full_name", flat=True))
    values |= set(Therapist.objects.values_list("name", flat=True))
    for note in ClinicalNote.objects.all():
        values |= {note.author_name, note.subjective, note.objective, note.assessment, note.plan}
    values |= {"English", "Deutsch"}  # the language switcher names each in itself
    return {v.strip() for v in values if v and v.strip()}


@pytest.fixture
def pseudo_language(settings: Any) -> Iterator[None]:
    settings.LANGUAGES = [("en", gettext_lazy("English")), (PSEUDO, gettext_lazy("German"))]
    trans_real._translations[PSEUDO] = PseudoTranslation(PSEUDO)  # after the settings reset
    yield
    trans_real._translations.pop(PSEUDO, None)


@pytest.mark.parametrize("visitor", ["anonymous", "patient", "therapist", "admin"])
def test_every_page_shows_only_translated_text(pseudo_language: None, visitor: str) -> None:
    site = _make_site()
    client = Client(HTTP_ACCEPT_LANGUAGE=PSEUDO)
    user = _user(visitor, site)
    if user is not None:
        login(client, user[0], mfa=user[1])
    urls = pages_for(visitor, site)  # builds what the pages need (a signed note) first
    theirs = their_words()
    found: dict[str, str] = {}
    read = 0
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        assert f'<html lang="{PSEUDO}"' in html, url  # the page was made in the pseudo language
        read += 1
        for line in bare_text(html, theirs):
            found.setdefault(line, url)
    assert read >= 3, read
    assert not found, "\n".join(f"{url}: {line}" for line, url in sorted(found.items()))
