"""The pain diary and the outcome measures of one assessment, and the diary reminder.

Like the exercise log (``rehabit.care``) everything belongs to an assessment: readable by
whoever may read the assessment, attached to an account when the assessment is claimed,
erased with it (CASCADE). Instants are stored in UTC; ``entry_date`` and ``taken_on`` are
the person's own calendar day (in their zone) that the entry describes.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rehabit.assessments.models import Assessment

ACTIVITY_MAX_LENGTH = 300
PSFS_NAME_MAX_LENGTH = 80


class Morning(models.TextChoices):
    BETTER = "better", _("Better than the morning before")
    SAME = "same", _("About the same")
    WORSE = "worse", _("Worse than the morning before")


class Measure(models.TextChoices):
    PSFS = "psfs", _("Activities you find hard")
    BRIDGE = "bridge", _("Single-leg bridge test")


class DiaryEntry(models.Model):
    """One day of the pain diary (one per day: saving the same day again updates it)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="diary_entries"
    )
    entry_date = models.DateField(_("day"))
    logged_at = models.DateTimeField(_("first saved"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    pain_now = models.PositiveSmallIntegerField(_("pain now (0-10)"))
    pain_worst = models.PositiveSmallIntegerField(_("worst pain in 24 hours (0-10)"))
    pain_during_exercise = models.PositiveSmallIntegerField(
        _("pain during exercise (0-10)"), null=True, blank=True
    )
    pain_after_exercise = models.PositiveSmallIntegerField(
        _("pain after exercise (0-10)"), null=True, blank=True
    )
    next_morning = models.CharField(
        _("this morning"), max_length=8, choices=Morning.choices, blank=True
    )
    sleep_disturbed = models.BooleanField(_("sleep disturbed by pain"), null=True, blank=True)
    activity = models.TextField(_("what you did"), max_length=ACTIVITY_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["-entry_date"]
        verbose_name = _("pain diary entry")
        verbose_name_plural = _("pain diary entries")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "entry_date"], name="diary_one_a_day"),
            models.CheckConstraint(
                condition=Q(pain_now__lte=10)
                & Q(pain_worst__lte=10)
                & (Q(pain_during_exercise__isnull=True) | Q(pain_during_exercise__lte=10))
                & (Q(pain_after_exercise__isnull=True) | Q(pain_after_exercise__lte=10)),
                name="diary_pain_0_10",
            ),
        ]

    def __str__(self) -> str:
        return f"Diary entry {self.entry_date}"


class FunctionActivity(models.Model):
    """One of the 3-5 activities the person chose for the PSFS, in their own words."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="function_activities"
    )
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("activity"), max_length=PSFS_NAME_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position"]
        verbose_name = _("activity you find hard")
        verbose_name_plural = _("activities you find hard")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "position"], name="psfs_position"),
        ]

    def __str__(self) -> str:
        return f"Activity {self.position}"


class MeasureRecord(models.Model):
    """One outcome measure taken on one day: the PSFS ratings or a bridge test."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="measure_records"
    )
    measure = models.CharField(max_length=8, choices=Measure.choices)
    taken_on = models.DateField(_("day"))
    recorded_at = models.DateTimeField(default=timezone.now)
    # psfs: {"ratings": [..], "activities": [names]}; bridge: {"sore": n, "other": n|None,
    # "stopped_for_pain": bool}
    values = models.JSONField(default=dict)
    score = models.FloatField(_("score"))

    class Meta:
        ordering = ["-taken_on"]
        verbose_name = _("outcome measure")
        verbose_name_plural = _("outcome measures")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "measure", "taken_on"], name="measure_one_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} on {self.taken_on}"


class DiaryReminder(models.Model):
    """The gentle reminder to log: at a time the person chose, in their zone; at most one
    a day, none after a log that day, stopped after a week without a log."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, primary_key=True, related_name="diary_reminder"
    )
    enabled = models.BooleanField(default=True)
    local_time = models.TimeField(_("time of day"))
    time_zone = models.CharField(_("time zone"), max_length=64)
    next_due_at = models.DateTimeField(null=True, blank=True)
    last_sent_on = models.DateField(null=True, blank=True)
    # The day of the first reminder not yet followed by a log (cleared by a log).
    unanswered_since = models.DateField(null=True, blank=True)
    stopped_on = models.DateField(
        null=True, blank=True, help_text=_("Stopped after a week without a log.")
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("diary reminder")
        verbose_name_plural = _("diary reminders")

    def __str__(self) -> str:
        return f"Diary reminder at {self.local_time} ({self.time_zone})"
