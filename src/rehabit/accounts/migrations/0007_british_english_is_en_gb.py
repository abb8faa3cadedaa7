"""The source language, British English, is named "en-gb" (it was "en"): a profile whose
preferred language was "en" now prefers "en-gb". Plain "en" is no longer offered, because
Python's gettext reads it as American English ("en_US") once that has a catalogue.
Backwards, "en-gb" goes back to "en" ("en-us" has no older name and stays)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    Profile = apps.get_model("accounts", "Profile")
    Profile.objects.filter(language="en").update(language="en-gb")


def backwards(apps: Any, schema_editor: Any) -> None:
    Profile = apps.get_model("accounts", "Profile")
    Profile.objects.filter(language="en-gb").update(language="en")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_phone_numbers_in_international_form")]

    operations = [migrations.RunPython(forwards, backwards)]
