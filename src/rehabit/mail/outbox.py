"""Every e-mail goes through the outbox: written once, sent until it is sent or given up.

``post`` stores the finished message (one row per ``key``, so the same event never
makes two). Whoever sends it (the task that wrote it, at once, or the worker's
``send_due`` each round) first *claims* the row with one conditional UPDATE, as
reminders are claimed:

    UPDATE outgoing SET claimed_by=…, claimed_at=now, attempts=attempts+1
     WHERE id=… AND status='pending' AND (next_attempt_at IS NULL OR next_attempt_at <= now)
       AND (claimed_at IS NULL OR claimed_at < now - lease)

Only the caller whose update changed a row sends. On success the row is marked sent;
on a failure it is released with the error and a next attempt after a back-off that
doubles (``REHABIT_MAIL_RETRY_SECONDS``, 2×, 4× … at most an hour). It is given up on
(status "Given up", visible in the admin site with the last error) after
``REHABIT_MAIL_ATTEMPTS`` attempts, at once when the server refuses the address for
good (5xx), or when it has become pointless (``give_up_at``: a reminder after the
session started). A worker killed while sending leaves a claim that expires after
``REHABIT_REMINDER_LEASE_SECONDS``; the one window left is a crash between the SMTP
server accepting the message and the "sent" update, and the copy then sent has the
same Message-ID.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from email import message_from_bytes
from email.message import Message
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import MIMEMixin
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from rehabit.mail.models import MessageStatus, OutgoingMessage

logger = logging.getLogger(__name__)

MAX_DELAY = timedelta(hours=1)
TOO_LATE = "Given up: too late to be of use (past its give-up time)."
# What ``deliver`` reports.
SENT, FAILED, GAVE_UP, BUSY, WAITING, MISSING = (
    "sent",
    "failed",
    "gave up",
    "busy",
    "waiting",
    "missing",
)


# --- Posting --------------------------------------------------------------------------


def find(key: str) -> OutgoingMessage | None:
    return OutgoingMessage.objects.filter(key=key).first()


def post(
    message: EmailMessage,
    *,
    key: str,
    kind: str,
    recipient: Any = None,
    about: Any = None,
    give_up_at: datetime | None = None,
) -> OutgoingMessage:
    """Store ``message`` to be sent; a second post with the same ``key`` returns the first."""
    existing = find(key)
    if existing is not None:
        return existing
    (to,) = message.to
    try:
        with transaction.atomic():
            return OutgoingMessage.objects.create(
                key=key,
                kind=kind,
                recipient=recipient,
                about=about,
                to=to,
                sender=message.from_email,
                subject=str(message.subject)[:255],
                content=message.message().as_bytes(),
                give_up_at=give_up_at,
            )
    except IntegrityError:
        found = find(key)
        if found is None:
            raise
        return found


# --- Sending --------------------------------------------------------------------------


class _StoredMIME(MIMEMixin, Message):  # type: ignore[misc]
    """A parsed stored message that Django's backends can write out (``linesep``)."""


class StoredEmail(EmailMessage):
    """An outbox row as a Django e-mail: any backend sends the stored bytes as they are."""

    def __init__(self, row: OutgoingMessage) -> None:
        super().__init__(subject=row.subject, from_email=row.sender, to=[row.to])
        self._content = bytes(row.content)

    def message(self) -> Any:  # type: ignore[override]
        return message_from_bytes(self._content, _class=_StoredMIME)


def _lease() -> timedelta:
    return timedelta(seconds=settings.REHABIT_REMINDER_LEASE_SECONDS)


def delay_after(attempts: int) -> timedelta:
    """The wait before attempt ``attempts + 1``: the first delay, doubled each time."""
    first = timedelta(seconds=settings.REHABIT_MAIL_RETRY_SECONDS)
    return min(first * 2 ** max(attempts - 1, 0), MAX_DELAY)


def _claimable(now: datetime) -> Q:
    """Pending, due (a new message at once: ``next_attempt_at`` is empty, so a worker whose
    clock is behind the web server's does not wait), and not claimed by a live worker."""
    return (
        Q(status=MessageStatus.PENDING)
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - _lease()))
    )


