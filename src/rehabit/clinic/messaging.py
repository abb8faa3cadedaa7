"""Secure messages between a patient and their therapist: the only code that writes them.

- A conversation exists between a patient and a therapist related by an appointment
  (``relations.related``); sending needs that relationship now, for either side.
- The patient reads their own conversations at any time; the therapist while related.
  Each time a therapist opens a conversation it is written to the audit log (the patient
  sees it under "Who viewed my record").
- Text is cleaned as other people's words are (``rehabit.mail.words.clean``: invisible
  format characters removed) and refused with control characters; at most
  ``MESSAGE_MAX_LENGTH`` characters. A retried send with the same token is stored once.
- At most ``REHABIT_MESSAGES_PER_CONVERSATION`` messages from one person in one
  conversation in ``REHABIT_RATE_LIMIT_WINDOW_SECONDS`` (``rehabit.core.rate_limits``).
- The other side gets an e-mail that a message is waiting (no content), once per run of
  unread messages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from rehabit.audit.models import AuditAction
from rehabit.audit.services import record
from rehabit.booking.models import Therapist
from rehabit.clinic import notices
from rehabit.clinic.errors import FieldErrors, Refused
from rehabit.clinic.models import (
    DEFAULT_REPLY_DAYS,
    MESSAGE_MAX_LENGTH,
    Message,
    MessageThread,
    MessagingSettings,
)
from rehabit.clinic.relations import in_practice, related, related_patient_ids, therapist_record
from rehabit.core.rate_limits import count_message
from rehabit.mail.words import their_words

TOKEN_MAX = 64


# --- Who --------------------------------------------------------------------------------


def side_of(user: Any, thread: MessageThread) -> str | None:
    """ "patient" or "therapist" for a participant of ``thread``, else None."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.pk == thread.patient_id:
        return "patient"
    if thread.therapist.user_id is not None and user.pk == thread.therapist.user_id:
        # Only while the account holds the therapist role (as threads_of and every other
        # therapist page): the role taken away, the account is a patient's, signed in
        # without a second factor.
        return "therapist" if therapist_record(user) is not None else None
    return None


def can_read(user: Any, thread: MessageThread) -> bool:
    side = side_of(user, thread)
    if side == "therapist":
        return related(thread.therapist, thread.patient)
    return side == "patient"


def can_send(user: Any, thread: MessageThread) -> bool:
    return side_of(user, thread) is not None and related(thread.therapist, thread.patient)


def reply_days(therapist: Therapist) -> int:
    found = MessagingSettings.objects.filter(therapist=therapist).first()
    return found.reply_within_days if found is not None else DEFAULT_REPLY_DAYS


# --- Conversations ------------------------------------------------------------------------


def threads_of(user: Any) -> list[MessageThread]:
    """The conversations a person may open: a patient's own; a therapist's with patients
    related now. Newest activity first."""
    found = therapist_record(user)
    if found is not None:
        threads = MessageThread.objects.filter(therapist=found).select_related("patient")
        related_ids = related_patient_ids(found)
        return [t for t in threads if t.patient_id in related_ids]
    if not getattr(user, "is_authenticated", False):
        return []
    return list(MessageThread.objects.filter(patient=user).select_related("therapist"))


def open_thread(user: Any, *, therapist_id: Any = None, patient_id: Any = None) -> MessageThread:
    """The conversation between ``user`` and the other side (created on first use).
    A patient names a therapist (``booking.Therapist`` id), a therapist a patient (account
    id). Raises Refused without a relationship now."""
    from django.contrib.auth import get_user_model

    mine = therapist_record(user)
    if mine is not None:
        patient = get_user_model().objects.filter(pk=_int(patient_id), is_active=True).first()
        therapist = mine
    else:
        patient = user if getattr(user, "is_authenticated", False) else None
        therapist = Therapist.objects.filter(pk=_int(therapist_id)).first()
    if patient is None or therapist is None or not related(therapist, patient):
        raise Refused(_("You can write only to someone you have or recently had a session with."))
    try:
        with transaction.atomic():
            thread, _created = MessageThread.objects.get_or_create(
                patient=patient, therapist=therapist
            )
    except IntegrityError:
        thread = MessageThread.objects.get(patient=patient, therapist=therapist)
    return thread


