"""Sharing is per therapist (security finding 1): booking therapist B with sharing opens the
record to B only; booking A without sharing closes it for A only; the account page shows
each share and withdraws it, and every access path reads that one consent."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from rehabit.accounts.access import can_view_patient_record
from rehabit.accounts.models import ConsentEvent, ConsentPurpose
from rehabit.accounts.notices import current_version
from rehabit.audit.models import AuditEntry
from rehabit.booking.models import Appointment
from rehabit.booking.presenters import iso_utc
from tests.accounts.helpers import assessment_for, login
from tests.booking.support import FIRST, book, free_start, make_therapist

pytestmark = pytest.mark.django_db
SHARE = ConsentPurpose.SHARE_WITH_THERAPIST


def book_through_the_page(client: Client, therapist: Any, *, share: bool) -> Appointment:
    start = free_start(therapist)
    url = f"/booking/therapists/{therapist.pk}/book/?session={FIRST}&start={iso_utc(start)}"
    form = client.get(url).content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', form)
    assert key is not None, form
    data = {"idempotency_key": key.group(1), **({"share_record": "on"} if share else {})}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    return Appointment.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])


@pytest.fixture
def therapist_a(db: Any) -> Any:
    return make_therapist("Amal Aston")


@pytest.fixture
def therapist_b(db: Any) -> Any:
    return make_therapist("Bea Brooks")


def record_page(therapist: Any, patient: Any) -> int:
    client = login(Client(), therapist.user, mfa=True)
    return int(client.get(f"/staff/patients/{patient.pk}/").status_code)


def result_page(therapist: Any, assessment: Any) -> int:
    client = login(Client(), therapist.user, mfa=True)
    return int(client.get(f"/assessment/result/{assessment.pk}/").status_code)


def test_sharing_with_b_does_not_open_the_record_to_a(
    patient: Any, therapist_a: Any, therapist_b: Any
) -> None:
    assessment = assessment_for(patient)
    client = login(Client(), patient)
    with_a = book_through_the_page(client, therapist_a, share=False)
    with_b = book_through_the_page(client, therapist_b, share=True)

    assert not can_view_patient_record(therapist_a.user, patient)
    assert can_view_patient_record(therapist_b.user, patient)
    assert record_page(therapist_a, patient) == 404
    assert result_page(therapist_a, assessment) in {403, 404}
    assert record_page(therapist_b, patient) == 200
    assert result_page(therapist_b, assessment) == 200

    a_page = login(Client(), therapist_a.user, mfa=True).get(f"/booking/appointments/{with_a.pk}/")
    text = a_page.content.decode()
    assert "chose not to share" in text and "Likely causes and why" not in text
    b_page = login(Client(), therapist_b.user, mfa=True).get(f"/booking/appointments/{with_b.pk}/")
    assert "Likely causes and why" in b_page.content.decode()


def test_booking_a_without_sharing_keeps_the_share_with_b(
    patient: Any, therapist_a: Any, therapist_b: Any
) -> None:
    assessment_for(patient)
    client = login(Client(), patient)
    book_through_the_page(client, therapist_b, share=True)
    book_through_the_page(client, therapist_a, share=False)
    assert can_view_patient_record(therapist_b.user, patient)
    assert not can_view_patient_record(therapist_a.user, patient)
    assert record_page(therapist_b, patient) == 200


def test_each_share_is_an_event_with_whom_when_and_notice_version(
    patient: Any, therapist_a: Any, therapist_b: Any
) -> None:
    client = login(Client(), patient)
    book_through_the_page(client, therapist_b, share=True)
    event = ConsentEvent.objects.get(user=patient, purpose=SHARE)
    assert event.therapist == therapist_b.user and event.granted
    assert event.version == current_version(SHARE) and event.source == "booking"
    grants = AuditEntry.objects.filter(action="consent.granted", subject_id=patient.pk)
    shares = [e for e in grants if e.details.get("purpose") == SHARE]
    assert [e.details["therapist_id"] for e in shares] == [therapist_b.user.pk]
    # The booking form asks again for each therapist: ticked only where sharing is on.
    for therapist, ticked in ((therapist_b, True), (therapist_a, False)):
        start = iso_utc(free_start(therapist))
        form = client.get(
            f"/booking/therapists/{therapist.pk}/book/?session={FIRST}&start={start}"
        ).content.decode()
        box = re.search(r'<input[^>]*name="share_record"[^>]*>', form)
        assert box is not None and ("checked" in box.group(0)) is ticked, therapist.name


def test_the_account_page_shows_and_withdraws_each_share(
    patient: Any, therapist_a: Any, therapist_b: Any
) -> None:
    client = login(Client(), patient)
    book_through_the_page(client, therapist_a, share=True)
    book_through_the_page(client, therapist_b, share=True)
    page = client.get("/account/consent/").content.decode()
    assert "Amal Aston" in page and "Bea Brooks" in page
    assert page.count("Stop sharing") == 2

    response = client.post(
        "/account/consent/", {"action": "withdraw", "therapist": therapist_b.user.pk}
    )
    assert response.status_code == 302
    assert not can_view_patient_record(therapist_b.user, patient), "at once"
    assert can_view_patient_record(therapist_a.user, patient), "only B was withdrawn"
    page = client.get("/account/consent/").content.decode()
    assert "Sharing with Bea Brooks is off" in page or "Bea Brooks: not shared" in page
    assert page.count("Stop sharing") == 1
    # The history names the therapist of each event.
    history = page.split('id="history-title"', 1)[1]
    assert history.count("Bea Brooks") == 2 and history.count("Amal Aston") == 1

    # Sharing again with B from the account page.
    client.post("/account/consent/", {"action": "share", "therapist": therapist_b.user.pk})
    assert can_view_patient_record(therapist_b.user, patient)


def test_the_account_page_offers_sharing_with_a_therapist_booked_without_it(
    patient: Any, therapist_a: Any
) -> None:
    client = login(Client(), patient)
    appointment = book_through_the_page(client, therapist_a, share=False)
    page = client.get("/account/consent/").content.decode()
    assert "Amal Aston" in page and "Share with Amal Aston" in page
    client.post("/account/consent/", {"action": "share", "therapist": therapist_a.user.pk})
    assert can_view_patient_record(therapist_a.user, patient)
    assessment_for(patient)
    a_page = login(Client(), therapist_a.user, mfa=True).get(
        f"/booking/appointments/{appointment.pk}/"
    )
    assert "Likely causes and why" in a_page.content.decode(), "the consent decides"


@pytest.mark.parametrize(
    "therapist_value", ["", "abc", "-1", "999999", "1e3", "patient", "outsider"]
)
def test_a_bad_therapist_choice_is_refused_clearly_and_changes_nothing(
    patient: Any, therapist_a: Any, therapist_value: str
) -> None:
    client = login(Client(), patient)
    book_through_the_page(client, therapist_a, share=True)
    outsider = make_therapist("Olaf Outsider")
    value = {"patient": str(patient.pk), "outsider": str(outsider.user.pk)}.get(
        therapist_value, therapist_value
    )
    before = ConsentEvent.objects.count()
    response = client.post("/account/consent/", {"action": "share", "therapist": value})
    assert response.status_code == 422
    assert "Choose one of the therapists listed" in response.content.decode()
    assert ConsentEvent.objects.count() == before
    assert not can_view_patient_record(outsider.user, patient)


def test_the_api_records_the_choice_for_that_therapist_only(
    patient: Any, therapist_a: Any, therapist_b: Any
) -> None:
    client = login(Client(), patient)
    book_through_the_page(client, therapist_b, share=True)
    body = {
        "therapist_id": therapist_a.pk,
        "session_type": FIRST,
        "start": free_start(therapist_a).isoformat(),
        "share_record": False,
    }
    response = client.post(
        "/api/v1/appointments",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": "consent-test-1"},
    )
    assert response.status_code == 201, response.content
    assert can_view_patient_record(therapist_b.user, patient)
    assert not can_view_patient_record(therapist_a.user, patient)


def test_a_waitlist_offer_from_another_therapist_does_not_carry_a_share(
    patient: Any, therapist_a: Any, therapist_b: Any
) -> None:
    from datetime import timedelta

    from rehabit.booking import services, waitlist
    from rehabit.booking.models import WaitlistOffer
    from tests.booking.support import make_patient

    later = free_start(therapist_b, after=timedelta(days=10))
    shared = book(patient, therapist_b, later, share_record=True)
    login(Client(), patient)  # as on the page, the booking's choice is the consent
    from rehabit.booking.people import set_sharing

    set_sharing(shared, None)
    waitlist.join(
        patient=patient,
        therapist=None,
        specialty="hamstring",
        kind=FIRST,
        wanted_before=later,
        appointment=shared,
    )
    services.cancel(shared.pk, actor=therapist_b.user)  # B cancels; the patient waits on
    wendy = make_patient("wendy.wait@example.org", "Wendy Wait")
    freed = book(wendy, therapist_a, free_start(therapist_a))
    services.cancel(freed.pk, actor=wendy)
    offer = WaitlistOffer.objects.get(entry__patient=patient, therapist=therapist_a)
    appointment = waitlist.accept(offer, patient=patient, zone="UTC")
    assert appointment.therapist == therapist_a
    assert not appointment.share_record, "a share with B is not a share with A"
    assert not can_view_patient_record(therapist_a.user, patient)
