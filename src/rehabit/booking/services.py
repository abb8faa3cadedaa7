"""Booking actions: the only code that books, moves or cancels an appointment.

A booking also serialises on the patient and checks their caps (``rehabit.booking.limits``).

Each action runs in one transaction that first serialises on the therapist (a row lock on
PostgreSQL; SQLite's IMMEDIATE transactions already admit one writer at a time), asks the
slot engine whether the time is bookable *now*, and writes. The database constraints
(partial unique index everywhere, exclusion constraint on PostgreSQL) are the backstop: a
constraint violation or a lock conflict is turned into "that time was just taken" with the
nearest free times, never a server error (engineering.md §2.2).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, OperationalError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from rehabit.audit.services import record
from rehabit.booking import limits
from rehabit.booking import messages as msg
from rehabit.booking import slots as engine
from rehabit.booking.messages import BookingRefused, change_deadline, patient_may_change
from rehabit.booking.models import (
    CANCEL_REASON_MAX,
    Appointment,
    AppointmentStatus,
    Reminder,
    ReminderKind,
    ReminderStatus,
    SessionKind,
    SessionType,
    Therapist,
)
from rehabit.booking.offers import offer_freed_time
from rehabit.core import inputs
from rehabit.scheduling import Reason, Slot

AUDIT_BOOKED = "booking.created"
AUDIT_MOVED = "booking.moved"
AUDIT_CANCELLED = "booking.cancelled"

REMINDERS = (
    (ReminderKind.DAY_BEFORE, timedelta(hours=24)),
    (ReminderKind.HOUR_BEFORE, timedelta(hours=1)),
)

# PostgreSQL's "deadlock detected" and "could not serialize": a lost race, not a fault.
_LOST_RACE_CODES = {"40P01", "40001", "55P03"}


def _lost_race(exc: BaseException) -> bool:
    if isinstance(exc, IntegrityError):
        return True
    cause = exc.__cause__
    return (
        getattr(cause, "sqlstate", None) in _LOST_RACE_CODES
        or getattr(cause, "pgcode", None) in _LOST_RACE_CODES
    )


def _kind_label(kind: str) -> str:
    try:
        return str(SessionKind(kind).label)
    except ValueError:
        return kind


def _offered_labels(therapist: Therapist) -> str:
    offered = SessionType.objects.filter(therapist=therapist, is_offered=True).order_by("kind")
    return ", ".join(str(s) for s in offered)


def _is_staff_for(actor: Any, appointment: Appointment) -> bool:
    """Therapist of this appointment (still holding the role) or an admin: not bound by the
    patient window."""
    from rehabit.booking.people import holds_staff_role, is_admin

    therapist_user_id = appointment.therapist.user_id
    if actor.pk and actor.pk == therapist_user_id:
        return holds_staff_role(actor)
    return is_admin(actor)


def _check_window(appointment: Appointment, actor: Any, now: datetime, zone: str) -> None:
    if _is_staff_for(actor, appointment):
        return
    if not patient_may_change(appointment, now):
        raise BookingRefused(
            msg.WINDOW_CLOSED, msg.window_closed(change_deadline(appointment), zone)
        )


def _refuse_time(
    reason: str, therapist: Therapist, kind: str, start: datetime, now: datetime, *, exclude: Any
) -> BookingRefused:
    """A refusal for a time the engine turned down, with the nearest free alternatives."""
    schedule = engine.schedule_of(therapist.id, now, exclude=exclude)
    around = max(start, now)
    options = engine.alternatives(schedule, kind, around, now) if schedule else []
    text = msg.refusal(
        reason,
        therapist=therapist,
        kind_label=_kind_label(kind),
        offered=_offered_labels(therapist),
    )
    return BookingRefused(reason, text, options)


def _lock_therapist(therapist_id: Any) -> Therapist:
    try:
        return Therapist.objects.select_for_update().get(pk=therapist_id)
    except (Therapist.DoesNotExist, ValueError, TypeError):
        raise BookingRefused(msg.NOT_FOUND, _("There is no therapist with this number.")) from None


def _insert(
    *,
    therapist: Therapist,
    patient: Any,
    kind: str,
    start: datetime,
    now: datetime,
    share_record: bool,
    booked_by: Any,
    moved_from: Appointment | None = None,
) -> Appointment:
    """Ask the engine, then insert. Caller holds the therapist lock inside a transaction."""
    session_type = SessionType.objects.filter(
        therapist=therapist, kind=kind, is_offered=True
    ).first()
    if session_type is None:
        raise BookingRefused(
            Reason.UNKNOWN_SESSION_TYPE.value,
            msg.refusal(
                Reason.UNKNOWN_SESSION_TYPE,
                therapist=therapist,
                kind_label=_kind_label(kind),
                offered=_offered_labels(therapist),
            ),
        )
    exclude = moved_from.pk if moved_from is not None else None
    schedule = engine.schedule_of(therapist.id, now, exclude=exclude)
    verdict = engine.check(schedule, kind, start, now) if schedule else None
    if verdict is None or not verdict.ok or verdict.slot is None:
        reason = Reason.NOT_OFFERED.value
        if verdict is not None and verdict.reason is not None:
            reason = verdict.reason.value
        raise _refuse_time(reason, therapist, kind, start, now, exclude=exclude)
    appointment = Appointment(
        therapist=therapist,
        patient=patient,
        session_type=session_type,
        start=verdict.slot.start,
        end=verdict.slot.end,
        share_record=share_record,
        booked_by=booked_by,
        created_at=now,
        changed_at=now,
    )
    if moved_from is not None:
        appointment.moved_from = moved_from
        appointment.ical_uid = moved_from.ical_uid
        appointment.sequence = moved_from.sequence + 1
        appointment.room_name = moved_from.room_name
    appointment.save(force_insert=True)
    _schedule_reminders(appointment, now)
    return appointment


def _schedule_reminders(appointment: Appointment, now: datetime) -> None:
    from rehabit.booking import tasks

    recipients = [appointment.patient_id]
    if appointment.therapist.user_id:
        recipients.append(appointment.therapist.user_id)
    created = Reminder.objects.bulk_create(
        Reminder(appointment=appointment, kind=kind, recipient_id=recipient_id, due_at=due)
        for kind, before in REMINDERS
        if (due := appointment.start - before) > now  # else the confirmation is the reminder
        for recipient_id in recipients
    )
    transaction.on_commit(lambda: tasks.enqueue_reminders(created))


def _cancel_reminders(appointment: Appointment) -> None:
    Reminder.objects.filter(appointment=appointment, status=ReminderStatus.PENDING).update(
        status=ReminderStatus.CANCELLED
    )


def _notify(appointment: Appointment, event: str, actor: Any) -> None:
    from rehabit.booking import tasks

    appointment_id, actor_id = str(appointment.pk), getattr(actor, "pk", None)
    transaction.on_commit(lambda: tasks.enqueue_notices(appointment_id, event, actor_id))


def _audit(
    action: str, appointment: Appointment, actor: Any, request: HttpRequest | None, **extra: Any
) -> None:
    record(
        action,
        request=request,
        actor=actor,
        subject=appointment.patient_id,
        target_type="appointment",
        target_id=appointment.pk,
        details={"therapist_id": appointment.therapist_id, **extra},
    )


def _run(
    therapist_id: Any, kind: str, start: datetime, now: datetime, exclude: Any, body: Any
) -> Any:
    """Run ``body`` in a transaction; a lost race becomes a clean "taken" refusal."""
    try:
        with transaction.atomic():
            return body()
    except (IntegrityError, OperationalError) as exc:
        if not _lost_race(exc):
            raise
        therapist = Therapist.objects.filter(pk=therapist_id).first()
        if therapist is None:
            raise
        raise _refuse_time(msg.TAKEN, therapist, kind, start, now, exclude=exclude) from None


def _aware(start: datetime) -> datetime:
    try:
        inputs.check_instant(start)
    except inputs.InputRefused as refused:
        raise BookingRefused(msg.OUT_OF_RANGE, refused.message) from None
    if start.tzinfo is None or start.utcoffset() is None:
        raise BookingRefused(msg.NAIVE_TIME, msg.naive_time())
    return start


def book(
    *,
    patient: Any,
    therapist_id: Any,
    kind: str,
    start: datetime,
    share_record: bool,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Book a session for ``patient``; raises ``BookingRefused`` with the reason."""
    start = _aware(start)
    now = now or timezone.now()

    def body() -> Appointment:
        limits.lock_patient(patient)  # always before the therapist: no deadlock
        therapist = _lock_therapist(therapist_id)
        if not therapist.is_listed:
            raise BookingRefused(msg.NOT_LISTED, msg.refusal(msg.NOT_LISTED, therapist=therapist))
        limits.check_cap(patient, therapist, now)
        appointment = _insert(
            therapist=therapist,
            patient=patient,
            kind=kind,
            start=start,
            now=now,
            share_record=share_record,
            booked_by=patient,
        )
        _audit(AUDIT_BOOKED, appointment, patient, request)
        _notify(appointment, "booked", patient)
        return appointment

    appointment: Appointment = _run(therapist_id, kind, start, now, None, body)
    return appointment


