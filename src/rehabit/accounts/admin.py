"""Admin for accounts. Admins manage accounts here; every time they open or change a
patient's account or clinical record, the audit log gets an entry naming the fields
changed. What staff may do to someone's sign-in (password reset link, removing two-factor
authentication) goes through ``rehabit.accounts.staff_actions`` only."""

from __future__ import annotations

from typing import Any

import allauth.mfa.admin  # noqa: F401  (registers Authenticator before we replace it)
from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from rehabit.accounts import staff_actions
from rehabit.accounts.models import ConsentEvent, LoginLockout, Profile
from rehabit.accounts.phones import international_number
from rehabit.accounts.records import audit_record_read
from rehabit.accounts.roles import (
    ADMIN,
    PATIENT,
    THERAPIST,
    assign_role,
    is_staff_role,
    role_of,
)
from rehabit.accounts.staff_actions import change_details, may_manage
from rehabit.assessments.admin import AssessmentAdmin
from rehabit.assessments.models import Assessment
from rehabit.audit.models import AuditAction
from rehabit.audit.services import record
from rehabit.core.admin import ListedLookupsOnly, ReadOnlyAdmin

User = get_user_model()


class AuditedChangeViewMixin:
    """Log a staff read of a patient's object and refuse it when the record rule says no:
    on every method, since a refused POST shows the record again as a GET does (the site
    answers only GET, HEAD and POST, ``admin_site.reading_and_sending_only``). Changes are
    logged besides in ``save_model`` with the names of the fields changed."""

    change_action = AuditAction.RECORD_CHANGED

    def patient_of(self, obj: Any) -> Any:
        raise NotImplementedError

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)  # type: ignore[attr-defined]
        patient = self.patient_of(obj) if obj is not None else None
        if (
            patient is not None
            and patient.pk != request.user.pk
            and not is_staff_role(patient)
            and not audit_record_read(request, patient, target=obj)
        ):
            raise Http404("Not found.")
        return super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        patient = self.patient_of(obj)
        if change and patient is not None and form.changed_data:
            record(
                self.change_action,
                request=request,
                subject=patient,
                target_type=obj._meta.model_name,
                target_id=obj.pk,
                details=change_details(form),
            )


class AccountChangeForm(forms.ModelForm):  # type: ignore[type-arg]
    """An account as staff may change it: name, active, role. No password, e-mail
    address, superuser flag or permissions (see ``staff_actions``)."""

    role = forms.ChoiceField(
        label=_("role"),
        choices=[(PATIENT, _("patient")), (THERAPIST, _("therapist")), (ADMIN, _("admin"))],
        help_text=_("Admins get the admin site (with two-factor authentication)."),
    )

    class Meta:
        model = User
        fields = ("first_name", "last_name", "is_active")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["role"] = role_of(self.instance)
            self.fields["role"].initial = self.initial["role"]


admin.site.unregister(User)


@admin.register(User)
class AuditedUserAdmin(AuditedChangeViewMixin, UserAdmin):  # type: ignore[type-arg]
    """Accounts. Nobody sets a password or an e-mail address here: "Send a password reset
    link" e-mails the person; "Remove two-factor authentication" tells them by e-mail;
    both are audited. Superuser and permission fields exist only for superusers, and an
    admin cannot change a superuser's account."""

    form = AccountChangeForm
    change_action = AuditAction.ACCOUNT_CHANGED_BY_STAFF
    list_display = ("email", "role", "is_active", "last_login", "date_joined")
    list_filter = ("groups", "is_active", "is_staff")
    search_fields = ("email",)
    ordering = ("email",)
    actions = ["send_password_reset", "remove_two_factor"]

    def patient_of(self, obj: Any) -> Any:
        return obj

    @admin.display(description=_("role"))
    def role(self, obj: Any) -> str:
        return role_of(obj)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return super().get_fieldsets(request, obj)  # adding (superusers only)
        fieldsets: list[Any] = [
            (None, {"fields": ("username", "email")}),
            (_("Personal info"), {"fields": ("first_name", "last_name")}),
            (_("Access"), {"fields": ("is_active", "role")}),
            (_("Important dates"), {"fields": ("last_login", "date_joined")}),
        ]
        if request.user.is_superuser:
            fieldsets.append(
                (_("Superuser only"), {"fields": ("is_staff", "is_superuser", "user_permissions")})
            )
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ()
        return ("username", "email", "last_login", "date_joined")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and not may_manage(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        """Refused for everyone: the person resets their own password from a link."""
        raise PermissionDenied

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        role = form.cleaned_data.get("role")
        if change and role and role != form.initial.get("role"):
            assign_role(obj, role, request=request, actor=request.user)
        if change and "is_active" in form.changed_data and not obj.is_active:
            self._warn_of_booked_sessions(request, obj)

    def _warn_of_booked_sessions(self, request: HttpRequest, user: Any) -> None:
        """A deactivated therapist is unlisted (``booking.deactivation``), but sessions they
        already have stay booked: what the other apps say about it (how many, so the admin
        moves or cancels them and the patients are not left waiting for a call nobody
        joins), as warnings."""
        for note in staff_actions.deactivation_notes(user):
            self.message_user(request, note, messages.WARNING)

    def _each_manageable(self, request: HttpRequest, queryset: Any) -> Any:
        skipped = 0
        for user in queryset:
            if may_manage(request.user, user):
                yield user
            else:
                skipped += 1
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d superuser account was left alone: only a superuser may do that.",
                    "%(count)d superuser accounts were left alone: only a superuser may do that.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    @admin.action(
        description=_("Send a password reset link to each person"), permissions=["change"]
    )
    def send_password_reset(self, request: HttpRequest, queryset: Any) -> None:
        sent = sum(
            1
            for user in self._each_manageable(request, queryset)
            if staff_actions.send_password_reset(request, user)
        )
        self.message_user(
            request,
            ngettext(
                "A password reset link was e-mailed to %(count)d person.",
                "A password reset link was e-mailed to %(count)d people.",
                sent,
            )
            % {"count": sent},
        )

    @admin.action(
        description=_("Remove two-factor authentication (the person is told by e-mail)"),
        permissions=["remove_two_factor"],
    )
    def remove_two_factor(self, request: HttpRequest, queryset: Any) -> None:
        removed = sum(
            1
            for user in self._each_manageable(request, queryset)
            if staff_actions.remove_two_factor(request, user)
        )
        self.message_user(
            request,
            ngettext(
                "Two-factor authentication was removed for %(count)d person (told by e-mail).",
                "Two-factor authentication was removed for %(count)d people (told by e-mail).",
                removed,
            )
            % {"count": removed},
        )

    def has_remove_two_factor_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("mfa.delete_authenticator"))


class ProfileAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """A profile changed here takes a phone number by the profile page's rule
    (``rehabit.accounts.phones``): stored with its country code, read in the country of
    the zone in the same form (the saved one if that is left empty)."""

    class Meta:
        model = Profile
        fields = [
            "user",
            "full_name",
            "date_of_birth",
            "time_zone",
            "language",
            "phone",
            "created_at",
            "updated_at",
        ]

    def clean_phone(self) -> str:
        zone = self.cleaned_data.get("time_zone") or self.instance.time_zone or None
        return international_number(self.cleaned_data.get("phone", ""), zone)


@admin.register(Profile)
class ProfileAdmin(AuditedChangeViewMixin, ListedLookupsOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    form = ProfileAdminForm
    list_display = ("id", "user_id", "time_zone", "language", "updated_at")
    search_fields = ("user__email",)
    readonly_fields = ("user", "created_at", "updated_at")

    def patient_of(self, obj: Any) -> Any:
        return obj.user


@admin.register(ConsentEvent)
class ConsentEventAdmin(ReadOnlyAdmin):
    list_display = ("recorded_at", "user_id", "purpose", "version", "granted", "source")
    list_filter = ("purpose", "granted", "version")
    readonly_fields = ("user", "purpose", "version", "granted", "recorded_at", "source")


@admin.register(LoginLockout)
class LoginLockoutAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Sign-in failure counts (rehabit.accounts.lockout); deleting a row forgets one."""

    list_display = ("key", "failures", "window_started_at", "locked_until")
    readonly_fields = ("key", "failures", "window_started_at", "locked_until")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


# E-mail addresses decide where password reset links go: only a superuser may change
# one here (the person changes their own, with verification, on their account page).
admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class GuardedEmailAddressAdmin(EmailAddressAdmin):
    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return super().get_actions(request) if request.user.is_superuser else {}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


# Authenticators: listed, never shown (their data holds the TOTP secret and recovery
# codes) and never deleted here; "Remove two-factor authentication" on the account does
# it, audited and with an e-mail to the person.
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(ReadOnlyAdmin):
    list_display = ("user", "type", "created_at", "last_used_at")
    list_filter = ("type",)
    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = fields


# Assessments are clinical records: opening an owned one in the admin goes through the
# same audited rule as every other staff read.
admin.site.unregister(Assessment)


@admin.register(Assessment)
class AuditedAssessmentAdmin(AuditedChangeViewMixin, ListedLookupsOnly, AssessmentAdmin):
    # The list is not an audited read, so it shows nothing of the result: the disposition
    # (emergency, urgent ...) of every patient's assessment, or a filter by it, would be.
    list_display = ("id", "created_at", "questionnaire_version", "owner_id")
    list_filter = ("questionnaire_version",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return (*super().get_readonly_fields(request, obj), "owner")

    def patient_of(self, obj: Any) -> Any:
        return obj.owner
