"""Video sessions: one Jitsi Meet room per appointment, for its two participants only.

The room name is 128 random bits (``models.new_room_name``) and never leaves the server
except in the redirect of the join view, which checks who asks and when. With
``REHABIT_JITSI_JWT_SECRET`` set (a self-hosted Jitsi with token authentication) the link
carries a short-lived HS256 token for that room and that person.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.utils import timezone


def opens_at(appointment: Any) -> datetime:
    return appointment.start - timedelta(minutes=settings.REHABIT_VIDEO_OPENS_MINUTES_BEFORE)


def is_open(appointment: Any, now: datetime | None = None) -> bool:
    """From a few minutes before the start until the end, for an active appointment."""
    now = now or timezone.now()
    return appointment.status == "booked" and opens_at(appointment) <= now < appointment.end


def is_participant(user: Any, appointment: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.pk in {appointment.patient_id, appointment.therapist.user_id}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jwt_for(appointment: Any, user: Any, display_name: str) -> str:
    """A Jitsi JWT (HS256) valid for this room from opening time until the session ends."""
    secret = settings.REHABIT_JITSI_JWT_SECRET
    app_id = settings.REHABIT_JITSI_APP_ID or "rehabit"
    host = urlsplit(settings.REHABIT_JITSI_BASE_URL).hostname or "*"
    header = {"alg": "HS256", "typ": "JWT"}
    claims = {
        "aud": "jitsi",
        "iss": app_id,
        "sub": host,
        "room": appointment.room_name,
        "nbf": int(opens_at(appointment).timestamp()),
        "exp": int((appointment.end + timedelta(minutes=15)).timestamp()),
        "context": {
            "user": {
                "name": display_name,
                "moderator": user.pk == appointment.therapist.user_id,
            }
        },
    }
    signing_input = ".".join(
        _b64(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims)
    )
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def room_url(appointment: Any, user: Any, display_name: str) -> str:
    """The Jitsi address for this participant (with a token when configured)."""
    url = f"{settings.REHABIT_JITSI_BASE_URL}/{quote(appointment.room_name)}"
    if settings.REHABIT_JITSI_JWT_SECRET:
        url += "?jwt=" + jwt_for(appointment, user, display_name)
    return url
