"""allauth's account and two-factor forms with our own wording.

allauth labels its fields "Email", "Remember Me", "New Password (again)"; ours say what
they are in plain sentence case, without placeholders that repeat the label (a placeholder
disappears as soon as one types). Registered in settings (``ACCOUNT_FORMS``,
``MFA_FORMS``); the pages around them are our templates under ``templates/account`` and
``templates/mfa``.
"""

from __future__ import annotations

from typing import Any

from allauth.account import forms as account_forms
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.recovery_codes import forms as recovery_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms
from django.utils.translation import gettext_lazy as _

EMAIL = _("E-mail address")
PASSWORD = _("Password")
PASSWORD_AGAIN = _("Password again")
NEW_PASSWORD = _("New password")
NEW_PASSWORD_AGAIN = _("New password again")
CODE = _("Code")

# field name -> label, for every form below (a form uses the names it has).
LABELS: dict[str, Any] = {
    "login": EMAIL,
    "email": EMAIL,
    "password": PASSWORD,
    "remember": _("Keep me signed in on this device"),
    "oldpassword": _("Current password"),
    "code": CODE,
}


def reword(form: forms.Form, labels: dict[str, Any] | None = None) -> None:
    """Give the form's fields our labels and drop placeholders that repeat them."""
    wanted = {**LABELS, **(labels or {})}
    for name, field in form.fields.items():
        if name in wanted:
            field.label = wanted[name]
        field.widget.attrs.pop("placeholder", None)


class LoginForm(account_forms.LoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reword(self)


class ResetPasswordForm(account_forms.ResetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reword(self)


class ResetPasswordKeyForm(account_forms.ResetPasswordKeyForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reword(self, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD_AGAIN})


class ChangePasswordForm(account_forms.ChangePasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reword(self, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD_AGAIN})


class SetPasswordForm(account_forms.SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reword(self, {"password1": PASSWORD, "password2": PASSWORD_AGAIN})


class AddEmailForm(account_forms.AddEmailForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reword(self, {"email": _("New e-mail address")})


class ChangeEmailForm(account_forms.ChangeEmailForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reword(self, {"email": _("New e-mail address")})


class ReauthenticateForm(account_forms.ReauthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reword(self)


MFA_CODE = _("Code from your authenticator app, or a recovery code")


class AuthenticateForm(mfa_forms.AuthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reword(self, {"code": MFA_CODE})


class MFAReauthenticateForm(mfa_forms.ReauthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reword(self, {"code": MFA_CODE})


class ActivateTOTPForm(totp_forms.ActivateTOTPForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reword(self, {"code": _("The 6-digit code your app shows now")})
        # Digits only: a phone shows its number pad (phone walk 5), and may offer the code.
        self.fields["code"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "one-time-code"}
        )


class DeactivateTOTPForm(totp_forms.DeactivateTOTPForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reword(self)


class GenerateRecoveryCodesForm(recovery_forms.GenerateRecoveryCodesForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reword(self)
