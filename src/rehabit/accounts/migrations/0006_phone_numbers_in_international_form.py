"""Phone numbers saved without their country code (the profile form took "5550142" or
"2015550123" until it read numbers with phonenumbers) are written in E.164 where the number
is a valid one of the country of the profile's saved zone, and only there: a number that is
not valid in that country, a profile with no zone or one in UTC, and anything with letters
are left as they were (the profile page asks for the whole number the next time it is
saved). Numbers starting with + are not touched. Self-contained, so that later changes to
``rehabit.accounts.phones`` do not change what this migration did."""

from __future__ import annotations

from typing import Any

import phonenumbers
from django.db import migrations

_ALLOWED = frozenset("0123456789 -().,/")


def _region(zone: str) -> str | None:
    from rehabit.core.timefmt import canonical_zone, zone_countries

    if not zone:
        return None
    countries = zone_countries()
    country = countries.get(zone) or countries.get(canonical_zone(zone))
    return country if country in phonenumbers.SUPPORTED_REGIONS else None


def international_form(stored: str, zone: str) -> str | None:
    """``stored`` in E.164 when it reads unambiguously as a number of ``zone``'s country;
    None to leave it as it is."""
    text = stored.strip()
    if not text or text.startswith("+") or any(ch not in _ALLOWED for ch in text):
        return None
    region = _region(zone)
    if region is None:
        return None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def forwards(apps: Any, schema_editor: Any) -> None:
    Profile = apps.get_model("accounts", "Profile")
    rows = Profile.objects.exclude(phone="").exclude(phone__startswith="+")
    for profile in rows.only("pk", "phone", "time_zone").iterator():
        found = international_form(profile.phone, profile.time_zone)
        if found is not None and found != profile.phone:
            Profile.objects.filter(pk=profile.pk).update(phone=found)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_therapist_invitation")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
