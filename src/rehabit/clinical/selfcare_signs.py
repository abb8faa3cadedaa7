"""The signs to watch for ("Get help if you notice", ``watch_for`` in ``data/selfcare.yaml``):
how one is read and checked (its age group, the signs it covers, a parent's wording about
their child), and which a plan shows. Read as part of the self-care data
(``selfcare_file.parse_selfcare``), which passes the error to raise. Pure: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from rehabit.clinical.child_wording import is_child, speaks_to_the_patient
from rehabit.clinical.datafiles import cited, text_field
from rehabit.clinical.levels import LEVELS, RANK

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_WATCH_KEYS = frozenset(
    {"id", "sign", "action", "level", "conditions", "ages", "covers", "told_by", "for_a_child"}
    | {"source", "expert"}
)
_WATCH_CHILD_KEYS = frozenset({"sign", "action"})
AGES = ("child", "adult")  # a watch item only for a child (under 16, a parent answers), or not


@dataclass(frozen=True, slots=True)
class WatchItem:
    id: str
    sign: str
    action: str
    level: str
    conditions: frozenset[str] = frozenset()
    ages: str | None = None  # "child" or "adult": shown only to them; None: to everyone
    # Signs shown to everyone that this one, for its age group, says in their words (a
    # child's fever covers the adult's fever): a plan that shows this one does not also
    # show them. Checked at load (``check_covers``).
    covers: tuple[str, ...] = ()
    # The red flags that say this sign (``told_by`` in the data): when one of them fired, the
    # person has the sign now and the plan does not list it as one to look out for. Each
    # flag is at least as urgent as the sign, so the advice already given covers what the
    # sign would ask (checked at load, ``check_told_by``).
    told_by: frozenset[str] = frozenset()
    source: str | None = None
    expert: str | None = None
    # A parent's wording about their child (``for_a_child`` in the data), for a sign shown
    # to everyone: "Your child can no longer stand on the leg ...". Checked at load
    # (``check_sign_wording``).
    child_sign: str | None = None
    child_action: str | None = None

    def for_age(self, age: object) -> bool:
        return self.ages is None or (self.ages == "child") == is_child(age)

    def worded_for(self, age: object) -> WatchItem:
        """This sign as the one answering reads it: a child's parent reads its child wording."""
        if not is_child(age):
            return self
        return replace(
            self, sign=self.child_sign or self.sign, action=self.child_action or self.action
        )

    def to_dict(self) -> dict[str, object]:
        keys = ("id", "sign", "action", "level", "source", "expert")
        return {k: getattr(self, k) for k in keys}


def watch_item(
    raw: object, index: int, conditions: frozenset[str], error: type[ValueError]
) -> WatchItem:
    """One sign from the data; raise ``error`` (the self-care data's) on a problem."""
    where = f"watch_for[{index}]"
    if not isinstance(raw, Mapping) or not _ID.match(str(raw.get("id", ""))):
        raise error(f"{where}: needs a snake_case id")
    if set(raw) - _WATCH_KEYS or raw.get("level") not in LEVELS:
        raise error(f"{where}: unknown keys, or level not one of {LEVELS}")
    if raw.get("ages") not in (None, *AGES):
        raise error(f"{where}: ages must be one of {AGES}")
    covers = raw.get("covers") or []
    if not isinstance(covers, list) or not all(isinstance(c, str) for c in covers):
        raise error(f"{where}: covers must be a list of watch_for ids")
    told = [] if raw.get("told_by") is None else raw["told_by"]
    if not isinstance(told, list) or not all(isinstance(f, str) for f in told):
        raise error(f"{where}: told_by must be a list of red flag ids")
    child = raw.get("for_a_child") or {}
    if not isinstance(child, Mapping) or set(child) - _WATCH_CHILD_KEYS:
        raise error(f"{where}: for_a_child is a mapping with sign, action or both")
    named = [] if raw.get("conditions") is None else raw["conditions"]
    if not isinstance(named, list) or not all(
        isinstance(c, str) and c in conditions for c in named
    ):
        raise error(f"{where}.conditions: every value must be one of {sorted(conditions)}")
    source, expert = cited(raw, where, error)
    return WatchItem(
        id=str(raw["id"]),
        sign=text_field(raw, "sign", where, error),
        action=text_field(raw, "action", where, error),
        level=str(raw["level"]),
        conditions=frozenset(named),
        ages=None if raw.get("ages") is None else str(raw["ages"]),
        covers=tuple(covers),
        told_by=frozenset(told),
        source=source,
        expert=expert,
        child_sign=text_field(child, "sign", f"{where}.for_a_child", error)
        if "sign" in child
        else None,
        child_action=text_field(child, "action", f"{where}.for_a_child", error)
        if "action" in child
        else None,
    )


