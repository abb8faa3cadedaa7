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
the admin site says how many when it deactivates the account or unlists the therapist
(``sessions_note``), with a link to the page that lists them
(``booking.views.therapist_sessions``), where each can be moved or cancelled, or all
cancelled at once with one reason (``cancel_upcoming``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rehabit.booking import services
from rehabit.booking.messages import BookingRefused
from rehabit.booking.models import Appointment, AppointmentStatus, Therapist


def unlist_if_deactivated(sender: Any, instance: Any, **kwargs: Any) -> None:
    """``post_save`` of the user model: an inactive account's therapist record is unlisted."""
    if instance.is_active or instance.pk is None:
        return
    for therapist in Therapist.objects.filter(user_id=instance.pk, is_listed=True):
        therapist.is_listed = False
        therapist.save(update_fields=["is_listed"])


def unlist_if_no_longer_therapist(sender: Any, user: Any, role: str, **kwargs: Any) -> None:
    """``accounts.roles.role_changed``: an account that is no longer a therapist's (made a
    patient or an administrator) leaves the search as a deactivated one does; its record
    stays, for the sessions it had (a review: a therapist whose role was taken away stayed
    bookable)."""
    from rehabit.accounts.roles import THERAPIST

    if role == THERAPIST:
        return
    for therapist in Therapist.objects.filter(user_id=user.pk, is_listed=True):
        therapist.is_listed = False
        therapist.save(update_fields=["is_listed"])


def upcoming(therapist: Therapist, now: datetime | None = None) -> QuerySet[Appointment]:
    """The therapist's booked sessions not yet ended, soonest first."""
    return (
        Appointment.objects.filter(
            therapist=therapist, status=AppointmentStatus.BOOKED, end__gt=now or timezone.now()
        )
        .select_related("patient", "session_type")
        .order_by("start")
    )


def cancel_upcoming(
    therapist: Therapist,
    appointment_ids: list[Any],
    *,
    actor: Any,
    reason: str,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> int:
    """Cancel those of ``appointment_ids`` (the sessions the administrator was shown) that
    are still booked with ``therapist`` and to come, each through the booking action in
    its own transaction: its time freed, its reminders dropped, audited, and both people
    e-mailed with ``reason``. A session that changed meanwhile (moved or cancelled by its
    patient) is left as it now is, and one booked since the page was shown is not touched.
    Returns how many were cancelled."""
    cancelled = 0
    still = upcoming(therapist, now).filter(pk__in=appointment_ids)
    for appointment_id in list(still.values_list("pk", flat=True)):
        try:
            services.cancel(appointment_id, actor=actor, reason=reason, request=request, now=now)
        except BookingRefused:
            continue  # changed since it was read: no longer booked
        cancelled += 1
    return cancelled


def sessions_note(therapist: Therapist) -> str:
    """What the administrator who stops a therapist's bookings is told: the sessions still
    booked, with a link to the page that lists them (empty when there are none)."""
    count = upcoming(therapist).count()
    if not count:
        return ""
    said = ngettext(
        "This therapist still has %(count)d booked session to come. Move or "
        "cancel it, so that the patient is told.",
        "This therapist still has %(count)d booked sessions to come. Move or "
        "cancel them, so that the patients are told.",
        count,
    ) % {"count": count}
    return format_html(
        '{} <a href="{}">{}</a>',
        said,
        reverse("booking:therapist_sessions", args=[therapist.pk]),
        _("See the sessions"),
    )


def booked_sessions_note(user: Any) -> str:
    """For the admin who made ``user``'s account inactive (registered with
    ``accounts.staff_actions.register_deactivation_note``): the sessions still booked."""
    therapist = Therapist.objects.filter(user_id=user.pk).first()
    return sessions_note(therapist) if therapist is not None else ""
