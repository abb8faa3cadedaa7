"""Migration booking.0005 on a database made before it: the admin group the earlier
migrations created gets the permissions to manage therapist records in the admin site
(not their hours, not deleting them), and an administrator of that database (not a
superuser) can list and unlist a therapist (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from rehabit.accounts.roles import ADMIN, GROUP_PERMISSIONS
from tests.accounts.helpers import TOTP_SECRET, login, make_user
from tests.accounts.test_migrations import Migrator, migrator  # noqa: F401  (fixture)
from tests.booking.support import make_therapist

MANAGED = ("booking.change_therapist", "booking.add_sessiontype", "booking.view_appointment")
NOT_GRANTED = (
    "booking.delete_therapist",
    "booking.change_workinghours",
    "booking.change_appointment",
    "booking.delete_appointment",
)


@pytest.mark.django_db(transaction=True)
def test_the_existing_admin_group_gets_the_permissions(migrator: Migrator) -> None:  # noqa: F811
    old = migrator.to(("booking", "0004_weekday_names"))
    group, _ = old.get_model("auth", "Group").objects.get_or_create(name="admin")
    group.permissions.clear()  # as before booking.0005: none of booking's
    user = old.get_model("auth", "User").objects.create(username="u-old-admin", email="a@x.org")
    group.user_set.add(user)

    migrator.latest()
    admin = get_user_model().objects.get(username="u-old-admin")
    assert all(admin.has_perm(p) for p in MANAGED)
    assert not any(admin.has_perm(p) for p in NOT_GRANTED)
    for role in ("patient", "therapist"):
        for found in Group.objects.filter(name=role):
            labels = found.permissions.values_list("content_type__app_label", flat=True)
            assert "booking" not in labels


@pytest.mark.django_db(transaction=True)
def test_going_back_takes_them_away(migrator: Migrator) -> None:  # noqa: F811
    old = migrator.to(("booking", "0004_weekday_names"))
    old.get_model("auth", "Group").objects.get_or_create(name="admin")
    migrator.latest()
    assert (
        Group.objects.get(name="admin")
        .permissions.filter(content_type__app_label="booking")
        .exists()
    )
    old = migrator.to(("booking", "0004_weekday_names"))
    group = old.get_model("auth", "Group").objects.get(name="admin")
    assert not group.permissions.filter(content_type__app_label="booking").exists()


@pytest.mark.django_db
def test_an_administrator_edits_a_therapist_record_but_not_its_hours(settings: Any) -> None:
    assert set(MANAGED) <= set(GROUP_PERMISSIONS[ADMIN])
    therapist = make_therapist("Tess Listed")
    admin = make_user("ad@example.org", role="admin", name="Ad Min", totp_secret=TOTP_SECRET)
    assert not admin.is_superuser
    client = login(Client(), admin, mfa=True)
    base = f"/{settings.REHABIT_ADMIN_PATH}booking/therapist/"
    page = client.get(f"{base}{therapist.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="is_listed"' in html and 'name="specialties-TOTAL_FORMS"' in html
    assert "working_hours-TOTAL_FORMS" not in html  # hours: the availability page
    assert client.get(f"{base}{therapist.pk}/delete/").status_code == 403
