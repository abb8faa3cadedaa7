"""What passes between a patient and their therapist: secure messages, alerts raised by
the patient's check-ins, and each therapist's promise about reply times.

Threads and alerts belong to the patient and go with their account (CASCADE); a message
keeps which side wrote it when the writer's account is gone. Instants are stored in UTC.
Nothing here is e-mailed: the e-mails say only that something is waiting
(``rehabit.clinic.notices``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rehabit.booking.models import Therapist

MESSAGE_MAX_LENGTH = 4000
DEFAULT_REPLY_DAYS = 2
MAX_REPLY_DAYS = 10


class MessagingSettings(models.Model):
    """A therapist's own settings for messages: how soon they usually reply."""

    therapist = models.OneToOneField(
        Therapist, on_delete=models.CASCADE, primary_key=True, related_name="messaging"
    )
    reply_within_days = models.PositiveSmallIntegerField(
        _("usually replies within (working days)"), default=DEFAULT_REPLY_DAYS
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("messaging settings")
        verbose_name_plural = _("messaging settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(reply_within_days__gte=1) & Q(reply_within_days__lte=MAX_REPLY_DAYS),
                name="clinic_reply_days_1_to_10",
            )
        ]

    def __str__(self) -> str:
        return f"messaging settings of therapist {self.therapist_id}"


class MessageThread(models.Model):
    """The one conversation between a patient and a therapist."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_threads"
    )
    therapist = models.ForeignKey(
        Therapist, on_delete=models.CASCADE, related_name="message_threads"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-last_message_at", "-created_at"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.UniqueConstraint(fields=["patient", "therapist"], name="clinic_one_thread")
        ]

    def __str__(self) -> str:
        return f"conversation {self.pk}"


class Message(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    thread = models.ForeignKey(MessageThread, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_patient = models.BooleanField(_("written by the patient"))
    body = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read by the other side"), null=True, blank=True)
    # A retried form or API call with the same token stores the message once. The token
    # is the sender's side's own: the other side using the same one sends a new message.
    client_token = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["sent_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["thread", "read_at"], name="clinic_message_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "from_patient", "client_token"],
                condition=~Q(client_token=""),
                name="clinic_message_once_per_side",
            )
        ]

    def __str__(self) -> str:
        return f"message {self.pk}"


class AlertKind(models.TextChoices):
    WARNING_SIGN = "warning_sign", _("Warning sign reported")
    WORSENING = "worsening", _("Pain getting worse")
    READY = "ready", _("May be ready to step up")
    EXERCISE_PAUSED = "exercise_paused", _("A prescribed exercise is out of use")


class Urgency(models.TextChoices):
    """How soon the therapist should look (the warning sign's own level for a sign)."""

    EMERGENCY = "emergency", _("Emergency")
    URGENT = "urgent", _("Urgent")
    SOON = "soon", _("Soon")
    ROUTINE = "routine", _("Routine")


class Alert(models.Model):
    """Something a patient's check-in told us that their therapist should see.

    ``details`` holds ids only (warning-sign ids, exercise families, progression reasons):
    the therapist's page words them from the clinical data."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinic_alerts"
    )
    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="alerts")
    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="+"
    )
    session = models.ForeignKey(
        "care.ExerciseSession", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AlertKind.choices)
    urgency = models.CharField(_("urgency"), max_length=12, choices=Urgency.choices)
    details = models.JSONField(default=dict, blank=True)
    raised_at = models.DateTimeField(_("raised"), default=timezone.now, db_index=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        indexes = [models.Index(fields=["therapist", "acknowledged_at"], name="clinic_alert_open")]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "therapist", "kind"], name="clinic_one_alert_per_check_in"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} alert {self.pk}"
