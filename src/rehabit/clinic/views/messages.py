"""Message pages: the list of conversations and one conversation (read and reply)."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rehabit.booking.people import display_name
from rehabit.clinic import messaging
from rehabit.clinic.errors import FieldErrors, Refused
from rehabit.clinic.models import MESSAGE_MAX_LENGTH, MessageThread
from rehabit.clinic.relations import (
    in_practice,
    may_see_record,
    patients_of,
    therapist_record,
    therapists_of,
)
from rehabit.clinic.views.common import signed_in
from rehabit.core.rate_limits import RateLimited
from rehabit.core.views import with_retry_after


def _other_name(user: Any, thread: MessageThread) -> str:
    if messaging.side_of(user, thread) == "therapist":
        return display_name(thread.patient)
    return thread.therapist.name


@require_http_methods(["GET", "POST"])
@signed_in
def threads(request: HttpRequest) -> HttpResponse:
    """GET: the person's conversations with unread counts and whom they can write to.
    POST (``therapist`` or ``patient``): open the conversation with them."""
    user = request.user
    if request.method == "POST":
        try:
            thread = messaging.open_thread(
                user,
                therapist_id=request.POST.get("therapist"),
                patient_id=request.POST.get("patient"),
            )
        except Refused as exc:
            flash.error(request, str(exc))
            return redirect("clinic:threads")
        return redirect("clinic:thread", thread_id=thread.pk)
    mine = messaging.threads_of(user)
    therapist = therapist_record(user)
    with_thread = {(t.patient_id, t.therapist_id) for t in mine}
    if therapist is not None:
        others = [
            {"field": "patient", "id": p.pk, "name": display_name(p)}
            for p in patients_of(therapist)
            if (p.pk, therapist.pk) not in with_thread
        ]
    else:
        others = [
            {"field": "therapist", "id": t.pk, "name": t.name}
            for t in therapists_of(user)
            if (user.pk, t.pk) not in with_thread
        ]
    rows = [
        {
            "thread": t,
            "name": _other_name(user, t),
            "unread": messaging.unread_in(user, t),
            "reply_days": messaging.reply_days(t.therapist),
        }
        for t in mine
    ]
    return render(
        request,
        "clinic/threads.html",
        {"rows": rows, "others": others, "is_therapist": therapist is not None},
    )


def _thread_or_404(request: HttpRequest, thread_id: UUID) -> MessageThread:
    thread = (
        MessageThread.objects.select_related("patient", "therapist").filter(pk=thread_id).first()
    )
    if thread is None or not messaging.can_read(request.user, thread):
        raise Http404(_("No such conversation."))
    return thread


@require_http_methods(["GET", "POST"])
@signed_in
def thread(request: HttpRequest, thread_id: UUID) -> HttpResponse:
    """Read a conversation (the other side's messages are then marked read) and reply.
    Bad text is shown again with the problem; nothing is lost."""
    found = _thread_or_404(request, thread_id)
    user = request.user
    errors: dict[str, list[str]] = {}
    paused: RateLimited | None = None
    body = ""
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            _message, created = messaging.send(
                user, found, body, token=request.POST.get("token", "")
            )
        except FieldErrors as exc:
            errors = exc.errors
        except RateLimited as refused:
            paused = refused  # the text is shown again, with the wait
        except Refused as exc:
            flash.error(request, str(exc))
            return redirect("clinic:thread", thread_id=found.pk)
        else:
            flash.success(
                request,
                _("Your message is sent.") if created else _("This message was already sent."),
            )
            return redirect(reverse("clinic:thread", args=[found.pk]) + "#latest")
    try:
        shown = messaging.read_thread(request, found)
    except Refused:
        raise Http404(_("No such conversation.")) from None
    side = messaging.side_of(user, found)
    unread_before = {
        m.pk for m in shown if m.read_at is None and m.from_patient == (side == "therapist")
    }
    if request.method == "GET":
        messaging.mark_read(user, found)
    therapist = therapist_record(user)
    page = render(
        request,
        "clinic/thread.html",
        {
            "thread": found,
            "side": side,
            "name": _other_name(user, found),
            "shown": [
                {
                    "message": m,
                    "mine": m.from_patient == (side == "patient"),
                    "new": m.pk in unread_before,
                }
                for m in shown
            ],  # fmt: skip
            "can_send": messaging.can_send(user, found),
            "therapist_gone": not in_practice(found.therapist),
            "reply_days": messaging.reply_days(found.therapist),
            "errors": errors,
            "paused": paused.message if paused is not None else "",
            "body": body,
            "max_length": MESSAGE_MAX_LENGTH,
            # Sent again, the same message keeps its token (stored once).
            "token": request.POST.get("token") if errors or paused else uuid.uuid4().hex,
            "record_url": reverse("clinic:prescription", args=[found.patient_id])
            if therapist is not None and may_see_record(therapist, found.patient)
            else "",
        },
        status=429 if paused is not None else 422 if errors else 200,
    )
    return with_retry_after(page, paused) if paused is not None else page
