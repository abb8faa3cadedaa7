"""American English (a phone walk as an en-US reader): times on the 12-hour clock, as the
locale writes them ("4:30 PM"), and "physical therapist" and "urgent care center" where the
British source says "physiotherapist" and "urgent care centre". British English, the
source ("en-gb"), and every other English keep the 24-hour clock and the British words.

American English is a language of its own (settings.LANGUAGES "en-us"), picked from the
browser's Accept-Language or the profile; its formats are config/formats/en_US and its
catalogue locale/en_US (only the strings that differ; the .mo is committed)."""

from __future__ import annotations

import ast
import gettext
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import translation

from rehabit.accounts.models import Profile
from rehabit.core import timefmt
from tests.accounts.helpers import PASSWORD, assessment_for, login
from tests.accounts.source_messages import source_messages

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "en_US" / "LC_MESSAGES"
# 16:30 UTC: 11:30 in New York, 16:30 in London; the session ends at 17:15.
AFTERNOON = datetime(2027, 1, 13, 16, 30, tzinfo=UTC)
# The words, and the order of a date's parts, that American English says otherwise.
BRITISH = re.compile(
    r"physiotherap|\bcentres?\b|\ba stick\b|\btrolley\b|\bday, month and year\b|\bcarers?\b"
    r"|\bfootballers?\b|\bdummy tablets?\b|\bstraight away\b|\be-mail|slipped upper femoral"
    # British spellings (tests/accounts/test_american_words.py's SPELLINGS)
    r"|\bprogrammes?\b|\btumours?\b|colour|\bfibres?\b|orthopaedic|paed|\bhaem|aemi[ac]"
    r"|naesth|raesth|oedema|\boesoph|dyspnoea|\boestr|\bfaec|diarrhoea|metres?\b"
    r"|\blicences?\b|\b(?:recogni|organi|reali|minimi|maximi|mobili|immobili|randomi"
    r"|stabili|prioriti)s(?:e|es|ed|ing|ation|ations)\b"
    r"|favour|behaviour|litres?\b|\bgrey|\bpractis(?:e|es|ed|ing)\b|\btowards\b|paracetamol"
    r"|\b(?:in|to|into|from) hospital\b|\b(?:un)?tick(?:s|ed|ing)?\b|\bplaster\b|\bdrip\b"
    r"|\bcoach,? (?:train|trip|journey)|(?<!Australian )\bfootball\b|(?<!field )\bhockey\b"
    r"|\bathletics\b|\bnight-time\b|\bdummy |\bcancell(?:ed|ing)\b"
    r"|\bstops? (?:you|your child) sleeping\b|\b\d+ kg\b(?!,? \(?(?:about )?\d+ pounds)"
    r"|\b\d+ cm\b(?! \(\d+ feet\))",
    re.IGNORECASE,
)


def _po_entries(path: Path) -> list[tuple[str, str | None, list[str]]]:
    """(msgid, msgid_plural or None, msgstrs) of each entry of a .po file: one msgstr, or
    msgstr[0] and msgstr[1] for a plural (no contexts: this catalogue has none)."""
    entries: list[tuple[str, str | None, list[str]]] = []
    current: dict[str, str] = {}
    key = ""
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith(("msgid ", "msgid_plural ", "msgstr ", "msgstr[")):
            key, _space, quoted = line.partition(" ")
            current[key] = ast.literal_eval(quoted)
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
        elif not line.strip():
            if current.get("msgid"):
                plural = current.get("msgid_plural")
                if plural is None:
                    strings = [current["msgstr"]]
                else:
                    strings = [current[f"msgstr[{n}]"] for n in range(2)]
                    assert "msgstr[2]" not in current, current
                entries.append((current["msgid"], plural, strings))
            current, key = {}, ""
        elif line.startswith("msgctxt"):
            raise AssertionError(f"not expected in this catalogue: {line}")
    return entries


def _po_messages(path: Path) -> dict[str | tuple[str, int], str]:
    """The catalogue as gettext holds it: msgid -> msgstr, (msgid, n) -> msgstr[n]."""
    messages: dict[str | tuple[str, int], str] = {}
    for msgid, plural, strings in _po_entries(path):
        if plural is None:
            messages[msgid] = strings[0]
        else:
            messages.update({(msgid, n): text for n, text in enumerate(strings)})
    return messages


def test_the_compiled_catalogue_is_the_po_file() -> None:
    """The .mo is committed (nothing compiles messages in the test run or CI): it must be
    what msgfmt makes of the .po (msgfmt --check -o django.mo django.po)."""
    source = _po_messages(CATALOGUE / "django.po")
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalog = {k: v for k, v in compiled._catalog.items() if k}  # type: ignore[attr-defined]
    assert catalog == source
    assert len(source) >= 10


def test_each_catalogue_string_is_a_source_string_with_only_the_american_words() -> None:
    """A British string that changes loses its American one silently: each msgid must
    still be a message of the source (read as makemessages would), and its translation
    differ from it only where British words were (no "physiotherap", no "centre", no
    "a stick", no "trolley", no "day, month and year", no "carer", no "footballers", no
    "dummy tablet", no "straight away", no "e-mail", and none of the British spellings
    such as "programme" or "tumour"). A plural's two forms each."""
    messages = {(message.msgid, message.plural) for message in source_messages()}
    for msgid, plural, americans in _po_entries(CATALOGUE / "django.po"):
        assert (msgid, plural) in messages, msgid[:60]
        forms = [msgid] if plural is None else [msgid, plural]
        for british, american in zip(forms, americans, strict=True):
            assert BRITISH.search(british), british
            assert not BRITISH.search(american), american
            assert american != british


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("en-US,en;q=0.9", "en-us"),
        ("en-GB,en;q=0.9", "en-gb"),
        ("en", "en-gb"),
        ("en-AU", "en-gb"),
        ("fr-FR,fr;q=0.9", "en-gb"),
    ],
)
def test_the_browsers_language_picks_american_or_british_english(
    header: str, language: str
) -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE=header).get("/")
    assert page["Content-Language"] == language
    assert f'<html lang="{language}">' in page.content.decode()


