"""Every absolute link in booking e-mails, calendar files and the calendar-feed address is
built one way, from the site's one base address: ``REHABIT_SITE_URL``, or, when that is
not set, the address ``rehabit serve --port P`` itself listens on."""

from __future__ import annotations

import html
import re
import time
import urllib.parse
import urllib.request
from datetime import timedelta
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import Client
from django.utils import timezone

from rehabit.booking import reminders, services, waitlist
from rehabit.booking.management.commands.worker import run_queued_tasks
from rehabit.booking.models import Reminder
from rehabit.core.links import serve_site_url
from tests.accounts.helpers import login
from tests.booking.support import Mailbox, book, free_port, free_start, make_patient
from tests.serving import make_signed_in_patients, serve, serve_test_timeout
from tests.test_serve import CSRF, first_free_slot, fresh_install, request  # noqa: F401

# Anything a mail or calendar program would open: scheme URLs and www. addresses.
URL = re.compile(r"(?i)\b[a-z][a-z0-9+.-]*://[^\s<>\"'\\]+|\bwww\.[^\s<>\"'\\]+")


def unfolded(content: str) -> str:
    """A calendar file with its folded lines (RFC 5545 3.1) joined again."""
    return re.sub(r"\r?\n[ \t]", "", content)


def links_in(message: Message) -> list[str]:
    found: list[str] = []
    for part in message.walk():
        if part.get_content_maintype() != "text":
            continue
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        text = payload.decode(part.get_content_charset() or "utf-8")
        if part.get_content_type() == "text/calendar":
            text = unfolded(text)
        if part.get_content_type() == "text/html":
            text = html.unescape(text)
        found.extend(URL.findall(text))
    return found


def all_from(base: str, links: list[str]) -> bool:
    return bool(links) and all(link.startswith(base + "/") for link in links)


@pytest.mark.timeout(serve_test_timeout())
def test_serve_on_another_port_puts_its_own_address_in_every_link(
    fresh_install: dict[str, str],  # noqa: F811
) -> None:
    box = Mailbox()
    smtp_port = free_port()
    smtp = Controller(box, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    env = {**fresh_install, "REHABIT_EMAIL_HOST": "127.0.0.1", "REHABIT_EMAIL_PORT": str(smtp_port)}
    assert "REHABIT_SITE_URL" not in env
    try:
        (session,) = make_signed_in_patients(env, 1)
        with serve(env) as server:
            assert not server.url.endswith(":8000")
            status, therapists = request(f"{server.url}/api/v1/therapists")
            assert status == 200, server.output()[-3000:]
            status, data = request(
                f"{server.url}/api/v1/appointments",
                body=first_free_slot(server.url),
                session=session,
                key="links",
            )
            assert status == 201, data
            feed_page = _make_feed(server.url, session)
            (feed_url,) = re.findall(r'id="feed-url">([^<]+)<', feed_page)
            feed_url = html.unescape(feed_url)
            assert feed_url.startswith(f"{server.url}/booking/calendar/"), feed_url
            with urllib.request.urlopen(feed_url, timeout=30) as response:  # noqa: S310
                feed = unfolded(response.read().decode())
            deadline = time.monotonic() + 60
            while not box.to("early0@example.org") and time.monotonic() < deadline:
                time.sleep(0.2)
            assert box.to("early0@example.org"), server.output()[-3000:]
            (confirmation,) = box.to("early0@example.org")
    finally:
        smtp.stop()
    base = server.url
    assert all_from(base, links_in(confirmation)), links_in(confirmation)
    assert feed_url.startswith(f"{base}/booking/calendar/")
    assert f'href="webcal://{base.removeprefix("http://")}/booking/calendar/' in feed_page
    assert all_from(base, URL.findall(feed)), URL.findall(feed)


def _make_feed(base: str, session: str) -> str:
    body = urllib.parse.urlencode({"action": "create", "csrfmiddlewaretoken": CSRF}).encode()
    made = urllib.request.Request(  # noqa: S310
        f"{base}/booking/calendar/",
        data=body,
        headers={
            "Cookie": f"sessionid={session}; csrftoken={CSRF}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"{base}/booking/calendar/",
        },
    )
    with urllib.request.urlopen(made, timeout=30) as response:  # noqa: S310
        assert response.status == 200
        return str(response.read().decode())


@pytest.mark.django_db
def test_every_link_in_mails_calendar_files_and_the_feed_uses_the_one_base(
    mailbox: Mailbox,
    patient: Any,
    therapist: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    base = "https://rehabit.example:8443"
    settings.SITE_URL = base
    start = free_start(therapist)
    waiting = make_patient("waiting@example.org", "Wai Ting")
    waitlist.join(
        patient=waiting,
        therapist=therapist,
        specialty="",
        kind="first_assessment",
        wanted_before=start + timedelta(days=10),
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = book(patient, therapist, start)
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.reschedule(first.pk, actor=patient, start=start + timedelta(days=1))
    Reminder.objects.filter(appointment=moved).update(due_at=timezone.now())
    reminders.sweep("w")
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(moved.pk, actor=therapist.user)
    run_queued_tasks("w")
    subjects = sorted(str(m["Subject"]).split(":")[0] for m in mailbox.messages)
    assert {"Booked", "Moved", "Tomorrow", "In one hour", "Cancelled"} <= set(subjects)
    assert any(s.startswith("An earlier time") for s in subjects)  # the waitlist offer
    for message in mailbox.messages:
        assert all_from(base, links_in(message)) or message["Subject"].startswith("Cancelled")
        assert all(link.startswith(base + "/") for link in links_in(message))

    client = login(Client(), patient)
    page = client.post("/booking/calendar/", {"action": "create"}).content.decode()
    (feed_url,) = re.findall(r'id="feed-url">([^<]+)<', page)
    assert feed_url.startswith(f"{base}/booking/calendar/")
    assert 'href="webcal://rehabit.example:8443/booking/calendar/' in page
    with django_capture_on_commit_callbacks(execute=True):
        book(patient, therapist, start + timedelta(days=3))
    feed = unfolded(client.get(feed_url.removeprefix(base)).content.decode())
    assert all_from(base, URL.findall(feed)), URL.findall(feed)


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        ("127.0.0.1", 9000, "http://127.0.0.1:9000"),
        ("0.0.0.0", 8080, "http://127.0.0.1:8080"),  # noqa: S104
        ("::", 8080, "http://127.0.0.1:8080"),
        ("::1", 8081, "http://[::1]:8081"),
        ("rehabit.local", 80, "http://rehabit.local:80"),
    ],
)
def test_serve_names_its_own_address(host: str, port: int, url: str) -> None:
    assert serve_site_url(host, port) == url
