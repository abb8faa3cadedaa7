"""The outbox: every e-mail Rehabit sends, until it is sent or given up on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Given up")


class OutgoingMessage(models.Model):
    """One e-mail to one person, written once and sent by the worker, exactly once.

    ``content`` holds the whole message (RFC 5322 bytes) until it is sent or given up
    on; then it is emptied and only what staff need to see remains. Workers claim a row
    with a conditional UPDATE and a lease (``rehabit.mail.outbox``). A row goes with the
    account of its recipient and of the person it is about (an erased patient leaves no
    message naming them here).
    """

    key = models.CharField(
        _("message id"),
        max_length=200,
        unique=True,
        help_text=_("Stable: the same event never makes a second message."),
    )
    kind = models.CharField(_("kind"), max_length=32)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient"),
    )
    about = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("about"),
        help_text=_("The person the message is about (the patient of the appointment)."),
    )
    to = models.CharField(_("to"), max_length=320)
    sender = models.CharField(_("from"), max_length=320)
    subject = models.CharField(_("subject"), max_length=255)
    content = models.BinaryField(_("message"), blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=8, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(
        _("next attempt"),
        null=True,
        blank=True,
        help_text=_("Empty: as soon as a worker gets to it."),
    )
    give_up_at = models.DateTimeField(
        _("pointless after"),
        null=True,
        blank=True,
        help_text=_("A reminder is of no use once the session has started."),
    )
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_by = models.CharField(_("claimed by"), max_length=64, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["created_at"], name="outbox_created"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to} ({self.status})"
