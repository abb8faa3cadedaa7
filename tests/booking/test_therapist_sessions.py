"""An administrator's page of one therapist's sessions to come, and cancelling them at once
with one reason that each patient reads (booking.deactivation, booking.views.
therapist_sessions): for a therapist who leaves or was deactivated with sessions booked."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from rehabit.audit.models import AuditEntry
from rehabit.booking import services
from rehabit.booking.management.commands.worker import run_queued_tasks
from rehabit.booking.models import Appointment, AppointmentStatus
from tests.accounts.helpers import TOTP_SECRET, login, make_user
from tests.booking.support import Mailbox, book, free_start, make_therapist, text_body

pytestmark = pytest.mark.django_db

REASON = "Dr Lane has left Rehabit. We are sorry: please book with another therapist."


def page_of(therapist: Any) -> str:
    return f"/booking/therapists/{therapist.pk}/sessions/"


@pytest.fixture
def admin_client(admin_user: Any) -> Client:
    return login(Client(), admin_user, mfa=True)


@pytest.fixture
def booked(patient: Any, other_patient: Any, therapist: Any) -> list[Any]:
    return [
        book(patient, therapist, free_start(therapist, after=timedelta(days=2))),
        book(other_patient, therapist, free_start(therapist, after=timedelta(days=5))),
    ]


def ids(appointments: list[Any]) -> list[str]:
    return [str(a.pk) for a in appointments]


def test_the_page_lists_the_sessions_to_come_soonest_first_with_the_zone(
    admin_client: Client, booked: list[Any], therapist: Any, patient: Any
) -> None:
    elsewhere = make_therapist("Other Person")
    book(patient, elsewhere, free_start(elsewhere))
    response = admin_client.get(page_of(therapist) + "?tz=Asia/Tokyo")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sessions to come with Tara Therapist" in html
    assert "Times are in Asia/Tokyo." in html and "JST" in html
    assert html.index("Pat Booker") < html.index("Olive Other")
    assert "Other Person" not in html
    for appointment in booked:
        assert f"/booking/appointments/{appointment.pk}/" in html
        # All chosen to begin with.
        assert re.search(
            rf'<input type="checkbox" [^>]*value="{appointment.pk}"[^>]* checked', html
        )
    # Still listed: the admin is told patients can still book.
    assert "patients can still book new sessions" in html


def test_cancelling_them_tells_each_patient_why_and_how_to_book_again(
    admin_client: Client,
    admin_user: Any,
    booked: list[Any],
    therapist: Any,
    patient: Any,
    other_patient: Any,
    mailbox: Mailbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            page_of(therapist), {"reason": f"  {REASON}\u200b ", "appointment": ids(booked)}
        )
    assert response.status_code == 302 and response["Location"] == page_of(therapist)
    for appointment in booked:
        appointment.refresh_from_db()
        assert appointment.status == AppointmentStatus.CANCELLED
        assert appointment.cancel_reason == REASON  # invisible characters and spaces gone
        assert appointment.cancelled_by_id == admin_user.pk
    assert AuditEntry.objects.filter(action="booking.cancelled").count() == 2
    followed = admin_client.get(page_of(therapist)).content.decode()
    assert "2 sessions were cancelled." in followed
    assert "Tara Therapist has no booked session to come." in followed
    run_queued_tasks("test-worker")
    for person in (patient, other_patient):
        (message,) = mailbox.to(person.email)
        assert message["Subject"].startswith("Cancelled:")
        body = text_body(message)
        assert REASON in body
        assert "To book another session, with this therapist or another:" in body
        # The admin is a stranger to the patient: the e-mail names the Rehabit team.
        assert "The Rehabit team cancelled this session." in body
        assert "The reason the Rehabit team gave:" in body
        assert "Ada Admin" not in body
        assert "/booking/" in body


def test_only_the_sessions_chosen_and_still_booked_are_cancelled(
    admin_client: Client, booked: list[Any], therapist: Any, patient: Any
) -> None:
    first, second = booked
    response = admin_client.post(
        page_of(therapist), {"reason": REASON, "appointment": [str(first.pk)]}
    )
    assert response.status_code == 302
    assert Appointment.objects.get(pk=first.pk).status == AppointmentStatus.CANCELLED
    assert Appointment.objects.get(pk=second.pk).status == AppointmentStatus.BOOKED
    # A session booked after the page was shown is not in the list sent: untouched.
    later = book(patient, therapist, free_start(therapist, after=timedelta(days=8)))
    admin_client.post(page_of(therapist), {"reason": REASON, "appointment": [str(second.pk)]})
    assert Appointment.objects.get(pk=later.pk).status == AppointmentStatus.BOOKED


def test_a_session_the_patient_cancelled_meanwhile_asks_to_check_again(
    admin_client: Client, booked: list[Any], therapist: Any, patient: Any
) -> None:
    first, second = booked
    services.cancel(first.pk, actor=patient, reason="")
    response = admin_client.post(page_of(therapist), {"reason": REASON, "appointment": ids(booked)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "The list changed since you opened it. Check it and cancel again." in html
    assert Appointment.objects.get(pk=second.pk).status == AppointmentStatus.BOOKED
    assert REASON in html  # what was typed is kept


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Write the reason each patient will read."),
        ("\u200b\u2066 \u202e", "Write the reason each patient will read."),
        ("x" * 301, "Keep the reason to 300 characters or fewer (it has 301)."),
    ],
)
def test_a_bad_reason_is_refused_at_its_field_and_nothing_is_cancelled(
    admin_client: Client, booked: list[Any], therapist: Any, reason: str, message: str
) -> None:
    response = admin_client.post(page_of(therapist), {"reason": reason, "appointment": ids(booked)})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'href="#id_reason"' in html
    assert not Appointment.objects.filter(status=AppointmentStatus.CANCELLED).exists()


def test_none_chosen_or_an_unknown_id_cancels_nothing(
    admin_client: Client, booked: list[Any], therapist: Any
) -> None:
    response = admin_client.post(page_of(therapist), {"reason": REASON})
    assert response.status_code == 400
    assert "Choose at least one session to cancel." in response.content.decode()
    response = admin_client.post(
        page_of(therapist), {"reason": REASON, "appointment": ["not-a-uuid", str(booked[0].pk)]}
    )
    assert response.status_code == 400
    assert not Appointment.objects.filter(status=AppointmentStatus.CANCELLED).exists()


def test_sent_twice_the_second_finds_nothing_left(
    admin_client: Client, booked: list[Any], therapist: Any
) -> None:
    data = {"reason": REASON, "appointment": ids(booked)}
    admin_client.post(page_of(therapist), data)
    again = admin_client.post(page_of(therapist), data, follow=True)
    assert "There is no booked session to come left to cancel." in again.content.decode()
    assert Appointment.objects.filter(status=AppointmentStatus.CANCELLED).count() == 2


def test_sessions_already_over_are_not_listed(
    admin_client: Client, booked: list[Any], therapist: Any, settings: Any
) -> None:
    first = booked[0]
    Appointment.objects.filter(pk=first.pk).update(
        start=timezone.now() - timedelta(hours=2), end=timezone.now() - timedelta(hours=1)
    )
    html = admin_client.get(page_of(therapist)).content.decode()
    assert f'value="{first.pk}"' not in html and f'value="{booked[1].pk}"' in html


def test_only_an_administrator_opens_it(
    booked: list[Any], therapist: Any, patient: Any, other_patient: Any
) -> None:
    own = login(Client(), therapist.user, mfa=True)
    for client in (Client(), login(Client(), patient), own):
        response = client.get(page_of(therapist))
        assert response.status_code in (302, 403, 404), response.status_code
        post = client.post(page_of(therapist), {"reason": REASON, "appointment": ids(booked)})
        assert post.status_code in (302, 403, 404)
    assert not Appointment.objects.filter(status=AppointmentStatus.CANCELLED).exists()
    admin = make_user("ad2@example.org", role="admin", name="Ad Two", totp_secret=TOTP_SECRET)
    assert (
        login(Client(), admin, mfa=True).get("/booking/therapists/999999/sessions/").status_code
        == 404
    )


def test_deactivating_links_the_admin_to_the_page(
    admin_client: Client, booked: list[Any], therapist: Any, settings: Any
) -> None:
    from tests.accounts.test_admin_security import account_form, url

    user = therapist.user
    response = admin_client.post(
        url(settings, f"auth/user/{user.pk}/change/"), account_form(user, is_active=""), follow=True
    )
    html = response.content.decode()
    assert "This therapist still has 2 booked sessions to come." in html
    assert f'<a href="{page_of(therapist)}">See the sessions</a>' in html
    page = admin_client.get(page_of(therapist)).content.decode()
    assert "account is inactive: they cannot sign in" in page


def test_a_double_tap_whose_other_half_cancelled_them_says_nothing_was_cancelled(
    admin_client: Client, booked: list[Any], therapist: Any, monkeypatch: Any
) -> None:
    """Walk 4: a double tap sent two requests at once; the second read the sessions while
    the first cancelled them, and the admin was shown its answer: "0 sessions were
    cancelled. Each patient and the therapist get an e-mail." """
    from rehabit.booking.views import therapist_sessions as view

    real = view.cancel_upcoming

    def other_request_first(*args: Any, **kwargs: Any) -> int:
        real(*args, **kwargs)  # the other half of the double tap, a moment earlier
        return real(*args, **kwargs)

    monkeypatch.setattr(view, "cancel_upcoming", other_request_first)
    response = admin_client.post(
        page_of(therapist), {"reason": REASON, "appointment": ids(booked)}, follow=True
    )
    html = response.content.decode()
    assert "No session was cancelled: the sessions chosen were no longer booked" in html
    assert "0 sessions were cancelled" not in html and "get an e-mail." not in html
    assert Appointment.objects.filter(status=AppointmentStatus.CANCELLED).count() == 2


