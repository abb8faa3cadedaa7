"""A stored self-assessment: the answers a person gave and what Rehabit told them."""

import json
import uuid
from contextlib import nullcontext
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connections, models, router, transaction
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
        # Shown wherever the object is named (admin titles, history, log lines): no result.
        return f"Assessment {self.id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        from rehabit.assessments.result_texts import current_catalogue, save_catalogue

        current = current_catalogue()
        if isinstance(self.stored_result, dict) and self.stored_result.get("t") == current.key:
            save_catalogue(current)  # once per process: the words this result points to
        super().save(*args, **kwargs)

    def insert(self) -> None:
        """Store this new assessment as ``save(force_insert=True)`` in ``transaction.atomic()``
        would, with the INSERT statement built once per process (issue 10: building it
        each time cost as much as running it). Alone it is one statement, atomic by
        itself; with the first result after a start (its catalogue is written with it), it
        runs in an atomic block as before; in the caller's transaction (the rate limit's
        count, ``record_assessment``) it is part of it, without a savepoint of its own.
        Like ``bulk_create``, it sends no model signals (nothing listens to this model's)."""
        from rehabit.assessments.result_texts import current_catalogue, is_saved, save_catalogue

        alias = router.db_for_write(Assessment, instance=self)
        connection = connections[alias]
        current = current_catalogue()
        stored = self.stored_result
        names_current = isinstance(stored, dict) and stored.get("t") == current.key
        alone = not connection.in_atomic_block and (is_saved(current) or not names_current)
        with nullcontext() if alone else transaction.atomic(using=alias, savepoint=False):
            if names_current:
                save_catalogue(current)  # nothing once this process saw it committed
            sql, fields = _insert_statement(alias)
            params = [f.get_db_prep_save(f.pre_save(self, True), connection) for f in fields]
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
        self._state.adding = False
        self._state.db = alias

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


@cache
def _insert_statement(alias: str) -> tuple[str, list[Any]]:
    """The INSERT of a whole ``Assessment`` row (as the ORM writes it) and its fields."""
    quote = connections[alias].ops.quote_name
    fields = list(Assessment._meta.concrete_fields)
    columns = ", ".join(quote(f.column) for f in fields)
    values = ", ".join(["%s"] * len(fields))
    table = quote(Assessment._meta.db_table)  # names from the model, values as parameters
    return f"INSERT INTO {table} ({columns}) VALUES ({values})", fields  # noqa: S608


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
