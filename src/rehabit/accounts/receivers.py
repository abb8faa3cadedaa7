"""allauth hooks that only exist as signals."""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.dispatch import receiver
from django.http import HttpRequest

from rehabit.accounts import lockout
from rehabit.accounts.access import mark_mfa_passed


@receiver(mfa_signals.authenticator_added, dispatch_uid="rehabit.accounts.mfa_added")
def on_authenticator_added(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    # Activating TOTP needs a fresh password check plus a valid code from the new
    # authenticator: this session has proved both factors.
    if request is not None and authenticator.type == "totp":
        mark_mfa_passed(request)


@receiver(account_signals.password_reset, dispatch_uid="rehabit.accounts.password_reset")
def on_password_reset(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    from rehabit.core.client import client_ip

    # The reset link proved the mailbox is theirs: this address may try again now.
    lockout.clear_after_sign_in(user, client_ip(request) if request is not None else "")
