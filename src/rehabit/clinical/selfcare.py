"""The self-care plan: what to do in the first days, the days after, and when building back up.

Built from an assessment result (``assess(answers).to_dict()``), the answers and the days
since the pain began, from the reviewed data in ``data/selfcare.yaml`` (PEACE & LOVE,
evidence.md section 4) and the medicine screen in ``medication.py``. A red flag, or an
emergency or urgent disposition, suppresses the plan: the urgent advice stays first and the
plan only says "keep still and get help" until the person has been seen, with the medicine
screen's cautions (which painkillers may not be safe while they wait), never a suggestion.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Literal

from rehabit.clinical.child_wording import is_child, speaks_to_the_patient
from rehabit.clinical.conditions import load_conditions
from rehabit.clinical.datafiles import load_yaml
from rehabit.clinical.exercises import load_exercises
from rehabit.clinical.levels import LEVELS, RANK
from rehabit.clinical.medication import (
    MedicationAdvice,
    PlanItem,
    answer_rule,
    cited,
    medication_advice,
    plan_item,
    text_field,
    until_seen_advice,
    validate_medication_answers,
)
from rehabit.clinical.questionnaire import load_questionnaire
from rehabit.clinical.rules import Rule
from rehabit.clinical.triage import within_two_days

Phase = Literal["early", "middle", "loading"]
Framing = Literal["acute", "gradual"]
PHASES: tuple[Phase, ...] = ("early", "middle", "loading")
FRAMINGS: tuple[Framing, ...] = ("acute", "gradual")
SUPPRESSING_LEVELS = frozenset({"emergency", "urgent"})
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_ITEM_KEYS = frozenset(
    {"id", "title", "text", "steps", "phases", "framing", "conditions", "show_if", "hide_if"}
    | {"or_first_cause", "leaves_out", "for_a_child", "kind", "source", "expert"}
)
_CHILD_ITEM_KEYS = frozenset({"title", "text", "steps"})
_WATCH_KEYS = frozenset(
    {"id", "sign", "action", "level", "conditions", "ages", "covers", "for_a_child"}
    | {"source", "expert"}
)
_WATCH_CHILD_KEYS = frozenset({"sign", "action"})
AGES = ("child", "adult")  # a watch item only for a child (under 16, a parent answers), or not
_STAGES = ("early", "middle", "loading", "unknown")
STAGE_REASON_KEYS = (
    *(f"{f}_{s}" for f in FRAMINGS for s in _STAGES if (f, s) != ("gradual", "early")),
    "high_pain",
    "gradual_settling",
)


class SelfCareDataError(ValueError):
    """The self-care data is malformed."""


@dataclass(frozen=True, slots=True)
class ItemRule:
    """A plan item as written in the data, with its selection rules compiled."""

    item: PlanItem
    phases: frozenset[str]
    framing: str | None
    conditions: frozenset[str]
    show_if: Rule | None
    hide_if: Rule | None
    # Shown also when show_if does not hold, if the most likely cause is one of these
    # (``or_first_cause``): the sitting-bone advice follows pain placed at the sitting bone,
    # or a sitting-bone cause ranked first.
    first_causes: frozenset[str] = frozenset()
    # Exercises the home program leaves out while this item is shown (``leaves_out``): the
    # movements its text says to avoid (``left_out_by_plan``).
    leaves_out: frozenset[str] = frozenset()

    def applies(
        self, phase: str, framing: str, causes: Sequence[str], answers: Mapping[str, object]
    ) -> bool:
        first = bool(causes) and causes[0] in self.first_causes
        return (
            phase in self.phases
            and self.framing in (None, framing)
            and (not self.conditions or not self.conditions.isdisjoint(causes))
            and (self.show_if is None or self.show_if.holds(answers) or first)
            and (self.hide_if is None or not self.hide_if.holds(answers))
        )


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
    # show them. Checked at load (``_check_covers``).
    covers: tuple[str, ...] = ()
    source: str | None = None
    expert: str | None = None
    # A parent's wording about their child (``for_a_child`` in the data), for a sign shown
    # to everyone: "Your child can no longer stand on the leg ...". Checked at load
    # (``_check_child_wording``).
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


@dataclass(frozen=True, slots=True)
class SelfCareData:
    version: str
    early_until_day: int
    middle_until_day: int
    high_pain: int
    gradual_settle_pain: int
    cause_threshold: float
    acute_conditions: frozenset[str]
    gradual_conditions: frozenset[str]
    acute_onsets: frozenset[str]
    stage_titles: Mapping[str, str]
    stage_reasons: Mapping[str, str]
    items: tuple[ItemRule, ...]
    suppressed_notice: str
    suppressed_item: PlanItem  # emergency or urgent: keep still and get help
    suppressed_item_soon: PlanItem  # a "soon" warning sign: wait for the doctor's check
    suppressed_item_days: PlanItem  # urgent, "today or tomorrow": spare the leg until seen
    alongside_booking: PlanItem
    recheck: Mapping[str, PlanItem]
    # "soon": an appointment is already advised, so a re-check that does not settle brings
    # it forward instead of saying to book one.
    recheck_booked: Mapping[str, PlanItem]
    watch_for: tuple[WatchItem, ...]
    # A parent's wording about their child (``for_a_child`` in the data): plan items by id,
    # stage titles and reasons by key, the notice. Only where the text differs.
    child_items: Mapping[str, PlanItem]
    child_stage_titles: Mapping[str, str]
    child_stage_reasons: Mapping[str, str]
    child_suppressed_notice: str | None = None

    def worded(self, item: PlanItem, child: bool) -> PlanItem:
        """A plan item as the one answering reads it: a child's parent reads its child
        wording."""
        return self.child_items.get(item.id, item) if child else item


@dataclass(frozen=True, slots=True)
class SelfCarePlan:
    version: str
    disposition: str
    suppressed: bool
    days_since_onset: int | None
    causes: tuple[str, ...]  # the likely causes that shaped the plan
    items: tuple[PlanItem, ...]
    watch_for: tuple[WatchItem, ...]
    urgent_first: tuple[str, ...] = ()  # when suppressed: the disposition's headline and advice
    notice: str | None = None  # when suppressed: the plan is for after that care
    phase: Phase | None = None
    framing: Framing | None = None
    stage_title: str | None = None
    stage_reason: str | None = None
    booking: tuple[str, PlanItem] | None = None  # "soon": the booking headline, then the advice
    medication: MedicationAdvice | None = None
    recheck: PlanItem | None = None

    def to_dict(self) -> dict[str, object]:
        stage: dict[str, object] = {"phase": self.phase, "framing": self.framing}
        stage.update(title=self.stage_title, reason=self.stage_reason)
        stage["days_since_onset"] = self.days_since_onset
        booking = None
        if self.booking is not None:
            booking = {"headline": self.booking[0], **self.booking[1].to_dict()}
        return {
            "version": self.version,
            "disposition": self.disposition,
            "suppressed": self.suppressed,
            "urgent_first": list(self.urgent_first),
            "notice": self.notice,
            "phase": self.phase,
            "stage": None if self.phase is None else stage,
            "causes": list(self.causes),
            "booking": booking,
            "items": [i.to_dict() for i in self.items],
            "medication": None if self.medication is None else self.medication.to_dict(),
            "watch_for": [w.to_dict() for w in self.watch_for],
            "recheck": None if self.recheck is None else self.recheck.to_dict(),
        }


# --- Loading and checking the data ------------------------------------------------------


def _ids(raw: object, where: str, known: frozenset[str]) -> frozenset[str]:
    if raw is None:
        return frozenset()
    if not isinstance(raw, list) or not all(isinstance(v, str) and v in known for v in raw):
        raise SelfCareDataError(f"{where}: every value must be one of {sorted(known)}")
    return frozenset(raw)


def _rule(raw: object, where: str) -> Rule | None:
    return None if raw is None else answer_rule(raw, where, SelfCareDataError)


def _item(raw: object, where: str) -> PlanItem:
    return plan_item(raw, where, SelfCareDataError)


def _texts(raw: Mapping[str, Any], keys: Sequence[str], where: str) -> dict[str, str]:
    return {k: text_field(raw, k, where, SelfCareDataError) for k in keys}


def _child_item(raw: Mapping[str, Any], item: PlanItem, where: str) -> PlanItem | None:
    """A plan item as a child's parent reads it (``for_a_child``: title, text, steps or
    some, each beside the item's own; steps one for one), or None without child wording."""
    child = raw.get("for_a_child")
    if child is None:
        return None
    where = f"{where}.for_a_child"
    if not isinstance(child, Mapping) or not child or set(child) - _CHILD_ITEM_KEYS:
        raise SelfCareDataError(f"{where}: a mapping with title, text, steps or some")
    worded: dict[str, Any] = {}
    for key in child:
        if key == "steps":
            steps = child["steps"]
            if not isinstance(steps, list) or len(steps) != len(item.steps):
                raise SelfCareDataError(f"{where}: steps must match the item's, one each")
            worded["steps"] = tuple(
                text_field({"s": x}, "s", f"{where}.steps", SelfCareDataError) for x in steps
            )
        else:
            worded[key] = text_field(child, key, where, SelfCareDataError)
    return replace(item, **worded)


