"""Changing a profile (the person's own, or by staff through the admin)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from rehabit.accounts.forms import ProfileForm
from rehabit.accounts.preferences import apply_language
from rehabit.audit.models import AuditAction
from rehabit.audit.services import record


@transaction.atomic
def update_profile(request: HttpRequest, form: ProfileForm) -> Any:
    """Save a valid profile form of the signed-in person; records which fields changed."""
    profile = form.save(commit=False)
    profile.updated_at = timezone.now()
    profile.save()
    if form.changed_data:
        record(
            AuditAction.PROFILE_UPDATED,
            request=request,
            subject=profile.user,
            target_type="profile",
            target_id=profile.pk,
            details={"fields": sorted(form.changed_data)},
        )
    profile.user._rehabit_profile = profile
    apply_language(request, profile.user)
    return profile
