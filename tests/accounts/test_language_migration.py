"""Migration 0007: British English, the source language, is named "en-gb" (it was "en"), so
a profile that preferred "en" prefers "en-gb" and keeps reading British English (plain "en"
would now read the American catalogue); every other value stays, and it goes back."""

from __future__ import annotations

import pytest

from tests.accounts.test_migrations import Migrator, migrator  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("accounts", "0006_phone_numbers_in_international_form")
AFTER = ("accounts", "0007_british_english_is_en_gb")

# saved language -> the language after the migration
CASES = [("en", "en-gb"), ("", ""), ("en-us", "en-us"), ("fr", "fr"), ("en-gb", "en-gb")]


def test_a_profile_that_preferred_en_keeps_british_english(
    migrator: Migrator,  # noqa: F811
) -> None:
    apps = migrator.to(BEFORE)
    User = apps.get_model("auth", "User")
    Profile = apps.get_model("accounts", "Profile")
    expected: dict[int, str] = {}
    for i, (before, after) in enumerate(CASES):
        user = User.objects.create(username=f"l{i}", email=f"l{i}@example.org", password="!")
        expected[Profile.objects.create(user=user, language=before).pk] = after
    updated = {p.pk: p.updated_at for p in Profile.objects.all()}

    apps = migrator.to(AFTER)
    Profile = apps.get_model("accounts", "Profile")
    assert {p.pk: p.language for p in Profile.objects.all()} == expected
    # Renaming the language is not a change the person made.
    assert {p.pk: p.updated_at for p in Profile.objects.all()} == updated

    # Back again: "en-gb" was "en" (an "en-gb" saved before reads "en" too: one language).
    apps = migrator.to(BEFORE)
    back = {p.pk: p.language for p in apps.get_model("accounts", "Profile").objects.all()}
    assert back == {pk: ("en" if lang == "en-gb" else lang) for pk, lang in expected.items()}
