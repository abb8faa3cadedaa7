"""/metrics: request latency by URL pattern, queue depth and reminder lag, for Prometheus
only (a bearer token, or an allowed network)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from rehabit.booking.models import Reminder, ReminderStatus
from rehabit.booking.tasks import send_offer
from rehabit.mail.models import MessageStatus, OutgoingMessage
from tests.booking.support import book, free_start, make_patient, make_therapist

TOKEN = "m" * 40


def scrape(client: Client, **headers: Any) -> dict[str, float]:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    values = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
            values[f"{sample.name}{{{labels}}}" if labels else sample.name] = sample.value
    return values


@pytest.fixture
def token(settings: Any) -> str:
    settings.REHABIT_METRICS_TOKEN = TOKEN
    settings.REHABIT_METRICS_ALLOWED_NETWORKS = []
    return TOKEN


def test_metrics_are_not_served_unless_configured(client: Client, settings: Any) -> None:
    settings.REHABIT_METRICS_TOKEN = ""
    settings.REHABIT_METRICS_ALLOWED_NETWORKS = []
    assert client.get("/metrics").status_code == 404


@pytest.mark.parametrize("header", ["", "Bearer ", "Bearer wrong", f"Basic {TOKEN}", TOKEN])
def test_metrics_need_the_bearer_token(client: Client, token: str, header: str) -> None:
    response = client.get("/metrics", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert b"rehabit_" not in response.content


@pytest.mark.django_db
def test_metrics_from_an_allowed_network_only_by_the_peer_address(
    client: Client, settings: Any
) -> None:
    settings.REHABIT_METRICS_TOKEN = ""
    settings.REHABIT_METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8", "fd00::/8"]
    # The test client's peer is 127.0.0.1; a forwarded address is not believed.
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="10.1.2.3").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="fd00::5").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.168.1.9").status_code == 403


@pytest.mark.django_db
def test_request_latency_is_counted_by_url_pattern(client: Client, token: str) -> None:
    therapist = make_therapist("Lat Ency")
    before = scrape(client)
    today = timezone.now().date()
    slots = f"/api/v1/therapists/{therapist.pk}/slots?start={today}&end={today + timedelta(days=7)}"
    key = (
        "rehabit_http_request_duration_seconds_count"
        "{method=GET,route=api/v1/therapists/<therapist_id>/slots,status=200}"
    )
    for _ in range(3):
        assert client.get(slots).status_code == 200
    client.get("/no-such-page/")
    after = scrape(client)
    assert after[key] - before.get(key, 0) == 3
    assert not any(str(therapist.pk) + "/slots" in name for name in after)  # no concrete paths
    unmatched = "rehabit_http_request_duration_seconds_count{method=GET,route=unmatched,status=404}"
    assert after[unmatched] - before.get(unmatched, 0) == 1


@pytest.mark.django_db
def test_queue_depth_and_reminder_lag(client: Client, token: str) -> None:
    now = timezone.now()
    empty = scrape(client)
    assert empty["rehabit_outbox_due_messages"] == 0
    assert empty["rehabit_tasks_ready"] == 0
    assert empty["rehabit_reminder_lag_seconds"] == 0
    assert empty["rehabit_queue_metrics_up"] == 1

    # Two e-mails due now, one waiting for its retry in ten minutes, one sent.
    for key, fields in {
        "a": {},
        "b": {"next_attempt_at": now - timedelta(seconds=5)},
        "c": {"next_attempt_at": now + timedelta(minutes=10)},
        "d": {"status": MessageStatus.SENT},
    }.items():
        OutgoingMessage.objects.create(
            key=key, kind="test", to="x@example.org", sender="r@example.org", subject="s", **fields
        )
    # A queued task ready now and one for tomorrow.
    send_offer.enqueue(1)
    send_offer.using(run_after=now + timedelta(days=1)).enqueue(2)
    # The oldest due, unsent reminder came due 90 s ago; a sent one is older still.
    therapist = make_therapist("Rem Inder")
    patient = make_patient("lag@example.org", "Lag Patient")
    appointment = book(patient, therapist, free_start(therapist))
    first, second, *_ = Reminder.objects.filter(appointment=appointment)
    Reminder.objects.filter(pk=first.pk).update(due_at=now - timedelta(seconds=90))
    Reminder.objects.filter(pk=second.pk).update(
        due_at=now - timedelta(hours=2), status=ReminderStatus.SENT
    )

    found = scrape(client)
    assert found["rehabit_outbox_due_messages"] == 2
    assert found["rehabit_tasks_ready"] >= 1  # and the booking's own notices
    assert 90 <= found["rehabit_reminder_lag_seconds"] < 120
    assert found["rehabit_queue_metrics_up"] == 1


@pytest.mark.django_db
def test_tasks_ready_on_the_redis_queue(client: Client, token: str, redis_queue: str) -> None:
    now = timezone.now()
    send_offer.enqueue(1)
    send_offer.enqueue(2)
    send_offer.using(run_after=now - timedelta(seconds=1)).enqueue(3)  # its time has come
    send_offer.using(run_after=now + timedelta(hours=1)).enqueue(4)
    assert scrape(client)["rehabit_tasks_ready"] == 3
