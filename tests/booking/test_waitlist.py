"""The waitlist: a freed time is offered in order; the first to accept gets it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from rehabit.booking import services, waitlist
from rehabit.booking.management.commands.worker import run_queued_tasks
from rehabit.booking.messages import BookingRefused
from rehabit.booking.models import Appointment, WaitlistEntry, WaitlistOffer
from tests.accounts.helpers import login
from tests.booking.support import Mailbox, book, free_start, make_patient, text_body

pytestmark = pytest.mark.django_db


def test_a_cancellation_offers_the_time_in_order_and_the_first_to_accept_gets_it(
    mailbox: Mailbox,
    patient: Any,
    therapist: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    early = free_start(therapist)
    holder = book(patient, therapist, early)
    first = make_patient("first.waiter@example.org", "First Waiter")
    second = make_patient("second.waiter@example.org", "Second Waiter")
    specialist = make_patient("spec.waiter@example.org", "Spec Waiter")
    horizon = timezone.now() + timedelta(days=20)
    e1 = waitlist.join(
        patient=first,
        therapist=therapist,
        specialty="",
        kind="first_assessment",
        wanted_before=horizon,
    )
    e2 = waitlist.join(
        patient=second, therapist=therapist, specialty="", kind="follow_up", wanted_before=horizon
    )
    e3 = waitlist.join(
        patient=specialist,
        therapist=None,
        specialty="hamstring",
        kind="first_assessment",
        wanted_before=horizon,
    )
    # Someone who only wants times before the freed one is not offered it.
    waitlist.join(
        patient=make_patient("picky@example.org", "Picky"),
        therapist=therapist,
        specialty="",
        kind="first_assessment",
        wanted_before=early - timedelta(hours=1),
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(holder.pk, actor=patient)
    offers = list(WaitlistOffer.objects.order_by("position"))
    assert [(o.entry_id, o.position) for o in offers] == [(e1.pk, 1), (e2.pk, 2), (e3.pk, 3)]
    assert all(o.start == early for o in offers)
    run_queued_tasks("test")
    offer_mails = [m for m in mailbox.messages if m["Subject"].startswith("An earlier time")]
    assert sorted(m["To"] for m in offer_mails) == sorted(
        [first.email, second.email, specialist.email]
    )
    assert "the first to accept gets it" in text_body(offer_mails[0])

    # The third accepts first, through the single-use link.
    third_client = login(Client(), specialist)
    taken = third_client.post(f"/booking/offers/{offers[2].token}/")
    assert taken.status_code == 302
    won = Appointment.objects.get(patient=specialist)
    assert won.start == early and WaitlistEntry.objects.get(pk=e3.pk).status == "booked"
    assert third_client.post(f"/booking/offers/{offers[2].token}/").status_code == 409  # used
    # The others' offers for that time are withdrawn; accepting says so.
    with pytest.raises(BookingRefused) as refused:
        waitlist.accept(WaitlistOffer.objects.get(pk=offers[0].pk), patient=first, zone="UTC")
    assert refused.value.code == "not_active"
    assert set(WaitlistOffer.objects.exclude(pk=offers[2].pk).values_list("status", flat=True)) == {
        "gone"
    }


def _wish_to_move_earlier(patient: Any, later: Any, *, therapist: Any) -> WaitlistEntry:
    """The waitlist entry of a patient who wants ``later`` sooner: with its therapist, or
    (``therapist=None``) with anyone who helps with the hamstring."""
    return waitlist.join(
        patient=patient,
        therapist=therapist,
        specialty="" if therapist is not None else "hamstring",
        kind="first_assessment",
        wanted_before=later.start,
        appointment=later,
    )


def test_accepting_an_offer_moves_the_appointment_it_was_for(
    patient: Any, other_patient: Any, therapist: Any
) -> None:
    early = free_start(therapist)
    blocker = book(other_patient, therapist, early)
    later = book(patient, therapist, early + timedelta(days=3))
    _wish_to_move_earlier(patient, later, therapist=therapist)
    services.cancel(blocker.pk, actor=other_patient)
    offer = WaitlistOffer.objects.get()
    moved = waitlist.accept(offer, patient=patient, zone="UTC")
    later.refresh_from_db()
    assert moved.start == early and moved.moved_from_id == later.pk and later.status == "moved"


def test_a_wish_to_move_a_session_earlier_is_offered_only_its_own_therapists_times(
    patient: Any, other_patient: Any, therapist: Any
) -> None:
    """An entry for any therapist, made to move a session earlier, was offered another
    therapist's freed time: accepting "moved" the session to that time with the first
    therapist, and withdrew the other's still-free time from everyone (a review)."""
    from tests.booking.support import make_therapist

    other = make_therapist("Olga Other", email="olga@clinic.example")
    early = free_start(other)
    blocker = book(other_patient, other, early)
    later = book(patient, therapist, free_start(therapist, after=timedelta(days=3)))
    entry = _wish_to_move_earlier(patient, later, therapist=None)
    services.cancel(blocker.pk, actor=other_patient)
    assert not WaitlistOffer.objects.filter(entry=entry).exists()
    # The same wish without a session to move is offered it: any therapist will do.
    entry.appointment = None
    entry.save(update_fields=["appointment"])
    again = book(other_patient, other, early)
    services.cancel(again.pk, actor=other_patient)
    offer = WaitlistOffer.objects.get(entry=entry)
    booked = waitlist.accept(offer, patient=patient, zone="UTC")
    assert booked.therapist_id == other.pk and booked.start == early
    later.refresh_from_db()
    assert later.status == "booked"  # the other session is the patient's to keep or cancel


def test_an_offer_lost_to_a_direct_booking_is_refused_with_alternatives(
    patient: Any, other_patient: Any, therapist: Any
) -> None:
    early = free_start(therapist)
    holder = book(other_patient, therapist, early)
    waitlist.join(
        patient=patient,
        therapist=therapist,
        specialty="",
        kind="first_assessment",
        wanted_before=early + timedelta(days=5),
    )
    services.cancel(holder.pk, actor=other_patient)
    offer = WaitlistOffer.objects.get()
    book(make_patient("quick@example.org", "Quick"), therapist, early)
    with pytest.raises(BookingRefused) as refused:
        waitlist.accept(offer, patient=patient, zone="UTC")
    assert refused.value.code == "taken" and refused.value.alternatives
    offer.refresh_from_db()
    assert offer.status == "gone"


def test_joining_the_waitlist_through_the_page(patient: Any, therapist: Any) -> None:
    client = login(Client(), patient)
    page = client.get(f"/booking/waitlist/?therapist={therapist.pk}")
    assert page.status_code == 200
    day = (timezone.now() + timedelta(days=10)).date().isoformat()
    done = client.post(
        "/booking/waitlist/",
        {"therapist": therapist.pk, "session": "first_assessment", "wanted_before": day},
    )
    assert done.status_code == 302
    assert WaitlistEntry.objects.filter(patient=patient, therapist=therapist).count() == 1
    assert (
        client.post(
            "/booking/waitlist/", {"session": "first_assessment", "wanted_before": day}
        ).status_code
        == 422
    )


def test_the_waitlist_page_leaves_both_choices_empty_the_same_way(
    patient: Any, therapist: Any
) -> None:
    # The therapist list started with Django's "---------" (read out as dashes) under the
    # specialty list's "—".
    html = login(Client(), patient).get("/booking/waitlist/").content.decode()
    assert html.count('<option value="" selected>—</option>') == 2
    assert "---------" not in html
