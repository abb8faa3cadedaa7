"""Rehabit's own deployment checks (``rehabit manage check --deploy``).

Settings that cannot be refused at import time, because development and tests rightly
use the defaults, are checked here: a deploy check is an error in production.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

# Jitsi services run by others: anyone who knows a room's name can join it, and they do
# not check tokens signed with our secret (meet.jit.si has no token authentication for
# third parties; 8x8's JaaS only accepts its own RS256 keys).
PUBLIC_JITSI_HOSTS = ("meet.jit.si", "jit.si", "8x8.vc")


def _is_public_jitsi(host: str) -> bool:
    return any(host == public or host.endswith("." + public) for public in PUBLIC_JITSI_HOSTS)


@register(Tags.security, deploy=True)
def check_video_rooms(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """Video rooms must be reachable only by the appointment's two participants."""
    base_url = settings.REHABIT_JITSI_BASE_URL
    parts = urlsplit(base_url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host:
        return [
            Error(
                f"REHABIT_JITSI_BASE_URL must be an https:// address of a Jitsi server, "
                f"not {base_url!r}.",
                hint="Set REHABIT_JITSI_BASE_URL to your own Jitsi Meet server, "
                "e.g. https://video.clinic.example.",
                id="rehabit.E101",
            )
        ]
    if _is_public_jitsi(host):
        return [
            Error(
                f"Video sessions would use the public Jitsi server {host}: its rooms are "
                "public (no token is checked), so anyone who learns a room's name can join "
                "a patient's session.",
                hint="Run your own Jitsi Meet server with token authentication and set "
                "REHABIT_JITSI_BASE_URL to it and REHABIT_JITSI_JWT_SECRET to its shared "
                "secret (REHABIT_JITSI_APP_ID to its app id).",
                id="rehabit.E102",
            )
        ]
    if not settings.REHABIT_JITSI_JWT_SECRET:
        return [
            Warning(
                "REHABIT_JITSI_JWT_SECRET is not set: join links carry no token, so rooms "
                "on your Jitsi server are protected only by their unguessable names.",
                hint="Turn on token authentication on the Jitsi server and set "
                "REHABIT_JITSI_JWT_SECRET (and REHABIT_JITSI_APP_ID) to match.",
                id="rehabit.W103",
            )
        ]
    return []