def test_american_reads_physical_therapist_and_british_physiotherapist() -> None:
    american = Client(HTTP_ACCEPT_LANGUAGE="en-US").get("/booking/").content.decode()
    british = Client(HTTP_ACCEPT_LANGUAGE="en-GB").get("/booking/").content.decode()
    assert "Book an online session with a physical therapist" in american
    assert "Book an online session with a physiotherapist" in british
    home = Client(HTTP_ACCEPT_LANGUAGE="en-US").get("/").content.decode()
    assert "Rehabit is online physical therapy." in home
    for page in (american, home):
        assert not BRITISH.search(re.sub(r"<[^>]+>", " ", page)), BRITISH.search(page)


def test_the_urgent_care_advice_names_an_urgent_care_center_in_american_english() -> None:
    from rehabit.clinical import triage_words

    texts: list[str] = []
    for value in vars(triage_words).values():
        if isinstance(value, str):
            texts.append(value)
        elif hasattr(value, "values") and not isinstance(value, type):
            texts.extend(v for v in value.values() if isinstance(v, str))
    advice = sorted({text for text in texts if "urgent care centre" in text})
    # The urgent and "today or tomorrow" actions and what they add after a sign's own
    # advice (ACTION_REST), in both voices.
    assert len(advice) >= 8, "the triage advice no longer names an urgent care centre"
    for british in advice:
        with translation.override("en-us"):
            american = translation.gettext(british)
        with translation.override("en-gb"):
            assert translation.gettext(british) == british
        assert american == british.replace("urgent care centre", "urgent care center")


def _account_time(client: Client) -> str:
    body = client.get("/account/").content.decode()
    found = re.search(r'<td data-label="When">([^<]*)</td>', body)
    assert found is not None, "no assessment listed"
    return found.group(1)


def test_an_american_reader_gets_the_12_hour_clock_with_the_zone(patient: Any) -> None:
    """The same assessment time, in New York: "11:30 AM" to an en-US browser, "11:30" to an
    en-GB one; both name the zone. Each reads its own order of the date: the month first
    in American English, the day first in British."""
    Profile.objects.filter(user=patient).update(time_zone="America/New_York", language="")
    with time_machine.travel(AFTERNOON, tick=False):
        assessment_for(patient)
        american = _account_time(login(Client(HTTP_ACCEPT_LANGUAGE="en-US"), patient))
        british = _account_time(login(Client(HTTP_ACCEPT_LANGUAGE="en-GB"), patient))
    assert american == "Wednesday, January 13, 2027, 11:30 AM (EST, America/New York)"
    assert british == "Wednesday 13 January 2027, 11:30 (EST, America/New York)"


def _signed_in(header: str, user: Any) -> Client:
    """Signed in through the sign-in form, which applies the profile's language."""
    client = Client(HTTP_ACCEPT_LANGUAGE=header)
    response = client.post("/account/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_the_profiles_language_wins_over_the_browsers(patient: Any) -> None:
    """Chosen on the profile, American English is used whatever the browser sends, and
    British English likewise."""
    with time_machine.travel(AFTERNOON, tick=False):
        assessment_for(patient)
        Profile.objects.filter(user=patient).update(language="en-us")
        chosen_us = _account_time(_signed_in("en-GB", patient))
        Profile.objects.filter(user=patient).update(language="en-gb")
        chosen_gb = _account_time(_signed_in("en-US", patient))
    assert chosen_us.endswith(", 4:30 PM (GMT, Europe/London)")
    assert chosen_gb.endswith(", 16:30 (GMT, Europe/London)")


def test_a_session_reads_on_the_12_hour_clock_for_an_american_reader(patient: Any) -> None:
    """The appointment page's span and the account page's next session: "4:30 PM–5:15 PM"
    with the zone, against "16:30–17:15" for a British reader."""
    from tests.booking.support import book, free_start, make_therapist

    therapist = make_therapist("Tara Therapist")
    session = book(patient, therapist, free_start(therapist, after=timedelta(days=2)))
    Profile.objects.filter(user=patient).update(time_zone="Europe/London", language="")
    with time_machine.travel(session.start - timedelta(days=1), tick=False):
        with translation.override("en-us"):
            american = timefmt.format_span(session.start, session.end, "Europe/London")
        with translation.override("en-gb"):
            british = timefmt.format_span(session.start, session.end, "Europe/London")
        for header, expected in (("en-US", american), ("en-GB", british)):
            client = login(Client(HTTP_ACCEPT_LANGUAGE=header), patient)
            for path in (f"/booking/appointments/{session.pk}/", "/account/"):
                assert expected in client.get(path).content.decode(), (header, path)
    assert re.search(r", \d{1,2}:\d\d [AP]M–\d{1,2}:\d\d [AP]M \(GMT|BST", american)
    assert re.search(r", \d\d:\d\d–\d\d:\d\d \(", british)


def test_no_language_switcher_between_variants_of_one_language(settings: Any) -> None:
    """British and American English are picked from the browser or on the profile: no
    switcher form (with its CSRF token) on every page. Two languages do get one."""
    assert 'id="language-select"' not in Client().get("/account/login/").content.decode()
    settings.LANGUAGES = [("en-gb", "British English"), ("de", "Deutsch")]
    assert 'id="language-select"' in Client().get("/account/login/").content.decode()
