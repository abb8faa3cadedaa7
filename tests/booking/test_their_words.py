"""What one person types (their name, a reason for cancelling) reaches the other person
as that person's words: no invisible direction controls or other format characters,
quoted and attributed, and never a link (plain text: "> " lines with URLs defanged;
HTML: escaped inside a <blockquote>, no <a> but Rehabit's own links)."""

from __future__ import annotations

import re
import unicodedata
from email.message import Message
from html.parser import HTMLParser
from typing import Any

import pytest

from rehabit.booking import services
from rehabit.booking.management.commands.worker import run_queued_tasks
from rehabit.mail.words import clean, name, not_a_link
from tests.booking.support import Mailbox, book, free_start, make_patient

pytestmark = pytest.mark.django_db

# A name and a reason as an attacker would write them: a right-to-left override that
# turns "moc.live" into "evil.com" on screen, zero-width and bidi isolate characters,
# links of every shape and markup.
NAME = "Mal \u202eyrolla\u202c Ory\u200b https://evil.example/login"
REASON = (
    "Sorry!\u2066 Pay the fee here: https://evil.example/pay?x=1\u2069\n"
    "or www.evil.example, or write to refunds@evil.example\n"
    '<a href="https://evil.example">click</a>\u00ad \u202emoc.live\u202c'
)
URL = re.compile(r"(?i)\b[a-z][a-z0-9+.-]*://[^\s<>\"']+|\bwww\.[^\s<>\"']+")


def invisible(text: str) -> list[str]:
    return [
        f"U+{ord(c):04X}"
        for c in text
        if unicodedata.category(c) in ("Cf", "Cc") and c not in "\r\n\t"
    ]


def part(message: Message, content_type: str) -> str:
    for item in message.walk():
        if item.get_content_type() == content_type:
            payload = item.get_payload(decode=True)
            assert isinstance(payload, bytes)
            if content_type == "text/calendar":
                # As a calendar reads it: long lines unfolded (RFC 5545, 3.1), so a link is
                # checked whole, wherever the fold at 75 octets happens to fall.
                payload = payload.replace(b"\r\n ", b"").replace(b"\r\n\t", b"")
            return payload.decode(item.get_content_charset() or "utf-8").replace("\r\n", "\n")
    raise AssertionError(f"no {content_type} part")


class Links(HTMLParser):
    """The links of an HTML part and the text inside its blockquotes."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.quoted: list[str] = []
        self.quote_dirs: list[str | None] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")
        if tag == "blockquote":
            self._depth += 1
            self.quote_dirs.append(dict(attrs).get("dir"))
            self.quoted.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "blockquote":
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.quoted[-1] += data


@pytest.fixture
def mallory(db: Any) -> Any:
    return make_patient("mallory@example.org", NAME, zone="Europe/London")


def test_a_cancellation_reason_reaches_the_therapist_as_the_patients_quoted_words(
    mailbox: Mailbox,
    mallory: Any,
    therapist: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(mallory, therapist, free_start(therapist))
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(appointment.pk, actor=mallory, reason=REASON)
    run_queued_tasks("w")
    booked, cancelled = sorted(
        mailbox.to(therapist.user.email), key=lambda m: "Cancelled" in m["Subject"]
    )
    shown_name = "Mal yrolla Ory https[:]//evil[.]example/login"

    for message in (booked, cancelled):
        for content_type in ("text/plain", "text/html", "text/calendar"):
            body = part(message, content_type)
            assert invisible(body) == [], content_type
            # Every link in the message is Rehabit's own; nothing the patient wrote links.
            assert "evil.example" not in body.replace("[.]", "!"), content_type
            assert all(url.startswith(settings.SITE_URL + "/") for url in URL.findall(body)), (
                content_type,
                URL.findall(body),
            )
        assert invisible(str(message["Subject"])) == []

    text = part(booked, "text/plain")
    assert f"{shown_name} booked an online session with you." in text
    assert f"Patient: {shown_name}" in text

    text = part(cancelled, "text/plain")
    assert f"{shown_name} cancelled this session." in text
    assert (
        f"The reason {shown_name} gave, in their own words:\n"
        "> Sorry! Pay the fee here: https[:]//evil[.]example/pay?x=1\n"
        "> or www[.]evil[.]example, or write to refunds@evil[.]example\n"
        '> <a href="https[:]//evil[.]example">click</a> moc[.]live\n'
        "(Links in these words are shown so that they cannot be opened by accident.)"
    ) in text

    page = part(cancelled, "text/html")
    assert "&lt;a href=&quot;https[:]//evil[.]example&quot;&gt;click&lt;/a&gt;" in page
    assert '<a href="https://evil' not in page and '<a href="https[:]' not in page
    links = Links()
    links.feed(page)
    assert links.hrefs == []  # a cancellation notice has no links of ours either
    assert links.quote_dirs == ["auto"]  # the words keep their own direction, isolated
    assert links.quoted == [
        "Sorry! Pay the fee here: https[:]//evil[.]example/pay?x=1\n"
        "or www[.]evil[.]example, or write to refunds@evil[.]example\n"
        '<a href="https[:]//evil[.]example">click</a> moc[.]live'
    ]
    assert f"The reason {shown_name} gave, in their own words:" in page.replace("&quot;", '"')

    booked_page = Links()
    booked_page.feed(part(booked, "text/html"))
    assert booked_page.hrefs and all(
        href.startswith(settings.SITE_URL + "/booking/appointments/") for href in booked_page.hrefs
    )

    # The patient's own copy quotes the reason back as theirs.
    (own,) = [m for m in mailbox.to(mallory.email) if "Cancelled" in m["Subject"]]
    assert "The reason you gave:\n> Sorry!" in part(own, "text/plain")


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("Better already", "Better already"),
        ("x\u202egnp.exe", "xgnp[.]exe"),
        ("a\u200bb\u200cc\u200dd\u2060e\ufeff", "abcde"),
        ("\u2067Dr\u2069 Smith", "Dr Smith"),
        ("see https://evil.example/x?y=1 now", "see https[:]//evil[.]example/x?y=1 now"),
        ("HTTP://EVIL.EXAMPLE", "HTTP[:]//EVIL[.]EXAMPLE"),
        ("www.evil.example", "www[.]evil[.]example"),
        ("evil.example and evil\u3002example", "evil[.]example and evil[.]example"),
        ("mailto:x@evil.example", "mailto[:]x[at]evil[.]example"),
        ("3.5 km, e.g. at 10.30", "3.5 km, e.g. at 10.30"),
        ("Müller-Lüdenscheid", "Müller-Lüdenscheid"),
        ("\u3164", ""),
        ("one\r\ntwo\u2028three\n\n\n\nfour", "one\ntwo\nthree\n\nfour"),
    ],
)
def test_words_are_cleaned_and_link_nowhere(written: str, shown: str) -> None:
    assert not_a_link(clean(written)) == shown


def test_a_name_is_one_line() -> None:
    assert name("Pat\n\nBooker\tthe\u00a0Second") == "Pat Booker the Second"
    assert name("\u202e\u200b") == ""
