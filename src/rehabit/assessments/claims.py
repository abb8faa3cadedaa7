"""Attach the assessments a person did anonymously to their account.

The assessment pages keep the ids of results made in this browser in the session
(``assessment_ids``). On sign-up and sign-in (called from ``rehabit.accounts.adapter``)
those nobody owns yet become the person's, so nothing has to be typed again.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
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


def claim_session_assessments(session: SessionBase, user: Any) -> list[str]:
    """Give the session's unowned assessments to ``user``; returns the ids claimed."""
    ids = _valid_ids(session.get(SESSION_KEY))
    if not ids or user.pk is None:
        return []
    with transaction.atomic():
        claimable = Assessment.objects.select_for_update().filter(pk__in=ids, owner__isnull=True)
        claimed = [str(pk) for pk in claimable.values_list("pk", flat=True)]
        Assessment.objects.filter(pk__in=claimed, owner__isnull=True).update(owner=user)
    # Claimed results now live in the account; keep only what is still anonymous.
    session[SESSION_KEY] = [i for i in ids if i not in claimed]
    return claimed
