"""Per-request account rules: staff idle timeout and MFA, time zone, language, and asking
for the profile and consents a signed-in person still owes."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from rehabit.accounts.access import has_totp, session_passed_mfa
from rehabit.accounts.preferences import (
    LANGUAGE_SESSION_KEY,
    profile_of,
    set_language_cookie,
)
from rehabit.accounts.roles import is_staff_role

LAST_ACTIVITY_KEY = "rehabit.last_activity"

# Pages that stay reachable while a gate (MFA set-up, profile, consent) is pending.
_ALWAYS_OPEN_PREFIXES = ("account_", "mfa_", "usersessions_")
_ALWAYS_OPEN_NAMES = {
    "set_language",
    "core:health",
    "core:emergency_numbers",
    "accounts:terms",
    "accounts:privacy",
}
_PROFILE_GATE_OPEN = {"accounts:profile", "accounts:consent", "accounts:delete", "accounts:export"}
# A new therapist's guided start sets up the authenticator on its own step (allauth's
# activation view, shown inside the flow), so that step is open before TOTP exists.
_MFA_SET_UP_OPEN = {"workspace:welcome_two_factor"}


def _url_name(request: HttpRequest) -> str:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return ""
    return match.view_name or ""


def _is_open(name: str, extra: set[str] | frozenset[str] = frozenset()) -> bool:
    return name.startswith(_ALWAYS_OPEN_PREFIXES) or name in _ALWAYS_OPEN_NAMES or name in extra


def _redirect_with_next(request: HttpRequest, url_name: str) -> HttpResponseRedirect:
    url = reverse(url_name)
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(url)


class StaffSecurityMiddleware:
    """Staff (therapists, admins): sign out after an idle period (ASVS V7) and demand an
    activated authenticator and a second factor in this session (ASVS V6)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and is_staff_role(user):
            response = self._idle_timeout(request) or self._require_mfa(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _idle_timeout(self, request: HttpRequest) -> HttpResponse | None:
        now = time.time()
        last = request.session.get(LAST_ACTIVITY_KEY)
        if last is not None and now - float(last) > settings.REHABIT_STAFF_IDLE_TIMEOUT_SECONDS:
            request.rehabit_logout_reason = "idle_timeout"  # type: ignore[attr-defined]
            logout(request)
            messages.info(
                request,
                _("You were signed out after a period of inactivity. Please sign in again."),
            )
            url = (
                resolve_url(settings.LOGIN_URL) + "?" + urlencode({"next": request.get_full_path()})
            )
            return HttpResponseRedirect(url)
        request.session[LAST_ACTIVITY_KEY] = now
        return None

    def _require_mfa(self, request: HttpRequest) -> HttpResponse | None:
        name = _url_name(request)
        if _is_open(name):
            return None
        if not has_totp(request.user):
            if name in _MFA_SET_UP_OPEN:
                return None
            messages.warning(
                request,
                _(
                    "Staff accounts protect patient data with two-factor authentication. "
                    "Set up an authenticator app to continue."
                ),
            )
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        if not session_passed_mfa(request):
            return _redirect_with_next(request, "mfa_reauthenticate")
        return None


class AccountPreferencesMiddleware:
    """Time zone and language of the signed-in person; on their first visit ask for the
    profile (time zone), and ask again for consent when the terms changed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self._activate_zone(request)
        user = request.user
        if not user.is_authenticated:
            response = self.get_response(request)
            set_language_cookie(request, response)  # set while signing in
            return response
        language = request.session.get(LANGUAGE_SESSION_KEY)
        # A session from before a language was renamed ("en", now "en-gb") keeps the
        # language the request already has rather than one no longer offered.
        if language and language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        gate = self._gate(request)
        response = gate if gate is not None else self.get_response(request)
        set_language_cookie(request, response)
        return response

    @staticmethod
    def _activate_zone(request: HttpRequest) -> None:
        """Every page shows times in the viewer's zone (``rehabit.accounts.zones.page_zone``):
        a chosen ``?tz``, the person's zone, else the zone their browser reported (kept in
        the session); UTC until then, and ``request.zone_guess`` lets a page that shows a
        time ask the browser (``{% zone_guess %}`` in base.html)."""
        from rehabit.accounts.zones import page_zone
        from rehabit.core.timefmt import start_request

        start_request()
        if request.path_info.startswith("/api/"):
            # The API never asks the browser and keeps nothing in the session: the
            # signed-in person's zone (the week of their adherence, their diary's days,
            # each answer naming its zone), else UTC.
            from rehabit.accounts.zones import profile_zone

            found = profile_zone(request)
            if found:
                timezone.activate(found)
            else:
                timezone.deactivate()
            return
        zone, guess = page_zone(request)
        timezone.activate(zone)
        request.zone_guess = guess  # type: ignore[attr-defined]

    def _gate(self, request: HttpRequest) -> HttpResponse | None:
        if request.method not in {"GET", "HEAD"} or request.path_info.startswith("/api/"):
            return None
        name = _url_name(request)
        if not name or name.startswith("admin:") or _is_open(name, _PROFILE_GATE_OPEN):
            return None
        from rehabit.accounts.consent import missing_required_consents

        if missing_required_consents(request.user):
            return _redirect_with_next(request, "accounts:consent")
        if not profile_of(request.user).is_complete:
            return _redirect_with_next(request, "accounts:profile")
        return None
