"""Administrators' page for the exercise library: take an exercise out of use, or bring it
back (``rehabit.care.withdrawals``). Thin: parse, call the service, render."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from rehabit.accounts.roles import ADMIN, role_of
from rehabit.care import presenters
from rehabit.care.models import WITHDRAWAL_REASON_MAX, ExerciseWithdrawal
from rehabit.care.withdrawals import WithdrawalError, open_library, restore, standing, withdraw
from rehabit.clinical.exercises import Exercise, load_exercises
from rehabit.mail.words import up_to

# The latest exercises brought back; the audit log keeps every withdrawal and return.
HISTORY_ROWS = 10


class WithdrawForm(forms.Form):
    exercise = forms.ChoiceField(
        label=_lazy("Exercise"),
        error_messages={
            "required": _lazy("Choose the exercise to take out of use."),
            "invalid_choice": _lazy("Choose an exercise of the library that is in use."),
        },
    )
    reason = forms.CharField(
        label=_lazy("Reason, shown to patients"),
        help_text=up_to(
            WITHDRAWAL_REASON_MAX,
            _lazy(
                "Patients whose program had it read this, for example: “Paused while we "
                "check the instructions. Do the rest of your program.”"
            ),
        ),
        # No maxlength: a browser cuts pasted text at it without a word (a phone walk); the
        # check says how long it is and keeps it.
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,  # an empty reason gets the service's own message
        strip=False,
    )

    def __init__(self, data: Any, *, in_use: tuple[Exercise, ...]) -> None:
        super().__init__(data)
        self.fields["exercise"].choices = [("", _("Choose an exercise"))] + [
            (
                e.id,
                _("%(name)s (level %(level)s)") % {"name": presenters.tr(e.name), "level": e.level},
            )
            for e in sorted(in_use, key=lambda e: (presenters.tr(e.name), e.level))
        ]


def _admin_only(request: HttpRequest) -> None:
    if role_of(request.user) != ADMIN or not request.user.has_perm("care.manage_exercises"):
        raise Http404("Not found.")


@require_http_methods(["GET", "POST"])
@login_required
def manage_exercises(request: HttpRequest) -> HttpResponse:
    """Exercises out of use (with a way to bring each back), a form to take one out of
    use, and the history of both."""
    _admin_only(request)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "restore":
        return _restore(request)
    if action is not None and action != "withdraw":
        messages.error(request, _("That button is not known here; nothing was changed."))
        return redirect("care:manage_exercises")
    # The withdrawals in force, read once for the form's choices and the list (restoring
    # and an unknown button redirect above without them).
    withdrawn = standing()
    form = WithdrawForm(
        request.POST if action == "withdraw" else None,
        in_use=open_library(frozenset(withdrawn)),
    )
    if action == "withdraw" and form.is_valid():
        try:
            withdraw(form.cleaned_data["exercise"], form.cleaned_data["reason"], request=request)
        except WithdrawalError as refused:
            form.add_error(refused.field or None, refused.message)
        else:
            messages.success(
                request,
                _(
                    "The exercise is out of use: it is no longer offered, and patients whose "
                    "program had it are told your reason."
                ),  # fmt: skip
            )
            return redirect("care:manage_exercises")
    names = {e.id: presenters.tr(e.name) for e in load_exercises()}
    out_of_use = sorted(withdrawn.values(), key=lambda r: names.get(r.exercise_id, ""))
    returned = ExerciseWithdrawal.objects.exclude(restored_at__isnull=True)
    history = list(returned[: HISTORY_ROWS + 1])
    return render(
        request,
        "care/manage_exercises.html",
        {
            "form": form,
            "out_of_use": [
                (row, names.get(row.exercise_id, row.exercise_id)) for row in out_of_use
            ],
            "history": [
                (row, names.get(row.exercise_id, row.exercise_id)) for row in history[:HISTORY_ROWS]
            ],
            "more_history": len(history) > HISTORY_ROWS,
            "in_use": len(names) - len(out_of_use),
        },
        status=422 if form.errors else 200,
    )


def _restore(request: HttpRequest) -> HttpResponse:
    """Bring an exercise back: the service's one update finds the withdrawal in force and
    ends it, so the page reads nothing of the withdrawals first (it redirects, not lists)."""
    try:
        brought_back = restore(request.POST.get("exercise"), request=request)
    except WithdrawalError as refused:
        messages.error(request, refused.message)
    else:
        if brought_back:
            messages.success(request, _("The exercise is in use again."))
        else:
            messages.info(request, _("That exercise was already in use; nothing changed."))
    return redirect("care:manage_exercises")