def check_sign_wording(watch: Sequence[WatchItem], error: type[ValueError]) -> None:
    """Refuse a sign a child's parent can be shown whose sign or action speaks to "you"
    without ``for_a_child`` wording ("Your child can no longer stand on the leg ..."). A
    child's parent is shown every sign for everyone that no child's sign covers; a child's
    own sign (``ages: child``) is in a parent's words already. Child wording where a parent
    never reads it (a child's or an adult's own sign, or one a child's sign covers) is
    refused too (unused)."""
    covered = {cid for w in watch if w.ages == "child" for cid in w.covers}
    for item in watch:
        where = f"watch_for {item.id!r}"
        shown = item.ages is None and item.id not in covered
        child = {"sign": item.child_sign, "action": item.child_action}
        for key, own in (("sign", item.sign), ("action", item.action)):
            if not shown and child[key] is not None:
                raise error(
                    f"{where}: for_a_child.{key} is never shown (the sign is "
                    f"{'for one age group' if item.ages else 'covered by a child sign'})"
                )
            if shown and child[key] is None and speaks_to_the_patient(own):
                raise error(
                    f'{where}: its {key} speaks to "you", and a child\'s parent can be shown '
                    f"it: give for_a_child.{key}, the wording a parent reads about their child"
                )


def check_told_by(
    watch: Sequence[WatchItem], flags: Mapping[str, str], error: type[ValueError]
) -> None:
    """Each sign's ``told_by`` names known red flags (``flags``: id -> disposition level),
    each at least as urgent as the sign: leaving the sign out when one fired loses nothing,
    the advice already given is at least what the sign would ask."""
    for item in watch:
        for flag in sorted(item.told_by):
            if flag not in flags:
                raise error(f"watch_for {item.id!r}: told_by names an unknown red flag {flag!r}")
            if RANK.get(flags[flag], 0) < RANK[item.level]:
                raise error(f"watch_for {item.id!r}: told_by {flag!r} is less urgent than the sign")


def check_covers(watch: Sequence[WatchItem], error: type[ValueError]) -> None:
    """A sign may cover (stand in for) another only where showing it alone loses nothing:
    it is for one age group (``ages``) and the covered sign is shown to that group too; it
    is at least as urgent, and shown with every likely cause the covered one is, so every
    plan that would show the covered sign to that group shows this one in its place; and
    the covered sign covers nothing itself (no chains)."""
    by_id = {w.id: w for w in watch}
    for item in watch:
        where = f"watch_for {item.id!r}"
        if item.covers and item.ages is None:
            raise error(f"{where}: only a sign for one age group (ages) covers")
        if len(set(item.covers)) != len(item.covers) or item.id in item.covers:
            raise error(f"{where}: covers repeats a sign or names itself")
        for cid in item.covers:
            covered = by_id.get(cid)
            if covered is None:
                raise error(f"{where}: covers an unknown sign {cid!r}")
            if covered.ages not in (None, item.ages):
                raise error(f"{where}: covers {cid!r}, not shown to its age group")
            if RANK[covered.level] > RANK[item.level]:
                raise error(f"{where}: covers the more urgent sign {cid!r}")
            if item.conditions and not (
                covered.conditions and covered.conditions <= item.conditions
            ):
                raise error(f"{where}: covers {cid!r}, shown with other causes")
            if covered.covers:
                raise error(f"{where}: covers {cid!r}, which covers others")


def not_yet_told(watch: Sequence[WatchItem], fired: frozenset[str]) -> tuple[WatchItem, ...]:
    """The signs shown, less those the person has already told (a red flag in a sign's
    ``told_by`` fired): a sign they have now is the reason for the advice at the top, not
    something to look out for. Applied after ``uncovered``, so that a sign covered by one
    already told stays hidden too (the covering sign is at least as urgent, and the advice
    already given is at least that: checked at load)."""
    return tuple(w for w in watch if w.told_by.isdisjoint(fired))


def uncovered(watch: Sequence[WatchItem]) -> tuple[WatchItem, ...]:
    """The signs shown, less those that a shown sign covers (said once, in its words)."""
    hidden = {cid for w in watch for cid in w.covers}
    return tuple(w for w in watch if w.id not in hidden)
