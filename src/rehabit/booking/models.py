"""Therapists, their availability, and the appointments booked with them.

Instants are stored in UTC; working hours are wall-clock times in the therapist's own IANA
zone (engineering.md §2.4). The slot engine (``rehabit.scheduling``) turns these rows into
bookable times through ``rehabit.booking.slots``; this module only stores them.

No double booking is guaranteed by the database, not by Python: a partial unique index on
(therapist, start) for active appointments on every database, plus on PostgreSQL an
exclusion constraint on overlapping [start, end) ranges (migration 0002, PostgreSQL only).
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.conf import global_settings, settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

# The spoken languages a therapist can list: Django's own list, so names are translated.
# The longest reason for cancelling a session that is kept and shown to the other person.
CANCEL_REASON_MAX = 300
# Django's list, whose names are marked for translation only (gettext_noop): shown in the
# reader's language through Django's own catalogue.
SPOKEN_LANGUAGES = [
    (code, _(name)) for code, name in sorted(global_settings.LANGUAGES, key=lambda item: item[0])
]


class Specialty(models.TextChoices):
    BACK = "back", _("Back pain")
    SHOULDER = "shoulder", _("Shoulder pain")
    KNEE = "knee", _("Knee pain")
    NECK = "neck", _("Neck pain")
    ELBOW = "elbow", _("Elbow pain")
    HIP = "hip", _("Hip pain")
    ARTHRITIS = "arthritis", _("Arthritis")
    SPORTS = "sports", _("Sports injuries")
    HAMSTRING = "hamstring", _("Hamstring injuries")


class SessionKind(models.TextChoices):
    FIRST_ASSESSMENT = "first_assessment", _("First assessment")
    FOLLOW_UP = "follow_up", _("Follow-up session")


def new_room_name() -> str:
    """An unguessable Jitsi room name (128 random bits, letters and digits only)."""
    return "Rehabit" + secrets.token_hex(16)


class Therapist(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="therapist_profile",
        help_text=_("The account the therapist signs in with."),
    )
    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("title"), max_length=120, blank=True)
    bio = models.TextField(_("about"), blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/London")
    is_listed = models.BooleanField(
        _("listed"), default=True, help_text=_("Shown in the search and bookable.")
    )
    buffer_before_minutes = models.PositiveSmallIntegerField(
        _("buffer before (minutes)"), default=0
    )
    buffer_after_minutes = models.PositiveSmallIntegerField(_("buffer after (minutes)"), default=10)
    minimum_notice_minutes = models.PositiveIntegerField(
        _("minimum notice (minutes)"), default=12 * 60
    )
    horizon_days = models.PositiveSmallIntegerField(_("booking opens (days ahead)"), default=60)
    daily_maximum = models.PositiveSmallIntegerField(
        _("most sessions a day"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    slot_step_minutes = models.PositiveSmallIntegerField(
        _("start times every (minutes)"), default=15
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("therapist")
        verbose_name_plural = _("therapists")

    def __str__(self) -> str:
        return self.name

    @property
    def initials(self) -> str:
        words = [w for w in self.name.replace("-", " ").split() if w[:1].isalpha()]
        if not words:
            return "?"
        picked = [words[0], words[-1]] if len(words) > 1 else words[:1]
        return "".join(w[0].upper() for w in picked)


class TherapistSpecialty(models.Model):
    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="specialties")
    specialty = models.CharField(_("specialty"), max_length=20, choices=Specialty.choices)

    class Meta:
        verbose_name = _("specialty")
        verbose_name_plural = _("specialties")
        constraints = [
            models.UniqueConstraint(fields=["therapist", "specialty"], name="one_specialty_once")
        ]
        indexes = [models.Index(fields=["specialty", "therapist"])]

    def __str__(self) -> str:
        return self.get_specialty_display()


class TherapistLanguage(models.Model):
    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=10, choices=SPOKEN_LANGUAGES)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        constraints = [
            models.UniqueConstraint(fields=["therapist", "language"], name="one_language_once")
        ]
        indexes = [models.Index(fields=["language", "therapist"])]

    def __str__(self) -> str:
        return self.get_language_display()


class SessionType(models.Model):
    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="session_types")
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"))
    is_offered = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["therapist", "kind"]
        verbose_name = _("session type")
        verbose_name_plural = _("session types")
        constraints = [
            models.UniqueConstraint(fields=["therapist", "kind"], name="one_session_kind_once"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=240),
                name="session_length_5_to_240",
            ),
        ]

    def __str__(self) -> str:
        """ "Follow-up session (30 min)", in the reader's language (the refusal that lists
        what a therapist offers, the admin site)."""
        return str(
            _("%(kind)s (%(minutes)d min)")
            % {"kind": self.get_kind_display(), "minutes": self.duration_minutes}
        )


class WorkingHours(models.Model):
    """One interval of the usual week, on the therapist's wall clock.

    An end at or before the start runs past midnight (20:00-02:00); 00:00 as an end is
    midnight.
    """

    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS.items())
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        ordering = ["therapist", "weekday", "start"]
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="weekday_0_to_6"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()}: {self.start:%H:%M}-{self.end:%H:%M}"


class DateOverride(models.Model):
    """Hours for one date that replace that weekday's usual hours.

    All rows of a date together are the day's hours; a row without times is a day off.
    """

    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="overrides")
    day = models.DateField(_("date"))
    start = models.TimeField(_("from"), null=True, blank=True)
    end = models.TimeField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["therapist", "day", "start"]
        verbose_name = _("date override")
        verbose_name_plural = _("date overrides")
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True, end__isnull=True)
                | Q(start__isnull=False, end__isnull=False),
                name="override_both_times_or_none",
            )
        ]
        indexes = [models.Index(fields=["therapist", "day"])]

    def __str__(self) -> str:
        if self.start is None:
            return f"{self.day}: off"
        return f"{self.day}: {self.start:%H:%M}-{self.end:%H:%M}"


class TimeOff(models.Model):
    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="time_off")
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=120, blank=True)

    class Meta:
        ordering = ["therapist", "start"]
        verbose_name = _("time off")
        verbose_name_plural = _("time off")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="time_off_ends_after"
            )
        ]
        indexes = [models.Index(fields=["therapist", "end"])]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M} – {self.end:%Y-%m-%d %H:%M}"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    MOVED = "moved", _("Moved to another time")
    CANCELLED = "cancelled", _("Cancelled")


class Attendance(models.TextChoices):
    """Marked by the therapist once the session has started (``rehabit.clinic.attendance``)."""

    NOT_MARKED = "", _("Not marked yet")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not attend")


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def active(self) -> AppointmentQuerySet:
        """Appointments that hold their time (the rows the constraints protect)."""
        return self.filter(status=AppointmentStatus.BOOKED)

    def overlapping(self, start: Any, end: Any) -> AppointmentQuerySet:
        return self.filter(start__lt=end, end__gt=start)


class Appointment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    therapist = models.ForeignKey(Therapist, on_delete=models.PROTECT, related_name="appointments")
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appointments"
    )
    session_type = models.ForeignKey(SessionType, on_delete=models.PROTECT, related_name="+")
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    status = models.CharField(
        _("status"), max_length=12, choices=AppointmentStatus.choices, default="booked"
    )
    share_record = models.BooleanField(_("patient shares assessments and progress"), default=False)
    # Lineage: a moved appointment points to its successor through ``moved_to``.
    moved_from = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="moved_to"
    )
    # One calendar event across moves: the same UID, SEQUENCE raised on each change.
    ical_uid = models.CharField(max_length=80, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    room_name = models.CharField(max_length=64, default=new_room_name, editable=False)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_by_role = models.CharField(max_length=16, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=CANCEL_REASON_MAX, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=8, choices=Attendance.choices, blank=True, default=""
    )

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="appt_ends_after"),
            # Works on SQLite and PostgreSQL; PostgreSQL adds the overlap exclusion (0002).
            models.UniqueConstraint(
                fields=["therapist", "start"],
                condition=Q(status="booked"),
                name="appt_one_active_per_start",
            ),
        ]
        indexes = [
            models.Index(fields=["therapist", "start"], name="appt_therapist_start"),
            models.Index(fields=["patient", "start"], name="appt_patient_start"),
        ]

    def __str__(self) -> str:
        return f"{self.therapist} {self.start:%Y-%m-%d %H:%M} UTC ({self.status})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.ical_uid:
            self.ical_uid = f"{self.id}@rehabit"
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.status == AppointmentStatus.BOOKED

    @property
    def _attendance_shown(self) -> bool:
        """A booked session the therapist marked reads as its attendance."""
        return self.status == AppointmentStatus.BOOKED and bool(self.attendance)

    @property
    def status_key(self) -> str:
        """The status a person reads: once the therapist marked a booked session,
        its attendance ("attended", "no_show"), else the booking status."""
        return str(self.attendance) if self._attendance_shown else str(self.status)

    @property
    def status_label(self) -> str:
        """``status_key`` in words: "Attended", "Did not attend", "Booked", "Cancelled"..."""
        shown = (
            self.get_attendance_display() if self._attendance_shown else self.get_status_display()
        )
        return str(shown)

    def current(self) -> Appointment:
        """The latest appointment of this lineage (itself unless it was moved)."""
        appointment: Appointment = self
        seen = {appointment.pk}
        while appointment.status == AppointmentStatus.MOVED:
            successor = Appointment.objects.filter(moved_from=appointment).first()
            if successor is None or successor.pk in seen:
                break
            seen.add(successor.pk)
            appointment = successor
        return appointment


class ReminderKind(models.TextChoices):
    DAY_BEFORE = "24h", _("24 hours before")
    HOUR_BEFORE = "1h", _("1 hour before")


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


class Reminder(models.Model):
    """One reminder e-mail to one participant, due at an absolute UTC instant.

    Workers claim a row with a conditional UPDATE (``rehabit.booking.reminders``), so each
    reminder is sent once however many workers run or restart.
    """

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=4, choices=ReminderKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    due_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "kind", "recipient"], name="one_reminder_each"
            )
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="reminder_due")]

    def __str__(self) -> str:
        return f"{self.kind} reminder {self.pk} ({self.status})"


class IdempotencyStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class IdempotencyKey(models.Model):
    """A client's Idempotency-Key for one request (engineering.md §2.3)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=12, choices=IdempotencyStatus.choices)
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_idempotency_key_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    BOOKED = "booked", _("Booked from an offer")
    LEFT = "left", _("Left the waitlist")


