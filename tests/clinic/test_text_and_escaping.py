"""What one person writes reaches the other escaped, and the app's own sentences about a
prescription are in the message catalogue."""

from __future__ import annotations

import pytest

from rehabit.care.presenters import PRESCRIPTION_STRINGS
from rehabit.clinic import messaging
from rehabit.clinical.progression import PRESCRIPTION_MESSAGES
from tests.clinic.support import Clinic

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_the_prescription_sentences_are_translatable() -> None:
    assert set(PRESCRIPTION_STRINGS) == set(PRESCRIPTION_MESSAGES.values())


@pytest.mark.django_db
def test_messages_reasons_and_notes_render_inert(clinic: Clinic) -> None:
    thread = messaging.open_thread(clinic.patient, therapist_id=clinic.therapist.pk)
    messaging.send(clinic.patient, thread, PAYLOAD)
    clinic.client("therapist").post(
        f"/clinic/patients/{clinic.patient.pk}/program/",
        {"action": "save", "family": "walking", "exercise": "walking_programme",
         "rule": "automatic", "note": PAYLOAD, "reason": PAYLOAD},
    )  # fmt: skip
    pages = [
        (clinic.client("therapist"), f"/clinic/messages/{thread.pk}/"),
        (clinic.client("patient"), f"/clinic/messages/{thread.pk}/"),
        (clinic.client("patient"), f"/care/{clinic.assessment.pk}/program/"),
        (clinic.client("therapist"), f"/clinic/patients/{clinic.patient.pk}/program/"),
    ]
    for client, url in pages:
        body = client.get(url).content.decode()
        assert PAYLOAD not in body, url
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body, url
