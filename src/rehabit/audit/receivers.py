"""Authentication and MFA events written to the audit log.

Audit logging is a cross-cutting concern, so it listens to Django's and allauth's
signals rather than being called from every view: each event fires exactly once per
action, whichever page or flow caused it.
"""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from rehabit.audit.models import AuditAction
from rehabit.audit.services import record


def login_hash(login: str) -> str:
    """A keyed hash of a login name: correlates attempts without storing the address."""
    return salted_hmac(
        "rehabit.audit.login", login.strip().lower(), algorithm="sha256"
    ).hexdigest()[:32]


def account_for_login(login: str) -> Any:
    """The account a login name (the e-mail address typed at sign-in) belongs to, through
    any of its e-mail addresses (case ignored), or None when no account has it."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    address = (
        EmailAddress.objects.filter(email__iexact=login.strip()).select_related("user").first()
    )
    if address is not None:
        return address.user
    return get_user_model().objects.filter(email__iexact=login.strip()).first()


@receiver(auth_signals.user_logged_in, dispatch_uid="rehabit.audit.login")
def on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(AuditAction.LOGIN, request=request, actor=user, subject=user)


@receiver(auth_signals.user_logged_out, dispatch_uid="rehabit.audit.logout")
def on_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    reason = getattr(request, "rehabit_logout_reason", "")
    record(
        AuditAction.LOGOUT,
        request=request,
        actor=user,
        subject=user,
        details={"reason": reason} if reason else None,
    )


@receiver(auth_signals.user_login_failed, dispatch_uid="rehabit.audit.login_failed")
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    login = str(credentials.get("email") or credentials.get("username") or "")
    target = account_for_login(login) if login else None
    from django.contrib.auth.models import AnonymousUser

    record(
        AuditAction.LOGIN_FAILED,
        request=request,
        actor=AnonymousUser(),
        subject=target,
        details={"login_hash": login_hash(login)} if login else None,
    )


@receiver(account_signals.user_signed_up, dispatch_uid="rehabit.audit.signup")
def on_signup(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(AuditAction.SIGNUP, request=request, actor=user, subject=user)


@receiver(account_signals.password_changed, dispatch_uid="rehabit.audit.password_changed")
@receiver(account_signals.password_set, dispatch_uid="rehabit.audit.password_set")
def on_password_changed(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(AuditAction.PASSWORD_CHANGED, request=request, actor=user, subject=user)


@receiver(account_signals.password_reset, dispatch_uid="rehabit.audit.password_reset")
def on_password_reset(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(AuditAction.PASSWORD_RESET, request=request, actor=user, subject=user)


@receiver(account_signals.email_changed, dispatch_uid="rehabit.audit.email_changed")
def on_email_changed(
    sender: Any, request: HttpRequest, user: Any, from_email_address: Any = None, **kwargs: Any
) -> None:
    # allauth sends this signal too when a new account's first address is confirmed (there
    # is no earlier address): that is no change, and a new patient's sign-in activity said
    # "E-mail address changed" as its first line.
    if from_email_address is None:
        return
    record(AuditAction.EMAIL_CHANGED, request=request, actor=user, subject=user)


def _mfa(action: AuditAction, request: HttpRequest, user: Any, authenticator: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    # A wrong code during sign-in comes from someone not (yet) signed in.
    signed_in = getattr(request, "user", None) is not None and request.user.is_authenticated
    record(
        action,
        request=request,
        actor=user if signed_in else AnonymousUser(),
        subject=user,
        target_type="authenticator",
        target_id=authenticator.pk or "",
        details={"type": authenticator.type},
    )


@receiver(mfa_signals.authenticator_added, dispatch_uid="rehabit.audit.mfa_added")
def on_mfa_added(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kw: Any
) -> None:
    _mfa(AuditAction.MFA_ADDED, request, user, authenticator)


@receiver(mfa_signals.authenticator_removed, dispatch_uid="rehabit.audit.mfa_removed")
def on_mfa_removed(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kw: Any
) -> None:
    _mfa(AuditAction.MFA_REMOVED, request, user, authenticator)


@receiver(mfa_signals.authenticator_reset, dispatch_uid="rehabit.audit.mfa_reset")
def on_mfa_reset(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kw: Any
) -> None:
    _mfa(AuditAction.MFA_RESET, request, user, authenticator)


@receiver(mfa_signals.authentication_failed, dispatch_uid="rehabit.audit.mfa_failed")
def on_mfa_failed(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kw: Any
) -> None:
    _mfa(AuditAction.MFA_FAILED, request, user, authenticator)
