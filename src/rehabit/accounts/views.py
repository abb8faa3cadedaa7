"""Account pages: overview, profile, consent, data rights, who viewed my record."""

from __future__ import annotations

import json
from typing import Any

from allauth.account.decorators import reauthentication_required
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rehabit.accounts import earlier
from rehabit.accounts.access import related_therapists
from rehabit.accounts.consent import (
    SharingState,
    current_consents,
    missing_required_consents,
    set_consent,
    set_sharing,
    sharing_states,
    therapist_name,
)
from rehabit.accounts.data_rights import export_personal_data
from rehabit.accounts.erasure import erase_account
from rehabit.accounts.forms import (
    DeleteAccountForm,
    RequiredConsentForm,
    SharingForm,
    profile_form_for,
)
from rehabit.accounts.models import ConsentPurpose
from rehabit.accounts.notices import CURRENT_VERSIONS, REQUIRED_PURPOSES
from rehabit.accounts.phones import hint_script_data
from rehabit.accounts.preferences import held_zone, known_zone, profile_of
from rehabit.accounts.profiles import update_profile
from rehabit.accounts.roles import is_staff_role, role_name, role_of
from rehabit.audit.selectors import record_access_by_others, security_events


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    from rehabit.assessments.models import Assessment

    user = request.user
    return render(
        request,
        "accounts/home.html",
        {
            "profile": profile_of(user),
            "role": role_of(user),
            "assessments": Assessment.objects.filter(owner=user).order_by("-created_at")[:50],
            "consents": current_consents(user),
            "shared_with": [s for s in _sharing_with(user) if s.is_current],
            "mfa_enabled": Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).exists(),
            "is_staff_role": is_staff_role(user),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    current = profile_of(request.user)
    first_visit = not current.is_complete
    form_class = profile_form_for(request.user)
    # The browser is asked only when no one knows the zone yet: never over one the person
    # chose, just submitted, or an administrator set on their therapist record.
    detect_zone = False
    # A therapist's zone is their record's (their working hours are set in it, and every
    # page and e-mail uses it): shown here, changed in the workspace, where changing it
    # says what it does to the working hours. A different zone saved here would be ignored.
    held = held_zone(request.user)
    if request.method == "POST":
        form = form_class(request.POST, instance=current, held_zone=held)
        if form.is_valid():
            update_profile(request, form)
            messages.success(request, _("Your profile has been saved."))
            return redirect(_next_url(request, "accounts:home"))
    else:
        initial = {} if current.language else {"language": request.LANGUAGE_CODE}
        if not current.time_zone:
            zone = known_zone(request.user)
            initial["time_zone"] = zone or "UTC"
            detect_zone = not zone
        form = form_class(instance=current, initial=initial, held_zone=held)
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "first_visit": first_visit,
            "detect_zone": detect_zone and not held,
            "zone_held": bool(held),
            # The hint follows the zone picker (accounts/phone_hint.js); a held zone is
            # not picked here, and the server's hint already names its country.
            "phone_hints": None if held else hint_script_data(),
            # Refused for their age, a new account cannot go past this page: say how to
            # close it (deleting stays open while the profile is owed).
            "too_young": first_visit and form.has_error("date_of_birth", "too_young"),
            "next": _next_url(request, ""),
        },
        status=422 if form.errors else 200,
    )


def _sharing_with(user: Any) -> list[SharingState]:
    return sharing_states(user, also=related_therapists(user))


def _change_sharing(request: HttpRequest, form: SharingForm) -> None:
    state = form.by_id[form.cleaned_data["therapist"]]
    granted = form.cleaned_data["action"] == "share"
    set_sharing(request.user, state.therapist, granted, request=request, source="consent page")
    if granted:
        messages.success(
            request, _("You now share your record with %(name)s.") % {"name": state.name}
        )
    else:
        messages.success(
            request,
            _("You no longer share your record with %(name)s. This took effect immediately.")
            % {"name": state.name},
        )