def _lock_appointment(appointment_id: Any) -> Appointment:
    found = Appointment.objects.filter(pk=appointment_id).values_list("therapist_id", flat=True)
    therapist_id = found.first()
    if therapist_id is None:
        raise BookingRefused(msg.NOT_FOUND, _("There is no such appointment."))
    _lock_therapist(therapist_id)
    appointment = (
        Appointment.objects.select_for_update()
        .select_related("therapist", "session_type")
        .get(pk=appointment_id)
    )
    if appointment.status != AppointmentStatus.BOOKED:
        raise BookingRefused(msg.NOT_ACTIVE, msg.refusal(msg.NOT_ACTIVE, therapist=None))
    return appointment


def _check_move(
    old: Appointment, actor: Any, start: datetime, kind: str, now: datetime, zone: str
) -> None:
    """What refuses a move before the engine is asked: a session that has ended, the change
    window, and a move to the time (and kind) the session already has, which would change
    nothing but e-mail both."""
    from rehabit.booking.timefmt import format_when

    if old.end <= now:
        # A session held is history: moving it would make a new session from an old one,
        # and with it a therapist's access to the patient's record that had run out
        # (clinic.relations), without the patient booking anything.
        raise BookingRefused(msg.ALREADY_HELD, msg.refusal(msg.ALREADY_HELD, therapist=None))
    _check_window(old, actor, now, zone)
    if start == old.start and kind == old.session_type.kind:
        raise BookingRefused(msg.SAME_TIME, msg.same_time(format_when(old.start, zone)))


