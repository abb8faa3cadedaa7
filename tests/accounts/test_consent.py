"""Consent: append-only events with version and time; withdrawal takes effect at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from rehabit.accounts import notices
from rehabit.accounts.consent import (
    current_consents,
    has_consented,
    set_consent,
    set_sharing,
    shares_with,
)
from rehabit.accounts.models import ConsentEvent, ConsentPurpose
from rehabit.audit.models import AuditAction, AuditEntry
from tests.accounts.helpers import login

pytestmark = pytest.mark.django_db
SHARE = ConsentPurpose.SHARE_WITH_THERAPIST


@pytest.fixture
def shared(patient: Any, therapist: Any) -> Any:
    """The patient shares with the therapist, whom they have booked (the consent page
    lists therapists the patient has decided about or has appointments with)."""
    set_sharing(patient, therapist, True)
    return therapist


def test_withdrawal_is_recorded_and_immediate(patient: Any, shared: Any) -> None:
    assert shares_with(patient, shared)
    client = login(Client(), patient)
    response = client.post("/account/consent/", {"action": "withdraw", "therapist": shared.pk})
    assert response.status_code == 302
    assert not shares_with(patient, shared)
    events = list(ConsentEvent.objects.filter(user=patient, purpose=SHARE))
    assert [(e.granted, e.therapist_id) for e in events] == [(True, shared.pk), (False, shared.pk)]
    assert all(e.version == notices.current_version(SHARE) and e.recorded_at for e in events)
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.CONSENT_WITHDRAWN, subject_id=patient.pk
        ).count()
        == 1
    )
    page = client.get("/account/consent/").content.decode()
    assert "Sharing with Theo Therapist is off." in page


def test_giving_consent_again_appends_an_event(patient: Any, shared: Any) -> None:
    set_sharing(patient, shared, False)
    login(Client(), patient).post("/account/consent/", {"action": "share", "therapist": shared.pk})
    assert [e.granted for e in ConsentEvent.objects.filter(user=patient, purpose=SHARE)] == [
        True,
        False,
        True,
    ]


def test_repeating_the_same_decision_records_nothing(patient: Any, shared: Any) -> None:
    assert set_sharing(patient, shared, True) is None
    assert set_consent(patient, ConsentPurpose.TERMS, True) is None


def test_sharing_needs_a_therapist_and_account_wide_reads_refuse_it(patient: Any) -> None:
    with pytest.raises(ValueError):
        set_sharing(patient, None, True)
    with pytest.raises(ValueError):
        set_sharing(patient, patient, True)
    with pytest.raises(ValueError, match="per therapist"):
        has_consented(patient, SHARE)
    assert SHARE not in current_consents(patient)


def test_consent_events_are_never_changed(patient: Any) -> None:
    event = ConsentEvent.objects.filter(user=patient).first()
    assert event is not None
    event.granted = False
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_a_new_notice_version_asks_again_and_pauses_sharing(
    patient: Any, shared: Any, monkeypatch: Any
) -> None:
    monkeypatch.setitem(notices.CURRENT_VERSIONS, ConsentPurpose.TERMS, "2099-01-01")
    monkeypatch.setitem(notices.CURRENT_VERSIONS, SHARE, "2099-01-01")
    assert not shares_with(patient, shared)
    client = login(Client(), patient)
    response = client.get("/account/")
    assert response["Location"].startswith("/account/consent/")
    response = client.post("/account/consent/?next=/account/", {"action": "accept_terms"})
    assert response.status_code == 422  # the box must be ticked
    response = client.post(
        "/account/consent/?next=/account/", {"action": "accept_terms", "accept_terms": "on"}
    )
    assert response["Location"] == "/account/"
    assert client.get("/account/").status_code == 200
