"""A stored self-assessment: the answers a person gave and what Rehabit told them."""

import json
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CompactJSONEncoder(json.JSONEncoder):
    """JSON without the spaces after separators, and text as UTF-8 rather than escapes:
    the same document in fewer bytes (a stored assessment is mostly JSON)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["separators"] = (",", ":")
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


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
    answers = models.JSONField(encoder=CompactJSONEncoder)
    # What is needed to show the result again: codes, ids and numbers, with the words in
    # a shared catalogue (rehabit.assessments.stored). Read and set it as ``result``.
    stored_result = models.JSONField(db_column="result", encoder=CompactJSONEncoder)
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

    def save(self, *args: Any, **kwargs: Any) -> None:
        from rehabit.assessments.result_texts import current_catalogue, save_catalogue

        current = current_catalogue()
        if isinstance(self.stored_result, dict) and self.stored_result.get("t") == current.key:
            save_catalogue(current)  # once per process: the words this result points to
        super().save(*args, **kwargs)

    @property
    def result(self) -> dict[str, Any]:
        """The result as the clinical core gave it (``AssessmentResult.to_dict()``): the
        English sentences are message ids, translated where the result is shown."""
        from rehabit.assessments.stored import expand

        stored = self.stored_result
        cached = self.__dict__.get("_result")
        if cached is None or cached[0] is not stored:
            cached = (
                stored,
                expand(stored, version=self.questionnaire_version, level=self.disposition),
            )
            self.__dict__["_result"] = cached
        return cached[1]

    @result.setter
    def result(self, value: dict[str, Any]) -> None:
        from rehabit.assessments.result_texts import current_catalogue
        from rehabit.assessments.stored import compact

        self.stored_result = compact(
            value,
            version=self.questionnaire_version,
            level=self.disposition,
            found=current_catalogue(),
        )
        self.__dict__["_result"] = (self.stored_result, value)

    @property
    def current_answers(self) -> dict[str, object]:
        """The answers in today's questionnaire ids (stored answers are never rewritten)."""
        from rehabit.clinical.upgrade import current_answers

        return current_answers(self.questionnaire_version, self.answers)


class ResultTexts(models.Model):
    """One revision of the sentences stored results point to (written once, never changed;
    see rehabit.assessments.result_texts). Holds no personal data."""

    key = models.CharField(max_length=32, primary_key=True)
    texts = models.JSONField(encoder=CompactJSONEncoder)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("result texts")
        verbose_name_plural = _("result texts")

    def __str__(self) -> str:
        return f"Result texts {self.key}"