def preview_move(
    appointment_id: Any,
    *,
    actor: Any,
    start: datetime,
    zone: str = "UTC",
    now: datetime | None = None,
) -> Slot:
    """The slot a move to ``start`` would take, checked as ``reschedule`` checks it but
    without writing (the page's confirmation step); raises ``BookingRefused``."""
    start = _aware(start)
    now = now or timezone.now()
    old = Appointment.objects.filter(pk=appointment_id).select_related("therapist", "session_type")
    current = old.first()
    if current is None:
        raise BookingRefused(msg.NOT_FOUND, _("There is no such appointment."))
    if current.status != AppointmentStatus.BOOKED:
        raise BookingRefused(msg.NOT_ACTIVE, msg.refusal(msg.NOT_ACTIVE, therapist=None))
    kind = current.session_type.kind
    _check_move(current, actor, start, kind, now, zone)
    schedule = engine.schedule_of(current.therapist_id, now, exclude=current.pk)
    verdict = engine.check(schedule, kind, start, now) if schedule else None
    if verdict is None or not verdict.ok or verdict.slot is None:
        reason = Reason.NOT_OFFERED.value
        if verdict is not None and verdict.reason is not None:
            reason = verdict.reason.value
        raise _refuse_time(reason, current.therapist, kind, start, now, exclude=current.pk)
    return verdict.slot


def reschedule(
    appointment_id: Any,
    *,
    actor: Any,
    start: datetime,
    kind: str | None = None,
    zone: str = "UTC",
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Move an appointment to ``start``: a new appointment linked to the old one
    (``moved_from``), same calendar UID with a higher SEQUENCE. The old time is free at
    once and is offered to the waitlist."""
    start = _aware(start)
    now = now or timezone.now()
    current = Appointment.objects.filter(pk=appointment_id).select_related("session_type").first()
    if current is None:
        raise BookingRefused(msg.NOT_FOUND, _("There is no such appointment."))
    wanted_kind = kind or current.session_type.kind

    def body() -> Appointment:
        old = _lock_appointment(appointment_id)
        _check_move(old, actor, start, wanted_kind, now, zone)
        old.status = AppointmentStatus.MOVED
        old.changed_at = now
        old.save(update_fields=["status", "changed_at"])
        _cancel_reminders(old)
        new = _insert(
            therapist=old.therapist,
            patient=old.patient,
            kind=wanted_kind,
            start=start,
            now=now,
            share_record=old.share_record,
            booked_by=actor,
            moved_from=old,
        )
        _audit(AUDIT_MOVED, new, actor, request, moved_from=str(old.pk))
        offer_freed_time(old, now=now)
        _notify(new, "moved", actor)
        return new

    appointment: Appointment = _run(
        current.therapist_id, wanted_kind, start, now, appointment_id, body
    )
    return appointment


def cancel(
    appointment_id: Any,
    *,
    actor: Any,
    reason: str = "",
    zone: str = "UTC",
    request: HttpRequest | None = None,
    now: datetime | None = None,
    enforce_window: bool = True,
    notify: bool = True,
) -> Appointment:
    """Cancel an appointment; its time is free at once and offered to the waitlist.

    ``enforce_window=False`` and ``notify=False`` are for closing an account
    (``rehabit.booking.erasure``): the patient is leaving, not changing their mind late,
    and the appointment is erased before a notice task could read it, so the caller tells
    the therapist itself.
    """
    from rehabit.booking.people import role_label

    now = now or timezone.now()
    with transaction.atomic():
        appointment = _lock_appointment(appointment_id)
        if enforce_window:
            _check_window(appointment, actor, now, zone)
        appointment.status = AppointmentStatus.CANCELLED
        appointment.cancelled_at = now
        appointment.cancelled_by = actor
        appointment.cancelled_by_role = role_label(actor)
        appointment.cancel_reason = reason[:CANCEL_REASON_MAX]
        appointment.sequence += 1
        appointment.changed_at = now
        appointment.save()
        _cancel_reminders(appointment)
        _audit(AUDIT_CANCELLED, appointment, actor, request)
        offer_freed_time(appointment, now=now)
        if notify:
            _notify(appointment, "cancelled", actor)
    return appointment
