"""Migration 0006: phone numbers saved without their country code are written in E.164
only where they read unambiguously as a valid number of the saved zone's country; every
other value stays as it was (the profile page asks for the whole number when it is next
saved)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.accounts.test_migrations import Migrator, migrator  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("accounts", "0005_therapist_invitation")
AFTER = ("accounts", "0006_phone_numbers_in_international_form")

# (saved zone, saved phone) -> the phone after the migration.
CASES = [
    ("America/New_York", "2015550123", "+12015550123"),  # as the old form stored it
    ("America/New_York", "(201) 555-0123", "+12015550123"),  # typed in the admin site
    ("Europe/Paris", "0612345678", "+33612345678"),
    ("Asia/Calcutta", "9876543210", "+919876543210"),  # the zone under its other name
    ("America/New_York", "5550142", "5550142"),  # not a whole US number: left
    ("Europe/Paris", "2015550123", "2015550123"),  # not a French number: left
    ("UTC", "2015550123", "2015550123"),  # no country: left
    ("", "0612345678", "0612345678"),  # no zone yet: left
    ("Antarctica/Troll", "12345678", "12345678"),  # no numbering plan: left
    ("America/New_York", "+12015550123", "+12015550123"),  # already whole
    ("America/New_York", "+1 555 0142", "+1 555 0142"),  # a +, even a wrong one: not touched
    ("America/New_York", "201-555-0123 x4", "201-555-0123 x4"),  # letters: left
    ("America/New_York", "", ""),
]


def test_numbers_without_their_country_code_are_completed_only_where_unambiguous(
    migrator: Migrator,  # noqa: F811
) -> None:
    apps = migrator.to(BEFORE)
    User = apps.get_model("auth", "User")
    Profile = apps.get_model("accounts", "Profile")
    ids: dict[int, str] = {}
    for i, (zone, phone, after) in enumerate(CASES):
        user = User.objects.create(username=f"p{i}", email=f"p{i}@example.org", password="!")
        profile = Profile.objects.create(user=user, time_zone=zone, phone=phone)
        ids[profile.pk] = after
    updated = {p.pk: p.updated_at for p in Profile.objects.all()}

    apps = migrator.to(AFTER)
    Profile = apps.get_model("accounts", "Profile")
    found = {p.pk: p.phone for p in Profile.objects.all()}
    assert found == ids
    # The person's own "last changed" is theirs: the format is not a change they made.
    assert {p.pk: p.updated_at for p in Profile.objects.all()} == updated

    # Back again: nothing to undo (the numbers are the same numbers).
    apps = migrator.to(BEFORE)
    assert {p.pk: p.phone for p in apps.get_model("accounts", "Profile").objects.all()} == ids


def test_the_migration_reads_as_the_profile_form_does() -> None:
    """Where the migration completes a number, the profile form would have stored the same
    (the migration carries its own copy of the rule, so later changes do not alter it)."""
    from importlib import import_module

    from rehabit.accounts.phones import international_number

    migration: Any = import_module(
        "rehabit.accounts.migrations.0006_phone_numbers_in_international_form"
    )
    for zone, phone, after in CASES:
        if phone and not phone.startswith("+") and after != phone:
            assert migration.international_form(phone, zone) == after
            assert international_number(phone, zone) == after
