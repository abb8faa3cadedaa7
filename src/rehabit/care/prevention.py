"""The prevention programme's log: the only place that writes prevention sessions, finds
the ones a visitor may see, and attaches a visitor's sessions to their account.

Stored like the care app's exercise log: a row per session, validated field by field with
the same messages, written once per form token. A signed-in person owns their sessions
from the first write. A visitor without an account logs anonymously: the row has no owner
and its id is kept in the browser's session (``SESSION_KEY``), so the page can list it and
signing in attaches it to the account: at once if it was logged in this sitting, else
once the person says it is theirs (``rehabit.accounts.earlier``; the browser may be a
shared one).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from rehabit.accounts.earlier import Kind, register_kind
from rehabit.care.models import NOTE_MAX_LENGTH, Difficulty, PreventionSession
from rehabit.care.services import IDEMPOTENCY_KEY_MAX, FieldErrors, Refused
from rehabit.care.withdrawals import standing
from rehabit.clinical.prevention import MAX_WEEK, Routine, week_of_plan
from rehabit.core.inputs import whole_number
from rehabit.core.session_lists import SessionList

SESSION_KEY = "prevention_session_ids"
SESSION_LIST_MAX = 200  # a browser's anonymous log keeps the newest this many


def _score(value: object) -> int | None:
    return whole_number(value, 0, 10)


def parse_week(value: object) -> int:
    """A Nordic plan week from a form or the address; raises FieldErrors if it is not a
    whole number from 1 to MAX_WEEK."""
    week = whole_number("" if value is None else str(value), 1, MAX_WEEK)
    if week is None:
        raise FieldErrors(
            {"week": [_("Choose a week from 1 to %(max)s of the Nordic plan.") % {"max": MAX_WEEK}]}
        )
    return week


def clean_prevention_log(data: Mapping[str, Any], routine: Routine) -> dict[str, Any]:
    """Check a logged session of one routine; return clean values or raise FieldErrors for
    every field with a problem."""
    errors: dict[str, list[str]] = {}
    out_of_use = standing()
    allowed = [item.exercise_id for item in routine.items if item.exercise_id not in out_of_use]
    raw = data.get("exercise_ids")
    ids = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list | tuple) else []
    if not ids:
        errors["exercise_ids"] = [_("Choose at least one exercise you did.")]
    elif unknown := [str(i) for i in ids if i not in allowed]:
        errors["exercise_ids"] = [
            _("Not an exercise in this routine: %(ids)s.") % {"ids": ", ".join(unknown)}
        ]
    clean: dict[str, Any] = {"exercises": [i for i in allowed if i in ids]}
    for key, message in (
        ("pain_during", _("Choose the worst pain you felt during the exercises, from 0 to 10.")),
        ("pain_after", _("Choose the pain you feel now, after the exercises, from 0 to 10.")),
    ):
        clean[key] = _score(data.get(key))
        if clean[key] is None:
            errors[key] = [message]
    clean["difficulty"] = data.get("difficulty")
    if clean["difficulty"] not in Difficulty.values:
        errors["difficulty"] = [_("Choose how hard the session felt.")]
    note = data.get("note") or ""
    note = note.strip() if isinstance(note, str) else ""
    if len(note) > NOTE_MAX_LENGTH:
        errors["note"] = [
            _("Keep the note to %(max)s characters or fewer (it has %(n)s).")
            % {"max": NOTE_MAX_LENGTH, "n": len(note)}
        ]
    clean["note"] = note
    clean["week"] = None
    if routine.uses_nordic_plan:
        try:
            clean["week"] = parse_week(data.get("week"))
        except FieldErrors as exc:
            errors.update(exc.errors)
    if errors:
        raise FieldErrors(errors)
    return clean


_LISTED = SessionList(SESSION_KEY, PreventionSession, "logged_at")
_listed = _LISTED.ids


def _mine(request: HttpRequest, entry: PreventionSession) -> bool:
    user = request.user
    if user.is_authenticated:
        return entry.owner_id == user.pk
    return entry.owner_id is None and str(entry.pk) in _listed(request.session)


def log_prevention_session(
    request: HttpRequest,
    routine: Routine,
    data: Mapping[str, Any],
    *,
    idempotency_key: str = "",
    now: datetime | None = None,
) -> tuple[PreventionSession, bool]:
    """Store one session for the person making the request; returns (session, created).
    A retry with the same form token returns the first one; a token someone else used is
    refused. Raises FieldErrors for invalid input, Refused for a spent token."""
    key = (idempotency_key or "").strip()[:IDEMPOTENCY_KEY_MAX]
    if key and (found := PreventionSession.objects.filter(idempotency_key=key).first()):
        if _mine(request, found):
            return found, False
        raise Refused(_("This form has already been used. Reload the page and log again."))
    clean = clean_prevention_log(data, routine)
    owner = request.user if request.user.is_authenticated else None
    try:
        with transaction.atomic():
            entry = PreventionSession.objects.create(
                owner=owner,
                routine=routine.id,
                logged_at=now or timezone.now(),
                idempotency_key=key,
                **clean,
            )
    except IntegrityError:
        if not key:
            raise
        return log_prevention_session(request, routine, data, idempotency_key=key, now=now)
    if owner is None:
        request.session[SESSION_KEY] = (_listed(request.session) + [str(entry.pk)])[
            -SESSION_LIST_MAX:
        ]
    return entry, True


def prevention_log(request: HttpRequest) -> QuerySet[PreventionSession]:
    """The sessions this person may see: their own, or this browser's anonymous ones."""
    if request.user.is_authenticated:
        return PreventionSession.objects.filter(owner=request.user)
    return PreventionSession.objects.filter(owner__isnull=True, pk__in=_listed(request.session))


def suggested_week(request: HttpRequest, today: date) -> int:
    """The Nordic plan week to offer: counted from the first logged strength session."""
    first = prevention_log(request).exclude(week=None).order_by("logged_at").first()
    zone = timezone.get_current_timezone()
    return week_of_plan(timezone.localtime(first.logged_at, zone).date() if first else None, today)


# (id, when logged) of each listed session nobody owns, oldest first; attach those of some
# ids the session lists and nobody owns to a user; take ids off the list. See
# core.session_lists.
waiting_prevention_sessions = _LISTED.waiting
attach_prevention_sessions = _LISTED.attach
forget_prevention_sessions = _LISTED.forget


# Signing in or up attaches the sessions logged in this sitting and asks about older ones
# (``rehabit.accounts.earlier``, which knows this kind through its registry).
register_kind(
    Kind(
        key="prevention",
        order=20,
        waiting=waiting_prevention_sessions,
        attach=attach_prevention_sessions,
        forget=forget_prevention_sessions,
        question=lambda when: (
            _("Is this prevention session yours? It was logged on %(when)s.") % {"when": when}
        ),
        saved=lambda when: (
            _("Your prevention session of %(when)s is saved to your account.") % {"when": when}
        ),
        not_saved=lambda when: (
            _(
                "The prevention session of %(when)s is not saved to your account and is no "
                "longer listed in this browser."
            )
            % {"when": when}
        ),
    )
)
