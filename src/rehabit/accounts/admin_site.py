"""The admin site's gate: active staff whose session passed two-factor authentication."""

from __future__ import annotations

from django.http import HttpRequest

from rehabit.accounts.access import has_totp, session_passed_mfa


def staff_with_mfa(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and has_totp(user) and session_passed_mfa(request))
