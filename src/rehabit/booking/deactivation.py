"""A therapist whose account is deactivated leaves the search and cannot be booked.

Deactivating is how an administrator stops a therapist's work (``is_active``, in the admin
site or anywhere else the account is saved), but the search, the slots and the booking
action ask only whether the therapist record is listed, so an inactive therapist stayed
bookable: patients booked sessions nobody would attend, and the therapist's e-mails were
not even sent (they go to active accounts only). When the account is saved inactive, its
therapist record is unlisted, through ``save`` so that kept free times are forgotten
(``booking.freshness``). Activating the account again does not list it: the administrator
does that on the therapist record ("listed"), once the therapist may take bookings again.
Sessions already booked are left as they are, for the administrator to move or cancel:
``upcoming_sessions`` counts them, and the admin site says so when it deactivates.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import ngettext

from rehabit.booking.models import Appointment, AppointmentStatus, Therapist


def unlist_if_deactivated(sender: Any, instance: Any, **kwargs: Any) -> None:
    """``post_save`` of the user model: an inactive account's therapist record is unlisted."""
    if instance.is_active or instance.pk is None:
        return
    for therapist in Therapist.objects.filter(user_id=instance.pk, is_listed=True):
        therapist.is_listed = False
        therapist.save(update_fields=["is_listed"])


def upcoming_sessions(user: Any) -> int:
    """Booked sessions not yet ended of the therapist with this account (0 for others)."""
    return Appointment.objects.filter(
        therapist__user_id=user.pk, status=AppointmentStatus.BOOKED, end__gt=timezone.now()
    ).count()


def booked_sessions_note(user: Any) -> str:
    """For the admin who made ``user``'s account inactive (registered with
    ``accounts.staff_actions.register_deactivation_note``): the sessions still booked."""
    count = upcoming_sessions(user)
    if not count:
        return ""
    return ngettext(
        "This therapist still has %(count)d booked session to come. Move or "
        "cancel it, so that the patient is told.",
        "This therapist still has %(count)d booked sessions to come. Move or "
        "cancel them, so that the patients are told.",
        count,
    ) % {"count": count}
