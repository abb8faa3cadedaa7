"""Writing audit entries: the only code that creates them."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from rehabit.audit.models import AuditAction, AuditEntry
from rehabit.core.client import client_ip

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def ip_fields(ip: str) -> dict[str, str]:
    """Truncated network (/24 for IPv4, /48 for IPv6) plus a keyed hash of the address."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return {"ip_network": "", "ip_hash": ""}
    prefix = 24 if address.version == 4 else 48
    network = ipaddress.ip_network(f"{address}/{prefix}", strict=False)
    digest = salted_hmac("rehabit.audit.ip", str(address), algorithm="sha256").hexdigest()
    return {"ip_network": str(network), "ip_hash": digest[:32]}


def clean_text(value: str, limit: int) -> str:
    """No control characters (log injection) and a bounded length."""
    return _CONTROL.sub(" ", value)[:limit]


# How a signed-in actor's role is named. Every app writes to the audit log, so it imports
# none of them: the accounts app registers its ``role_of`` when it starts
# (``AccountsConfig.ready``).
_role_source: Callable[[Any], str] | None = None


def register_role_source(source: Callable[[Any], str]) -> None:
    global _role_source
    _role_source = source


def role_label(user: AbstractBaseUser | AnonymousUser | None) -> str:
    if user is None:
        return "system"
    if not user.is_authenticated:
        return "anonymous"
    return _role_source(user) if _role_source is not None else "user"


def record(
    action: AuditAction | str,
    *,
    request: HttpRequest | None = None,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    subject: AbstractBaseUser | int | None = None,
    target_type: str = "",
    target_id: object = "",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. ``actor`` defaults to the request's user.

    ``details`` must never hold health content, names or e-mail addresses: only ids,
    versions, field names and reasons.
    """
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    subject_id = subject if isinstance(subject, int) or subject is None else subject.pk
    network: dict[str, str] = {"ip_network": "", "ip_hash": ""}
    user_agent = ""
    if request is not None:
        network = ip_fields(client_ip(request))
        user_agent = clean_text(request.META.get("HTTP_USER_AGENT", ""), 300)
    return AuditEntry.objects.create(
        action=str(action),
        actor_id=actor_id,
        actor_role=role_label(actor),
        subject_id=subject_id,
        target_type=target_type,
        target_id=str(target_id)[:64],
        user_agent=user_agent,
        details=details or {},
        **network,
    )
