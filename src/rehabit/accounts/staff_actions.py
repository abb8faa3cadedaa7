"""What staff may do to another person's sign-in, and only this way.

Staff never see or set a password, an e-mail address or a second-factor secret: a
password is reset by the person, through a link e-mailed to their own address, and
two-factor authentication is removed only with an e-mail telling the person. Each action
writes an audit entry naming the person and the member of staff; an admin cannot act on
a superuser's account.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation

from rehabit.audit.models import AuditAction
from rehabit.audit.services import record

# Values of these fields may enter the audit log (yes/no and the role); for every other
# field only its name does, so no secret or personal data is ever written there.
LOGGED_VALUES = frozenset({"is_active", "is_staff", "is_superuser", "role"})


# What other apps have to tell staff who just made an account inactive (the booking app:
# the sessions still booked with that therapist), handed over at start-up so accounts
# imports none of them. Each note is a sentence for the admin, or "" when there is none.
_deactivation_notes: list[Callable[[Any], str]] = []


def register_deactivation_note(note: Callable[[Any], str]) -> None:
    if note not in _deactivation_notes:
        _deactivation_notes.append(note)


def deactivation_notes(user: Any) -> list[str]:
    """What staff should do now that ``user``'s account is inactive."""
    return [text for text in (note(user) for note in _deactivation_notes) if text]


def may_manage(actor: Any, user: Any) -> bool:
    """Only a superuser may act on a superuser's account."""
    return bool(actor.is_superuser or not user.is_superuser)


def change_details(form: Any) -> dict[str, Any]:
    """The audit details of an admin form: which fields changed (and, for yes/no fields
    and the role, from what to what)."""
    fields = sorted(form.changed_data)
    details: dict[str, Any] = {"fields": fields}
    changes = {
        name: [form.initial.get(name), form.cleaned_data.get(name)]
        for name in fields
        if name in LOGGED_VALUES
    }
    if changes:
        details["changes"] = changes
    return details


def send_password_reset(request: HttpRequest, user: Any) -> bool:
    """E-mail the person a password reset link (allauth's own reset flow, to their own
    address) and audit it. False when the account cannot receive one."""
    from allauth.account.forms import ResetPasswordForm

    if not (user.is_active and user.email):
        return False
    form = ResetPasswordForm(data={"email": user.email})
    if not form.is_valid():
        return False
    form.users = [u for u in form.users if u.pk == user.pk]
    if not form.users:
        return False
    with translation.override(_language_of(user)):
        form.save(request)
    record(AuditAction.PASSWORD_RESET_SENT, request=request, subject=user)
    return True


@transaction.atomic
def remove_two_factor(request: HttpRequest, user: Any) -> list[str]:
    """Remove all of the person's authenticators (TOTP, recovery codes, security keys),
    audit it and e-mail them; the types removed, or [] when there were none. If the
    e-mail cannot be sent nothing is removed."""
    from allauth.mfa.models import Authenticator

    authenticators = list(Authenticator.objects.select_for_update().filter(user=user))
    if not authenticators:
        return []
    types = sorted({a.type for a in authenticators})
    Authenticator.objects.filter(pk__in=[a.pk for a in authenticators]).delete()
    record(
        AuditAction.MFA_REMOVED_BY_STAFF,
        request=request,
        subject=user,
        target_type="authenticator",
        details={"types": types},
    )
    _tell_two_factor_removed(request, user)
    return types


def _language_of(user: Any) -> str:
    from django.conf import settings

    from rehabit.accounts.preferences import profile_of

    language = profile_of(user).language
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _tell_two_factor_removed(request: HttpRequest, user: Any) -> None:
    from allauth.account.adapter import get_adapter

    from rehabit.accounts.preferences import user_zone

    zone = user_zone(user) or ZoneInfo("UTC")
    when = timezone.localtime(timezone.now(), zone)
    from rehabit.core.timefmt import format_when

    with translation.override(_language_of(user)):
        get_adapter(request).send_mail(
            "account/email/mfa_removed_by_staff",
            user.email,
            {
                "user": user,
                "when": format_when(when, str(zone)),
            },
        )
