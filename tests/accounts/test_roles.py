"""Roles are groups with explicit permissions."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from rehabit.accounts.roles import ADMIN, GROUP_PERMISSIONS, PATIENT, THERAPIST, role_of
from rehabit.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


def test_the_migration_creates_each_role_with_its_permissions() -> None:
    for name, permissions in GROUP_PERMISSIONS.items():
        group = Group.objects.get(name=name)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == set(permissions), name


def test_roles_of_users(patient: Any, therapist: Any, admin_user: Any) -> None:
    assert role_of(patient) == PATIENT
    assert role_of(therapist) == THERAPIST
    assert role_of(admin_user) == ADMIN and admin_user.is_staff
    assert therapist.has_perm("accounts.view_patient_record")
    assert not patient.has_perm("accounts.view_patient_record")
    assert admin_user.has_perm("audit.view_auditentry")


def test_set_role_command_changes_the_role_and_audits_it(patient: Any) -> None:
    call_command("set_role", patient.email, "therapist")
    assert role_of(get_user_model().objects.get(pk=patient.pk)) == THERAPIST
    entry = AuditEntry.objects.filter(
        action=AuditAction.ROLE_CHANGED, subject_id=patient.pk
    ).first()
    assert entry is not None and entry.details["to"] == "therapist"