def _item_rule(
    raw: object, index: int, conditions: frozenset[str], exercises: frozenset[str]
) -> ItemRule:
    where = f"items[{index}]"
    if isinstance(raw, Mapping) and set(raw) - _ITEM_KEYS:
        raise SelfCareDataError(f"{where}: unknown keys {sorted(set(raw) - _ITEM_KEYS)}")
    item = _item(raw, where)
    assert isinstance(raw, Mapping)
    phases = _ids(raw.get("phases"), f"{where}.phases", frozenset(PHASES))
    framing = raw.get("framing")
    if not phases or framing not in (None, *FRAMINGS):
        raise SelfCareDataError(f"{where}: needs phases, and framing acute or gradual if any")
    first, leaves = raw.get("or_first_cause"), raw.get("leaves_out")
    if first is not None and (
        not isinstance(first, Mapping) or set(first) != {"conditions"} or "show_if" not in raw
    ):
        raise SelfCareDataError(f"{where}: or_first_cause is {{conditions: [...]}}, with show_if")
    if leaves is not None and (not isinstance(leaves, Mapping) or set(leaves) != {"exercise"}):
        raise SelfCareDataError(f"{where}: leaves_out is {{exercise: [exercise ids]}}")
    return ItemRule(
        item=item,
        phases=phases,
        framing=framing,
        conditions=_ids(raw.get("conditions"), f"{where}.conditions", conditions),
        show_if=_rule(raw.get("show_if"), f"{where}.show_if"),
        hide_if=_rule(raw.get("hide_if"), f"{where}.hide_if"),
        first_causes=_ids((first or {}).get("conditions"), f"{where}.or_first_cause", conditions),
        leaves_out=_ids((leaves or {}).get("exercise"), f"{where}.leaves_out", exercises),
    )


