"""Forms: sign-up with consent, profile, consent, account deletion."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse_lazy
from django.utils import formats, timezone
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from rehabit.accounts.models import ConsentPurpose, Profile
from rehabit.accounts.phones import international_number, phone_example, phone_hint
from rehabit.core.inputs import ZoneChoiceField
from rehabit.core.timefmt import canonical_zone, offered_zones, zone_choice_label, zone_choices

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _terms_label() -> str:
    return format_html(
        _(
            'I have read and accept the <a href="{}">terms of use</a> and the '
            '<a href="{}">privacy notice</a>.'
        ),
        reverse_lazy("accounts:terms"),
        reverse_lazy("accounts:privacy"),
    )


terms_label = lazy(_terms_label, SafeString)


class SignupForm(AllauthSignupForm):
    """allauth's sign-up plus the consent a new account needs.

    Sharing the record is not asked here: it is given to one therapist at a time, when
    booking them or on the account's consent page.
    """

    field_order = ["email", "password1", "password2", "accept_terms"]

    accept_terms = forms.BooleanField(
        label=terms_label(),
        required=True,
        error_messages={
            "required": _("To create an account, accept the terms of use and privacy notice.")
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from rehabit.accounts.allauth_forms import PASSWORD, PASSWORD_AGAIN, reword

        super().__init__(*args, **kwargs)
        reword(self, {"password1": PASSWORD, "password2": PASSWORD_AGAIN})

    def signup(self, request: HttpRequest, user: Any) -> None:
        from rehabit.accounts.consent import set_consent

        for purpose in (ConsentPurpose.TERMS, ConsentPurpose.PRIVACY):
            set_consent(user, purpose, True, request=request, source="signup")


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _no_control(value: str, label: str) -> str:
    if _CONTROL.search(value):
        raise forms.ValidationError(
            _("%(field)s can't contain control characters."), params={"field": label}
        )
    return value


class ProfileForm(forms.ModelForm):  # type: ignore[type-arg]
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        help_text=_(
            "Yours, as the account holder, as you would like your therapist to address you. "
            "A parent or carer gives their own name here."
        ),
        error_messages={
            "required": _("Enter your name."),
            "max_length": _("Your name can have at most 150 characters."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        help_text=_(
            "Yours, as the account holder: the day, month and year you were born. A parent "
            "or carer gives their own, not their child's."
        ),
        # Typed as text (no date picker), in the order of the reader's language: British
        # English "12/8/1980" is 12 August, American English December 8 (``config/formats``:
        # DATE_INPUT_FORMATS, read when the form is sent); ISO 8601 in every language.
        input_formats=formats.get_format_lazy("DATE_INPUT_FORMATS"),
        error_messages={
            "required": _("Enter your date of birth."),
            "invalid": _("Enter a real date: the day, month and year you were born."),
        },
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
    )
    time_zone = ZoneChoiceField(
        label=_("Time zone"),
        help_text=_("Appointment times and records are shown in this zone."),
        error_messages={
            "required": _("Choose your time zone."),
            "invalid_choice": _(
                "“%(value)s” is not a time zone we know. Choose one from the list, "
                "for example Europe/London."
            ),
        },
    )
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=lambda: list(settings.LANGUAGES),
        error_messages={
            "required": _("Choose a language."),
            "invalid_choice": _("“%(value)s” is not a language Rehabit offers."),
        },
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        required=False,
        max_length=32,
        # Set for each form: an example from the person's own country (see __init__).
        help_text=_("Starting with + and your country code."),
        error_messages={"max_length": _("A phone number can have at most 32 characters.")},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    class Meta:
        model = Profile
        fields = ["full_name", "date_of_birth", "time_zone", "language", "phone"]

    def __init__(self, *args: Any, held_zone: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A zone saved before the list left out Etc/GMT+5 and the like stays choosable for
        # its owner, so the profile can be saved again unchanged.
        stored = getattr(self.instance, "time_zone", "") or ""
        field = self.fields["time_zone"]
        if stored and canonical_zone(stored) not in offered_zones():
            field.choices = [(stored, zone_choice_label(stored)), *zone_choices()]
        if held_zone:
            # Another app holds the zone (a therapist's record): shown, not changed here;
            # saving keeps the profile in step with it (Django ignores a disabled field's
            # posted value).
            field.disabled = True
            field.initial = held_zone
            self.initial["time_zone"] = held_zone
            field.help_text = _(
                "The zone your working hours are set in. Change it on your workspace "
                "profile, which also says what it does to your working hours."
            )
        # The phone example is of the country of the zone shown (the one posted, on a form
        # sent back with errors), none where the zone names no country. The page's script
        # (accounts/phone_hint.js) changes it with the zone picker.
        zone = self["time_zone"].value()
        self.phone_example = phone_example(zone if isinstance(zone, str) else None)
        self.fields["phone"].help_text = phone_hint(self.phone_example)

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        _no_control(self.cleaned_data["full_name"], str(_("Your name")))
        if not any(ch.isalpha() for ch in name):
            raise forms.ValidationError(_("Enter your name using letters."))
        return name

    def clean_date_of_birth(self) -> date:
        born: date = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born > today:
            raise forms.ValidationError(_("Your date of birth can't be in the future."))
        if born < years_before(today, 120):
            raise forms.ValidationError(_("Check the year: that date is more than 120 years ago."))
        minimum = settings.REHABIT_MINIMUM_AGE
        if born > years_before(today, minimum):
            raise forms.ValidationError(
                _(
                    "Rehabit accounts are for people aged %(age)s and over. A parent or carer "
                    "making the account for a child: enter your own date of birth, not your "
                    "child's. If you are younger than %(age)s yourself, please see a "
                    "physiotherapist or doctor with a parent or guardian."
                ),
                params={"age": minimum},
                code="too_young",
            )
        return born

    def clean_phone(self) -> str:
        # Read in the country of the zone chosen in this form (a therapist's held zone, which
        # the disabled field gives), or of the saved one when the zone sent is refused.
        return international_number(self.cleaned_data.get("phone", ""), self.phone_zone())

    def phone_zone(self) -> str | None:
        chosen = self.cleaned_data.get("time_zone")
        return chosen or getattr(self.instance, "time_zone", "") or None


class StaffProfileForm(ProfileForm):
    """The profile of a therapist or administrator: how patients and colleagues see their
    name, and their zone and language. No date of birth (it is asked of patients, for
    their care) and no "as your therapist addresses you"."""

    date_of_birth = None  # type: ignore[assignment]

    class Meta(ProfileForm.Meta):
        fields = ["full_name", "time_zone", "language", "phone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].help_text = _("As patients and colleagues see it.")


def profile_form_for(user: Any) -> type[ProfileForm]:
    """The profile form for this person's role."""
    from rehabit.accounts.roles import is_staff_role

    return StaffProfileForm if is_staff_role(user) else ProfileForm


class RequiredConsentForm(forms.Form):
    accept_terms = forms.BooleanField(
        label=terms_label(),
        required=True,
        error_messages={
            "required": _("To keep using your account, accept the terms of use and privacy notice.")
        },
    )


class SharingForm(forms.Form):
    """Share, or stop sharing, the record with one of the therapists the page lists."""

    action = forms.ChoiceField(
        choices=[("share", "share"), ("withdraw", "withdraw")],
        error_messages={"invalid_choice": _("Choose to share or to stop sharing.")},
    )
    therapist = forms.TypedChoiceField(
        coerce=int,
        error_messages={
            "required": _("Choose one of the therapists listed on this page."),
            "invalid_choice": _("Choose one of the therapists listed on this page."),
        },
    )

    def __init__(self, *args: Any, therapists: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["therapist"].choices = [(str(s.therapist.pk), s.name) for s in therapists]
        self.by_id = {s.therapist.pk: s for s in therapists}


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I understand that this cancels my upcoming sessions and erases my account, "
            "profile, consents, assessments and appointments now, and that it cannot be undone."
        ),
        required=True,
        error_messages={
            "required": _("Tick the box to confirm that you want to erase your account.")
        },
    )
