"""Forms of the therapist invitation: the administrator's and the invited person's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from rehabit.accounts.forms import terms_label
from rehabit.core.inputs import ZoneChoiceField


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("The therapist's e-mail address"),
        max_length=254,
        error_messages={
            "required": _("Enter the e-mail address to send the invitation to."),
            "invalid": _("Enter an e-mail address like name@example.org."),
        },
    )
    name = forms.CharField(
        label=_("Their name (optional)"),
        max_length=150,
        required=False,
        help_text=_("Used to greet them in the e-mail; they can change it."),
    )


class AcceptInvitationForm(forms.Form):
    """Who the invited person is and their password (checked by the site's password
    rules, against their own address too)."""

    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=150,
        error_messages={"required": _("Enter your name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    time_zone = ZoneChoiceField(
        label=_("Your time zone"),
        help_text=_("Times are shown in this zone; your working hours will be on this clock."),
        error_messages={
            "required": _("Choose your time zone."),
            "invalid_choice": _(
                "“%(value)s” is not a time zone we know; choose one from the list."
            ),
        },
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; a few unrelated words make a strong password."),
        error_messages={"required": _("Choose a password.")},
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Type the password a second time.")},
    )
    accept_terms = forms.BooleanField(
        label=terms_label(),
        error_messages={"required": _("To create your account, accept the terms and notice.")},
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not any(ch.isalpha() for ch in name):
            raise forms.ValidationError(_("Enter your name using letters."))
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            user = get_user_model()(email=self.email, username=self.email)
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as problems:
                self.add_error("password1", problems)
        return data
