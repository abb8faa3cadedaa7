"""A person's phone number: read as they type it, stored in full international form.

One rule for every place a number is entered (the profile form of patients and staff, the
admin site): ``international_number`` reads what was typed with ``phonenumbers``, in the
country of the person's time zone when the number has no "+", and gives it back in E.164
(+12015550123), or refuses it with a sentence that says what to type, with an example of
that country's numbers when the zone names one. A number stored without its country code
could not be dialled by a therapist in another country, nor told apart from one.

The country of a zone is tzdata's (``core.emergency.country_of``, through ``zone.tab``).
``zone_examples`` gives the example of every zone the profile's list offers, for the
profile page's script (``static/accounts/phone_hint.js``), which makes the hint follow the
zone picker: on a first visit the page is built at UTC and the browser's own zone is chosen
only in the browser.
"""

from __future__ import annotations

from functools import cache

import phonenumbers
from django import forms
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from rehabit.core.emergency import country_of
from rehabit.core.timefmt import offered_zones

# Besides digits: what people put between them. Anything else (letters, a NUL byte) is
# refused: phonenumbers would read "1-800-FLOWERS" as digits, or skip a NUL.
_SEPARATORS = frozenset(" \t\u00a0\u202f-\u2010\u2011\u2012\u2013\u2014\u2212().,/+\uff0b")
_PLUSES = ("+", "\uff0b")  # a full-width plus from an East Asian keyboard, too
# The placeholder the page script puts the example in (``hint_sentences``).
EXAMPLE_SLOT = "{example}"
# Punctuation that stays on the line of the example before it (``phone_hint``).
_STICKS = frozenset(".,;:!?)。，")


def region_of(zone: str | None) -> str | None:
    """The region code phonenumbers knows for the country of ``zone`` (FR for
    Europe/Paris); None for UTC, for a zone no country keeps, or a country phonenumbers
    has no numbering plan for (Antarctica)."""
    country = country_of(zone)
    return country if country in phonenumbers.SUPPORTED_REGIONS else None


def _example_of(region: str | None) -> str | None:
    example = phonenumbers.example_number(region) if region else None
    if example is None:
        return None
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_example(zone: str | None) -> str | None:
    """An example phone number of the country whose clock ``zone`` is, written with its
    country code (+1 201-555-0123 for America/Chicago); None where the zone names no
    country (UTC) or the country has no example."""
    return _example_of(region_of(zone))


@cache
def zone_examples() -> dict[str, str]:
    """Each zone the profile's list offers -> its country's example, for the zones whose
    country has one (UTC has none): what the page script shows as the zone changes."""
    return {
        zone: example
        for zone in sorted(offered_zones())
        if (example := phone_example(zone)) is not None
    }


def _hint_text(example: str | None) -> str:
    if example is None:
        return str(_("Starting with + and your country code."))
    return str(_("For example %(example)s.") % {"example": example})


def phone_hint(example: str | None) -> SafeString:
    """The phone field's hint: the example of the person's country, or, with no country
    known, to start with + and the country code.

    The example is kept whole (a phone walk at 360 px with the text at 200 %: "+1 201-"
    on one line, "555-0123" on the next): in a ``phone-example`` span, each of its
    space-separated groups in a span of its own, and the punctuation right after it (the
    full stop) inside too. The stylesheet makes the span one box that moves to the next line
    whole, and wraps it, at a space between groups, only where it is wider than the line;
    the full stop stays with the number. The page script (phone_hint.js) writes the same."""
    if example is None:
        return escape(_hint_text(None))
    # Escaped once here; the slot, with no character to escape, is found in the result.
    before, _slot, after = str(escape(_hint_text(EXAMPLE_SLOT))).partition(EXAMPLE_SLOT)
    stuck = len(after) - len(after.lstrip("".join(_STICKS)))
    groups = format_html_join(" ", "<span>{}</span>", ((group,) for group in example.split()))
    return format_html(
        '{}<span class="phone-example">{}{}</span>{}',
        mark_safe(before),  # noqa: S308 - escaped above
        groups,
        mark_safe(after[:stuck]),  # noqa: S308 - escaped above
        mark_safe(after[stuck:]),  # noqa: S308 - escaped above
    )


def hint_script_data() -> dict[str, object]:
    """What the profile page's script needs to make the hint follow the zone picker: the
    two hints in the page's language, as text (``none``; ``example``, with ``slot`` where
    the example goes, which the script puts in a ``phone-example`` span as the server does)
    and each offered zone's example (``zones``)."""
    return {
        "none": _hint_text(None),
        "example": _hint_text(EXAMPLE_SLOT),
        "slot": EXAMPLE_SLOT,
        "zones": zone_examples(),
    }


def _refusal(message: str, code: str) -> forms.ValidationError:
    return forms.ValidationError(message, code=code)


def international_number(typed: str, zone: str | None) -> str:
    """The number ``typed`` in E.164 ("+12015550123"), read in the country of ``zone``
    when it does not start with +; "" for nothing typed. Raises ``ValidationError`` when
    it has anything but digits and separators, when it has no + and the zone names no
    country, or when it is not a valid number (too short, too long, no such area)."""
    text = typed.strip()
    if not text:
        return ""
    region = region_of(zone)
    example = _example_of(region)
    if any(not (ch.isdecimal() or ch in _SEPARATORS) for ch in text):
        if example is None:
            raise _refusal(
                _(
                    "A phone number has only digits, spaces and the signs + ( ) - in it. "
                    "Type the whole number starting with + and your country code."
                ),
                "characters",
            )
        raise _refusal(
            _(
                "A phone number has only digits, spaces and the signs + ( ) - in it. Type "
                "the whole number, for example %(example)s."
            )
            % {"example": example},
            "characters",
        )
    # "+33 6…" or "(+33) 6…": the + before the first digit says the country code follows.
    international = text.lstrip(" (\t\u00a0").startswith(_PLUSES)
    if not international and region is None:
        raise _refusal(
            _(
                "Start the number with + and your country code: with the time zone chosen, "
                "we can't tell which country the number is in."
            ),
            "no_country",
        )
    try:
        number = phonenumbers.parse(text, None if international else region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise _invalid(international, example)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _invalid(international: bool, example: str | None) -> forms.ValidationError:
    if international and example is None:
        message = _(
            "That is not a whole phone number. Check the country code after the + and the "
            "digits that follow it."
        )
    elif international:
        message = _(
            "That is not a whole phone number. Check the country code after the + and the "
            "digits that follow it, for example %(example)s."
        ) % {"example": example}
    elif example is None:
        message = _(
            "That is not a whole phone number in the country of the time zone chosen. Type "
            "the number with its area code, or start with + and the country code."
        )
    else:
        message = _(
            "That is not a whole phone number in the country of the time zone chosen. Type "
            "the number with its area code, for example %(example)s, or start with + and "
            "the country code for a number from another country."
        ) % {"example": example}
    return _refusal(message, "invalid")


def readable(stored: str) -> str:
    """A stored number as people read it, with its country code (+12015550123 ->
    "+1 201-555-0123"); one stored before numbers were read this way, as it was typed."""
    text = (stored or "").strip()
    if not text.startswith("+"):
        return text
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        return text
    if not phonenumbers.is_valid_number(number):
        return text
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
