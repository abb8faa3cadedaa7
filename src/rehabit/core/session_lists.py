"""Records a browser made without an account, listed by id in its session.

A visitor's check or prevention session is stored without an owner; the browser's
session keeps the ids (a list of UUIDs under one key), so its pages can show them and
signing in can attach them (``rehabit.accounts.earlier`` decides which, and when). One
``SessionList`` per kind of record reads that list, finds what still has no owner,
attaches what it is told to, and forgets what the person says is not theirs.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models, transaction


def valid_ids(raw: object) -> list[str]:
    """The UUIDs of a stored list, in order; anything else in it is dropped."""
    if not isinstance(raw, list):
        return []
    ids = []
    for value in raw:
        try:
            ids.append(str(uuid.UUID(str(value))))
        except ValueError:
            continue
    return ids


@dataclass(frozen=True)
class SessionList:
    """The ids of ``model`` rows (with a nullable ``owner``) listed under ``key`` in a
    session; ``made`` names the field holding when each was made."""

    key: str
    model: type[models.Model]
    made: str

    def ids(self, session: Mapping[str, Any]) -> list[str]:
        """The ids the session lists (a session, or its decoded data)."""
        return valid_ids(session.get(self.key))

    def waiting(self, session: Mapping[str, Any]) -> list[tuple[str, datetime]]:
        """(id, when made) of each listed row that nobody owns, oldest first."""
        ids = self.ids(session)
        if not ids:
            return []
        found = self.model._default_manager.filter(pk__in=ids, owner__isnull=True)
        return [(str(pk), at) for pk, at in found.order_by(self.made).values_list("pk", self.made)]

    def attach(self, session: Any, user: Any, ids: Iterable[str]) -> list[tuple[str, datetime]]:
        """Give ``user`` those of ``ids`` that the session lists and nobody owns yet (an id
        the session does not list is never taken, whoever asks); they leave the list.
        Returns (id, when made) of each one attached, oldest first."""
        listed = self.ids(session)
        wanted = set(listed) & {str(i) for i in ids}
        if not wanted or getattr(user, "pk", None) is None:
            return []
        rows = self.model._default_manager
        with transaction.atomic():
            claimable = rows.select_for_update().filter(pk__in=wanted, owner__isnull=True)
            found = [(str(pk), at) for pk, at in claimable.values_list("pk", self.made)]
            rows.filter(pk__in=[pk for pk, _at in found], owner__isnull=True).update(owner=user)
        attached = {pk for pk, _at in found}
        # Attached rows now live in the account; the rest of the list stays as it was.
        session[self.key] = [i for i in listed if i not in attached]
        return sorted(found, key=lambda item: item[1])

    def forget(self, session: Any, ids: Iterable[str]) -> None:
        """Take ``ids`` off the list (the person said they are not theirs): they stay
        without an owner, listed nowhere, until the retention rule erases them."""
        dropped = {str(i) for i in ids}
        session[self.key] = [i for i in self.ids(session) if i not in dropped]