def _watch_item(raw: object, index: int, conditions: frozenset[str]) -> WatchItem:
    where = f"watch_for[{index}]"
    if not isinstance(raw, Mapping) or not _ID.match(str(raw.get("id", ""))):
        raise SelfCareDataError(f"{where}: needs a snake_case id")
    if set(raw) - _WATCH_KEYS or raw.get("level") not in LEVELS:
        raise SelfCareDataError(f"{where}: unknown keys, or level not one of {LEVELS}")
    if raw.get("ages") not in (None, *AGES):
        raise SelfCareDataError(f"{where}: ages must be one of {AGES}")
    covers = raw.get("covers") or []
    if not isinstance(covers, list) or not all(isinstance(c, str) for c in covers):
        raise SelfCareDataError(f"{where}: covers must be a list of watch_for ids")
    child = raw.get("for_a_child") or {}
    if not isinstance(child, Mapping) or set(child) - _WATCH_CHILD_KEYS:
        raise SelfCareDataError(f"{where}: for_a_child is a mapping with sign, action or both")
    source, expert = cited(raw, where, SelfCareDataError)
    return WatchItem(
        id=str(raw["id"]),
        sign=text_field(raw, "sign", where, SelfCareDataError),
        action=text_field(raw, "action", where, SelfCareDataError),
        level=str(raw["level"]),
        conditions=_ids(raw.get("conditions"), f"{where}.conditions", conditions),
        ages=None if raw.get("ages") is None else str(raw["ages"]),
        covers=tuple(covers),
        source=source,
        expert=expert,
        child_sign=text_field(child, "sign", f"{where}.for_a_child", SelfCareDataError)
        if "sign" in child
        else None,
        child_action=text_field(child, "action", f"{where}.for_a_child", SelfCareDataError)
        if "action" in child
        else None,
    )


