"""The page that asks, after sign-in, whether what this browser did earlier without an
account is the person's (``rehabit.accounts.earlier``). GET shows each waiting thing by
its date and time only; POST carries out one answer."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rehabit.accounts import earlier


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("accounts:home")


@require_http_methods(["GET", "POST"])
@login_required
def earlier_work(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    problems: list[str] = []
    if request.method == "POST":
        token = request.POST.get("item", "")
        choice = request.POST.get("choice", "")
        item = earlier.find(request.session, token)
        if item is None:
            problems.append(
                _(
                    "That item is not waiting for an answer in this browser: it may already "
                    "be saved or set aside. Nothing was changed."
                )
                if token
                else _("Say which item your answer is about. Nothing was changed.")
            )
        if choice not in earlier.CHOICES:
            problems.append(_("Choose “Save to my account” or “Not mine”. Nothing was changed."))
        if not problems and item is not None:
            messages.success(request, earlier.decide(request, item, choice))
            if earlier.waiting(request.session):
                return redirect(f"{request.path}?{urlencode({'next': next_url})}")
            return redirect(next_url)
    items = earlier.waiting(request.session)
    return render(
        request,
        "accounts/earlier.html",
        {
            "items": items,
            "next": next_url,
            "problems": problems,
            "minutes": int(settings.REHABIT_CLAIM_WITHOUT_ASKING_MINUTES),
        },
        status=422 if problems else 200,
    )
