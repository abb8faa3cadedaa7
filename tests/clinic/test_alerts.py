"""A check-in that reports a warning sign, or pain worse after two sessions in a row,
raises an alert to the therapists the patient shares with, and shows the patient the
clinical core's advice at once; needs_attention lists alerts and unread messages."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from rehabit.accounts.consent import set_sharing
from rehabit.clinic import messaging
from rehabit.clinic.alerts import alert_kinds
from rehabit.clinic.attention import needs_attention
from rehabit.clinic.models import Alert
from rehabit.mail import outbox
from rehabit.mail.models import OutgoingMessage
from tests.booking.support import Mailbox, text_body
from tests.clinic.support import Clinic, queries_to_list_alerts

pytestmark = pytest.mark.django_db

EXERCISE = "seated_isometric_knee_flexion"


def _log(clinic: Clinic, hours_ago: float, pain: int = 3) -> Any:
    from rehabit.care.services import log_session

    data = {"exercise_ids": [EXERCISE], "pain_during": pain, "pain_after": pain,
            "difficulty": "hard", "note": "Sore after."}  # fmt: skip
    session, _ = log_session(
        clinic.assessment, data, now=timezone.now() - timedelta(hours=hours_ago)
    )
    return session


def _check_in_page(clinic: Clinic, session: Any, **extra: Any) -> Any:
    data = {"session": str(session.pk), "next_morning": "worse", "settled_within_24h": "no",
            **extra}  # fmt: skip
    return clinic.client("patient").post(f"/care/{clinic.assessment.pk}/program/", data)


def test_the_rule() -> None:
    assert alert_kinds([], [("step_up", "step_up")]) == []
    assert alert_kinds(["urgent", "emergency"], []) == [("warning_sign", "emergency")]
    assert alert_kinds([], [("book_pt", "book_pt_lowest")]) == [("worsening", "soon")]
    assert alert_kinds([], [("hold", "with_therapist")]) == [("ready", "routine")]
    assert alert_kinds([], [("step_down", "worse_morning")]) == []  # the rule answers it


def test_worse_twice_in_a_row_alerts_the_sharing_therapist_and_advises_booking(
    clinic: Clinic, mailbox: Mailbox
) -> None:
    first, second = _log(clinic, 40), _log(clinic, 12)
    _check_in_page(clinic, first)
    assert not Alert.objects.exists()  # one flare: the rule steps down by itself
    response = _check_in_page(clinic, second)
    assert response.status_code == 302 and response["Location"].endswith("#advice")
    (alert,) = Alert.objects.all()
    assert (alert.kind, alert.urgency, alert.therapist) == ("worsening", "soon", clinic.therapist)
    assert alert.details["families"] == ["hamstring_isometric"]
    # The unshared therapist (booked, no share) gets nothing.
    assert not Alert.objects.filter(therapist=clinic.unshared).exists()
    # The patient sees the core's own advice at once.
    page = clinic.client("patient").get(response["Location"]).content.decode()
    assert 'id="advice"' in page and "suggest you book a physiotherapist" in page
    # The therapist gets an e-mail naming nobody and nothing clinical.
    assert outbox.send_due("test") >= 1
    (notice,) = [m for m in mailbox.to(clinic.therapist.user.email) if "attention" in m["Subject"]]
    text = text_body(notice)
    assert "/clinic/alerts/" in text
    for secret in ("Pat Clinic", "worse", "pain", "Sore after"):
        assert secret not in text, secret
    # The therapist's list and home-page feed.
    listing = clinic.client("therapist").get("/clinic/alerts/").content.decode()
    assert "Pain getting worse" in listing and "Pat Clinic" in listing and "Sore after." in listing
    # The check-in's second question depends on when it was answered ("since the session"
    # the same day, "within a day" later): what both mean is "by the check-in".
    assert "not settled by the check-in" in listing and "within a day" not in listing
    own = clinic.client("patient").get(f"/care/{clinic.assessment.pk}/program/")
    assert "not settled by the check-in" in own.content.decode()
    (item,) = needs_attention(clinic.therapist.user)
    assert (item.kind, item.alert_kind, item.patient_name) == ("alert", "worsening", "Pat Clinic")
    assert item.url == f"/clinic/alerts/#alert-{alert.pk}"


def test_a_warning_sign_shows_emergency_advice_and_alerts_at_its_level(clinic: Clinic) -> None:
    session = _log(clinic, 10)
    response = _check_in_page(
        clinic, session, next_morning="same", settled_within_24h="yes", signs=["cauda_equina"]
    )
    assert response.status_code == 302
    page = clinic.client("patient").get(response["Location"]).content.decode()
    assert "Act on this now" in page
    assert "Go to the emergency department now" in page
    assert 'href="tel:999"' in page  # the patient's zone is London's (core.emergency)
    (alert,) = Alert.objects.all()
    assert (alert.kind, alert.urgency) == ("warning_sign", "emergency")
    assert alert.details["signs"] == ["cauda_equina"]
    assert OutgoingMessage.objects.filter(kind="alert").count() == 1
    listing = clinic.client("therapist").get("/clinic/alerts/").content.decode()
    assert "Numbness or pins and needles between your legs" in listing


def test_an_unknown_sign_is_refused_and_nothing_is_lost(clinic: Clinic) -> None:
    session = _log(clinic, 10)
    response = _check_in_page(clinic, session, signs=["made_up"])
    assert response.status_code == 422
    assert "Tick only signs from the list." in response.content.decode()
    session.refresh_from_db()
    assert session.checked_in_at is None and not Alert.objects.exists()


def test_attention_lists_the_most_urgent_first_and_hides_what_the_therapist_may_not_see(
    clinic: Clinic,
) -> None:
    _check_in_page(clinic, _log(clinic, 20), next_morning="same", settled_within_24h="yes",
                   signs=["fever"])  # fmt: skip
    thread = messaging.open_thread(clinic.patient, therapist_id=clinic.therapist.pk)
    messaging.send(clinic.patient, thread, "One question")
    messaging.send(clinic.patient, thread, "And another")
    items = needs_attention(clinic.therapist.user)
    expected = [("alert", "urgent", 1), ("messages", "message", 2)]
    assert [(i.kind, i.urgency, i.count) for i in items] == expected
    assert items[1].title == "2 unread messages"
    assert items[1].url == f"/clinic/messages/{thread.pk}/"
    assert needs_attention(clinic.therapist) == items  # the Therapist row works too
    assert needs_attention(clinic.patient) == [] and needs_attention(clinic.stranger.user) == []
    api = clinic.client("therapist").get("/api/v1/attention").json()
    assert [i["kind"] for i in api] == ["alert", "messages"]
    # The patient stops sharing: the alert leaves the list (and the alerts page); the
    # messages stay (they need the appointment only).
    set_sharing(clinic.patient, clinic.therapist.user, False, source="test")
    assert [i.kind for i in needs_attention(clinic.therapist.user)] == ["messages"]
    assert "Pat Clinic" not in clinic.client("therapist").get("/clinic/alerts/").content.decode()


def test_acknowledging_an_alert(clinic: Clinic) -> None:
    _check_in_page(clinic, _log(clinic, 20), next_morning="same", settled_within_24h="yes",
                   signs=["fever"])  # fmt: skip
    alert = Alert.objects.get()
    for who in ("unshared", "stranger", "patient"):
        assert clinic.client(who).post(f"/clinic/alerts/{alert.pk}/acknowledge/").status_code == 404
    therapist = clinic.client("therapist")
    assert therapist.post(f"/clinic/alerts/{alert.pk}/acknowledge/").status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None and alert.acknowledged_by == clinic.therapist.user
    assert needs_attention(clinic.therapist.user) == []
    assert "No open alerts." in therapist.get("/clinic/alerts/").content.decode()
    seen = therapist.get("/api/v1/alerts?all=true").json()
    assert seen[0]["acknowledged_at"] and seen[0]["signs"][0]["level"] == "urgent"
    again = therapist.post(f"/api/v1/alerts/{alert.pk}/acknowledge")
    assert again.status_code == 200


def test_the_api_check_in_takes_signs(clinic: Clinic) -> None:
    session = _log(clinic, 10)
    url = f"/api/v1/assessments/{clinic.assessment.pk}/sessions/{session.pk}"
    body = {"next_morning": "same", "settled_within_24h": True, "signs": ["clot_signs"]}
    patient = clinic.client("patient")
    response = patient.patch(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["advice"][0]["action"] == "See a doctor today."
    assert Alert.objects.get().urgency == "urgent"


def test_the_therapist_home_lists_alerts_and_unread_messages(clinic: Clinic) -> None:
    _check_in_page(clinic, _log(clinic, 20), next_morning="same", settled_within_24h="yes",
                   signs=["fever"])  # fmt: skip
    thread = messaging.open_thread(clinic.patient, therapist_id=clinic.therapist.pk)
    messaging.send(clinic.patient, thread, "Question about Tuesday")
    home = clinic.client("therapist").get("/therapist/").content.decode()
    assert "Pat Clinic: Warning sign reported" in home
    assert "Pat Clinic: 1 unread message" in home
    assert f"/clinic/messages/{thread.pk}/" in home
    assert "Question about Tuesday" not in home


def test_listing_an_alert_as_needing_attention_is_an_audited_read(clinic: Clinic) -> None:
    from rehabit.audit.models import AuditEntry

    _check_in_page(clinic, _log(clinic, 20), next_morning="same", settled_within_24h="yes",
                   signs=["fever"])  # fmt: skip
    alert = Alert.objects.get()
    reads = AuditEntry.objects.filter(
        action="record.viewed", subject_id=clinic.patient.pk, target_type="alert"
    )
    therapist = clinic.client("therapist")
    # The list says which patient reported what kind of sign, and how urgent: as on the
    # alerts page, each listing is in the patient's access log.
    api = therapist.get("/api/v1/attention").json()
    assert (api[0]["alert_kind"], api[0]["urgency"]) == ("warning_sign", "urgent")
    (entry,) = reads.all()
    assert entry.actor_id == clinic.therapist.user.pk and entry.target_id == str(alert.pk)
    assert entry.ip_network  # the request's, when there is one
    assert "Pat Clinic: Warning sign reported" in therapist.get("/therapist/").content.decode()
    assert reads.count() == 2
    assert set(reads.values_list("actor_id", flat=True)) == {clinic.therapist.user.pk}
    # Nothing listed, nothing read: a patient who stopped sharing, or a badge of counts.
    from rehabit.clinic.attention import attention_summary

    assert attention_summary(clinic.therapist.user) == "1 alert"
    set_sharing(clinic.patient, clinic.therapist.user, False, source="test")
    therapist.get("/api/v1/attention")
    assert reads.count() == 2


def test_the_alerts_cost_the_same_queries_with_one_check_in_as_with_five(clinic: Clinic) -> None:
    # Found in review: each check-in's alert read its progression steps (and the patient's
    # profile, for the name) again, two queries more per alert on the page and in the API.
    therapist = clinic.client("therapist")
    counts = []
    for batch in (1, 4):
        for _session in range(batch):
            hours_ago = 40 - 5 * Alert.objects.count()
            _check_in_page(clinic, _log(clinic, hours_ago), next_morning="same",
                           settled_within_24h="yes", signs=["fever"])  # fmt: skip
        counts.append(queries_to_list_alerts(therapist))
    assert Alert.objects.filter(kind="warning_sign").count() == 5
    assert counts[0] == counts[1], counts
