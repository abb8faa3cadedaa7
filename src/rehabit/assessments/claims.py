"""The assessments a browser did without an account, and attaching them to an account.

The assessment pages keep the ids of results made in this browser in the session
(``assessment_ids``). Which of them go into an account, and when, is decided in
``rehabit.accounts.earlier``: on sign-in or sign-up only those made in this sitting go in
by themselves; the person is asked about older ones (the browser may be a shared one).
This module only reads the list, attaches the ones it is told to, and forgets the ones
the person says are not theirs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rehabit.assessments.models import Assessment
from rehabit.core.session_lists import SessionList

SESSION_KEY = "assessment_ids"
_LISTED = SessionList(SESSION_KEY, Assessment, "created_at")

# (id, when made) of each listed assessment nobody owns, oldest first; attach those of
# some ids the session lists and nobody owns to a user; take ids off the list. See
# core.session_lists.
waiting_assessments = _LISTED.waiting
attach_assessments = _LISTED.attach
forget_assessments = _LISTED.forget


def listed_assessments(session_data: Mapping[str, Any]) -> list[str]:
    """The assessment ids a session lists as done in it (decoded session data)."""
    return _LISTED.ids(session_data)
