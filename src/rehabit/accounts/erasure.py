"""Erasing an account: everything the person wrote, and everything about them that is
not a record the law makes us keep, gone now, in one transaction.

Order (security findings 2, 9 and 10):

1. the erasure is written to the audit log (the pseudonymous id only);
2. the apps act first on the person's behalf (``account_erasure_begun``): the booking app
   closes the person's bookings through its own actions: waitlist entries closed,
   appointments that are not over yet cancelled (inside the change window too), the freed
   times offered to the waitlist, each therapist told (``rehabit.booking.erasure``);
3. sessions: every session signed in as the person is deleted, and the person's
   assessment ids are taken out of any other session. A check or prevention session such
   a session lists without an owner is left alone: it waits for whoever made it to say it
   is theirs ("Is this yours?", ``rehabit.accounts.earlier``), and on a shared computer it
   may be someone else's. The delete page lists each and offers to save
   them first; the retention rule erases the rest 90 days after their last use;
4. the admin's change history about any of it is blanked;
5. other apps remove what they keep about the person (``personal_data_erasing``: the
   clinical notes, the booking app's queued tasks about the person);
6. the rows: assessments with their exercise logs, check-ins, notes, levels and medicine
   answers; consents; the account with its profile, e-mail addresses and confirmations,
   authenticators (TOTP, recovery codes), allauth user sessions, appointments with their
   reminders, waitlist entries and offers, idempotency keys, calendar feed secret; queued
   booking tasks about them;
7. after the commit, on SQLite, the write-ahead log is checkpointed and truncated, so the
   erased rows do not linger in it; SQLite connections overwrite deleted content
   (``secure_delete``), so they do not linger in free pages of the database file either.

The audit log keeps its rows, which hold only the pseudonymous numeric id (no name, e-mail
or health content), for ``REHABIT_AUDIT_RETENTION_DAYS``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import NestedObjects
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.http import HttpRequest

from rehabit.accounts import lockout
from rehabit.accounts.models import ConsentEvent, TherapistInvitation
from rehabit.audit.models import AuditAction
from rehabit.audit.services import record

logger = logging.getLogger(__name__)

# Sent inside the erasure's transaction, right after the erasure is written to the audit
# log and before anything is removed, with ``user`` and ``request``: an app that must first
# act on the person's behalf does it here (the booking app cancels their sessions).
account_erasure_begun = Signal()
# Sent inside the erasure's transaction, before the account row is deleted, with
# ``user`` and ``assessment_ids``: an app that keeps something about a person outside a
# foreign key to the account removes it here.
personal_data_erasing = Signal()


def enable_secure_delete(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: SQLite overwrites deleted content with zeros."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")


def checkpoint_sqlite() -> tuple[int, int, int] | None:
    """Move the write-ahead log into the database file and truncate it (SQLite only).

    Returns SQLite's (busy, log frames, checkpointed frames), or None elsewhere. Busy
    means a reader held an old snapshot past the busy timeout; the next checkpoint (at
    the latest SQLite's automatic one) finishes the job.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return None  # inside a transaction a checkpoint cannot move anything
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, log, done = cursor.fetchone()
    except DatabaseError:  # the erasure has committed; never turn it into an error
        logger.exception("The SQLite checkpoint after an erasure failed.")
        return None
    if busy:
        logger.warning("The SQLite checkpoint after an erasure was busy; it will finish later.")
    return int(busy), int(log), int(done)


def _scan_sessions(user_id: int, assessment_ids: set[str]) -> None:
    """Delete the person's sessions; strip their assessment ids from any other."""
    from rehabit.assessments.claims import SESSION_KEY, listed_assessments

    doomed: list[str] = []
    for session in Session.objects.iterator():
        data = session.get_decoded()
        if data.get("_auth_user_id") == str(user_id):
            doomed.append(session.session_key)
        elif set(listed_assessments(data)) & assessment_ids:
            data[SESSION_KEY] = [i for i in data[SESSION_KEY] if str(i) not in assessment_ids]
            Session.objects.save(session.session_key, data, session.expire_date)
    try:
        from allauth.usersessions.models import UserSession

        doomed += UserSession.objects.filter(user_id=user_id).values_list("session_key", flat=True)
    except LookupError:  # pragma: no cover - usersessions not installed
        pass
    Session.objects.filter(session_key__in=doomed).delete()


def _blank_admin_history(user: Any) -> None:
    """The admin's change history names objects ("object_repr"): blank it for the account
    and everything deleted with it."""
    collector = NestedObjects(using="default")
    collector.collect([user])
    by_model: dict[type, list[str]] = defaultdict(list)
    for model, instances in collector.data.items():
        by_model[model] += [str(obj.pk) for obj in instances]
    for model, pks in by_model.items():
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=pks
        ).update(object_repr="[erased]", change_message="")


def _assessments_of(user: Any) -> set[str]:
    from rehabit.assessments.models import Assessment

    return {str(pk) for pk in Assessment.objects.filter(owner=user).values_list("pk", flat=True)}


def erase_account(user: Any, *, request: HttpRequest | None = None) -> int:
    """Erase the account and its personal data now; returns the pseudonymous id the audit
    log keeps."""
    from allauth.account.models import EmailAddress

    from rehabit.assessments.models import Assessment

    with transaction.atomic():
        user_id = int(user.pk)
        owned = _assessments_of(user)
        record(
            AuditAction.ACCOUNT_DELETED,
            request=request,
            subject=user_id,
            details={"assessments": len(owned)},
        )
        account_erasure_begun.send(sender=type(user), user=user, request=request)
        _scan_sessions(user_id, owned)
        _blank_admin_history(user)
        personal_data_erasing.send(sender=type(user), user=user, assessment_ids=sorted(owned))
        addresses = list(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
        lockout.clear(user.email, *addresses)
        Assessment.objects.filter(owner=user).delete()
        ConsentEvent.objects.filter(user=user).delete()
        # Invitations name the address (an invitation to it may predate the account).
        TherapistInvitation.objects.filter(
            Q(account=user) | Q(email__iexact=user.email) | Q(email__in=addresses)
        ).delete()
        user.delete()  # cascades to everything else with a foreign key to the account
        transaction.on_commit(checkpoint_sqlite)
    return user_id
