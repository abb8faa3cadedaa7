"""What this browser did without an account before someone signed in (a check, a
prevention session), and whether it goes into their account.

A visitor's results are kept without an owner, their ids in the browser's session. The
browser may be a shared one (a library, a family's computer): the person who signs in
later may not be the one who answered. So on sign-in and sign-up only what was made in
this sitting, ``REHABIT_CLAIM_WITHOUT_ASKING_MINUTES`` ago or less, goes into the account
by itself, with a message naming each one; anything older waits, still without an owner,
and the person is asked on a small page ("Is this yours?", ``earlier_views``), which shows
only its date and time. "Save to my account" attaches it (only if this session lists it
and nobody owns it yet); "Not mine" takes it off the session's list, and the retention
rule erases it in time. Skipping the question changes nothing.

Each kind of thing is known through ``register_kind`` (the care app registers prevention
sessions), so this module imports no app built on accounts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from rehabit.accounts.zones import page_zone
from rehabit.core.timefmt import format_when

SAVE = "save"
NOT_MINE = "not_mine"
CHOICES = (SAVE, NOT_MINE)
_FORM_NAME_SALT = "rehabit.accounts.earlier"


@dataclass(frozen=True)
class Kind:
    """One kind of thing a browser does without an account. The texts take the date and
    time already written out (``format_when``)."""

    key: str
    order: int
    waiting: Callable[[SessionBase], list[tuple[str, datetime]]]  # (id, made) not owned
    attach: Callable[[SessionBase, Any, Iterable[str]], list[tuple[str, datetime]]]
    forget: Callable[[SessionBase, Iterable[str]], None]
    question: Callable[[str], str]
    saved: Callable[[str], str]
    not_saved: Callable[[str], str]


@dataclass(frozen=True)
class Waiting:
    """One thing waiting for the person to say whether it is theirs."""

    kind: Kind
    pk: str
    made_at: datetime

    @property
    def token(self) -> str:
        """What the page's form names it by: not its id, which is the key to an unowned
        result (the person looking may not be the one who answered)."""
        return salted_hmac(_FORM_NAME_SALT, f"{self.kind.key}:{self.pk}").hexdigest()[:32]

    @property
    def question(self) -> str:
        return self.kind.question(format_when(self.made_at))


_kinds: dict[str, Kind] = {}


def register_kind(kind: Kind) -> None:
    _kinds[kind.key] = kind


def _registered() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda k: k.order)


def window() -> timedelta:
    return timedelta(minutes=int(settings.REHABIT_CLAIM_WITHOUT_ASKING_MINUTES))


def made_in_this_sitting(made_at: datetime, now: datetime | None = None) -> bool:
    """Was it made recently enough to go into the account without asking?"""
    return made_at >= (now or timezone.now()) - window()


def waiting(session: SessionBase) -> list[Waiting]:
    """Everything the session lists that nobody owns, oldest first."""
    found = [
        Waiting(kind, pk, made) for kind in _registered() for pk, made in kind.waiting(session)
    ]
    return sorted(found, key=lambda w: (w.made_at, w.kind.order))


def find(session: SessionBase, token: str) -> Waiting | None:
    """The waiting thing the page's form names, if this session still lists it."""
    if not token:
        return None
    return next((w for w in waiting(session) if w.token == token), None)


def claim_on_sign_in(request: HttpRequest, user: Any, now: datetime | None = None) -> None:
    """Sign-in and sign-up: attach what this browser made in this sitting, and say so;
    leave anything older waiting for the person's answer."""
    session = request.session
    now = now or timezone.now()
    saved: list[tuple[Kind, datetime]] = []
    for kind in _registered():
        recent = [pk for pk, made in kind.waiting(session) if made_in_this_sitting(made, now)]
        if recent:
            saved += [(kind, made) for _pk, made in kind.attach(session, user, recent)]
    if not saved:
        return
    zone, _guess = page_zone(request)  # the zone the next page shows times in
    with timezone.override(zone):
        for kind, made in sorted(saved, key=lambda item: item[1]):
            messages.success(request, kind.saved(format_when(made)))


def decide(request: HttpRequest, item: Waiting, choice: str) -> str:
    """Carry out the person's answer about one waiting thing; returns the message to show.
    "Save" attaches it only if the session still lists it and nobody owns it."""
    if choice not in CHOICES:
        raise ValueError(f"not a choice: {choice!r}")
    when = format_when(item.made_at)
    if choice == SAVE:
        if item.kind.attach(request.session, request.user, [item.pk]):
            return item.kind.saved(when)
        return _("Nothing was saved: it is no longer waiting in this browser.")
    item.kind.forget(request.session, [item.pk])
    return item.kind.not_saved(when)


def ask_first(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """After sign-in: when something older is waiting, show the question before the page
    the person was going to (which the question page leads on to)."""
    if not isinstance(response, HttpResponseRedirect) or not waiting(request.session):
        return response
    ask = reverse("accounts:earlier")
    return HttpResponseRedirect(f"{ask}?{urlencode({'next': response.url})}")


def _check_kind() -> Kind:
    from rehabit.assessments.claims import (
        attach_assessments,
        forget_assessments,
        waiting_assessments,
    )

    return Kind(
        key="check",
        order=10,
        waiting=waiting_assessments,
        attach=attach_assessments,
        forget=forget_assessments,
        question=lambda when: _("Is this check yours? It was done on %(when)s.") % {"when": when},
        saved=lambda when: _("Your check of %(when)s is saved to your account.") % {"when": when},
        not_saved=lambda when: (
            _(
                "The check of %(when)s is not saved to your account and is no longer listed in "
                "this browser. Anyone who has its address can still open it until it is "
                "erased, %(days)s days after its last use: on a shared computer, clear the "
                "browser's history too."
            )
            % {"when": when, "days": settings.REHABIT_UNCLAIMED_ASSESSMENT_DAYS}
        ),
    )


register_kind(_check_kind())
