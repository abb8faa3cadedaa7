"""The assessments a browser did without an account, and attaching them to an account.

The assessment pages keep the ids of results made in this browser in the session
(``assessment_ids``). Which of them go into an account, and when, is decided in
``rehabit.accounts.earlier``: on sign-in or sign-up only those made in this sitting go in
by themselves; the person is asked about older ones (the browser may be a shared one).
This module only reads the list, attaches the ones it is told to, and forgets the ones
the person says are not theirs.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction

from rehabit.assessments.models import Assessment

SESSION_KEY = "assessment_ids"


def _valid_ids(raw: object) -> list[str]:
    if not isinstance(raw, list):
        return []
    ids = []
    for value in raw:
        try:
            ids.append(str(uuid.UUID(str(value))))
        except ValueError:
            continue
    return ids


def listed_assessments(session_data: Mapping[str, Any]) -> list[str]:
    """The assessment ids a session lists as done in it (decoded session data)."""
    return _valid_ids(session_data.get(SESSION_KEY))


def waiting_assessments(session: SessionBase) -> list[tuple[str, datetime]]:
    """(id, when it was made) of each assessment the session lists that nobody owns,
    oldest first."""
    ids = _valid_ids(session.get(SESSION_KEY))
    if not ids:
        return []
    found = Assessment.objects.filter(pk__in=ids, owner__isnull=True).order_by("created_at")
    return [(str(pk), made) for pk, made in found.values_list("pk", "created_at")]


def attach_assessments(
    session: SessionBase, user: Any, ids: Iterable[str]
) -> list[tuple[str, datetime]]:
    """Give ``user`` those of ``ids`` that this session lists and nobody owns yet (an id the
    session does not list is never taken, whoever asks); they leave the session's list.
    Returns (id, when it was made) of each one attached."""
    listed = _valid_ids(session.get(SESSION_KEY))
    wanted = set(listed) & {str(i) for i in ids}
    if not wanted or getattr(user, "pk", None) is None:
        return []
    with transaction.atomic():
        claimable = Assessment.objects.select_for_update().filter(pk__in=wanted, owner__isnull=True)
        found = [(str(pk), made) for pk, made in claimable.values_list("pk", "created_at")]
        Assessment.objects.filter(pk__in=[pk for pk, _ in found], owner__isnull=True).update(
            owner=user
        )
    attached = {pk for pk, _ in found}
    # Attached results now live in the account; the rest of the list stays as it was.
    session[SESSION_KEY] = [i for i in listed if i not in attached]
    return sorted(found, key=lambda item: item[1])


def forget_assessments(session: SessionBase, ids: Iterable[str]) -> None:
    """Take ``ids`` off the session's list (the person said they are not theirs): they stay
    without an owner and are erased by the retention rule (``assessments.retention``)."""
    dropped = {str(i) for i in ids}
    listed = _valid_ids(session.get(SESSION_KEY))
    session[SESSION_KEY] = [i for i in listed if i not in dropped]