def _int(value: Any) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 0


# --- Reading ------------------------------------------------------------------------------


def messages_of(thread: MessageThread) -> list[Message]:
    return list(thread.messages.order_by("sent_at", "id"))


def _from_other_side(side: str) -> Q:
    return Q(from_patient=side == "therapist")


def read_thread(request: HttpRequest, thread: MessageThread) -> list[Message]:
    """The messages of ``thread`` for a participant who may read it (Refused otherwise).
    A therapist's read is audited. Marks nothing read (``mark_read`` does)."""
    user = request.user
    if not can_read(user, thread):
        raise Refused(_("This conversation is not yours to read."))
    if side_of(user, thread) == "therapist":
        record(
            AuditAction.RECORD_VIEWED,
            request=request,
            subject=thread.patient,
            target_type="messagethread",
            target_id=thread.pk,
        )
    return messages_of(thread)


def mark_read(user: Any, thread: MessageThread, *, now: datetime | None = None) -> int:
    """Mark the other side's messages read; returns how many were unread."""
    side = side_of(user, thread)
    if side is None or not can_read(user, thread):
        raise Refused(_("This conversation is not yours to read."))
    return Message.objects.filter(
        _from_other_side(side), thread=thread, read_at__isnull=True
    ).update(read_at=now or timezone.now())


def unread_count(user: Any) -> int:
    """Unread messages waiting for ``user`` in the conversations they may open."""
    return sum(unread_in(user, t) for t in threads_of(user))


def unread_for_patient(user: Any) -> int:
    """Unread messages from therapists in a patient's conversations (one query)."""
    return Message.objects.filter(
        thread__patient=user, from_patient=False, read_at__isnull=True
    ).count()


def unread_in(user: Any, thread: MessageThread) -> int:
    side = side_of(user, thread)
    if side is None:
        return 0
    return thread.messages.filter(_from_other_side(side), read_at__isnull=True).count()


# --- Writing ------------------------------------------------------------------------------


def clean_body(raw: Any) -> str:
    """The message as it will be stored, or FieldErrors naming the problem."""
    body, problem = their_words(raw, limit=MESSAGE_MAX_LENGTH, required=True, what=_("message"))
    if problem:
        raise FieldErrors({"body": [problem]})
    return body


def send(
    user: Any, thread: MessageThread, raw_body: Any, *, token: str = ""
) -> tuple[Message, bool]:
    """Store a message from ``user`` in ``thread`` and tell the other side by e-mail that a
    message is waiting. Returns (message, created): a retry with the same ``token`` from
    the same side gives the first one (the other side's token never matches). Raises
    Refused (not a participant, or no relationship now) or FieldErrors (bad text; nothing
    stored), or ``rehabit.core.throttle.RateLimited`` (too many in a short time; nothing
    stored): counted once the text is found valid, a retry's replay is not counted."""
    side = side_of(user, thread)
    if side == "patient" and not in_practice(thread.therapist):
        raise Refused(
            _("%(name)s no longer sees patients on Rehabit, so messages can no longer be sent.")
            % {"name": thread.therapist.name}
        )
    if side is None or not can_send(user, thread):
        raise Refused(
            _(
                "You can send messages only while you have or recently had a session "
                "with each other."
            )
        )
    token = (token or "").strip()[:TOKEN_MAX]
    from_patient = side == "patient"
    mine = thread.messages.filter(from_patient=from_patient, client_token=token)
    if token and (found := mine.first()) is not None:
        return found, False
    body = clean_body(raw_body)
    now = timezone.now()
    try:
        with transaction.atomic():
            count_message(user, thread)
            earlier_unread = thread.messages.filter(
                from_patient=from_patient, read_at__isnull=True
            ).exists()
            message = Message.objects.create(
                thread=thread,
                sender=user,
                from_patient=from_patient,
                body=body,
                sent_at=now,
                client_token=token,
            )
            MessageThread.objects.filter(pk=thread.pk).update(last_message_at=now)
            if not earlier_unread:  # one e-mail per run of unread messages
                recipient = thread.therapist.user if from_patient else thread.patient
                notices.post_message_waiting(recipient, thread, message)
    except IntegrityError:
        if not token:
            raise
        return mine.get(), False
    thread.last_message_at = now
    return message, True
