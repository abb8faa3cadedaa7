"""Therapist invitations: the administrators' page, and the page the link opens (the
first step of a new therapist's guided start: name, time zone, password, terms)."""

from __future__ import annotations

from typing import Any

from allauth.account.internal.flows.login import perform_login, record_authentication
from allauth.account.models import Login
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rehabit.accounts import invitations
from rehabit.accounts.invitation_forms import AcceptInvitationForm, InviteForm
from rehabit.accounts.models import TherapistInvitation
from rehabit.accounts.roles import ADMIN, role_of

# Where a new therapist goes once the account exists (``rehabit.booking.onboarding``).
NEXT_STEP = "workspace:welcome_two_factor"
TOKEN_KEY = "rehabit.invitation_token"  # noqa: S105 - a session key, not a secret


def _admin_only(request: HttpRequest) -> None:
    if role_of(request.user) != ADMIN or not request.user.has_perm("accounts.manage_accounts"):
        raise Http404("Not found.")


@require_http_methods(["GET", "POST"])
@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """Invite a therapist; see, resend and withdraw invitations (administrators)."""
    _admin_only(request)
    form = InviteForm(request.POST if request.POST.get("action") == "invite" else None)
    if request.method == "POST":
        done = _act(request, form)
        if done:
            return redirect("accounts:invitations")
    rows = TherapistInvitation.objects.select_related("account")[:100]
    return render(
        request,
        "accounts/invitations/manage.html",
        {"form": form, "invitations": rows, "days": invitations.days_valid()},
        status=422 if form.errors else 200,
    )


def _act(request: HttpRequest, form: InviteForm) -> bool:
    action = request.POST.get("action")
    if action == "invite":
        if not form.is_valid():
            return False
        return _send(request, form.cleaned_data["email"], form.cleaned_data["name"], form)
    found = TherapistInvitation.objects.filter(pk=_int(request.POST.get("invitation"))).first()
    if found is None:
        messages.error(request, _("That invitation no longer exists; nothing was changed."))
        return True
    if action == "resend":
        return _send(request, found.email, found.name, None)
    if action == "withdraw":
        if invitations.withdraw(found.pk, request=request):
            messages.success(request, _("The invitation was withdrawn: its link no longer works."))
        else:
            messages.info(request, _("That invitation was already used or withdrawn."))
        return True
    messages.error(request, _("That button is not known here; nothing was changed."))
    return True


def _send(request: HttpRequest, email: str, name: str, form: InviteForm | None) -> bool:
    try:
        invitation, _link = invitations.invite(email, name, request=request)
    except invitations.InvitationRefused as refused:
        if form is not None:
            form.add_error("email", refused.message)
            return False
        messages.error(request, refused.message)
        return True
    from rehabit.core.timefmt import format_when

    messages.success(
        request,
        _("An invitation was sent to %(email)s. Its link works once, until %(when)s.")
        % {"email": invitation.email, "when": format_when(invitation.expires_at)},
    )
    return True


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _no_referrer(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = "no-referrer"
    return response


def _refused(request: HttpRequest, refused: invitations.InvitationRefused) -> HttpResponse:
    status = 404 if refused.code == invitations.INVALID else 410
    return _no_referrer(
        render(request, "accounts/invitations/refused.html", {"refusal": refused}, status=status)
    )


@require_GET
def open_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the e-mail: check it, keep its token in the session and continue at
    an address without it (as allauth's password reset does), so the secret does not
    stay in the address bar, the history, Referer headers or request logs."""
    try:
        invitations.find(token)
    except invitations.InvitationRefused as refused:
        return _refused(request, refused)
    request.session[TOKEN_KEY] = token
    return _no_referrer(redirect("accounts:invitation_accept"))


@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest) -> HttpResponse:
    token = request.session.get(TOKEN_KEY, "")
    if not token:
        return render(request, "accounts/invitations/no_link.html", status=400)
    try:
        invitation = invitations.find(token)
    except invitations.InvitationRefused as refused:
        request.session.pop(TOKEN_KEY, None)
        return _refused(request, refused)
    if request.user.is_authenticated:
        return render(
            request,
            "accounts/invitations/signed_in.html",
            {"here": reverse("accounts:invitation_accept")},
            status=409,
        )
    form = AcceptInvitationForm(
        request.POST if request.method == "POST" else None,
        email=invitation.email,
        initial={"full_name": invitation.name, "time_zone": "UTC"},
    )
    if request.method == "POST" and form.is_valid():
        language = getattr(request, "LANGUAGE_CODE", "") or settings.LANGUAGE_CODE
        try:
            user = invitations.accept(
                token,
                name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                time_zone=form.cleaned_data["time_zone"],
                language=language if language in dict(settings.LANGUAGES) else "",
                request=request,
            )
        except invitations.InvitationRefused as refused:
            request.session.pop(TOKEN_KEY, None)
            return _refused(request, refused)
        request.session.pop(TOKEN_KEY, None)
        # Signed in through allauth. The password was chosen a moment ago on this very
        # page, so it counts as a fresh confirmation: allauth's authenticator set-up,
        # next, does not ask for it again straight away.
        record_authentication(
            request, user, method="password", email=user.email, reauthenticated=True
        )
        return perform_login(
            request, Login(user=user, redirect_url=reverse(NEXT_STEP), email=user.email)
        )
    return render(
        request,
        "accounts/invitations/accept.html",
        {"form": form, "invitation": invitation},
        status=422 if form.errors else 200,
    )