class WaitlistEntry(models.Model):
    """A patient who wants an earlier time with a therapist or any therapist of a specialty."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    therapist = models.ForeignKey(
        Therapist, on_delete=models.CASCADE, null=True, blank=True, related_name="waitlist"
    )
    specialty = models.CharField(max_length=20, choices=Specialty.choices, blank=True)
    session_kind = models.CharField(
        max_length=20, choices=SessionKind.choices, default=SessionKind.FIRST_ASSESSMENT
    )
    wanted_before = models.DateTimeField(
        _("earlier than"), help_text=_("Offer only times that start before this.")
    )
    # The booked appointment the patient would like earlier: accepting an offer moves it.
    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=WaitlistStatus.choices, default="waiting")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(therapist__isnull=False) | ~Q(specialty=""),
                name="waitlist_therapist_or_specialty",
            )
        ]

    def __str__(self) -> str:
        return f"waitlist {self.pk} ({self.status})"


class OfferStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    GONE = "gone", _("Taken by someone else")
    EXPIRED = "expired", _("Expired")


def new_offer_token() -> str:
    return secrets.token_urlsafe(32)


class WaitlistOffer(models.Model):
    """A freed time offered to one waitlist entry; the link in the e-mail is single-use."""

    entry = models.ForeignKey(WaitlistEntry, on_delete=models.CASCADE, related_name="offers")
    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="+")
    session_type = models.ForeignKey(SessionType, on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField()
    position = models.PositiveIntegerField(help_text=_("Order in which the offer was made."))
    token = models.CharField(max_length=64, unique=True, default=new_offer_token, editable=False)
    status = models.CharField(max_length=10, choices=OfferStatus.choices, default="open")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    appointment = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "position"]

    def __str__(self) -> str:
        return f"offer {self.pk} ({self.status})"


class CalendarFeed(models.Model):
    """A personal iCalendar feed; the URL's secret is stored only as a hash."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"calendar feed of user {self.user_id}"
