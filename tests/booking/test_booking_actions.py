"""The booking actions: one engine decides, the database guarantees, every refusal is
clear, moves keep their lineage, and the patient's change window binds patients only."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from rehabit.audit.models import AuditEntry
from rehabit.booking import services
from rehabit.booking import slots as engine
from rehabit.booking.messages import BookingRefused, patient_may_change
from rehabit.booking.models import Appointment, Reminder, SessionType
from tests.booking.support import FIRST, FOLLOW_UP, book, free_start, make_therapist

pytestmark = pytest.mark.django_db


def test_a_booked_time_is_stored_in_utc_and_leaves_the_free_slots(
    patient: Any, therapist: Any
) -> None:
    start = free_start(therapist)
    appointment = book(patient, therapist, start)
    assert appointment.start == start and appointment.end == start + timedelta(minutes=45)
    assert appointment.start.utcoffset() == timedelta(0)
    schedule = engine.schedule_of(therapist.pk, timezone.now())
    assert not engine.check(schedule, FIRST, start, timezone.now()).ok
    assert (
        AuditEntry.objects.filter(action="booking.created", target_id=str(appointment.pk)).count()
        == 1
    )
    # Reminders for both participants, at absolute instants.
    dues = sorted({r.due_at for r in Reminder.objects.filter(appointment=appointment)})
    assert dues == [start - timedelta(hours=24), start - timedelta(hours=1)]
    assert Reminder.objects.filter(appointment=appointment).count() == 4


@pytest.mark.parametrize(
    ("when", "code", "words"),
    [
        (-timedelta(hours=3), "in_the_past", "already passed"),
        (timedelta(minutes=15), "too_soon", "at least 1 hour notice"),
        (timedelta(days=45), "beyond_horizon", "up to 30 days ahead"),
    ],
)
def test_times_outside_the_rules_are_refused_with_a_clear_message(
    patient: Any, therapist: Any, when: timedelta, code: str, words: str
) -> None:
    start = (timezone.now() + when).replace(second=0, microsecond=0)
    start -= timedelta(minutes=start.minute % 15)
    with pytest.raises(BookingRefused) as refused:
        book(patient, therapist, start)
    assert refused.value.code == code
    assert words in refused.value.message
    assert refused.value.status == 422
    assert not Appointment.objects.exists()


def test_a_time_off_the_grid_is_not_offered_and_an_edited_url_cannot_book_it(
    patient: Any, therapist: Any
) -> None:
    start = free_start(therapist) + timedelta(minutes=7)
    with pytest.raises(BookingRefused) as refused:
        book(patient, therapist, start)
    assert refused.value.code == "not_offered"
    assert "does not offer a session at that time" in refused.value.message
    assert refused.value.alternatives, "the nearest offered times are suggested"


def test_a_session_type_the_therapist_does_not_offer(patient: Any, therapist: Any) -> None:
    SessionType.objects.filter(therapist=therapist, kind=FOLLOW_UP).update(is_offered=False)
    with pytest.raises(BookingRefused) as refused:
        book(patient, therapist, free_start(therapist), kind=FOLLOW_UP)
    assert refused.value.code == "unknown_session_type"
    assert "does not offer “Follow-up session”" in refused.value.message
    assert "First assessment (45 min)" in refused.value.message
    with pytest.raises(BookingRefused) as refused:
        book(patient, therapist, free_start(therapist), kind="massage")
    assert refused.value.field == "session_type"


def test_a_time_without_offset_is_refused(patient: Any, therapist: Any) -> None:
    naive = free_start(therapist).replace(tzinfo=None)
    with pytest.raises(BookingRefused) as refused:
        book(patient, therapist, naive)
    assert refused.value.code == "naive_time"


def test_the_loser_gets_taken_with_the_nearest_alternatives(
    patient: Any, other_patient: Any, therapist: Any
) -> None:
    start = free_start(therapist)
    book(patient, therapist, start)
    with pytest.raises(BookingRefused) as refused:
        book(other_patient, therapist, start)
    assert refused.value.code == "taken" and refused.value.status == 409
    assert "just taken" in refused.value.message
    alternatives = refused.value.alternatives
    assert len(alternatives) == 3
    assert all(abs(a.start - start) <= timedelta(hours=2) for a in alternatives)
    assert all(a.start >= start + timedelta(minutes=45) or a.end <= start for a in alternatives)


def test_overlapping_bookings_of_different_lengths_are_refused(
    patient: Any, other_patient: Any, therapist: Any
) -> None:
    start = free_start(therapist)
    book(patient, therapist, start)  # 45 minutes
    for offset, kind in ((timedelta(minutes=15), FOLLOW_UP), (-timedelta(minutes=15), FIRST)):
        with pytest.raises(BookingRefused) as refused:
            book(other_patient, therapist, start + offset, kind=kind)
        assert refused.value.code == "taken"
    # Back to back is fine: ranges are half-open.
    book(other_patient, therapist, start + timedelta(minutes=45), kind=FOLLOW_UP)


def test_buffers_and_daily_maximum_are_enforced(patient: Any, other_patient: Any) -> None:
    therapist = make_therapist("Buffy Buffer", zone="UTC", buffer_after=15, daily_maximum=2)
    day = (timezone.now() + timedelta(days=2)).date()
    start = datetime.combine(day, time(9, 0), tzinfo=UTC)
    book(patient, therapist, start)  # 09:00-09:45
    with pytest.raises(BookingRefused) as refused:
        book(other_patient, therapist, start + timedelta(minutes=45), kind=FOLLOW_UP)
    assert refused.value.code == "taken"  # inside the 15-minute buffer
    book(other_patient, therapist, start + timedelta(minutes=60), kind=FOLLOW_UP)
    with pytest.raises(BookingRefused) as refused:
        book(other_patient, therapist, start + timedelta(hours=5), kind=FOLLOW_UP)
    assert (
        refused.value.code == "daily_limit" and "fully booked on that day" in refused.value.message
    )
    book(other_patient, therapist, start + timedelta(days=1), kind=FOLLOW_UP)


def test_the_database_refuses_two_active_appointments_at_the_same_start(
    patient: Any, other_patient: Any, therapist: Any
) -> None:
    first = book(patient, therapist, free_start(therapist))
    twin = Appointment(
        therapist=therapist,
        patient=other_patient,
        session_type=first.session_type,
        start=first.start,
        end=first.end,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save(force_insert=True)


@pytest.mark.postgres
def test_postgresql_refuses_overlapping_active_appointments(
    patient: Any, other_patient: Any, therapist: Any
) -> None:
    first = book(patient, therapist, free_start(therapist))
    overlapping = Appointment(
        therapist=therapist,
        patient=other_patient,
        session_type=first.session_type,
        start=first.start + timedelta(minutes=10),
        end=first.end + timedelta(minutes=10),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        overlapping.save(force_insert=True)
    # A cancelled appointment holds no time.
    services.cancel(first.pk, actor=therapist.user)
    overlapping.save(force_insert=True)


def test_a_move_keeps_its_lineage_and_frees_the_old_time_at_once(
    patient: Any, other_patient: Any, therapist: Any
) -> None:
    start = free_start(therapist)
    first = book(patient, therapist, start)
    moved = services.reschedule(first.pk, actor=patient, start=start + timedelta(days=1))
    first.refresh_from_db()
    assert first.status == "moved" and moved.moved_from_id == first.pk
    assert first.moved_to == moved and first.current() == moved
    assert moved.ical_uid == first.ical_uid and moved.sequence == first.sequence + 1
    assert set(Reminder.objects.filter(appointment=first).values_list("status", flat=True)) == {
        "cancelled"
    }
    # The old time can be booked by someone else straight away.
    book(other_patient, therapist, start)
    # Moving to an overlapping time of its own old slot works (the old one is excluded).
    again = services.reschedule(moved.pk, actor=patient, start=moved.start + timedelta(minutes=15))
    assert again.moved_from_id == moved.pk and first.current() == again
    assert AuditEntry.objects.filter(action="booking.moved").count() == 2


def test_a_refused_move_changes_nothing(patient: Any, other_patient: Any, therapist: Any) -> None:
    start = free_start(therapist)
    mine = book(patient, therapist, start)
    theirs = book(other_patient, therapist, start + timedelta(hours=2))
    with pytest.raises(BookingRefused):
        services.reschedule(mine.pk, actor=patient, start=theirs.start)
    mine.refresh_from_db()
    assert mine.status == "booked" and not Appointment.objects.filter(moved_from=mine).exists()


def test_cancelling_frees_the_time_and_twice_is_refused(
    patient: Any, other_patient: Any, therapist: Any
) -> None:
    start = free_start(therapist)
    appointment = book(patient, therapist, start)
    services.cancel(appointment.pk, actor=patient, reason="Feeling better")
    appointment.refresh_from_db()
    assert appointment.status == "cancelled" and appointment.sequence == 1
    assert appointment.cancelled_by == patient and appointment.cancel_reason == "Feeling better"
    assert not Reminder.objects.filter(appointment=appointment, status="pending").exists()
    book(other_patient, therapist, start)
    with pytest.raises(BookingRefused) as refused:
        services.cancel(appointment.pk, actor=patient)
    assert refused.value.code == "not_active" and refused.value.status == 409


def test_the_change_window_binds_patients_and_not_therapists(
    patient: Any, therapist: Any, settings: Any
) -> None:
    settings.REHABIT_PATIENT_CHANGE_WINDOW_HOURS = 24
    soon = free_start(therapist, after=timedelta(hours=3))
    appointment = book(patient, therapist, soon)
    deadline = soon - timedelta(hours=24)
    for action in (
        lambda: services.cancel(appointment.pk, actor=patient, zone="Asia/Kolkata"),
        lambda: services.reschedule(
            appointment.pk, actor=patient, start=soon + timedelta(days=2), zone="Asia/Kolkata"
        ),
    ):
        with pytest.raises(BookingRefused) as refused:
            action()
        assert refused.value.code == "window_closed" and refused.value.status == 409
        # The message states the rule exactly as enforced: the deadline, in the zone.
        local = deadline.astimezone(ZoneInfo("Asia/Kolkata"))
        assert local.strftime("%H:%M") in refused.value.message
        assert "24 hours before it starts" in refused.value.message
        assert "IST, Asia/Kolkata" in refused.value.message
    # The therapist is not bound by the window.
    services.cancel(appointment.pk, actor=therapist.user)


def test_the_window_edge_is_exact(patient: Any, therapist: Any) -> None:
    start = free_start(therapist, after=timedelta(days=3))
    appointment = book(patient, therapist, start)
    deadline = start - timedelta(hours=24)
    assert patient_may_change(appointment, deadline - timedelta(seconds=1))
    assert not patient_may_change(appointment, deadline)
