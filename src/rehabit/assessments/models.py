"""A stored self-assessment: the answers a person gave and what Rehabit told them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DispositionLevel(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency")
    URGENT = "urgent", _("Urgent")
    SOON = "soon", _("See a clinician soon")
    SELF_CARE = "self_care", _("Self-care")


class Assessment(models.Model):
    # A random UUID4 (122 random bits) is the only handle to a result: unguessable, so a
    # result can be shared by link without an account.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    questionnaire_version = models.CharField(max_length=40)
    answers = models.JSONField()
    result = models.JSONField()
    disposition = models.CharField(max_length=20, choices=DispositionLevel.choices)
    # The account the assessment belongs to: empty while anonymous; set when the person
    # signs up or signs in from the same browser (rehabit.assessments.claims). Erasing
    # the account erases its assessments (health data) with it.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assessments",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["disposition", "created_at"])]

    def __str__(self) -> str:
        return f"Assessment {self.id} ({self.disposition})"

    @property
    def current_answers(self) -> dict[str, object]:
        """The answers in today's questionnaire ids (stored answers are never rewritten)."""
        from rehabit.clinical.upgrade import current_answers

        return current_answers(self.questionnaire_version, self.answers)
