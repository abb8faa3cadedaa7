"""Forms of the therapist's workspace: the profile, the booking rules, a date's hours,
time off and pasted hours. The grid of time ranges is read by ``week_grid``."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rehabit.booking.forms import TimeOffForm, ZoneField
from rehabit.booking.models import SPOKEN_LANGUAGES, SessionKind, Specialty
from rehabit.booking.therapist_profile import TherapistDetails
from rehabit.booking.timefmt import format_when
from rehabit.core.inputs import DateInputField, TextBoxField
from rehabit.scheduling import validate_zone

MAX_NOTICE_HOURS = 720


class TherapistProfileForm(forms.Form):
    name = forms.CharField(
        label=_("Your name as patients see it"),
        max_length=120,
        error_messages={"required": _("Enter your name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    title = forms.CharField(
        label=_("Professional title (optional)"),
        max_length=120,
        required=False,
        help_text=_("For example: Physiotherapist, MSc Sports Physiotherapy."),
    )
    bio = TextBoxField(
        label=_("About you (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few sentences patients read before booking."),
    )
    specialties = forms.MultipleChoiceField(
        label=_("What you help with"),
        choices=Specialty.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one thing you help with.")},
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you hold sessions in"),
        choices=SPOKEN_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language.")},
    )
    time_zone = ZoneField(
        label=_("Your time zone"),
        help_text=_(
            "Your working hours are times on this clock; patients see them in their own "
            "zones. Changing it later keeps the hours as written, on the new clock."
        ),
    )
    duration_first_assessment = forms.IntegerField(
        label=_("First assessment, length in minutes"),
        min_value=5,
        max_value=240,
        required=False,
        help_text=_("Empty: you do not offer first assessments."),
    )
    duration_follow_up = forms.IntegerField(
        label=_("Follow-up session, length in minutes"),
        min_value=5,
        max_value=240,
        required=False,
        help_text=_("Empty: you do not offer follow-up sessions."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            "duration_first_assessment" not in self.errors
            and "duration_follow_up" not in self.errors
            and not data.get("duration_first_assessment")
            and not data.get("duration_follow_up")
        ):
            self.add_error(
                "duration_first_assessment",
                _("Offer at least one kind of session: give its length in minutes."),
            )
        return data

    def details(self) -> TherapistDetails:
        data = self.cleaned_data
        return TherapistDetails(
            name=data["name"].strip(),
            title=data["title"].strip(),
            bio=data["bio"].strip(),
            time_zone=data["time_zone"],
            specialties=tuple(data["specialties"]),
            languages=tuple(data["languages"]),
            sessions={
                kind: data[f"duration_{kind}"]
                for kind in SessionKind.values
                if data.get(f"duration_{kind}")
            },
        )

    @staticmethod
    def initial_from(details: TherapistDetails) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "name": details.name,
            "title": details.title,
            "bio": details.bio,
            "time_zone": details.time_zone,
            "specialties": list(details.specialties),
            "languages": list(details.languages),
        }
        for kind in SessionKind.values:
            initial[f"duration_{kind}"] = details.sessions.get(kind)
        return initial


RULE_LIMITS = {
    "buffer_before_minutes": (0, 240),
    "buffer_after_minutes": (0, 240),
    "horizon_days": (1, 365),
    "daily_maximum": (1, 48),
    "slot_step_minutes": (5, 120),
}


def _number(label: Any, low: int, high: int, *, required: bool = True, **kw: Any) -> Any:
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        required=required,
        error_messages={
            "required": _("Give a number from %(low)d to %(high)d.") % {"low": low, "high": high},
            "invalid": _("Give a whole number from %(low)d to %(high)d.")
            % {"low": low, "high": high},
            "min_value": _("Give a number from %(low)d to %(high)d.") % {"low": low, "high": high},
            "max_value": _("Give a number from %(low)d to %(high)d.") % {"low": low, "high": high},
        },
        widget=forms.NumberInput(attrs={"min": low, "max": high}),
        **kw,
    )


class NoticeForm(forms.Form):
    notice_hours = forms.DecimalField(
        label=_("Notice, in hours"),
        min_value=Decimal(0),
        max_value=Decimal(MAX_NOTICE_HOURS),
        max_digits=6,
        decimal_places=2,
        help_text=_("Patients can book a session at least this many hours ahead. 0: any time."),
        error_messages={
            "required": _("Give the notice in hours, for example 12."),
            "invalid": _("Give the notice as a number of hours, for example 12 or 1.5."),
            "min_value": _("The notice cannot be negative."),
            "max_value": _("Give at most %(high)d hours (30 days).") % {"high": MAX_NOTICE_HOURS},
            "max_decimal_places": _("Give the notice with at most two decimals, for example 1.5."),
        },
        widget=forms.NumberInput(attrs={"min": 0, "max": MAX_NOTICE_HOURS, "step": "any"}),
    )

    def notice_minutes(self) -> int:
        return round(self.cleaned_data["notice_hours"] * 60)

    @staticmethod
    def hours_of(minutes: int) -> Decimal:
        return (Decimal(minutes) / 60).quantize(Decimal("0.01")).normalize()


class BookingRulesForm(NoticeForm):
    buffer_before_minutes = _number(_("Free minutes before each session"), 0, 240)
    buffer_after_minutes = _number(_("Free minutes after each session"), 0, 240)
    horizon_days = _number(_("Patients can book up to this many days ahead"), 1, 365)
    daily_maximum = _number(
        _("Most sessions a day (optional)"),
        1,
        48,
        required=False,
        help_text=_("Empty: no limit."),
    )
    slot_step_minutes = _number(
        _("Offer start times every (minutes)"),
        5,
        120,
        help_text=_("15: sessions may start at :00, :15, :30 and :45."),
    )

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "minimum_notice_minutes": self.notice_minutes(),
            **{name: data.get(name) for name in RULE_LIMITS},
        }

    @classmethod
    def initial_from(cls, therapist: Any) -> dict[str, Any]:
        return {
            "notice_hours": cls.hours_of(therapist.minimum_notice_minutes),
            **{name: getattr(therapist, name) for name in RULE_LIMITS},
        }


class OverrideDayForm(forms.Form):
    """A date whose hours differ from the usual week (the ranges come from the grid rows
    with the prefix "o")."""

    day = DateInputField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    not_working = forms.BooleanField(label=_("Not working that day"), required=False)


class TimeOffRangeForm(TimeOffForm):
    """Time off from one date and time to another, on the therapist's clock (``zone``)."""

    def __init__(self, *args: Any, zone: str = "UTC", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parts = ("start_day", "start_time", "end_day", "end_time")
        if all(data.get(name) is not None for name in parts):
            start = datetime.combine(data["start_day"], data["start_time"])
            end = datetime.combine(data["end_day"], data["end_time"])
            if end <= start:
                begins = start.replace(tzinfo=validate_zone(self.zone))
                self.add_error(
                    "end_day",
                    _("The time off must end after it starts (%(start)s).")
                    % {"start": format_when(begins, self.zone)},
                )
        return data

    def instants(self, zone: str) -> tuple[datetime, datetime]:
        tz = validate_zone(zone)
        data = self.cleaned_data
        return (
            datetime.combine(data["start_day"], data["start_time"], tz),
            datetime.combine(data["end_day"], data["end_time"], tz),
        )


class PasteForm(forms.Form):
    pasted = TextBoxField(
        label=_("Paste your hours"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_(
            "One day or a run of days per line, for example “Monday: 09:00-12:00, "
            "13:00-17:00” or “Tue-Thu 08:30-16:00”. Days you leave out are days off. "
            "This fills the grid above; nothing is saved until you save the week."
        ),
        error_messages={"required": _("Paste your hours first: one day per line.")},
    )
