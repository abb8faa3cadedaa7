"""``their_words``: the one check of free text one person writes for another, used by the
clinic (messages, notes, reasons), care (why an exercise is out of use) and booking (why a
therapist's sessions are cancelled)."""

from __future__ import annotations

from typing import Any

import pytest

from rehabit.mail.words import their_words


def check(raw: Any, **kwargs: Any) -> tuple[str, str]:
    options: dict[str, Any] = {"limit": 20, "required": True, "what": "note"}
    options.update(kwargs)
    return their_words(raw, **options)


def test_words_come_back_cleaned() -> None:
    assert check("  Rest \u202eit\u202c  \n\n\n  then walk ") == ("Rest it\n\nthen walk", "")


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (None, "Write the note."),
        ("", "Write the note."),
        (" \n\t ", "Write the note."),
        # Letters that draw nothing and invisible format characters count as nothing.
        ("\u200b\u2800\u3164\u202e", "Write the note."),
        (3, "The note must be text."),
        (["a"], "The note must be text."),
        (
            "ok\x00",
            "“note” contains a character that cannot be stored (U+0000, a null character) "
            "at position 3. Remove it and send again.",
        ),
        (
            "a\x1bb",
            "“note” contains a character that cannot be stored (U+001B, a control character) "
            "at position 2. Remove it and send again.",
        ),
        ("x" * 21, "Keep the note to 20 characters or fewer (it has 21)."),
    ],
)
def test_bad_words_are_refused_with_a_sentence_naming_the_field(raw: Any, problem: str) -> None:
    assert check(raw) == ("", problem)


def test_the_limit_counts_what_is_kept() -> None:
    # Invisible characters are removed before counting: 20 letters plus 20 zero-width spaces
    # are 20 characters a reader sees.
    assert check("x\u200b" * 20) == ("x" * 20, "")


def test_optional_words_may_be_empty_but_not_bad() -> None:
    assert check(None, required=False) == ("", "")
    assert check("\u200b", required=False) == ("", "")
    assert check("a\x07", required=False)[1].startswith("“note” contains a character")


def test_a_field_can_say_who_will_read_it_when_empty() -> None:
    missing = "Write the reason each patient will read."
    assert check("\u2066 \u2069", missing=missing) == ("", missing)
    assert check("x" * 21, missing=missing)[1].startswith("Keep the note to 20")


def test_a_fields_hint_names_its_own_limit_in_the_language_it_is_shown_in() -> None:
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    from rehabit.booking.forms import CancelForm
    from rehabit.booking.models import CANCEL_REASON_MAX
    from rehabit.mail.words import up_to

    assert str(CancelForm().fields["reason"].help_text) == (
        f"Up to {CANCEL_REASON_MAX} characters."
    )
    hint = up_to(12, gettext_lazy("For example: “Back soon.”"))
    assert str(hint) == "For example: “Back soon.” Up to 12 characters."
    with translation.override("de"):  # made when shown: Django's own German for "Cancel"
        assert str(up_to(5, gettext_lazy("Cancel"))).startswith("Abbrechen ")