def _check_child_wording(watch: Sequence[WatchItem]) -> None:
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
                raise SelfCareDataError(
                    f"{where}: for_a_child.{key} is never shown (the sign is "
                    f"{'for one age group' if item.ages else 'covered by a child sign'})"
                )
            if shown and child[key] is None and speaks_to_the_patient(own):
                raise SelfCareDataError(
                    f'{where}: its {key} speaks to "you", and a child\'s parent can be shown '
                    f"it: give for_a_child.{key}, the wording a parent reads about their child"
                )


def _check_covers(watch: Sequence[WatchItem]) -> None:
    """A sign may cover (stand in for) another only where showing it alone loses nothing:
    it is for one age group (``ages``) and the covered sign is shown to that group too; it
    is at least as urgent, and shown with every likely cause the covered one is, so every
    plan that would show the covered sign to that group shows this one in its place; and
    the covered sign covers nothing itself (no chains)."""
    by_id = {w.id: w for w in watch}
    for item in watch:
        where = f"watch_for {item.id!r}"
        if item.covers and item.ages is None:
            raise SelfCareDataError(f"{where}: only a sign for one age group (ages) covers")
        if len(set(item.covers)) != len(item.covers) or item.id in item.covers:
            raise SelfCareDataError(f"{where}: covers repeats a sign or names itself")
        for cid in item.covers:
            covered = by_id.get(cid)
            if covered is None:
                raise SelfCareDataError(f"{where}: covers an unknown sign {cid!r}")
            if covered.ages not in (None, item.ages):
                raise SelfCareDataError(f"{where}: covers {cid!r}, not shown to its age group")
            if RANK[covered.level] > RANK[item.level]:
                raise SelfCareDataError(f"{where}: covers the more urgent sign {cid!r}")
            if item.conditions and not (
                covered.conditions and covered.conditions <= item.conditions
            ):
                raise SelfCareDataError(f"{where}: covers {cid!r}, shown with other causes")
            if covered.covers:
                raise SelfCareDataError(f"{where}: covers {cid!r}, which covers others")


def _uncovered(watch: Sequence[WatchItem]) -> tuple[WatchItem, ...]:
    """The signs shown, less those that a shown sign covers (said once, in its words)."""
    hidden = {cid for w in watch for cid in w.covers}
    return tuple(w for w in watch if w.id not in hidden)


def stage_name(title: str) -> str:
    """A stage's name alone, its title before the colon ("Building back up"): a chart marks
    each stage by it, translated as a string of its own."""
    return title.split(":")[0].strip()


def _check_plan_wording(
    own: Sequence[tuple[str, PlanItem, PlanItem | None, bool]],
    texts: Sequence[tuple[str, str, str | None]],
) -> None:
    """Refuse a text of the plan a child's parent can be shown (a stage title or reason,
    a plan item's title, text or steps, the notice) that speaks to "you" without
    ``for_a_child`` wording, the way a parent reads it about their child ("Raise your
    child's leg when they rest"); child wording that still speaks to "you" without naming
    the child; and child wording on an item a child is never shown (unused).

    ``own``: (where, item, its child wording, whether a child can be shown it);
    ``texts``: (where, text, its child wording)."""
    for where, item, child, shown in own:
        if not shown:
            if child is not None:
                raise SelfCareDataError(f"{where}: for_a_child, but a child is never shown it")
            continue
        for key in ("title", "text", "steps"):
            mine, theirs = getattr(item, key), getattr(child, key) if child else None
            said = " ".join(mine) if key == "steps" else mine
            if speaks_to_the_patient(said) and (theirs is None or theirs == mine):
                raise SelfCareDataError(
                    f'{where}: its {key} speaks to "you", and a child\'s parent can be shown '
                    f"it: give for_a_child.{key}, the wording a parent reads about their child"
                )
            if theirs is not None and theirs != mine:
                told = " ".join(theirs) if key == "steps" else str(theirs)
                if speaks_to_the_patient(told):
                    raise SelfCareDataError(
                        f'{where}: for_a_child.{key} still speaks to "you" without the child'
                    )
    for where, text, child_text in texts:
        if child_text is None and speaks_to_the_patient(text):
            raise SelfCareDataError(
                f'{where}: speaks to "you", and a child\'s parent can be shown it: give its '
                "for_a_child wording, the wording a parent reads about their child"
            )
        if child_text is not None and speaks_to_the_patient(child_text):
            raise SelfCareDataError(f'{where}: its for_a_child still speaks to "you"')


