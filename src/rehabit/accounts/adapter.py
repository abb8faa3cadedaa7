"""Rehabit's allauth adapter: sign-in throttling, roles, opaque usernames, and what the
browser did before signing in (``rehabit.accounts.earlier``)."""

from __future__ import annotations

import secrets
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from rehabit.accounts import lockout
from rehabit.accounts.preferences import apply_language
from rehabit.accounts.roles import PATIENT, assign_role
from rehabit.audit.models import AuditAction
from rehabit.audit.services import record
from rehabit.core.client import client_ip
from rehabit.core.timefmt import current_zone_name, format_clock_with_seconds


def _login_of(credentials: dict[str, Any]) -> str:
    return str(credentials.get("email") or credentials.get("username") or "")


class AccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request: HttpRequest, user: Any) -> None:
        # Django's User needs a unique username; ours is random so it carries no personal
        # data (people sign in with their e-mail address).
        if not user.username:
            user.username = f"u-{secrets.token_hex(8)}"

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            from rehabit.accounts.earlier import claim_on_sign_in
            from rehabit.accounts.models import Profile

            assign_role(user, PATIENT, request=request, actor=user)
            Profile.objects.get_or_create(user=user)
            # What this browser did in this sitting goes in; older things are asked about
            # once the person is signed in (rehabit.accounts.earlier).
            claim_on_sign_in(request, user)
        return user

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        until = lockout.wait_until(_login_of(credentials), client_ip(request))
        if until is not None:
            when = format_clock_with_seconds(timezone.localtime(until))
            raise forms.ValidationError(
                _(
                    "Too many failed attempts to sign in to this account from here. For "
                    "your safety, the next try is possible at %(time)s (%(zone)s). You can "
                    "reset your password to sign in sooner."
                )
                % {"time": when, "zone": current_zone_name()},
                code="locked_out",
            )
        super().pre_authenticate(request, **credentials)

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        super().authentication_failed(request, **credentials)
        login = _login_of(credentials)
        ip = client_ip(request)
        for scope in lockout.register_failure(login, ip):
            from rehabit.audit.receivers import account_for_login, login_hash

            record(
                AuditAction.LOCKOUT,
                request=request,
                actor=None,
                subject=account_for_login(login),
                details={"login_hash": login_hash(login), "scope": scope},
            )

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Therapists land on their workspace (which leads a therapist still setting up
        to the next step); everyone else on their account page. An explicit ``next``
        still wins (allauth checks it first)."""
        from django.urls import reverse

        from rehabit.accounts.roles import THERAPIST, role_of

        if role_of(request.user) == THERAPIST:
            return reverse("workspace:home")
        return super().get_login_redirect_url(request)

    def login(self, request: HttpRequest, user: Any) -> None:
        from rehabit.accounts.earlier import claim_on_sign_in

        super().login(request, user)
        lockout.clear_after_sign_in(user, client_ip(request))
        apply_language(request, user)
        claim_on_sign_in(request, user)  # its messages in the person's language

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse:
        """Anything older this browser did without an account is asked about first ("Is
        this yours?"), then the person goes on where they were going."""
        from rehabit.accounts.earlier import ask_first

        return ask_first(request, super().post_login(request, user, **kwargs))
