"""Data rights: export everything about a person, import it again, erase it.

Export (GDPR Art. 15/20, DPDP access right): one JSON document, ``format_version`` 1.
Credentials are not exported (password hash, TOTP secret, recovery codes): an imported
account has no password and the person sets one with "forgot password".

Each app built on accounts adds its own part of the document (its key, how to export it
and how to import it again) at start-up with ``register_part``, so this module imports none
of them; the parts are exported, and imported, in their ``order``.

Erasure (``erase_account``) lives in ``rehabit.accounts.erasure``: immediately, in one
transaction, everything the person wrote; the audit log keeps only the pseudonymous id.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from rehabit.accounts.consent import therapist_name
from rehabit.accounts.models import ConsentEvent, ConsentPurpose, Profile
from rehabit.accounts.roles import PATIENT, role_group, role_of
from rehabit.audit.models import AuditAction, AuditEntry
from rehabit.audit.selectors import entries_about
from rehabit.audit.services import record

FORMAT = "rehabit.personal-data"
FORMAT_VERSION = 1


class DataImportError(ValueError):
    """The file cannot be imported; the message says why."""


@dataclass(frozen=True)
class Part:
    """One app's part of the personal-data document, under ``key``: ``export(user)`` gives
    it; ``restore(user, section)`` puts it back on import (the section as exported, or
    None when the file has none; a part without ``restore`` is not imported)."""

    key: str
    order: int
    export: Callable[[Any], Any]
    restore: Callable[[Any, Any], None] | None = None


_parts: dict[str, Part] = {}


def register_part(part: Part) -> None:
    _parts[part.key] = part


def parts() -> list[Part]:
    return sorted(_parts.values(), key=lambda p: (p.order, p.key))


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _when(value: Any, field: str) -> datetime:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        raise DataImportError(f"{field} must be an ISO 8601 date and time, not {value!r}.")
    return parsed


# Detail keys that say what happened without naming anyone else (who else was involved
# is never exported: another person's id, address or browser is their data, not yours).
_AUDIT_DETAILS = frozenset(
    {"purpose", "version", "fields", "from", "to", "type", "what", "reason", "assessments"}
)


def _audit_out(entry: AuditEntry, user_id: int) -> dict[str, Any]:
    """One audit entry as the person may see it (security finding 6).

    Someone else's action: their role and the time, never their id, network, address hash
    or browser. The person's own action on somebody else's record: what and when, not
    whose. No entry carries IP information or a browser string.
    """
    about_you = entry.subject_id == user_id
    out: dict[str, Any] = {
        "id": str(entry.id),
        "event_time": _iso(entry.event_time),
        "action": entry.action,
        "actor": {"you": entry.actor_id == user_id, "role": entry.actor_role},
        "about_you": about_you,
    }
    if about_you:
        out["target_type"] = entry.target_type
        out["target_id"] = entry.target_id
        out["details"] = {k: v for k, v in (entry.details or {}).items() if k in _AUDIT_DETAILS}
    return out


def build_export(user: Any) -> dict[str, Any]:
    """Everything Rehabit holds about ``user`` (no side effects)."""
    from rehabit.assessments.models import Assessment

    profile, _ = Profile.objects.get_or_create(user=user)
    addresses = EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": _iso(timezone.now()),
        "account": {
            "id": user.pk,
            "email": user.email,
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary} for a in addresses
            ],
            "role": role_of(user),
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "profile": {
            "full_name": profile.full_name,
            "date_of_birth": _iso(profile.date_of_birth),
            "time_zone": profile.time_zone,
            "language": profile.language,
            "phone": profile.phone,
            "created_at": _iso(profile.created_at),
            "updated_at": _iso(profile.updated_at),
        },
        "consents": [
            {
                "purpose": e.purpose,
                "version": e.version,
                "granted": e.granted,
                "recorded_at": _iso(e.recorded_at),
                "source": e.source,
                **(
                    {"therapist": therapist_name(e.therapist), "therapist_account": e.therapist_id}
                    if e.therapist_id
                    else {}
                ),
            }
            for e in ConsentEvent.objects.filter(user=user)
            .select_related("therapist")
            .order_by("recorded_at", "id")
        ],
        "assessments": [
            {
                "id": str(a.id),
                "created_at": _iso(a.created_at),
                "questionnaire_version": a.questionnaire_version,
                "answers": a.answers,
                "result": a.result,
                "disposition": a.disposition,
            }
            for a in Assessment.objects.filter(owner=user).order_by("created_at", "id")
        ],
        **{part.key: part.export(user) for part in parts()},
        "audit": [_audit_out(e, user.pk) for e in entries_about(user.pk)],
    }


def export_personal_data(user: Any, *, request: HttpRequest | None = None) -> dict[str, Any]:
    """Record the export in the audit log, then build it (so it lists itself)."""
    record(AuditAction.DATA_EXPORTED, request=request, subject=user)
    return build_export(user)


def _same_therapist(consent: dict[str, Any]) -> Any:
    """The therapist account a share in the file was with, if this database still has
    that account under the same number and name; else None (the event is kept as history
    and grants nothing, so a share never lands on somebody else)."""
    account = consent.get("therapist_account")
    if not account or consent.get("purpose") != ConsentPurpose.SHARE_WITH_THERAPIST:
        return None
    found = (
        get_user_model().objects.filter(pk=account).first() if isinstance(account, int) else None
    )
    if found is None or therapist_name(found) != consent.get("therapist"):
        return None
    return found


def _check_document(data: Any) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DataImportError(f"This is not a Rehabit personal-data file (format {FORMAT!r}).")
    if data.get("format_version") != FORMAT_VERSION:
        raise DataImportError(
            f"format_version {data.get('format_version')!r} is not supported; "
            f"this Rehabit reads version {FORMAT_VERSION}."
        )
    for key in ("account", "profile", "consents", "assessments", "audit"):
        if key not in data:
            raise DataImportError(f"The file has no {key!r} section.")


@transaction.atomic
def import_personal_data(data: Any, *, request: HttpRequest | None = None) -> Any:
    """Recreate an account from an export. Nothing in the file is dropped.

    The numeric id is kept when it is free (so the audit trail that survived an erasure
    links up again); otherwise references to the person are moved to the new id.
    """
    from rehabit.assessments.models import Assessment

    _check_document(data)
    User = get_user_model()
    account = data["account"]
    email = str(account.get("email") or "").strip()
    if not email:
        raise DataImportError("The account has no e-mail address.")
    addresses = account.get("email_addresses") or [
        {"email": email, "verified": False, "primary": True}
    ]
    for address in addresses:
        if (
            User.objects.filter(email__iexact=address["email"]).exists()
            or EmailAddress.objects.filter(email__iexact=address["email"]).exists()
        ):
            raise DataImportError(f"An account with the address {address['email']} already exists.")
    for item in data["assessments"]:
        if Assessment.objects.filter(pk=item["id"]).exists():
            raise DataImportError(f"Assessment {item['id']} already exists.")

    old_id = account.get("id")
    keep_id = isinstance(old_id, int) and not User.objects.filter(pk=old_id).exists()
    user = User(
        username=f"u-{secrets.token_hex(8)}",
        email=email,
        date_joined=_when(account["date_joined"], "account.date_joined"),
        last_login=_when(account["last_login"], "account.last_login")
        if account.get("last_login")
        else None,
    )
    if keep_id:
        user.pk = old_id
    user.set_unusable_password()
    user.save(force_insert=True)
    if keep_id:
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [User]):
                cursor.execute(sql)
    user.groups.add(role_group(PATIENT))
    for address in addresses:
        EmailAddress.objects.create(
            user=user,
            email=address["email"],
            verified=bool(address.get("verified")),
            primary=bool(address.get("primary")),
        )

    p = data["profile"]
    Profile.objects.create(
        user=user,
        full_name=p.get("full_name", ""),
        date_of_birth=parse_date(p["date_of_birth"]) if p.get("date_of_birth") else None,
        time_zone=p.get("time_zone", ""),
        language=p.get("language", ""),
        phone=p.get("phone", ""),
        created_at=_when(p["created_at"], "profile.created_at"),
        updated_at=_when(p["updated_at"], "profile.updated_at"),
    )
    for c in data["consents"]:
        ConsentEvent.objects.create(
            user=user,
            purpose=c["purpose"],
            therapist=_same_therapist(c),
            version=c["version"],
            granted=bool(c["granted"]),
            recorded_at=_when(c["recorded_at"], "consents.recorded_at"),
            source=c.get("source", ""),
        )
    for a in data["assessments"]:
        Assessment.objects.create(
            id=a["id"],
            owner=user,
            created_at=_when(a["created_at"], "assessments.created_at"),
            questionnaire_version=a["questionnaire_version"],
            answers=a["answers"],
            result=a["result"],
            disposition=a["disposition"],
        )

    for part in parts():
        if part.restore is not None:
            part.restore(user, data.get(part.key))

    restored = 0
    for e in data["audit"]:
        if AuditEntry.objects.filter(pk=e["id"]).exists():
            continue  # the log kept it through the erasure
        # The export names nobody else: their part comes back as their role only.
        AuditEntry.objects.create(
            id=e["id"],
            event_time=_when(e["event_time"], "audit.event_time"),
            action=e["action"],
            actor_id=user.pk if e["actor"].get("you") else None,
            actor_role=e["actor"].get("role", ""),
            subject_id=user.pk if e.get("about_you") else None,
            target_type=e.get("target_type", ""),
            target_id=e.get("target_id", ""),
            details=e.get("details", {}),
        )
        restored += 1
    record(
        AuditAction.DATA_IMPORTED,
        request=request,
        subject=user,
        details={
            "format_version": FORMAT_VERSION,
            "assessments": len(data["assessments"]),
            "consents": len(data["consents"]),
            "audit_entries_restored": restored,
        },
    )
    return user
