"""The guided start of a new therapist (after the invitation's password step):
two-factor authentication with allauth's own activation and the recovery codes, the
therapist profile, and the first usual week; then the therapist's home.

Every step can be left and resumed (``rehabit.booking.onboarding`` decides from what is
stored) and is audited: the authenticator by allauth's signal, the codes, the profile
and the week here.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.recovery_codes.internal.flows import view_recovery_codes
from allauth.mfa.totp.views import ActivateTOTPView
from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from rehabit.accounts.access import has_totp
from rehabit.audit.services import record
from rehabit.booking import availability as actions
from rehabit.booking.models import SessionKind, Therapist
from rehabit.booking.onboarding import AUDIT_CODES_SAVED, AUDIT_FINISHED, next_step, steps_for
from rehabit.booking.people import therapist_of
from rehabit.booking.rules_text import explain
from rehabit.booking.therapist_profile import details_of, save_profile
from rehabit.booking.views.therapist_access import onboarding_page
from rehabit.booking.views.week_editor import WeekEditor
from rehabit.booking.workspace_forms import NoticeForm, TherapistProfileForm
from rehabit.scheduling import RulesError

DEFAULT_MINUTES = {SessionKind.FIRST_ASSESSMENT: 45, SessionKind.FOLLOW_UP: 30}
DEFAULT_NOTICE_HOURS = 12


def _steps(request: HttpRequest, current: str) -> dict[str, Any]:
    steps = steps_for(request.user)
    return {"steps": steps, "current_step": current}


def _onward(request: HttpRequest) -> HttpResponse:
    step = next_step(request.user)
    return redirect(step.url_name if step is not None else "workspace:home")


@require_GET
@onboarding_page
def welcome(request: HttpRequest) -> HttpResponse:
    step = next_step(request.user)
    if step is None:
        return redirect("workspace:home")
    return render(
        request, "booking/workspace/welcome.html", {**_steps(request, ""), "next_step": step}
    )


@method_decorator(onboarding_page, name="dispatch")
class TwoFactorStep(ActivateTOTPView):
    """allauth's authenticator activation (same form, secret, QR code, rate limits and
    signals), shown as a step of the flow; then the recovery codes."""

    template_name = "booking/workspace/welcome_two_factor.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if has_totp(request.user):
            return redirect("workspace:welcome_codes")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **_steps(self.request, "two_factor")}

    def get_success_url(self) -> str:
        return reverse("workspace:welcome_codes")


two_factor = TwoFactorStep.as_view()


class CodesSavedForm(forms.Form):
    saved = forms.BooleanField(
        label=gettext_lazy("I have stored my recovery codes somewhere safe"),
        error_messages={
            "required": gettext_lazy(
                "Store the codes first (print them, or keep them in a password manager), "
                "then tick the box: without them, losing your phone locks you out."
            )
        },
    )


@require_http_methods(["GET", "POST"])
@onboarding_page
def recovery_codes(request: HttpRequest) -> HttpResponse:
    if not has_totp(request.user):
        return redirect("workspace:welcome_two_factor")
    form = CodesSavedForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        record(AUDIT_CODES_SAVED, request=request, subject=request.user)
        return _onward(request)
    codes, can_view = view_recovery_codes(request)
    unused = codes.get_unused_codes() if codes is not None and can_view else []
    return render(
        request,
        "booking/workspace/welcome_codes.html",
        {**_steps(request, "two_factor"), "form": form, "codes": unused},
        status=422 if form.errors else 200,
    )


def _profile_initial(request: HttpRequest, therapist: Therapist | None) -> dict[str, Any]:
    if therapist is not None:
        return TherapistProfileForm.initial_from(details_of(therapist))
    from rehabit.accounts.preferences import profile_of

    profile = profile_of(request.user)
    language = (profile.language or request.LANGUAGE_CODE or "en").split("-")[0]
    return {
        "name": profile.full_name,
        "time_zone": profile.time_zone or "UTC",
        "languages": [language],
        **{f"duration_{kind}": minutes for kind, minutes in DEFAULT_MINUTES.items()},
    }


@require_http_methods(["GET", "POST"])
@onboarding_page
def profile_step(request: HttpRequest) -> HttpResponse:
    therapist = therapist_of(request.user)
    form = TherapistProfileForm(
        request.POST if request.method == "POST" else None,
        initial=_profile_initial(request, therapist),
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_profile(request.user, form.details(), request)
        except RulesError as exc:
            form.add_error(None, explain(exc))
        else:
            messages.success(request, _("Your therapist profile was saved."))
            return redirect("workspace:welcome_availability")
    return render(
        request,
        "booking/workspace/welcome_profile.html",
        {**_steps(request, "profile"), "form": form},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@onboarding_page
def availability_step(request: HttpRequest) -> HttpResponse:
    therapist = therapist_of(request.user)
    if therapist is None:
        messages.info(request, _("First your therapist profile: your hours are in its zone."))
        return redirect("workspace:welcome_profile")
    post = request.POST if request.method == "POST" else None
    week = WeekEditor.from_post(post) if post is not None else WeekEditor.for_therapist(therapist)
    notice = NoticeForm(
        post if post is not None and post.get("action") == "weekly" else None,
        initial={
            "notice_hours": (
                NoticeForm.hours_of(therapist.minimum_notice_minutes)
                if therapist.working_hours.exists()
                else DEFAULT_NOTICE_HOURS
            )
        },
    )
    status = 200
    if post is not None:
        if week.apply(request):
            pass  # added, removed or pasted: shown again, nothing saved
        elif post.get("action") == "weekly":
            if _finish(request, therapist, week, notice):
                return redirect("workspace:home")
            status = 422
    return render(
        request,
        "booking/workspace/welcome_availability.html",
        {
            **_steps(request, "availability"),
            **week.context(),
            "notice_form": notice,
            "therapist": therapist,
        },
        status=status,
    )


def _finish(request: HttpRequest, therapist: Therapist, week: WeekEditor, notice: Any) -> bool:
    hours = week.check()
    notice_ok = notice.is_valid()
    if hours is None or not notice_ok:
        return False
    if not any(hours.values()):
        messages.error(
            request,
            _(
                "Give at least one range of hours: patients can book you only inside your "
                "usual week. You can change it at any time."
            ),
        )
        return False
    try:
        actions.set_weekly_hours(therapist, hours, request)
        actions.update_rules(
            therapist, {"minimum_notice_minutes": notice.notice_minutes()}, request
        )
    except RulesError as exc:
        messages.error(request, _("That change was not saved: %(why)s") % {"why": explain(exc)})
        return False
    from rehabit.audit.models import AuditEntry

    # Listed when onboarding first finishes; an admin's later choice to unlist stays.
    first_time = not AuditEntry.objects.filter(
        action=AUDIT_FINISHED, target_type="therapist", target_id=str(therapist.pk)
    ).exists()
    if first_time:
        Therapist.objects.filter(pk=therapist.pk).update(is_listed=True)
        record(
            AUDIT_FINISHED,
            request=request,
            subject=request.user,
            target_type="therapist",
            target_id=therapist.pk,
        )
    messages.success(
        request,
        _("Welcome to Rehabit. Your week is saved and patients can now book you.")
        if first_time
        else _("Your week is saved."),
    )
    return True
