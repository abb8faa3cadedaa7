"""What booking needs to know about a person, read from the accounts app in one place."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest

from rehabit.core.browser_zone import remembered_zone
from rehabit.core.timefmt import canonical_zone
from rehabit.mail.words import clean
from rehabit.scheduling import UnknownTimeZone, validate_zone

DEFAULT_ZONE = "UTC"


def _profile(user: Any) -> Any:
    from rehabit.accounts.preferences import profile_of

    return profile_of(user)


def therapist_zone(user: Any) -> str:
    """The zone of the person's therapist record, "" when they have none (also what the
    accounts app asks, through ``register_zone_source``, before their profile names one)."""
    cached = getattr(user, "_rehabit_therapist_zone", None)
    if cached is None:
        from rehabit.booking.models import Therapist

        found = Therapist.objects.filter(user=user).values_list("time_zone", flat=True).first()
        cached = user._rehabit_therapist_zone = found or ""
    return str(cached)


def zone_of(user: Any) -> str:
    """The one rule for the IANA zone a person's times are shown in (pages, e-mails,
    calendar files): a therapist's is their therapist record's (their working hours are
    in it), anyone else's their profile's; UTC when neither names a zone we know."""
    if user is None or not getattr(user, "is_authenticated", False):
        return DEFAULT_ZONE
    for name in (therapist_zone(user), _profile(user).time_zone):
        if not name:
            continue
        try:
            validate_zone(name)
        except UnknownTimeZone:
            continue
        return str(name)
    return DEFAULT_ZONE


def language_of(user: Any) -> str:
    """The person's preferred language, if the site has a catalogue for it."""
    language = _profile(user).language if user is not None else ""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def display_name(user: Any) -> str:
    """The person's name as they gave it, on one line, without invisible characters."""
    name = clean(_profile(user).full_name or user.get_full_name(), one_line=True)
    return name or clean(user.email.split("@")[0], one_line=True) or str(user.get_username())


def viewer_zone(request: HttpRequest, requested: str | None = None) -> str:
    """The zone to show times in: an explicit, valid ``tz`` choice, else the person's
    zone, else the one the browser reported for this session (``rehabit.accounts.zones``),
    else UTC."""
    if requested:
        try:
            validate_zone(requested)
        except UnknownTimeZone:
            pass
        else:
            return canonical_zone(requested)  # as the zone pickers list it
    known = zone_of(request.user)
    if known != DEFAULT_ZONE:
        return canonical_zone(known)
    return remembered_zone(request) or DEFAULT_ZONE


def holds_staff_role(user: Any) -> bool:
    """A therapist or an administrator now (``accounts.roles``): an account whose role was
    taken away keeps its ``Therapist`` row, but none of what the role gave."""
    from rehabit.accounts.roles import is_staff_role

    return bool(getattr(user, "is_authenticated", False)) and is_staff_role(user)


def own_appointments(user: Any) -> Q:
    """The appointments that are ``user``'s own: as the patient, and as the therapist
    while the account holds a staff role."""
    mine = Q(patient=user)
    return mine | Q(therapist__user=user) if holds_staff_role(user) else mine


def therapist_of(user: Any) -> Any:
    """The therapist profile of a signed-in therapist, else None.

    The account must still hold a staff role: an account whose therapist role was taken
    away keeps its ``Therapist`` row (its sessions are history), but not the therapist's
    access, which staff hold only with a second factor (``StaffSecurityMiddleware``)."""
    if user is None or not holds_staff_role(user):
        return None
    from rehabit.booking.models import Therapist

    return Therapist.objects.filter(user=user).first()


def is_admin(user: Any) -> bool:
    from rehabit.accounts.roles import ADMIN, role_of

    return bool(getattr(user, "is_authenticated", False)) and role_of(user) == ADMIN


def role_label(user: Any) -> str:
    from rehabit.accounts.roles import role_of

    return role_of(user)


def shares_record(user: Any, therapist: Any) -> bool:
    """Does the person currently share their assessments and progress with this therapist
    (a ``Therapist``)? Sharing is per therapist (``rehabit.accounts.consent``)."""
    from rehabit.accounts.consent import shares_with

    if therapist is None or therapist.user_id is None:
        return False
    return shares_with(user, therapist.user)


def set_sharing(appointment: Any, request: HttpRequest | None) -> None:
    """Record the sharing choice made when booking, for that appointment's therapist only
    (nothing when it did not change, or when the therapist has no account)."""
    from rehabit.accounts.consent import set_sharing as record_sharing

    therapist_user = appointment.therapist.user
    if therapist_user is None or therapist_user.pk == appointment.patient_id:
        return
    record_sharing(
        appointment.patient,
        therapist_user,
        bool(appointment.share_record),
        request=request,
        source="booking",
    )
