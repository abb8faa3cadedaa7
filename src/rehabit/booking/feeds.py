"""Personal calendar feeds: an iCalendar URL with a secret that can be revoked.

Only a SHA-256 hash of the secret is stored; the URL is shown once, when it is made.
Making a new one revokes the old one; so does revoking.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from rehabit.audit.services import record
from rehabit.booking.models import Appointment, AppointmentStatus, CalendarFeed
from rehabit.booking.people import own_appointments

AUDIT_FEED_CREATED = "booking.feed_created"
AUDIT_FEED_REVOKED = "booking.feed_revoked"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create(user: Any, request: Any = None) -> str:
    """A new secret for ``user``'s feed (any old one stops working). Returns the secret."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.filter(user=user).delete()
    CalendarFeed.objects.create(user=user, token_hash=_hash(token))
    record(AUDIT_FEED_CREATED, request=request, subject=user, target_type="calendar_feed")
    return token


@transaction.atomic
def revoke(user: Any, request: Any = None) -> bool:
    deleted, _by_model = CalendarFeed.objects.filter(user=user).delete()
    if deleted:
        record(AUDIT_FEED_REVOKED, request=request, subject=user, target_type="calendar_feed")
    return bool(deleted)


def revoke_after_account_change(sender: Any, user: Any = None, **kwargs: Any) -> None:
    """allauth's ``password_changed``, ``password_set``, ``password_reset`` and
    ``email_changed``: whoever takes an account back changes its password or address, and
    a feed link made before must stop with it, as sessions do (security review 2, finding 5:
    a thief kept the calendar of sessions). The person makes a new link on the feed page."""
    if user is not None and user.pk is not None:
        revoke(user, kwargs.get("request"))


def revoke_if_deactivated(sender: Any, instance: Any, **kwargs: Any) -> None:
    """``post_save`` of the user model: a deactivated account's feed is gone for good, not
    only refused while inactive (so reactivating it does not bring an old link back)."""
    if not instance.is_active and instance.pk is not None:
        revoke(instance)


def owner_of(token: str) -> Any:
    """The user whose feed this secret opens, or None (revoked, unknown or malformed)."""
    if not token or len(token) > 100:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=_hash(token)).first()
    if feed is None or not feed.user.is_active:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user


def appointments_for_feed(user: Any) -> list[Appointment]:
    since = timezone.now() - timedelta(days=30)
    return list(
        Appointment.objects.filter(own_appointments(user))
        .filter(status=AppointmentStatus.BOOKED, end__gte=since)
        .select_related("therapist", "session_type")
        .order_by("start")
    )