def claim(message_id: int, worker_id: str, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    changed = OutgoingMessage.objects.filter(_claimable(now), pk=message_id).update(
        claimed_by=worker_id[:64], claimed_at=now, last_attempt_at=now, attempts=F("attempts") + 1
    )
    return changed == 1


def _finish(row: OutgoingMessage, worker_id: str, **fields: Any) -> None:
    """Release the claim and record the outcome (only while the claim is still ours)."""
    OutgoingMessage.objects.filter(pk=row.pk, claimed_by=worker_id[:64]).update(
        claimed_by="", claimed_at=None, **fields
    )


def _permanent(exc: BaseException) -> bool:
    """A failure that no retry can mend: the server refused every address for good (5xx),
    the message itself (5xx after the data), or the message cannot be sent at all (not an
    SMTP or network problem). A refused sender or failed sign-in is the site's setting,
    mended by its operator: retried."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPDataError):
        return exc.smtp_code >= 500
    return not isinstance(exc, smtplib.SMTPException | OSError)


def _unreachable(exc: BaseException) -> bool:
    """The server itself is not there (refused, timed out, hung up, no greeting): the
    round stops. An answer about one message (a refused address) does not stop it."""
    if isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)


def _why(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def _state(message_id: int, now: datetime) -> str:
    row = OutgoingMessage.objects.filter(pk=message_id).only("status", "claimed_at").first()
    if row is None:
        return MISSING
    if row.status == MessageStatus.SENT:
        return SENT
    if row.status == MessageStatus.FAILED:
        return GAVE_UP
    if row.claimed_at is not None and row.claimed_at >= now - _lease():
        return BUSY
    return WAITING


def deliver(
    message_id: int, worker_id: str, *, connection: Any = None, now: datetime | None = None
) -> str:
    """Claim and send one message if it is due. Returns what happened: sent, failed (to
    be retried), gave up; or, when it was not ours to send, its state: sent, gave up,
    busy (another worker is sending it), waiting (for its next attempt)."""
    return _deliver(message_id, worker_id, connection, now or timezone.now())[0]


def _deliver(
    message_id: int, worker_id: str, connection: Any, now: datetime
) -> tuple[str, BaseException | None]:
    if not claim(message_id, worker_id, now):
        return _state(message_id, now), None
    row = OutgoingMessage.objects.get(pk=message_id)
    if row.give_up_at is not None and now >= row.give_up_at:
        _finish(row, worker_id, status=MessageStatus.FAILED, content=b"", last_error=TOO_LATE)
        logger.warning("Outgoing %s %s given up: too late to be of use.", row.kind, row.key)
        return GAVE_UP, None
    own = connection is None
    connection = connection or get_connection()
    try:
        connection.open()
        if connection.send_messages([StoredEmail(row)]) != 1:
            raise smtplib.SMTPException("The mail backend did not accept the message.")
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row
        connection.close()  # a half-finished SMTP session is not reused
        return _failed(row, worker_id, exc, now), exc
    finally:
        if own:
            connection.close()
    _finish(
        row,
        worker_id,
        status=MessageStatus.SENT,
        sent_at=timezone.now(),
        content=b"",
        last_error="",
    )
    return SENT, None


def _failed(row: OutgoingMessage, worker_id: str, exc: BaseException, now: datetime) -> str:
    attempts = row.attempts  # already counted by the claim
    if _permanent(exc) or attempts >= settings.REHABIT_MAIL_ATTEMPTS:
        _finish(row, worker_id, status=MessageStatus.FAILED, content=b"", last_error=_why(exc))
        logger.error(
            "Outgoing %s %s given up after %d attempt(s): %s", row.kind, row.key, attempts, exc
        )
        return GAVE_UP
    _finish(row, worker_id, next_attempt_at=now + delay_after(attempts), last_error=_why(exc))
    logger.warning(
        "Outgoing %s %s not sent (attempt %d), retried later: %s", row.kind, row.key, attempts, exc
    )
    return FAILED


def due_ids(now: datetime | None = None, limit: int = 100) -> list[int]:
    now = now or timezone.now()
    return list(
        OutgoingMessage.objects.filter(_claimable(now))
        .order_by(F("next_attempt_at").asc(nulls_first=True), "id")
        .values_list("pk", flat=True)[:limit]
    )


def send_due(worker_id: str, limit: int = 100) -> int:
    """Send every message that is due (new, retry time reached, or claim expired), over
    one connection; stop the round when the server cannot be reached. Then forget
    finished messages past their retention. Returns how many were sent."""
    sent = 0
    connection = get_connection()
    try:
        for message_id in due_ids(limit=limit):
            outcome, error = _deliver(message_id, worker_id, connection, timezone.now())
            sent += outcome == SENT
            if error is not None and _unreachable(error):
                break  # the rest wait for the next round, not counted as attempts
    finally:
        connection.close()
    purge()
    return sent


def purge(now: datetime | None = None) -> int:
    """Forget sent and given-up messages older than ``REHABIT_MAIL_KEEP_DAYS``."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.REHABIT_MAIL_KEEP_DAYS)
    deleted, _ = OutgoingMessage.objects.filter(
        status__in=[MessageStatus.SENT, MessageStatus.FAILED], created_at__lt=cutoff
    ).delete()
    return deleted
