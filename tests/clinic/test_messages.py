"""Secure messages between a patient and their therapist, through a real SMTP server: the
e-mail says only that a message is waiting; reads by the therapist are audited; unread
counts; the reply time and "not for emergencies" on every message page."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from rehabit.audit.models import AuditEntry
from rehabit.booking.models import Appointment
from rehabit.clinic import messaging
from rehabit.clinic.errors import FieldErrors, Refused
from rehabit.clinic.models import Message, MessagingSettings
from rehabit.mail import outbox
from tests.booking.support import Mailbox, text_body
from tests.clinic.support import Clinic

pytestmark = pytest.mark.django_db

SECRET = "My left hamstring throbs at night"


def _thread_url(response: Any) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"])


def test_a_message_flow_with_a_real_smtp_server(clinic: Clinic, mailbox: Mailbox) -> None:
    patient, therapist = clinic.client("patient"), clinic.client("therapist")
    url = _thread_url(patient.post("/clinic/messages/", {"therapist": clinic.therapist.pk}))
    page = patient.get(url).content.decode()
    assert "Messages are not for emergencies" in page
    assert 'href="tel:999"' in page  # the patient's zone is London's (core.emergency)
    assert "usually replies within 2 working days" in page
    sent = patient.post(url, {"body": SECRET, "token": "t-1"})
    assert sent.status_code == 302
    # A retried form is stored once; a second message in the same unread run sends no
    # second e-mail.
    patient.post(url, {"body": SECRET, "token": "t-1"})
    patient.post(url, {"body": "And it is stiff in the morning.", "token": "t-2"})
    assert Message.objects.count() == 2
    assert outbox.send_due("test") == 1
    (notice,) = mailbox.to(clinic.therapist.user.email)
    text = text_body(notice)
    assert "new message" in text.lower() and url in text
    for part in notice.walk():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            assert b"hamstring" not in payload and b"stiff" not in payload
            assert b"Pat Clinic" not in payload  # nobody named
    # The therapist sees 2 unread, reads (audited), and they are read.
    assert messaging.unread_count(clinic.therapist.user) == 2
    listing = therapist.get("/clinic/messages/").content.decode()
    assert "2 unread" in listing and "Pat Clinic" in listing
    body = therapist.get(url).content.decode()
    assert SECRET in body and "recorded in the patient" in body
    assert messaging.unread_count(clinic.therapist.user) == 0
    read = AuditEntry.objects.get(target_type="messagethread")
    assert read.action == "record.viewed" and read.subject_id == clinic.patient.pk
    assert read.actor_id == clinic.therapist.user.pk
    # The reply reaches the patient as a notice only; the patient's read is not audited.
    therapist.post(url, {"body": "Let us look at it on Tuesday.", "token": "t-3"})
    assert outbox.send_due("test") == 1
    (reply,) = mailbox.to(clinic.patient.email)
    assert "Tuesday" not in text_body(reply)
    assert messaging.unread_count(clinic.patient) == 1
    assert "Let us look at it on Tuesday." in patient.get(url).content.decode()
    assert messaging.unread_count(clinic.patient) == 0
    assert AuditEntry.objects.filter(target_type="messagethread").count() == 1


def test_text_is_cleaned_and_refused_with_control_characters(clinic: Clinic) -> None:
    thread = messaging.open_thread(clinic.patient, therapist_id=clinic.therapist.pk)
    for bad in ("Hi\x00there", "Hi\x1b[2Jthere", "Hi\x85there", "", "   \n ", "x" * 4001):
        with pytest.raises(FieldErrors):
            messaging.send(clinic.patient, thread, bad)
    message, _ = messaging.send(clinic.patient, thread, "Visit \u202eevil.com\u202c please\u200b")
    assert message.body == "Visit evil.com please"
    assert Message.objects.count() == 1


def test_a_bad_message_on_the_page_is_shown_again_with_the_problem(clinic: Clinic) -> None:
    patient = clinic.client("patient")
    url = _thread_url(patient.post("/clinic/messages/", {"therapist": clinic.therapist.pk}))
    long = "word " * 900
    response = patient.post(url, {"body": long, "token": "t"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "4000 characters or fewer" in body and long.strip()[:200] in body
    assert not Message.objects.exists()


def test_only_related_people_write_and_the_therapist_reads_only_while_related(
    clinic: Clinic,
) -> None:
    with pytest.raises(Refused):
        messaging.open_thread(clinic.patient, therapist_id=clinic.stranger.pk)
    with pytest.raises(Refused):
        messaging.open_thread(clinic.stranger.user, patient_id=clinic.patient.pk)
    # The unshared therapist may write: messages can be about scheduling.
    thread = messaging.open_thread(clinic.unshared.user, patient_id=clinic.patient.pk)
    messaging.send(clinic.unshared.user, thread, "Can we move to 10:00?")
    # Once the sessions are long over the conversation closes for writing, and the
    # therapist no longer reads it; the patient still does.
    long_ago = timezone.now() - timedelta(days=400)
    Appointment.objects.filter(patient=clinic.patient).update(
        start=long_ago, end=long_ago + timedelta(minutes=45)
    )
    with pytest.raises(Refused):
        messaging.send(clinic.patient, thread, "Still there?")
    assert clinic.client("unshared").get(f"/clinic/messages/{thread.pk}/").status_code == 404
    page = clinic.client("patient").get(f"/clinic/messages/{thread.pk}/")
    assert page.status_code == 200 and 'id="closed"' in page.content.decode()


def test_the_reply_time_is_the_therapists_setting(clinic: Clinic) -> None:
    therapist = clinic.client("therapist")
    bad = therapist.post("/clinic/settings/", {"reply_within_days": "0"})
    assert bad.status_code == 422 and "from 1 to 10" in bad.content.decode()
    assert therapist.post("/clinic/settings/", {"reply_within_days": "1"}).status_code == 302
    assert MessagingSettings.objects.get(therapist=clinic.therapist).reply_within_days == 1
    patient = clinic.client("patient")
    url = _thread_url(patient.post("/clinic/messages/", {"therapist": clinic.therapist.pk}))
    assert "usually replies within 1 working day." in patient.get(url).content.decode()
    assert clinic.client("patient").get("/clinic/settings/").status_code == 404


def test_the_api_lists_reads_sends_and_marks_read(clinic: Clinic) -> None:
    patient, therapist = clinic.client("patient"), clinic.client("therapist")
    start = patient.post(
        "/api/v1/messages/threads",
        json.dumps({"therapist_id": clinic.therapist.pk}),
        content_type="application/json",
    )
    assert start.status_code == 200
    thread_id = start.json()["id"]
    assert start.json()["with"] == {"kind": "therapist", "id": clinic.therapist.pk,
                                    "name": "Tara Therapist"}  # fmt: skip
    url = f"/api/v1/messages/threads/{thread_id}/messages"
    first = patient.post(
        url, json.dumps({"body": SECRET}), content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k1",
    )  # fmt: skip
    assert first.status_code == 201
    again = patient.post(
        url, json.dumps({"body": SECRET}), content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k1",
    )  # fmt: skip
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    (listed,) = therapist.get("/api/v1/messages/threads").json()
    assert listed["unread"] == 1 and listed["with"]["name"] == "Pat Clinic"
    read = therapist.get(f"/api/v1/messages/threads/{thread_id}").json()
    assert read["messages"][0]["body"] == SECRET and not read["messages"][0]["from_me"]
    assert "not for emergencies" in read["notice"]
    marked = therapist.post(f"/api/v1/messages/threads/{thread_id}/read")
    assert marked.json() == {"marked": 1}
    assert therapist.get("/api/v1/messages/threads").json()[0]["unread"] == 0
    empty = patient.post(url, json.dumps({"body": ""}), content_type="application/json")
    assert empty.status_code == 422
    refused = clinic.client("stranger").post(
        "/api/v1/messages/threads",
        json.dumps({"patient_id": clinic.patient.pk}),
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_a_patient_sees_unread_messages_in_the_site_navigation(clinic: Clinic) -> None:
    thread = messaging.open_thread(clinic.patient, therapist_id=clinic.therapist.pk)
    patient = clinic.client("patient")
    assert 'href="/clinic/messages/"' in patient.get("/").content.decode()
    assert 'id="unread-messages"' not in patient.get("/").content.decode()
    messaging.send(clinic.therapist.user, thread, "See you Tuesday.")
    assert messaging.unread_for_patient(clinic.patient) == 1
    home = patient.get("/").content.decode()
    assert '<span id="unread-messages" class="nav-count">(1 unread)</span>' in home
    # On a phone the item is folded away: the closed menu button says so too (phone walk 6).
    assert '<span class="menu-badge">1 new message</span>' in home
    assert "menu-badge" not in clinic.client("other_patient").get("/").content.decode()
    assert 'id="unread-messages"' not in clinic.client("other_patient").get("/").content.decode()


def test_the_other_side_using_the_same_idempotency_key_sends_its_own_message(
    clinic: Clinic,
) -> None:
    """A key is the sender's side's own: the therapist reusing the patient's key (by chance,
    or by a client that numbers its sends) stores the therapist's message, and each side's
    retry still gives back its own first message."""
    patient, therapist = clinic.client("patient"), clinic.client("therapist")
    thread_id = patient.post(
        "/api/v1/messages/threads",
        json.dumps({"therapist_id": clinic.therapist.pk}),
        content_type="application/json",
    ).json()["id"]
    url = f"/api/v1/messages/threads/{thread_id}/messages"

    def send(client: Any, body: str) -> Any:
        return client.post(url, json.dumps({"body": body}), content_type="application/json",
                           HTTP_IDEMPOTENCY_KEY="1")  # fmt: skip

    mine = send(patient, "From the patient.")
    theirs = send(therapist, "From the therapist.")
    assert mine.status_code == 201 and theirs.status_code == 201, theirs.content
    assert theirs.json()["id"] != mine.json()["id"]
    assert send(therapist, "From the therapist.").json()["id"] == theirs.json()["id"]
    assert send(patient, "From the patient.").json()["id"] == mine.json()["id"]
    bodies = [m["body"] for m in therapist.get(f"/api/v1/messages/threads/{thread_id}").json()[
        "messages"]]  # fmt: skip
    assert bodies == ["From the patient.", "From the therapist."]


def test_the_apis_notice_names_the_emergency_number_of_the_patients_country(
    clinic: Clinic,
) -> None:
    """A patient whose zone is Chicago is told to call 911, not the deployment's 112
    (``core.emergency``)."""
    from rehabit.accounts.models import Profile

    Profile.objects.filter(user=clinic.patient).update(time_zone="America/Chicago")
    patient = clinic.client("patient")
    start = patient.post(
        "/api/v1/messages/threads",
        json.dumps({"therapist_id": clinic.therapist.pk}),
        content_type="application/json",
    )
    notice = patient.get(f"/api/v1/messages/threads/{start.json()['id']}").json()["notice"]
    assert "In an emergency, call 911." in notice