@require_http_methods(["GET", "POST"])
@login_required
def consent(request: HttpRequest) -> HttpResponse:
    from rehabit.accounts.models import ConsentEvent

    user = request.user
    terms_form = RequiredConsentForm()
    sharing = _sharing_with(user)
    sharing_form = SharingForm(therapists=sharing)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "accept_terms":
            terms_form = RequiredConsentForm(request.POST)
            if terms_form.is_valid():
                for purpose in REQUIRED_PURPOSES:
                    set_consent(user, purpose, True, request=request, source="consent page")
                messages.success(request, _("Thank you. Your acceptance has been recorded."))
                return redirect(_next_url(request, "accounts:consent"))
        else:
            sharing_form = SharingForm(request.POST, therapists=sharing)
            if sharing_form.is_valid():
                _change_sharing(request, sharing_form)
                return redirect("accounts:consent")
    history = ConsentEvent.objects.filter(user=user).select_related("therapist")
    return render(
        request,
        "accounts/consent.html",
        {
            "missing": missing_required_consents(user),
            "terms_form": terms_form,
            "sharing": sharing,
            "sharing_form": sharing_form,
            # Sharing a record is a patient's choice: staff see it only if they booked.
            "shares_record": bool(sharing) or not is_staff_role(user),
            "versions": CURRENT_VERSIONS,
            "history": [
                (event, therapist_name(event.therapist))
                for event in history.order_by("-recorded_at", "-id")
            ],
            "access_days": settings.REHABIT_THERAPIST_ACCESS_DAYS,
            "next": _next_url(request, ""),
        },
        status=422 if terms_form.errors or sharing_form.errors else 200,
    )


@require_GET
@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    user = request.user
    views = list(record_access_by_others(user.pk)[:200])
    staff_ids = {e.actor_id for e in views if e.actor_id}
    people = {u.pk: u for u in get_user_model().objects.filter(pk__in=staff_ids)}
    rows = []
    for entry in views:
        person = people.get(entry.actor_id) if entry.actor_id else None
        name = profile_of(person).full_name if person is not None else ""
        rows.append(
            {
                "entry": entry,
                "name": name or _("A Rehabit staff member"),
                "role": role_name(entry.actor_role),
            }
        )
    return render(
        request,
        "accounts/access_log.html",
        {"rows": rows, "security": security_events(user.pk)[:50]},
    )


@require_GET
@login_required
def data(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/data.html", {"can_delete": not is_staff_role(request.user)})


@require_POST
@login_required
@reauthentication_required
def export(request: HttpRequest) -> HttpResponse:
    """The whole record as JSON, after the password (or authenticator) was given in the
    last five minutes: an open session alone must not hand over the record."""
    document = export_personal_data(request.user, request=request)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="rehabit-my-data-{stamp}.json"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
@reauthentication_required
def delete(request: HttpRequest) -> HttpResponse:
    if is_staff_role(request.user):
        messages.error(request, _("Staff accounts are closed by an administrator."))
        return redirect("accounts:data")
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        erase_account(request.user, request=request)
        request.session.flush()
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()
        messages.success(request, _("Your account and your personal data have been erased."))
        return redirect("core:home")
    # What this browser did without an account and nobody has claimed is not erased with
    # the account (it may be someone else's): the page says so and offers to claim it first.
    waiting = earlier.waiting(request.session)
    return render(
        request,
        "accounts/delete.html",
        {
            "form": form,
            "waiting": len(waiting),
            "items": waiting,  # each by its date and time only, with the two answers
            "next": request.path,
            "days": settings.REHABIT_UNCLAIMED_ASSESSMENT_DAYS,
        },
        status=422 if form.errors else 200,
    )


@require_GET
def terms(request: HttpRequest) -> HttpResponse:
    response = render(
        request, "accounts/legal/terms.html", {"version": CURRENT_VERSIONS[ConsentPurpose.TERMS]}
    )
    return response


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/legal/privacy.html",
        {
            "version": CURRENT_VERSIONS[ConsentPurpose.PRIVACY],
            "sharing_version": CURRENT_VERSIONS[ConsentPurpose.SHARE_WITH_THERAPIST],
            "retention_years": round(settings.REHABIT_AUDIT_RETENTION_DAYS / 365, 1),
            "access_days": settings.REHABIT_THERAPIST_ACCESS_DAYS,
            "idle_minutes": settings.REHABIT_STAFF_IDLE_TIMEOUT_SECONDS // 60,
        },
    )
