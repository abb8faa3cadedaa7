"""A person's profile, their consent events and the sign-in lockout counters."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    # Empty until the person has been asked (on their first visit after signing in).
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    language = models.CharField(_("preferred language"), max_length=16, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    # Therapists: when they last opened their workspace home ("new since your last visit").
    workspace_seen_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        # The role permissions (granted to groups by migration 0002_roles).
        permissions = [
            ("view_own_record", _("Can view, export and delete their own record")),
            (
                "view_patient_record",
                _("Can view a patient's record while related by appointment, with consent"),
            ),
            (
                "view_patient_record_as_admin",
                _("Can view a patient's record through the audited path (admin)"),
            ),
            ("manage_accounts", _("Can manage accounts and roles")),
        ]

    def __str__(self) -> str:
        return f"Profile {self.pk} (user {self.user_id})"

    @property
    def is_complete(self) -> bool:
        return bool(self.time_zone)


class ConsentPurpose(models.TextChoices):
    TERMS = "terms", _("Terms of use")
    PRIVACY = "privacy", _("Privacy notice")
    SHARE_WITH_THERAPIST = (
        "share_with_therapist",
        _("Share my assessments and progress with my therapist"),
    )


class ConsentEvent(models.Model):
    """One act of giving or withdrawing consent. Never changed; the current state of a
    purpose is its latest event (``rehabit.accounts.consent``).

    Sharing is per therapist: a ``share_with_therapist`` event names the therapist's
    account, and the state of each (patient, therapist) pair is its own latest event.
    Share events without a therapist are history from before sharing was per therapist
    (migration 0004 turned them into per-therapist events); they grant nothing.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consent_events"
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=ConsentPurpose.choices)
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("therapist"),
        help_text=_("The therapist a share is with (sharing only)."),
    )
    version = models.CharField(_("notice version"), max_length=32)
    granted = models.BooleanField(_("granted"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, db_index=True)
    source = models.CharField(_("where"), max_length=32, blank=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("consent event")
        verbose_name_plural = _("consent events")
        indexes = [models.Index(fields=["user", "purpose", "recorded_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(therapist__isnull=True)
                | models.Q(purpose="share_with_therapist"),
                name="consent_therapist_only_when_sharing",
            )
        ]

    def __str__(self) -> str:
        state = "granted" if self.granted else "withdrawn"
        whom = f" with user {self.therapist_id}" if self.therapist_id else ""
        return f"{self.purpose}{whom} v{self.version} {state}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError("Consent events are never changed; record a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise RuntimeError("Consent events are removed only by erasing the whole account.")


class LoginLockout(models.Model):
    """Failed sign-ins per account (keyed by a hash of the e-mail), kept in the database so
    every worker process sees the same count (see ``rehabit.accounts.lockout``)."""

    key = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField(default=timezone.now)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in lockout")
        verbose_name_plural = _("sign-in lockouts")

    def __str__(self) -> str:
        return f"lockout {self.key[:8]}… ({self.failures})"


class TherapistInvitation(models.Model):
    """An administrator's invitation for a therapist to create their account.

    The link carries a signed token naming the invitation and a random secret; only the
    secret's SHA-256 is stored here. It works once (``accepted_at``), until
    ``expires_at``, and not after it was withdrawn or replaced by a newer invitation to
    the same address (``revoked_at``). See ``rehabit.accounts.invitations``.
    """

    email = models.EmailField(_("e-mail address"), max_length=254)
    name = models.CharField(_("name"), max_length=150, blank=True)
    secret_hash = models.CharField(max_length=64, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account created"),
    )
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("therapist invitation")
        verbose_name_plural = _("therapist invitations")
        indexes = [models.Index(fields=["email", "created_at"], name="invitation_email")]

    def __str__(self) -> str:
        return f"Invitation {self.pk} ({self.state})"

    @property
    def state(self) -> str:
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "withdrawn"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"
