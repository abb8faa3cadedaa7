"""Administrators' page of one therapist's sessions still to come: each links to the
appointment, where it can be moved or cancelled, and all can be cancelled at once with one
reason, which each patient reads in their e-mail (``booking.deactivation``). For a
therapist who leaves, is ill, or was deactivated with sessions booked."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from rehabit.booking.deactivation import cancel_upcoming, upcoming
from rehabit.booking.models import CANCEL_REASON_MAX, Therapist
from rehabit.booking.people import display_name, is_admin, viewer_zone
from rehabit.booking.timefmt import format_span
from rehabit.booking.views.common import account_required
from rehabit.mail.words import their_words, up_to


class CancelAllForm(forms.Form):
    reason = forms.CharField(
        label=_lazy("Reason, shown to each patient"),
        help_text=up_to(
            CANCEL_REASON_MAX,
            _lazy(
                "Each patient reads this in their e-mail, for example: “Your therapist has "
                "left Rehabit. We are sorry: please book with another therapist.”"
            ),
        ),
        widget=forms.Textarea(attrs={"rows": 3}),  # no maxlength: it cuts a paste silently
        required=False,  # an empty or invisible-only reason gets the message below
        strip=False,
    )
    appointment = forms.MultipleChoiceField(
        label=_lazy("Sessions to cancel"),
        widget=forms.CheckboxSelectMultiple,
        required=False,  # none chosen gets the message below
    )

    def __init__(self, data: Any, *, shown: list[tuple[str, str]]) -> None:
        super().__init__(data, initial={"appointment": [pk for pk, _label in shown]})
        self.fields["appointment"].choices = shown
        self.fields["appointment"].error_messages["invalid_choice"] = _(
            "The list changed since you opened it. Check it and cancel again."
        )

    def clean_reason(self) -> str:
        reason, problem = their_words(
            self.cleaned_data.get("reason"),
            limit=CANCEL_REASON_MAX,
            required=True,
            what=_("reason"),
            missing=_("Write the reason each patient will read."),
        )
        if problem:
            raise forms.ValidationError(problem)
        return reason

    def clean_appointment(self) -> list[str]:
        chosen = list(self.cleaned_data.get("appointment") or [])
        if not chosen:
            raise forms.ValidationError(_("Choose at least one session to cancel."))
        return chosen


@account_required
@require_http_methods(["GET", "POST"])
def therapist_sessions(request: HttpRequest, therapist_id: int) -> HttpResponse:
    if not is_admin(request.user):
        raise Http404("No such therapist.")
    therapist = Therapist.objects.filter(pk=therapist_id).first()
    if therapist is None:
        raise Http404("No such therapist.")
    zone = viewer_zone(request, request.GET.get("tz"))
    account_active = therapist.user is None or therapist.user.is_active
    rows = [
        {
            "id": str(a.pk),
            "when": format_span(a.start, a.end, zone),
            "patient": display_name(a.patient),
            "kind": a.session_type.get_kind_display(),
        }
        for a in upcoming(therapist)
    ]
    form = CancelAllForm(
        request.POST if request.method == "POST" else None,
        shown=[(row["id"], _("%(when)s: %(patient)s, %(kind)s") % row) for row in rows],
    )
    if request.method == "POST" and not rows:
        # Sent twice, or everything changed meanwhile: nothing is left to cancel.
        messages.info(request, _("There is no booked session to come left to cancel."))
        return redirect("booking:therapist_sessions", therapist_id=therapist.pk)
    if request.method == "POST" and form.is_valid():
        count = cancel_upcoming(
            therapist,
            form.cleaned_data["appointment"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
            request=request,
        )
        if not count:
            # Sent twice (a double tap): the first request cancelled them while this one
            # was on its way, so nothing was cancelled or sent by this one.
            messages.info(
                request,
                _(
                    "No session was cancelled: the sessions chosen were no longer booked "
                    "(cancelled or moved meanwhile), so no e-mail was sent."
                ),
            )
        elif account_active:
            messages.success(
                request,
                ngettext(
                    "%(count)d session was cancelled. The patient and the therapist get an e-mail.",
                    "%(count)d sessions were cancelled. Each patient and the therapist get an "
                    "e-mail.",
                    count,
                )
                % {"count": count},
            )
        else:
            # E-mails go to active accounts only (booking.tasks): not to this therapist.
            messages.success(
                request,
                ngettext(
                    "%(count)d session was cancelled. The patient gets an e-mail.",
                    "%(count)d sessions were cancelled. Each patient gets an e-mail.",
                    count,
                )
                % {"count": count},
            )
        return redirect("booking:therapist_sessions", therapist_id=therapist.pk)
    context = {
        "therapist": therapist,
        "rows": rows,
        "form": form,
        "zone": zone,
        "account_active": account_active,
    }
    status = 400 if form.is_bound else 200
    return render(request, "booking/therapist_sessions.html", context, status=status)