def _child_texts(
    raw: object, known: Sequence[str], where: str, own: Mapping[str, str]
) -> dict[str, str]:
    """Child wording for some of a mapping's texts (stage titles or reasons). A stage
    title's child wording keeps its name (before the colon): a chart marks the stage by it."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping) or set(raw) - set(known):
        raise SelfCareDataError(f"{where}: keys must be some of {list(known)}")
    out = _texts(raw, list(raw), where)
    if where.startswith("stage_titles"):
        for key, text in out.items():
            if stage_name(text) != stage_name(own[key]):
                raise SelfCareDataError(f"{where}.{key}: keep the stage's name before the colon")
    return out


def _unique(ids: Sequence[str], where: str) -> None:
    if len(set(ids)) != len(ids):
        raise SelfCareDataError(f"{where}: duplicate ids")


def parse_selfcare(data: object) -> SelfCareData:
    """Build and check the plan data from parsed YAML; raise SelfCareDataError on problems."""
    if not isinstance(data, Mapping) or not isinstance(data.get("version"), str):
        raise SelfCareDataError("selfcare: top level needs a 'version'")
    conditions = frozenset(load_conditions())
    stages, framing = data.get("stages"), data.get("framing")
    if not isinstance(stages, Mapping) or not isinstance(framing, Mapping):
        raise SelfCareDataError("selfcare: needs 'stages' and 'framing'")
    cited(stages, "stages", SelfCareDataError)
    cited(framing, "framing", SelfCareDataError)
    keys = ("early_until_day", "middle_until_day", "high_pain", "gradual_settle_pain")
    early, middle, high, settle = (stages.get(k) for k in keys)
    threshold = stages.get("cause_threshold")
    if not (isinstance(early, int) and isinstance(middle, int) and 0 <= early < middle):
        raise SelfCareDataError("stages: need whole days 0 <= early_until_day < middle_until_day")
    if not (isinstance(high, int) and isinstance(settle, int) and 0 < settle <= high <= 10):
        raise SelfCareDataError("stages: need 1 <= gradual_settle_pain <= high_pain <= 10")
    if not (isinstance(threshold, int | float) and 0 < threshold < 1):
        raise SelfCareDataError("stages: cause_threshold must be between 0 and 1")
    onset_labels = load_questionnaire().questions["onset"].labels
    titles, reasons = data.get("stage_titles"), data.get("stage_reasons")
    if not isinstance(titles, Mapping) or set(titles) != set(PHASES):
        raise SelfCareDataError(f"stage_titles: needs exactly {PHASES}")
    if not isinstance(reasons, Mapping) or set(reasons) != set(STAGE_REASON_KEYS):
        raise SelfCareDataError(f"stage_reasons: needs exactly {STAGE_REASON_KEYS}")
    exercises = frozenset(e.id for e in load_exercises())
    raw_items = data.get("items") or []
    items = tuple(_item_rule(raw, i, conditions, exercises) for i, raw in enumerate(raw_items))
    watch = tuple(
        _watch_item(raw, i, conditions) for i, raw in enumerate(data.get("watch_for") or [])
    )
    _unique([i.item.id for i in items], "items")
    _unique([w.id for w in watch], "watch_for")
    _check_covers(watch)
    _check_child_wording(watch)
    suppressed, recheck = data.get("suppressed"), data.get("recheck")
    booked = data.get("recheck_booked")
    if (
        not isinstance(suppressed, Mapping)
        or not isinstance(recheck, Mapping)
        or not isinstance(booked, Mapping)
    ):
        raise SelfCareDataError("selfcare: needs 'suppressed', 'recheck' and 'recheck_booked'")
    for name, rechecks in (("recheck", recheck), ("recheck_booked", booked)):
        if set(rechecks) != set(FRAMINGS):
            raise SelfCareDataError(f"{name}: needs exactly {FRAMINGS}")
    stage_titles = _texts(titles, PHASES, "stage_titles")
    stage_reasons = _texts(reasons, STAGE_REASON_KEYS, "stage_reasons")
    child_titles = _child_texts(
        data.get("stage_titles_for_a_child"), PHASES, "stage_titles_for_a_child", stage_titles
    )
    child_reasons = _child_texts(
        data.get("stage_reasons_for_a_child"),
        STAGE_REASON_KEYS,
        "stage_reasons_for_a_child",
        stage_reasons,
    )
    notice = text_field(suppressed, "notice", "suppressed", SelfCareDataError)
    child_notice = _child_texts(
        suppressed.get("for_a_child"), ("notice",), "suppressed.for_a_child", {}
    ).get("notice")
    # Every plan item, with its child wording and whether a child can be shown it.
    worded: list[tuple[str, PlanItem, PlanItem | None, bool]] = []
    questionnaire = load_questionnaire()
    for rule, raw in zip(items, raw_items, strict=True):
        shown = "show_if" not in raw or questionnaire.can_apply_to_a_child(raw["show_if"])
        where = f"items {rule.item.id!r}"
        worded.append((where, rule.item, _child_item(raw, rule.item, where), shown))
    others = {
        "suppressed.item": suppressed.get("item"),
        "suppressed.item_soon": suppressed.get("item_soon"),
        "suppressed.item_days": suppressed.get("item_days"),
        "alongside_booking": data.get("alongside_booking"),
        **{f"recheck.{k}": recheck[k] for k in FRAMINGS},
        **{f"recheck_booked.{k}": booked[k] for k in FRAMINGS},
    }
    plain: dict[str, PlanItem] = {}
    for where, raw in others.items():
        plain[where] = _item(raw, where)
        assert isinstance(raw, Mapping)
        if set(raw) - {"id", "kind", "title", "text", "steps", "for_a_child", "source", "expert"}:
            raise SelfCareDataError(f"{where}: unknown keys")
        worded.append((where, plain[where], _child_item(raw, plain[where], where), True))
    _unique([item.id for _, item, _, _ in worded], "plan items")
    _check_plan_wording(
        worded,
        [
            *((f"stage_titles.{k}", t, child_titles.get(k)) for k, t in stage_titles.items()),
            *((f"stage_reasons.{k}", t, child_reasons.get(k)) for k, t in stage_reasons.items()),
            ("suppressed.notice", notice, child_notice),
        ],
    )
    return SelfCareData(
        version=data["version"],
        early_until_day=early,
        middle_until_day=middle,
        high_pain=high,
        gradual_settle_pain=settle,
        cause_threshold=float(threshold),
        acute_conditions=_ids(framing.get("acute_conditions"), "framing", conditions),
        gradual_conditions=_ids(framing.get("gradual_conditions"), "framing", conditions),
        acute_onsets=_ids(framing.get("acute_onsets"), "framing", frozenset(onset_labels)),
        stage_titles=stage_titles,
        stage_reasons=stage_reasons,
        items=items,
        suppressed_notice=notice,
        suppressed_item=plain["suppressed.item"],
        suppressed_item_soon=plain["suppressed.item_soon"],
        suppressed_item_days=plain["suppressed.item_days"],
        alongside_booking=plain["alongside_booking"],
        recheck={k: plain[f"recheck.{k}"] for k in FRAMINGS},
        recheck_booked={k: plain[f"recheck_booked.{k}"] for k in FRAMINGS},
        watch_for=watch,
        child_items=MappingProxyType(
            {item.id: child for _, item, child, _ in worded if child is not None}
        ),
        child_stage_titles=MappingProxyType(child_titles),
        child_stage_reasons=MappingProxyType(child_reasons),
        child_suppressed_notice=child_notice,
    )


@lru_cache(maxsize=1)
def load_selfcare() -> SelfCareData:
    """The packaged self-care data, parsed and checked once per process."""
    return parse_selfcare(load_yaml("selfcare.yaml"))


# --- Building the plan ------------------------------------------------------------------


def disposition_level(result: Mapping[str, Any]) -> str:
    level = (result.get("disposition") or {}).get("level")
    if level not in LEVELS:
        raise ValueError(f"result: disposition level must be one of {LEVELS}, got {level!r}")
    return str(level)


def is_suppressed(result: Mapping[str, Any]) -> bool:
    """No self-care or exercises as a substitute: emergency, urgent, or any red flag fired."""
    return disposition_level(result) in SUPPRESSING_LEVELS or bool(result.get("red_flags"))


def likely_causes(result: Mapping[str, Any], threshold: float) -> tuple[str, ...]:
    """The most likely cause, then any other at ``threshold`` or more (most likely first)."""
    causes = [
        (float(c["probability"]), str(c["id"]))
        for c in result.get("causes") or []
        if isinstance(c, Mapping) and isinstance(c.get("probability"), int | float)
    ]
    causes.sort(key=lambda c: (-c[0], c[1]))
    return tuple(cid for i, (p, cid) in enumerate(causes) if i == 0 or p >= threshold)


def resolve_days(days_since_onset: int | None, answers: Mapping[str, object]) -> int | None:
    """Days since the pain began: the caller's count, else the assessment's answer."""
    days = days_since_onset if days_since_onset is not None else answers.get("days_since_onset")
    if days is None:
        return None
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValueError(f"days_since_onset must be a whole number of days >= 0, got {days!r}")
    return days


def framing_for(
    causes: Sequence[str], answers: Mapping[str, object], days: int | None = None
) -> Framing:
    """Acute (an injury: PEACE first) or gradual. The most likely cause decides; an injury
    that is plausible (in ``causes``) and only days old also gets the first-days advice."""
    data = load_selfcare()
    top = causes[0] if causes else None
    if top in data.acute_conditions:
        return "acute"
    recent = days is not None and days <= data.early_until_day
    if recent and not data.acute_conditions.isdisjoint(causes):
        return "acute"
    if top in data.gradual_conditions:
        return "gradual"
    return "acute" if answers.get("onset") in data.acute_onsets else "gradual"


def stage_for(framing: Framing, days: int | None, pain_now: object) -> tuple[Phase, str]:
    """The stage of recovery and the key of the plain-language reason for it."""
    data = load_selfcare()
    phase: Phase
    if days is None:
        phase, reason = ("early" if framing == "acute" else "middle"), f"{framing}_unknown"
    elif framing == "acute" and days <= data.early_until_day:
        phase, reason = "early", "acute_early"
    elif days <= data.middle_until_day:
        phase, reason = "middle", f"{framing}_middle"
    else:
        phase, reason = "loading", f"{framing}_loading"
    if phase == "loading" and isinstance(pain_now, int):
        if pain_now >= data.high_pain:
            phase, reason = "middle", "high_pain"
        elif framing == "gradual" and pain_now >= data.gradual_settle_pain:
            phase, reason = "middle", "gradual_settling"
    return phase, reason


def build_plan(
    result: Mapping[str, Any],
    answers: Mapping[str, object],
    *,
    days_since_onset: int | None,
    medication: Mapping[str, object] | None,
) -> SelfCarePlan:
    """The self-care plan for one assessment result. Deterministic: same inputs, same plan.

    ``days_since_onset``: days since the pain began, counted to today (None: use the
    assessment's answer). ``medication``: answers to the medicine screen (ids in
    ``medication_safety.yaml``; yes | no | not_sure). Raises ValueError (AnswerErrors for
    bad medication answers) on invalid input.
    """
    data = load_selfcare()
    level = disposition_level(result)
    days = resolve_days(days_since_onset, answers)
    validate_medication_answers(medication)  # bad input is an error even when suppressed
    causes = likely_causes(result, data.cause_threshold)
    child = is_child(answers.get("age"))
    if is_suppressed(result):
        disposition = result["disposition"]
        urgent = (str(disposition.get("headline", "")), *map(str, disposition.get("advice") or ()))
        now = level in SUPPRESSING_LEVELS  # emergency or urgent, not a "soon" warning sign
        item = data.suppressed_item if now else data.suppressed_item_soon
        if within_two_days(disposition):  # urgent, but "today or tomorrow": no keeping still
            item = data.suppressed_item_days
        age = answers.get("age")
        watch = _uncovered(
            [
                w.worded_for(age)
                for w in data.watch_for
                if (not now or w.level == "emergency") and w.for_age(age)
            ]
        )
        notice = (child and data.child_suppressed_notice) or data.suppressed_notice
        return SelfCarePlan(
            data.version, level, True, days, causes, (data.worded(item, child),), watch,
            urgent_first=tuple(u for u in urgent if u), notice=notice,
            medication=until_seen_advice(answers, medication),
        )  # fmt: skip
    framing = framing_for(causes, answers, days)
    phase, reason = stage_for(framing, days, answers.get("pain_now"))
    items = tuple(
        _with_phase(data.worded(rule.item, child), phase)
        for rule in shown_item_rules(result, answers, days=days, pain_now=answers.get("pain_now"))
    )
    booking = None
    if level == "soon":
        headline = str(result["disposition"].get("headline") or "")
        booking = (headline, _with_phase(data.worded(data.alongside_booking, child), phase))
    pain_relief = medication_advice(
        answers, medication, early_injury=framing == "acute" and phase == "early"
    )
    relief = pain_relief.items
    watch = _uncovered(
        [
            w.worded_for(answers.get("age"))
            for w in data.watch_for
            if (not w.conditions or not w.conditions.isdisjoint(causes))
            and w.for_age(answers.get("age"))
        ]
    )
    titles = {**data.stage_titles, **(data.child_stage_titles if child else {})}
    reasons = {**data.stage_reasons, **(data.child_stage_reasons if child else {})}
    recheck = (data.recheck_booked if booking else data.recheck)[framing]
    return SelfCarePlan(
        data.version, level, False, days, causes, items, watch,
        phase=phase, framing=framing, stage_title=titles[phase],
        stage_reason=reasons[reason], booking=booking,
        medication=replace(pain_relief, items=tuple(_with_phase(i, phase) for i in relief)),
        recheck=_with_phase(data.worded(recheck, child), phase),
    )  # fmt: skip


def shown_item_rules(
    result: Mapping[str, Any],
    answers: Mapping[str, object],
    *,
    days: int | None,
    pain_now: object,
) -> tuple[ItemRule, ...]:
    """The plan items (as written in the data) that a plan not withheld shows for this
    result and these answers, at ``days`` since the pain began and resting pain
    ``pain_now``; none when the plan is withheld (red flags, emergency or urgent)."""
    if is_suppressed(result):
        return ()
    data = load_selfcare()
    causes = likely_causes(result, data.cause_threshold)
    framing = framing_for(causes, answers, days)
    phase, _ = stage_for(framing, days, pain_now)
    return tuple(rule for rule in data.items if rule.applies(phase, framing, causes, answers))


def left_out_by_plan(
    result: Mapping[str, Any],
    answers: Mapping[str, object],
    *,
    days: int | None,
    pain_now: object,
) -> frozenset[str]:
    """The exercises the plan's cautions for this person forbid now (each shown item's
    ``leaves_out``): the program leaves them out, so that it never asks for a movement the
    plan says to avoid. The plan's stage is by the assessment's resting pain; a program
    built for another pain (today's) is held to both stages' cautions."""
    stages = {answers.get("pain_now"), pain_now}
    return frozenset(
        exercise
        for pain in stages
        for rule in shown_item_rules(result, answers, days=days, pain_now=pain)
        for exercise in rule.leaves_out
    )


def _with_phase(item: PlanItem, phase: str) -> PlanItem:
    return replace(item, phase=phase)
