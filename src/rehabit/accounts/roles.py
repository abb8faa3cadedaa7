"""Roles are groups with explicit permissions (created by migration 0002_roles).

- ``patient``: every person who signs up; sees only their own records.
- ``therapist``: sees a patient's record only with a current appointment relation and the
  patient's consent to sharing (see ``access.can_view_patient_record``).
- ``admin``: manages accounts and content; reads clinical records only through the same
  audited selector as therapists.

Therapists and admins are *staff*: they must use two-factor authentication.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

PATIENT = "patient"
THERAPIST = "therapist"
ADMIN = "admin"
ROLES = (PATIENT, THERAPIST, ADMIN)
# What a role is called on a page (the codes above are stored, e.g. in the audit log).
ROLE_NAMES = {PATIENT: _("Patient"), THERAPIST: _("Therapist"), ADMIN: _("Administrator")}


# Sent after ``assign_role`` gave ``user`` its ``role`` (``before``: the one it had), for
# the apps to end what the old role held (booking unlists a therapist who is one no more).
role_changed = Signal()


def role_name(role: str) -> str:
    """A stored role code in the reader's language ("—" for one that is no person's)."""
    name = ROLE_NAMES.get(role)
    return str(name) if name is not None else "—"


# Explicit permissions of each group, as "app_label.codename".
GROUP_PERMISSIONS: dict[str, tuple[str, ...]] = {
    PATIENT: ("accounts.view_own_record",),
    THERAPIST: ("accounts.view_patient_record",),
    ADMIN: (
        "accounts.view_patient_record_as_admin",
        "accounts.manage_accounts",
        "accounts.view_profile",
        "accounts.view_consentevent",
        "auth.view_user",
        "auth.change_user",
        "auth.view_group",
        "account.view_emailaddress",
        "account.change_emailaddress",
        "mfa.view_authenticator",
        "mfa.delete_authenticator",
        "assessments.view_assessment",
        "audit.view_auditentry",
        "mail.view_outgoingmessage",
        "care.manage_exercises",
        # booking.0005: therapist records in the admin site (not their hours, which change
        # through the availability page; never deleting a therapist).
        "booking.view_therapist",
        "booking.add_therapist",
        "booking.change_therapist",
        "booking.view_therapistspecialty",
        "booking.add_therapistspecialty",
        "booking.change_therapistspecialty",
        "booking.delete_therapistspecialty",
        "booking.view_therapistlanguage",
        "booking.add_therapistlanguage",
        "booking.change_therapistlanguage",
        "booking.delete_therapistlanguage",
        "booking.view_sessiontype",
        "booking.add_sessiontype",
        "booking.change_sessiontype",
        "booking.delete_sessiontype",
        "booking.view_appointment",
        "booking.view_waitlistentry",
    ),
}


def role_group(role: str) -> Group:
    """The group of a role, created with its permissions if missing.

    Migration 0002_roles creates the groups; this keeps them after a database flush
    (transactional tests) or in a database restored without them.
    """
    from django.contrib.auth.models import Permission

    group, created = Group.objects.get_or_create(name=role)
    if created:
        for dotted in GROUP_PERMISSIONS[role]:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)
    return group


def _group_names(user: Any) -> set[str]:
    cached = getattr(user, "_rehabit_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True)) if user.pk else set()
        user._rehabit_groups = cached
    return cached


def role_of(user: Any) -> str:
    """The most privileged role of a signed-in user."""
    if not getattr(user, "is_authenticated", False):
        return "anonymous"
    names = _group_names(user)
    if user.is_superuser or ADMIN in names:
        return ADMIN
    if THERAPIST in names:
        return THERAPIST
    if user.is_staff:
        return ADMIN
    return PATIENT


def is_staff_role(user: Any) -> bool:
    """Therapists and admins (and any Django staff or superuser)."""
    return role_of(user) in {THERAPIST, ADMIN}


@transaction.atomic
def assign_role(user: Any, role: str, *, request: Any = None, actor: Any = None) -> None:
    """Make ``user`` a member of exactly one role group (and audit the change).

    Admins get ``is_staff`` so they can use the admin site; the admin site itself still
    demands two-factor authentication.
    """
    from rehabit.audit.models import AuditAction
    from rehabit.audit.services import record

    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}; expected one of {', '.join(ROLES)}.")
    before = role_of(user)
    group = role_group(role)
    user.groups.remove(*Group.objects.filter(name__in=ROLES))
    user.groups.add(group)
    wants_staff = role == ADMIN
    if user.is_staff != wants_staff and not user.is_superuser:
        user.is_staff = wants_staff
        user.save(update_fields=["is_staff"])
    if hasattr(user, "_perm_cache"):
        del user._perm_cache
    if hasattr(user, "_group_perm_cache"):
        del user._group_perm_cache
    user._rehabit_groups = {role}
    record(
        AuditAction.ROLE_CHANGED,
        request=request,
        actor=actor,
        subject=user,
        details={"from": before, "to": role},
    )
    if before != role:
        role_changed.send(sender=assign_role, user=user, role=role, before=before)
