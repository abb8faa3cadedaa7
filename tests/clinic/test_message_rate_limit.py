"""Security review 2, finding 4: a patient had sent 200 messages of 4,000 characters in a
row. At most REHABIT_MESSAGES_PER_CONVERSATION messages from one person in one
conversation per window: past it the page shows the text again with the wait (nothing
lost, nothing sent, no e-mail), the API answers 429; other conversations, the other side
and a retry's replay are not counted."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from django.utils.html import escape

from rehabit.clinic import messaging
from rehabit.clinic.models import Message
from rehabit.core.throttle import RateLimited
from rehabit.mail.models import OutgoingMessage
from tests.clinic.support import Clinic

pytestmark = pytest.mark.django_db

LONG = "My hamstring still hurts when I sit. " * 100  # 3,700 characters


def _thread_url(response: Any) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"])


def test_the_page_keeps_the_text_and_says_how_long_to_wait(clinic: Clinic, settings: Any) -> None:
    settings.REHABIT_MESSAGES_PER_CONVERSATION = 3
    patient = clinic.client("patient")
    url = _thread_url(patient.post("/clinic/messages/", {"therapist": clinic.therapist.pk}))
    for n in range(3):
        assert patient.post(url, {"body": f"Message {n}", "token": f"t{n}"}).status_code == 302
    # A retried form (the same token) is a replay, not counted.
    assert patient.post(url, {"body": "Message 2", "token": "t2"}).status_code == 302
    mails = OutgoingMessage.objects.count()
    refused = patient.post(url, {"body": LONG, "token": "t3"})
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert wait == 1200
    html = refused.content.decode()
    assert (
        escape(
            "You have sent many messages in this conversation in a short time, so sending is "
            "paused for a moment. Please try again in 20 minutes. This message was not sent."
        )
        in html
    )
    assert "Your text is kept below" in html and 'role="alert"' in html
    textarea = re.search(r'<textarea id="body"[^>]*>(.*?)</textarea>', html, re.S)
    assert textarea is not None and textarea.group(1) == escape(LONG)
    assert 'name="token" value="t3"' in html  # sent again later, it is stored once
    assert Message.objects.count() == 3 and OutgoingMessage.objects.count() == mails
    # The therapist's replies, and the patient's other conversation, are counted apart.
    therapist = clinic.client("therapist")
    assert therapist.post(url, {"body": "Noted.", "token": "r1"}).status_code == 302
    other = _thread_url(patient.post("/clinic/messages/", {"therapist": clinic.unshared.pk}))
    assert patient.post(other, {"body": "Hello", "token": "o1"}).status_code == 302
    with time_machine.travel(timezone.now() + timedelta(seconds=wait + 1)):
        assert patient.post(url, {"body": LONG, "token": "t3"}).status_code == 302
        assert patient.post(url, {"body": LONG, "token": "t4"}).status_code == 429
    assert Message.objects.filter(body=LONG.strip()).count() == 1


def test_the_api_answers_429_with_the_wait(clinic: Clinic, settings: Any) -> None:
    settings.REHABIT_MESSAGES_PER_CONVERSATION = 2
    patient = clinic.client("patient")
    thread = messaging.open_thread(clinic.patient, therapist_id=clinic.therapist.pk)
    url = f"/api/v1/messages/threads/{thread.pk}/messages"

    def send(body: str, key: str = "") -> Any:
        headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
        return patient.post(
            url, json.dumps({"body": body}), content_type="application/json", **headers
        )

    assert send("One", "k1").status_code == 201 and send("Two").status_code == 201
    assert send("One", "k1").status_code == 200  # a replay: answered, not counted
    assert send("").status_code == 422  # bad text is refused before it is counted
    refused = send(LONG)
    assert refused.status_code == 429
    assert set(refused.json()) == {"detail", "retry_after"}
    assert int(refused["Retry-After"]) == refused.json()["retry_after"] == 1800
    assert "This message was not sent." in refused.json()["detail"]
    assert Message.objects.count() == 2
    with pytest.raises(RateLimited):  # the service itself refuses, whoever calls it
        messaging.send(clinic.patient, thread, "Three")
