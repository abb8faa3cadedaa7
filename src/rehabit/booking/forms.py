"""Forms of the booking pages. They parse and validate; the actions decide."""

from __future__ import annotations

import uuid
from datetime import datetime, time
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rehabit.booking import day_parts
from rehabit.booking import messages as msg
from rehabit.booking.messages import BookingRefused
from rehabit.booking.models import (
    CANCEL_REASON_MAX,
    SPOKEN_LANGUAGES,
    SessionKind,
    Specialty,
    Therapist,
    TherapistLanguage,
)
from rehabit.core import inputs
from rehabit.core.inputs import DateInputField, TimeInputField
from rehabit.core.widgets import LongSelect
from rehabit.mail.words import their_words, up_to
from rehabit.scheduling import UnknownTimeZone, validate_zone


def clean_zone(value: str) -> str:
    try:
        validate_zone(value)
    except UnknownTimeZone as exc:
        raise forms.ValidationError(msg.unknown_zone(value, exc.suggestion)) from None
    return value


def spoken_language_choices() -> list[tuple[str, str]]:
    """Only languages some listed therapist speaks, so every choice finds someone."""
    spoken = set(
        TherapistLanguage.objects.filter(therapist__is_listed=True).values_list(
            "language", flat=True
        )
    )
    return [("", _("Any language"))] + [(c, n) for c, n in SPOKEN_LANGUAGES if c in spoken]


class ZoneField(inputs.ZoneChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Show times in this time zone"))
        # ~420 options: rendered once (issue 10), and again when the offsets the labels
        # name change (daylight saving time).
        kwargs.setdefault("widget", LongSelect(key=self.labels_key))
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        if value:
            clean_zone(value)
        super().validate(value)


class DayPartField(forms.ChoiceField):
    """The time-of-day filter (``rehabit.booking.day_parts``): cleaned to a ``DayPart``,
    or None when left out (then the page's own default: ``day_parts.chosen``)."""

    default_error_messages = {
        "invalid_choice": _(
            "“%(value)s” is not a time of day you can choose: choose daytime, morning, "
            "afternoon, evening, night or any time."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Time of day"))
        kwargs.setdefault("choices", day_parts.choices)  # a callable: the reader's language
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", day_parts.DayPart.ANY.value)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> day_parts.DayPart | None:
        cleaned = super().clean(value)
        return day_parts.DayPart(cleaned) if cleaned else None


class SearchForm(forms.Form):
    specialty = forms.ChoiceField(
        label=_("What do you need help with?"),
        choices=[("", _("Any specialty")), *Specialty.choices],
        required=False,
    )
    language = forms.ChoiceField(label=_("Language of the session"), choices=(), required=False)
    session = forms.ChoiceField(
        label=_("Kind of session"),
        choices=SessionKind.choices,
        required=False,
        initial=SessionKind.FIRST_ASSESSMENT,
    )
    tz = ZoneField(required=False)
    time_of_day = DayPartField(initial=day_parts.PAGE_DEFAULT.value)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = spoken_language_choices()


class WeekForm(forms.Form):
    """The therapist page's controls: which session, which week, which zone, which part
    of the day."""

    session = forms.ChoiceField(
        label=_("Kind of session"), choices=SessionKind.choices, required=False
    )
    start = DateInputField(label=_("Week from"), required=False)
    tz = ZoneField(required=False)
    time_of_day = DayPartField(initial=day_parts.PAGE_DEFAULT.value)


class DayPartForm(forms.Form):
    """The move page's one control: which part of the day to list times in."""

    time_of_day = DayPartField()


def parse_start(value: str) -> datetime:
    """An ISO 8601 instant with its offset, in range (``rehabit.core.inputs``); otherwise
    ``BookingRefused`` saying what to send instead."""
    try:
        return inputs.parse_instant(value)
    except inputs.InputRefused as refused:
        if refused.code == inputs.OUT_OF_RANGE:
            raise BookingRefused(msg.OUT_OF_RANGE, refused.message) from None
        raise BookingRefused(msg.NAIVE_TIME, msg.naive_time()) from None


class BookForm(forms.Form):
    share_record = forms.BooleanField(
        label=_("Share my assessments and progress with my therapist"),
        help_text=_(
            "Your therapist then sees your latest self-assessment (warning signs, what it "
            "points to and why) before the session. You can withdraw this at any time in "
            "your account."
        ),
        required=False,
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional, shown to the other person)"),
        help_text=up_to(CANCEL_REASON_MAX),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),  # no maxlength: it cuts a paste silently
    )

    def __init__(self, *args: Any, reader: str = "", **kwargs: Any) -> None:
        """``reader``: who reads the reason in their e-mail, named in the label."""
        super().__init__(*args, **kwargs)
        if reader:
            self.fields["reason"].label = _("Reason (optional, shown to %(name)s)") % {
                "name": reader
            }

    def clean_reason(self) -> str:
        """What the other person will read (``rehabit.mail.words.their_words``)."""
        reason, problem = their_words(
            self.cleaned_data.get("reason"),
            limit=CANCEL_REASON_MAX,
            required=False,
            what=_("reason"),
        )
        if problem:
            raise forms.ValidationError(problem)
        return reason


class WaitlistForm(forms.Form):
    specialty = forms.ChoiceField(
        label=_("Any therapist for"), choices=[("", "—"), *Specialty.choices], required=False
    )
    therapist = forms.ModelChoiceField(
        label=_("Or this therapist"),
        queryset=Therapist.objects.filter(is_listed=True),
        empty_label="—",  # as the specialty above (Django's "---------" reads as dashes)
        required=False,
    )
    session = forms.ChoiceField(label=_("Kind of session"), choices=SessionKind.choices)
    wanted_before = DateInputField(
        label=_("Tell me about times before"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("specialty") and not data.get("therapist"):
            raise forms.ValidationError(_("Choose a therapist or a specialty."))
        return data


# --- Availability (therapists and admins) ----------------------------------------------


class TimeOffForm(forms.Form):
    start_day = DateInputField(
        label=_("From (date)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = TimeInputField(
        label=_("From (time)"), initial=time(0, 0), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_day = DateInputField(
        label=_("Until (date)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_time = TimeInputField(
        label=_("Until (time)"), initial=time(0, 0), widget=forms.TimeInput(attrs={"type": "time"})
    )
    reason = forms.CharField(label=_("Note (only you see it)"), required=False, max_length=120)
