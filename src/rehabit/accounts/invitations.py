"""Inviting a therapist: the only way a therapist account is created from outside.

An administrator invites an e-mail address; the e-mail (through the outbox) holds a link
with a signed token naming the invitation and a random secret (only the secret's SHA-256
is stored). The link works once, until the invitation expires
(``REHABIT_INVITATION_DAYS``), and not once it was withdrawn or replaced by a newer
invitation to the same address. Opening it changes nothing; sending the password form
creates the account (verified address, therapist role, accepted terms, profile) in one
transaction that locks the invitation, so two tabs cannot both use it. Each step is
audited without the address (ids only).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rehabit.accounts.models import TherapistInvitation
from rehabit.audit.services import record

SALT = "rehabit.accounts.invitation"
# Upper bound on any invitation's life, checked with the signature before the database.
LONGEST_DAYS = 30

AUDIT_INVITED = "accounts.therapist_invited"
AUDIT_WITHDRAWN = "accounts.invitation_withdrawn"
AUDIT_ACCEPTED = "accounts.invitation_accepted"

INVALID, USED, WITHDRAWN, EXPIRED, EXISTS = "invalid", "used", "withdrawn", "expired", "exists"


@dataclass
class InvitationRefused(Exception):
    code: str
    message: str

    def __str__(self) -> str:
        return self.message


def days_valid() -> int:
    return max(1, min(int(settings.REHABIT_INVITATION_DAYS), LONGEST_DAYS))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_email(email: str) -> str:
    local, _sep, domain = email.strip().rpartition("@")
    return f"{local}@{domain.lower()}" if local else email.strip()


def account_exists(email: str) -> bool:
    from allauth.account.models import EmailAddress

    return (
        EmailAddress.objects.filter(email__iexact=email).exists()
        or get_user_model().objects.filter(email__iexact=email).exists()
    )


def exists_message() -> str:
    return _(
        "This address already has a Rehabit account. Give that account the therapist role "
        "in the admin site instead (Accounts: role “therapist”); the person is then led "
        "through setting up their therapist profile when they next sign in."
    )


def open_invitations() -> Any:
    return TherapistInvitation.objects.filter(
        accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
    )


@transaction.atomic
def invite(email: str, name: str, *, request: HttpRequest) -> tuple[TherapistInvitation, str]:
    """Invite ``email`` (replacing any open invitation to it) and post the e-mail.
    Returns the invitation and its link."""
    email = normalise_email(email)
    if account_exists(email):
        raise InvitationRefused(EXISTS, exists_message())
    now = timezone.now()
    replaced = open_invitations().select_for_update().filter(email__iexact=email)
    for old in replaced:
        record(
            AUDIT_WITHDRAWN,
            request=request,
            target_type="invitation",
            target_id=old.pk,
            details={"reason": "replaced"},
        )
    replaced.update(revoked_at=now)
    secret = secrets.token_urlsafe(32)
    invitation = TherapistInvitation.objects.create(
        email=email,
        name=name.strip(),
        secret_hash=_digest(secret),
        invited_by=request.user if request.user.is_authenticated else None,
        created_at=now,
        expires_at=now + timedelta(days=days_valid()),
    )
    token = signing.dumps({"i": invitation.pk, "s": secret}, salt=SALT, compress=True)
    from rehabit.core.links import absolute_url

    link = absolute_url(reverse("accounts:invitation", args=[token]))
    record(
        AUDIT_INVITED,
        request=request,
        target_type="invitation",
        target_id=invitation.pk,
        details={"reason": "new"},
    )
    _post_email(invitation, link)
    return invitation, link


def _post_email(invitation: TherapistInvitation, link: str) -> None:
    from rehabit.core.timefmt import format_when
    from rehabit.mail import outbox
    from rehabit.mail.letter import new_letter
    from rehabit.mail.words import clean

    with translation.override(settings.LANGUAGE_CODE):
        letter = new_letter(
            _("You are invited to Rehabit as a therapist"),
            clean(invitation.name, one_line=True) or _("there"),
        )
        letter.add(
            _(
                "An administrator of Rehabit invited you to join as a therapist. The link "
                "below sets up your account in a few steps: your password, two-factor "
                "authentication with an authenticator app on your phone, your therapist "
                "profile and the hours patients can book you."
            )
        )
        letter.link(_("Set up your account"), link)
        letter.add(
            _("The link works once, until %(when)s.")
            % {"when": format_when(invitation.expires_at, "UTC")},
            _("If you did not expect this invitation, you can ignore this e-mail."),
        )
        message = letter.email(invitation.email, f"invitation-{invitation.pk}")
    row = outbox.post(message, key=f"invitation-{invitation.pk}", kind="invitation")
    transaction.on_commit(lambda: outbox.deliver(row.pk, "web"))


@transaction.atomic
def withdraw(invitation_id: Any, *, request: HttpRequest) -> bool:
    found = (
        TherapistInvitation.objects.select_for_update()
        .filter(pk=invitation_id, accepted_at=None, revoked_at=None)
        .first()
    )
    if found is None:
        return False
    TherapistInvitation.objects.filter(pk=found.pk).update(revoked_at=timezone.now())
    record(
        AUDIT_WITHDRAWN,
        request=request,
        target_type="invitation",
        target_id=found.pk,
        details={"reason": "withdrawn"},
    )
    return True


def find(token: str, *, lock: bool = False) -> TherapistInvitation:
    """The open invitation a link's token names, or ``InvitationRefused`` saying why not."""
    invalid = InvitationRefused(
        INVALID,
        _(
            "This invitation link is not valid. Check that you opened the whole link from "
            "the e-mail; if it still does not work, ask the administrator who invited you "
            "for a new invitation."
        ),
    )
    try:
        data = signing.loads(token, salt=SALT, max_age=timedelta(days=LONGEST_DAYS + 1))
        invitation_id, secret = int(data["i"]), str(data["s"])
    except signing.SignatureExpired:
        raise InvitationRefused(EXPIRED, _expired_message()) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise invalid from None
    query = TherapistInvitation.objects.filter(pk=invitation_id)
    invitation = (query.select_for_update() if lock else query).first()
    if invitation is None or not hmac.compare_digest(invitation.secret_hash, _digest(secret)):
        raise invalid
    if invitation.accepted_at is not None:
        raise InvitationRefused(
            USED,
            _(
                "This invitation was already used to create an account. Sign in with the "
                "e-mail address it was sent to (or reset the password from the sign-in page)."
            ),
        )
    if invitation.revoked_at is not None:
        raise InvitationRefused(
            WITHDRAWN,
            _(
                "This invitation was withdrawn or replaced by a newer one. Use the link in "
                "the most recent invitation e-mail, or ask the administrator who invited you."
            ),
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationRefused(EXPIRED, _expired_message())
    return invitation


def _expired_message() -> str:
    return _(
        "This invitation has expired. Ask the administrator who invited you to send a new "
        "one; it will work for %(days)d days."
    ) % {"days": days_valid()}


@transaction.atomic
def accept(
    token: str,
    *,
    name: str,
    password: str,
    time_zone: str,
    language: str,
    request: HttpRequest,
) -> Any:
    """Create the therapist's account from an open invitation (once). The caller has
    validated the password against ``validate_password``."""
    from allauth.account.models import EmailAddress

    from rehabit.accounts.consent import set_consent
    from rehabit.accounts.models import ConsentPurpose, Profile
    from rehabit.accounts.roles import THERAPIST, assign_role

    invitation = find(token, lock=True)
    if account_exists(invitation.email):
        raise InvitationRefused(EXISTS, exists_message())
    user = get_user_model().objects.create_user(
        username=f"u-{secrets.token_hex(8)}", email=invitation.email, password=password
    )
    EmailAddress.objects.create(user=user, email=invitation.email, verified=True, primary=True)
    Profile.objects.update_or_create(
        user=user,
        defaults={"full_name": name.strip(), "time_zone": time_zone, "language": language},
    )
    assign_role(user, THERAPIST, request=request, actor=user)
    for purpose in (ConsentPurpose.TERMS, ConsentPurpose.PRIVACY):
        set_consent(user, purpose, True, request=request, source="invitation")
    TherapistInvitation.objects.filter(pk=invitation.pk).update(
        accepted_at=timezone.now(), account=user
    )
    record(
        AUDIT_ACCEPTED,
        request=request,
        actor=user,
        subject=user,
        target_type="invitation",
        target_id=invitation.pk,
    )
    return user