def test_for_a_deactivated_therapist_only_the_patients_are_said_to_be_told(
    admin_client: Client,
    booked: list[Any],
    therapist: Any,
    patient: Any,
    mailbox: Mailbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Walk 4: the page and its message said "the patient and the therapist get an
    e-mail" for a therapist whose account is inactive (who gets none), and the patient's
    e-mail offered to book again "with this therapist", who can no longer be booked."""
    user = therapist.user
    user.is_active = False
    user.save()  # unlists the therapist (booking.deactivation)
    page = admin_client.get(page_of(therapist)).content.decode()
    assert "the patient gets an e-mail with your reason" in page
    assert "The therapist gets none: their account is inactive." in page
    assert "the patient and the therapist get an e-mail" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            page_of(therapist), {"reason": REASON, "appointment": ids(booked)}, follow=True
        )
    html = response.content.decode()
    assert "2 sessions were cancelled. Each patient gets an e-mail." in html
    assert "and the therapist get" not in html
    run_queued_tasks("test-worker")
    assert not mailbox.to(user.email)
    body = text_body(mailbox.to(patient.email)[0])
    assert "To book another session with another therapist:" in body
    assert "with this therapist or another" not in body


class _FormFields(HTMLParser):
    """The fields a browser would send for the page's forms (inputs, checked boxes, selected
    options, text areas), as a list of (name, value)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []  # the open select's (value, selected)
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            box = a.get("type") in ("checkbox", "radio")
            if box and "checked" not in a:
                return
            self.fields.append((name, a.get("value", "on" if box else "")))
        elif tag == "select":
            self._select, self._options = name, []
        elif tag == "option" and self._select:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self._textarea = name
            self.fields.append((name, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select:
            # As a browser: the selected option, or the first when none is marked.
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _ in self._options[:1]
            ]
            self.fields.extend((self._select, v) for v in chosen)
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data.lstrip("\n"))


def test_unlisting_in_the_admin_site_links_the_admin_to_the_sessions(
    admin_client: Client, booked: list[Any], therapist: Any, settings: Any
) -> None:
    # Unticking "listed" on the therapist record leaves the booked sessions too: the admin is
    # told, as when the account is deactivated (it said nothing).
    from rehabit.booking.models import Therapist

    change = f"/{settings.REHABIT_ADMIN_PATH}booking/therapist/{therapist.pk}/change/"
    page = admin_client.get(change)
    assert page.status_code == 200
    parser = _FormFields()
    parser.feed(page.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:
        if name != "is_listed":
            data.setdefault(name, []).append(value)
    response = admin_client.post(change, data, follow=True)
    assert response.status_code == 200
    assert not Therapist.objects.get(pk=therapist.pk).is_listed
    html = response.content.decode()
    assert "This therapist still has 2 booked sessions to come." in html
    assert f'<a href="{page_of(therapist)}">See the sessions</a>' in html
