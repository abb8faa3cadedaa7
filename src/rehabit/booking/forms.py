"""Forms of the booking pages. They parse and validate; the actions decide."""

from __future__ import annotations

import uuid
from datetime import datetime, time
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from django import forms
from django.utils.dates import WEEKDAYS as WEEKDAY_NAMES
from django.utils.translation import gettext_lazy as _

from rehabit.booking import messages as msg
from rehabit.booking.availability import parse_hours
from rehabit.booking.messages import BookingRefused
from rehabit.booking.models import (
    SPOKEN_LANGUAGES,
    SessionKind,
    Specialty,
    Therapist,
    TherapistLanguage,
)
from rehabit.core import inputs
from rehabit.core.inputs import DateInputField, TimeInputField
from rehabit.core.widgets import LongSelect
from rehabit.scheduling import RulesError, UnknownTimeZone, validate_zone
from rehabit.scheduling.rules import WEEKDAYS


@cache
def zone_choices() -> list[tuple[str, str]]:
    zones = sorted(z for z in available_timezones() if "/" in z or z == "UTC")
    return [(z, z.replace("_", " ")) for z in zones if not z.startswith(("Etc/", "SystemV/"))]


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


class ZoneField(forms.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Show times in this time zone"))
        kwargs.setdefault("widget", LongSelect)  # ~430 options: rendered once (issue 10)
        super().__init__(choices=zone_choices, **kwargs)

    def validate(self, value: Any) -> None:
        if value:
            clean_zone(value)
        super().validate(value)


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = spoken_language_choices()


class WeekForm(forms.Form):
    """The therapist page's controls: which session, which week, which zone."""

    session = forms.ChoiceField(
        label=_("Kind of session"), choices=SessionKind.choices, required=False
    )
    start = DateInputField(label=_("Week from"), required=False)
    tz = ZoneField(required=False)


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
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WaitlistForm(forms.Form):
    specialty = forms.ChoiceField(
        label=_("Any therapist for"), choices=[("", "—"), *Specialty.choices], required=False
    )
    therapist = forms.ModelChoiceField(
        label=_("Or this therapist"),
        queryset=Therapist.objects.filter(is_listed=True),
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


class WeeklyHoursForm(forms.Form):
    """One line per weekday: "09:00-12:00, 13:00-17:00"; empty means not working."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index in range(len(WEEKDAYS)):
            self.fields[f"day{index}"] = forms.CharField(
                label=WEEKDAY_NAMES[index],
                required=False,
                max_length=200,
                help_text=_("For example 09:00-12:00, 13:00-17:00. Empty: not working."),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        hours: dict[int, list[tuple[time, time]]] = {}
        for index, name in enumerate(WEEKDAYS):
            try:
                hours[index] = parse_hours(data.get(f"day{index}", ""), name)
            except RulesError as exc:
                self.add_error(f"day{index}", str(exc))
        data["hours"] = hours
        return data


SETTING_LIMITS = {
    "buffer_before_minutes": (0, 240),
    "buffer_after_minutes": (0, 240),
    "minimum_notice_minutes": (0, 60 * 24 * 30),
    "horizon_days": (1, 365),
    "daily_maximum": (1, 48),
    "slot_step_minutes": (5, 120),
}


class SettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    duration_first_assessment = forms.IntegerField(
        label=_("First assessment (minutes)"), min_value=5, max_value=240, required=False
    )
    duration_follow_up = forms.IntegerField(
        label=_("Follow-up session (minutes)"), min_value=5, max_value=240, required=False
    )
    time_zone = ZoneField(label=_("Your time zone (working hours are in it)"))

    class Meta:
        model = Therapist
        fields = [
            "time_zone",
            "buffer_before_minutes",
            "buffer_after_minutes",
            "minimum_notice_minutes",
            "horizon_days",
            "daily_maximum",
            "slot_step_minutes",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (low, high) in SETTING_LIMITS.items():
            self.fields[name].widget.attrs.update({"min": low, "max": high})
        if self.instance.pk:
            for session in self.instance.session_types.filter(is_offered=True):
                self.initial[f"duration_{session.kind}"] = session.duration_minutes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, (low, high) in SETTING_LIMITS.items():
            value = data.get(name)
            if value is not None and not low <= value <= high:
                self.add_error(
                    name, _("Give a number from %(low)d to %(high)d.") % {"low": low, "high": high}
                )
        if not data.get("duration_first_assessment") and not data.get("duration_follow_up"):
            raise forms.ValidationError(_("Offer at least one kind of session."))
        return data


class OverrideForm(forms.Form):
    day = DateInputField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.CharField(
        label=_("Hours that day"),
        required=False,
        max_length=200,
        help_text=_("For example 10:00-14:00. Empty: a day off."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day = data.get("day")
        try:
            data["spans"] = parse_hours(data.get("hours", ""), day.isoformat() if day else "")
        except RulesError as exc:
            self.add_error("hours", str(exc))
        return data


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
