"""Reading and checking ``data/selfcare.yaml``: the plan items with their selection rules,
the stages and their wording, the notices, and a parent's wording about their child
(``for_a_child``), each checked at load (the texts' checks in ``selfcare_checks``). The
signs to watch for are read by ``selfcare_signs``; the plan is built from this data by
``selfcare``. Pure: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Literal

from rehabit.clinical.conditions import load_conditions
from rehabit.clinical.datafiles import (
    PlanItem,
    answer_rule,
    cited,
    load_yaml,
    plan_item,
    text_field,
)
from rehabit.clinical.exercises import load_exercises
from rehabit.clinical.questionnaire_file import load_questionnaire
from rehabit.clinical.rules import Rule
from rehabit.clinical.selfcare_checks import check_pain_numbers, check_plan_wording
from rehabit.clinical.selfcare_signs import (
    WatchItem,
    check_covers,
    check_sign_wording,
    check_told_by,
    watch_item,
)

Phase = Literal["early", "middle", "loading"]
Framing = Literal["acute", "gradual"]
PHASES: tuple[Phase, ...] = ("early", "middle", "loading")
FRAMINGS: tuple[Framing, ...] = ("acute", "gradual")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_ITEM_KEYS = frozenset(
    {"id", "title", "text", "steps", "phases", "framing", "conditions", "show_if", "hide_if"}
    | {"or_first_cause", "leaves_out", "for_a_child", "kind", "source", "expert"}
)
_CHILD_ITEM_KEYS = frozenset({"title", "text", "steps"})
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
class SelfCareData:
    version: str
    early_until_day: int
    middle_until_day: int
    high_pain: int
    # Pain up to this (0-10) is mild: fine during activity (the plan's pain guide says "up to
    # about N out of 10"), and resting pain above it is "still fairly strong" (pain that came
    # on gradually stays in the middle stage). One threshold for both (checked at load).
    mild_pain_up_to: int
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


def _ids(raw: object, where: str, known: frozenset[str]) -> frozenset[str]:
    if raw is None:
        return frozenset()
    if not isinstance(raw, list) or not all(isinstance(v, str) and v in known for v in raw):
        raise SelfCareDataError(f"{where}: every value must be one of {sorted(known)}")
    return frozenset(raw)


def _rule(raw: object, where: str) -> Rule | None:
    return (
        None
        if raw is None
        else answer_rule(raw, load_questionnaire().questions, where, SelfCareDataError)
    )


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


def stage_name(title: str) -> str:
    """A stage's name alone, its title before the colon ("Building back up"): a chart marks
    each stage by it, translated as a string of its own."""
    return title.split(":")[0].strip()


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


def _flag_levels() -> dict[str, str]:
    """Red flag id -> its disposition level, from red_flags.yaml (for ``told_by``)."""
    raw = load_yaml("red_flags.yaml")
    flags = raw.get("red_flags") if isinstance(raw, Mapping) else None
    return {
        str(f["id"]): str(f.get("disposition"))
        for f in flags or ()
        if isinstance(f, Mapping) and "id" in f
    }


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
    keys = ("early_until_day", "middle_until_day", "high_pain", "mild_pain_up_to")
    early, middle, high, settle = (stages.get(k) for k in keys)
    threshold = stages.get("cause_threshold")
    if not (isinstance(early, int) and isinstance(middle, int) and 0 <= early < middle):
        raise SelfCareDataError("stages: need whole days 0 <= early_until_day < middle_until_day")
    if not (isinstance(high, int) and isinstance(settle, int) and 0 < settle < high <= 10):
        raise SelfCareDataError("stages: need 1 <= mild_pain_up_to < high_pain <= 10")
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
        watch_item(raw, i, conditions, SelfCareDataError)
        for i, raw in enumerate(data.get("watch_for") or [])
    )
    _unique([i.item.id for i in items], "items")
    _unique([w.id for w in watch], "watch_for")
    check_covers(watch, SelfCareDataError)
    check_told_by(watch, _flag_levels(), SelfCareDataError)
    check_sign_wording(watch, SelfCareDataError)
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
    check_pain_numbers(worded, settle, SelfCareDataError)
    check_plan_wording(
        worded,
        [
            *((f"stage_titles.{k}", t, child_titles.get(k)) for k, t in stage_titles.items()),
            *((f"stage_reasons.{k}", t, child_reasons.get(k)) for k, t in stage_reasons.items()),
            ("suppressed.notice", notice, child_notice),
        ],
        SelfCareDataError,
    )
    return SelfCareData(
        version=data["version"],
        early_until_day=early,
        middle_until_day=middle,
        high_pain=high,
        mild_pain_up_to=settle,
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
