"""The home exercise log of one assessment: sessions done, next-morning check-ins, the
level each exercise family has reached, and the medicine safety answers for the plan.

Everything here belongs to an assessment and follows its owner: readable by whoever may
read the assessment (``rehabit.care.selectors``), attached to an account when the
assessment is claimed (``rehabit.assessments.claims``), erased with it (CASCADE).
Instants are stored in UTC.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rehabit.assessments.models import Assessment

NOTE_MAX_LENGTH = 1000


class Difficulty(models.TextChoices):
    TOO_EASY = "too_easy", _("Too easy")
    ABOUT_RIGHT = "about_right", _("About right")
    HARD = "hard", _("Hard but I managed")
    TOO_HARD = "too_hard", _("Too hard")


class NextMorning(models.TextChoices):
    BETTER = "better", _("Better than before the session")
    SAME = "same", _("About the same")
    WORSE = "worse", _("Worse than before the session")


class ExerciseSession(models.Model):
    """One home exercise session as the person logged it (a diary entry)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="exercise_sessions"
    )
    logged_at = models.DateTimeField(_("logged at"), default=timezone.now, db_index=True)
    # What was done: [{"exercise_id", "family", "level"}], in program order.
    exercises = models.JSONField(_("exercises done"))
    pain_during = models.PositiveSmallIntegerField(_("worst pain during (0-10)"))
    pain_after = models.PositiveSmallIntegerField(_("pain just after (0-10)"))
    difficulty = models.CharField(_("difficulty"), max_length=16, choices=Difficulty.choices)
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    # The next-morning check-in that drives progression (empty until answered).
    next_morning = models.CharField(
        _("next morning"), max_length=8, choices=NextMorning.choices, blank=True
    )
    settled_within_24h = models.BooleanField(_("settled within a day"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    # Warning signs reported at the check-in: ids of the plan's "signs to watch for".
    warning_signs = models.JSONField(_("warning signs reported"), default=list, blank=True)
    # A client's retry of the same submission is recognised by this key (form token or
    # the API's Idempotency-Key header) and does not create a second entry.
    idempotency_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-logged_at"]
        verbose_name = _("exercise session")
        verbose_name_plural = _("exercise sessions")
        indexes = [models.Index(fields=["assessment", "logged_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(pain_during__lte=10) & Q(pain_after__lte=10),
                name="care_session_pain_0_10",
            ),
            models.UniqueConstraint(
                fields=["assessment", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="care_session_idempotency",
            ),
        ]

    def __str__(self) -> str:
        return f"Exercise session {self.id}"

    @property
    def exercise_ids(self) -> list[str]:
        return [str(item["exercise_id"]) for item in self.exercises]

    @property
    def families(self) -> list[str]:
        return list(dict.fromkeys(str(item["family"]) for item in self.exercises))


class ProgramLevel(models.Model):
    """The level an exercise family has reached for one assessment's program."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="program_levels"
    )
    family = models.CharField(max_length=64)
    level = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("program level")
        verbose_name_plural = _("program levels")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "family"], name="care_level_per_family"),
            models.CheckConstraint(condition=Q(level__gte=1), name="care_level_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.family} level {self.level}"


class ProgressionStep(models.Model):
    """One decision of the pain-monitoring rule, taken at a next-morning check-in, with
    what is needed to explain it in the reader's language (template + params)."""

    session = models.ForeignKey(
        ExerciseSession, on_delete=models.CASCADE, related_name="progression_steps"
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="progression_steps"
    )
    family = models.CharField(max_length=64)
    action = models.CharField(max_length=16)  # step_up | hold | step_down | book_pt
    from_level = models.PositiveSmallIntegerField()
    to_level = models.PositiveSmallIntegerField()
    zone = models.CharField(max_length=8)
    reason = models.CharField(max_length=32)
    template = models.TextField()
    params = models.JSONField(default=dict)
    decided_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("progression step")
        verbose_name_plural = _("progression steps")
        constraints = [
            models.UniqueConstraint(fields=["session", "family"], name="care_step_per_family"),
        ]

    def __str__(self) -> str:
        return f"{self.family}: {self.action} {self.from_level}->{self.to_level}"


class ProgressionRuleChoice(models.TextChoices):
    """How the pain-monitoring rule may move a prescribed family (``clinical.progression``)."""

    AUTOMATIC = "automatic", _("Automatic: by the pain-monitoring rule")
    HOLD = "hold", _("Hold at this level")
    WITH_THERAPIST = "with_therapist", _("Step up only with the therapist")


PRESCRIPTION_TEXT_MAX = 500


class PrescribedExercise(models.Model):
    """A therapist's prescription for one exercise family of an assessment's program: the
    exercise (empty: the family is stopped), dosage numbers replacing the library's, the
    progression rule, a note for the patient and the reason for the change. Applied over
    the rules' program by ``rehabit.clinical.prescription.apply_prescription``; written only by
    ``rehabit.clinic.prescribing``."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="prescriptions"
    )
    family = models.CharField(max_length=64)
    exercise_id = models.CharField(max_length=64, blank=True)
    dosage = models.JSONField(default=dict, blank=True)
    rule = models.CharField(
        max_length=16, choices=ProgressionRuleChoice.choices, default="automatic"
    )
    note = models.TextField(_("note for the patient"), max_length=PRESCRIPTION_TEXT_MAX, blank=True)
    reason = models.TextField(_("reason for the change"), max_length=PRESCRIPTION_TEXT_MAX)
    prescribed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    prescriber_name = models.CharField(max_length=120, blank=True)
    prescribed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["prescribed_at", "id"]
        verbose_name = _("prescribed exercise")
        verbose_name_plural = _("prescribed exercises")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "family"], name="care_one_prescription_per_family"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family}: {self.exercise_id or 'stopped'}"

    @property
    def stopped(self) -> bool:
        return not self.exercise_id


CLEARANCE_WHO_MAX = 200


class Clearance(models.Model):
    """A therapist's record that a clinician has examined the patient for what withheld the
    program of one assessment (its warning signs, or a cause that needs checking first) and
    found exercise safe: who checked, on which day, what they found. While it stands, the
    therapist may set the program (``rehabit.clinical.prescription.prescription_applies``); the
    rules still add no exercise of their own. It belongs to that assessment only: a new
    assessment is judged afresh. Withdrawn, not deleted (the record of who said what is
    kept). Written only by ``rehabit.clinic.clearing``."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="clearances")
    checked_by = models.CharField(_("who examined the patient"), max_length=CLEARANCE_WHO_MAX)
    checked_on = models.DateField(_("day of the examination"))
    finding = models.TextField(_("what they found"), max_length=PRESCRIPTION_TEXT_MAX)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorder_name = models.CharField(max_length=120, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(max_length=PRESCRIPTION_TEXT_MAX, blank=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("clinician's clearance")
        verbose_name_plural = _("clinician's clearances")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment"],
                condition=Q(withdrawn_at__isnull=True),
                name="care_one_standing_clearance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.checked_by} ({self.checked_on})"


class MedicationAnswers(models.Model):
    """The person's answers to the medicine safety questions the assessment did not ask."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, primary_key=True, related_name="medication_answers"
    )
    answers = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("medicine safety answers")
        verbose_name_plural = _("medicine safety answers")

    def __str__(self) -> str:
        return f"Medicine safety answers for {self.assessment_id}"


class PreventionSession(models.Model):
    """One session of the hamstring prevention programme (``clinical/data/prevention.yaml``),
    done without an assessment. A signed-in person owns it from the first write; a visitor
    without an account logs it unowned, its id kept in the browser's session
    (``rehabit.care.prevention.SESSION_KEY``), and it becomes theirs when they sign in."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="prevention_sessions",
    )
    routine = models.CharField(_("routine"), max_length=32)
    # The week of the Nordic plan the strength routine was done at (empty for the others).
    week = models.PositiveSmallIntegerField(_("Nordic plan week"), null=True, blank=True)
    logged_at = models.DateTimeField(_("logged at"), default=timezone.now, db_index=True)
    exercises = models.JSONField(_("exercises done"))  # exercise ids, in routine order
    pain_during = models.PositiveSmallIntegerField(_("worst pain during (0-10)"))
    pain_after = models.PositiveSmallIntegerField(_("pain just after (0-10)"))
    difficulty = models.CharField(_("difficulty"), max_length=16, choices=Difficulty.choices)
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-logged_at"]
        verbose_name = _("prevention session")
        verbose_name_plural = _("prevention sessions")
        indexes = [models.Index(fields=["owner", "logged_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(pain_during__lte=10) & Q(pain_after__lte=10),
                name="care_prevention_pain_0_10",
            ),
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="care_prevention_idempotency",
            ),
        ]

    def __str__(self) -> str:
        return f"Prevention session {self.id}"


WITHDRAWAL_REASON_MAX = 300


class ExerciseWithdrawal(models.Model):
    """An administrator's decision to take an exercise of the library out of use, for
    example after a safety report, until the clinical team has reviewed it: it is no longer
    offered in the library, put in a program or prescribed, and a person whose program had it
    is told why (``reason``, shown to patients) and given the rest of the program. Brought
    back by ``restored_at``, never deleted (who decided what, and when, is kept). The
    exercise's own text is reviewed data (``clinical/data/exercises.yaml``), changed
    through review, not here. Written only by ``rehabit.care.withdrawals``."""

    exercise_id = models.CharField(_("exercise"), max_length=64, db_index=True)
    reason = models.TextField(_("reason shown to patients"), max_length=WITHDRAWAL_REASON_MAX)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), default=timezone.now)
    restored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    restored_at = models.DateTimeField(_("brought back at"), null=True, blank=True)

    class Meta:
        ordering = ["-withdrawn_at", "-id"]
        verbose_name = _("exercise withdrawal")
        verbose_name_plural = _("exercise withdrawals")
        permissions = [("manage_exercises", "Can withdraw and bring back library exercises")]
        constraints = [
            models.UniqueConstraint(
                fields=["exercise_id"],
                condition=Q(restored_at__isnull=True),
                name="care_one_standing_withdrawal",
            ),
        ]

    def __str__(self) -> str:
        return self.exercise_id
