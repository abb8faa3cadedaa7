"""Migration care.0005 on a database made before it: the admin group the earlier
migrations created gets the permission to manage exercises, and an administrator of that
database reaches the page at once (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tests.accounts.test_migrations import Migrator, migrator  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_existing_admin_group_gets_the_permission(migrator: Migrator) -> None:  # noqa: F811
    old = migrator.to(("care", "0004_clearance"))
    Permission = old.get_model("auth", "Permission")
    assert not Permission.objects.filter(codename="manage_exercises").exists()
    # As accounts.0002_roles made it (an earlier test's flush may have emptied the table).
    group, _ = old.get_model("auth", "Group").objects.get_or_create(name="admin")
    user = old.get_model("auth", "User").objects.create(username="u-old-admin", email="a@x.org")
    group.user_set.add(user)

    migrator.latest()
    admin = get_user_model().objects.get(username="u-old-admin")
    assert admin.has_perm("care.manage_exercises")
    names = set(Group.objects.get(name="admin").permissions.values_list("codename", flat=True))
    assert "manage_exercises" in names
    for role in ("patient", "therapist"):
        for found in Group.objects.filter(name=role):
            codes = found.permissions.values_list("codename", flat=True)
            assert "manage_exercises" not in codes


def test_going_back_removes_the_permission_and_the_table(migrator: Migrator) -> None:  # noqa: F811
    old = migrator.to(("care", "0004_clearance"))
    assert (
        not old.get_model("auth", "Permission").objects.filter(codename="manage_exercises").exists()
    )
    with pytest.raises(LookupError):
        old.get_model("care", "ExerciseWithdrawal")
