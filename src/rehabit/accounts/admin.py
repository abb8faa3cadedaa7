"""Admin for accounts. Admins manage accounts here; every time they open or change a
patient's account or clinical record, the audit log gets an entry."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import Http404, HttpRequest, HttpResponse

from rehabit.accounts.models import ConsentEvent, LoginLockout, Profile
from rehabit.accounts.records import audit_record_read
from rehabit.accounts.roles import ROLES, is_staff_role, role_of
from rehabit.assessments.admin import AssessmentAdmin
from rehabit.assessments.models import Assessment
from rehabit.audit.models import AuditAction
from rehabit.audit.services import record
from rehabit.core.admin import ReadOnlyAdmin

User = get_user_model()


class AuditedChangeViewMixin:
    """Log a staff read (GET) of a patient's object and refuse it when the record rule
    says no; changes are logged in ``save_model``."""

    def patient_of(self, obj: Any) -> Any:
        raise NotImplementedError

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)  # type: ignore[attr-defined]
        patient = self.patient_of(obj) if obj is not None else None
        if (
            request.method == "GET"
            and patient is not None
            and patient.pk != request.user.pk
            and not is_staff_role(patient)
            and not audit_record_read(request, patient, target=obj)
        ):
            raise Http404("Not found.")
        return super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        patient = self.patient_of(obj)
        if change and patient is not None:
            record(
                AuditAction.RECORD_CHANGED,
                request=request,
                subject=patient,
                target_type=obj._meta.model_name,
                target_id=obj.pk,
                details={"fields": sorted(form.changed_data)},
            )


admin.site.unregister(User)


@admin.register(User)
class AuditedUserAdmin(AuditedChangeViewMixin, UserAdmin):  # type: ignore[type-arg]
    list_display = ("email", "role", "is_active", "last_login", "date_joined")
    list_filter = ("groups", "is_active", "is_staff")
    search_fields = ("email",)
    ordering = ("email",)

    def patient_of(self, obj: Any) -> Any:
        return obj

    @admin.display(description="role")
    def role(self, obj: Any) -> str:
        return role_of(obj)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        before = set(form.instance.groups.values_list("name", flat=True)) & set(ROLES)
        super().save_related(request, form, formsets, change)
        after = set(form.instance.groups.values_list("name", flat=True)) & set(ROLES)
        if before != after:
            record(
                AuditAction.ROLE_CHANGED,
                request=request,
                subject=form.instance,
                details={"from": sorted(before), "to": sorted(after)},
            )


@admin.register(Profile)
class ProfileAdmin(AuditedChangeViewMixin, admin.ModelAdmin):  # type: ignore[type-arg]
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
    """Deleting a row unlocks the account."""

    list_display = ("key", "failures", "window_started_at", "locked_until")
    readonly_fields = ("key", "failures", "window_started_at", "locked_until")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


# Assessments are clinical records: opening an owned one in the admin goes through the
# same audited rule as every other staff read.
admin.site.unregister(Assessment)


@admin.register(Assessment)
class AuditedAssessmentAdmin(AuditedChangeViewMixin, AssessmentAdmin):
    list_display = ("id", "created_at", "disposition", "questionnaire_version", "owner_id")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return (*super().get_readonly_fields(request, obj), "owner")

    def patient_of(self, obj: Any) -> Any:
        return obj.owner
