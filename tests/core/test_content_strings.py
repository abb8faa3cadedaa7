"""Every user-facing string in the reviewed data files is in the translation catalogue."""

from django.core.management import call_command


def test_content_strings_are_up_to_date() -> None:
    call_command("extract_content_strings", check=True)
