"""Who is asking: the client's address, as every app reads it (the audit log, the rate
limits), honouring the trusted proxies in front of the site."""

from __future__ import annotations

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address, honouring ALLAUTH_TRUSTED_PROXY_COUNT like allauth does."""
    from allauth.account.adapter import get_adapter

    try:
        return str(get_adapter(request).get_client_ip(request))
    except Exception:  # noqa: BLE001 - a missing address must never block the action
        return ""
