"""The self-care plan: what to do in the first days, the days after, and when building back up.

Built from an assessment result (``assess(answers).to_dict()``), the answers and the days
since the pain began, from the reviewed data in ``data/selfcare.yaml`` (PEACE & LOVE,
evidence.md section 4; read and checked by ``selfcare_file``) and the medicine screen in
``medication.py``. A red flag, or an emergency or urgent disposition, suppresses the plan: the
urgent advice stays first and the plan only says "keep still and get help" until the person
has been seen, with the medicine screen's cautions (which painkillers may not be safe while
they wait), never a suggestion.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from rehabit.clinical.child_wording import parent_reads
from rehabit.clinical.datafiles import PlanItem
from rehabit.clinical.levels import LEVELS
from rehabit.clinical.medication import (
    MedicationAdvice,
    medication_advice,
    until_seen_advice,
    validate_medication_answers,
)
from rehabit.clinical.selfcare_file import (
    Framing,
    ItemRule,
    Phase,
    load_selfcare,
)
from rehabit.clinical.selfcare_signs import WatchItem, not_yet_told, uncovered
from rehabit.clinical.triage import within_two_days

SUPPRESSING_LEVELS = frozenset({"emergency", "urgent"})


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


# --- Building the plan ------------------------------------------------------------------


def disposition_level(result: Mapping[str, Any]) -> str:
    level = (result.get("disposition") or {}).get("level")
    if level not in LEVELS:
        raise ValueError(f"result: disposition level must be one of {LEVELS}, got {level!r}")
    return str(level)


def is_suppressed(result: Mapping[str, Any]) -> bool:
    """No self-care or exercises as a substitute: emergency, urgent, or any red flag fired."""
    return disposition_level(result) in SUPPRESSING_LEVELS or bool(result.get("red_flags"))


def screens_medicines(result: Mapping[str, Any]) -> bool:
    """Whether the plan asks the medicine-safety questions and gives painkiller advice: not
    with an emergency result. A person sent to emergency care now is not screened for home
    painkillers first (the emergency team chooses pain relief); the plan shows the
    emergency advice and keeping still. An urgent result still gets the screen's cautions
    while the person waits (``until_seen_advice``)."""
    return disposition_level(result) != "emergency"


def fired_flags(result: Mapping[str, Any]) -> frozenset[str]:
    """The ids of the red flags the result reports (the signs the person already told)."""
    return frozenset(
        str(f["id"]) for f in result.get("red_flags") or () if isinstance(f, Mapping) and "id" in f
    )


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
        elif framing == "gradual" and pain_now > data.mild_pain_up_to:
            phase, reason = "middle", "gradual_settling"
    return phase, reason


def build_plan(
    result: Mapping[str, Any],
    answers: Mapping[str, object],
    *,
    days_since_onset: int | None,
    medication: Mapping[str, object] | None,
    child: bool | None = None,
) -> SelfCarePlan:
    """The self-care plan for one assessment result. Deterministic: same inputs, same plan.

    ``days_since_onset``: days since the pain began, counted to today (None: use the
    assessment's answer). ``medication``: answers to the medicine screen (ids in
    ``medication_safety.yaml``; yes | no | not_sure). ``child``: who reads a child's plan
    (``child_wording.parent_reads``): None or True, the parent who answered ("your
    child"); False, the patient's own words (the treating therapist, an admin). Wording
    only: what the plan advises, and which signs it lists, follow the age whoever reads;
    a sign only for a child (``ages: child``) has no other wording than the parent's.
    Raises ValueError (AnswerErrors for bad medication answers) on invalid input.
    """
    data = load_selfcare()
    level = disposition_level(result)
    days = resolve_days(days_since_onset, answers)
    validate_medication_answers(medication)  # bad input is an error even when suppressed
    causes = likely_causes(result, data.cause_threshold)
    age = answers.get("age")
    child = parent_reads(age, child)
    worded_age = age if child else None  # a sign's wording: the parent's, or its own
    if is_suppressed(result):
        disposition = result["disposition"]
        urgent = (str(disposition.get("headline", "")), *map(str, disposition.get("advice") or ()))
        now = level in SUPPRESSING_LEVELS  # emergency or urgent, not a "soon" warning sign
        item = data.suppressed_item if now else data.suppressed_item_soon
        if within_two_days(disposition):  # urgent, but "today or tomorrow": no keeping still
            item = data.suppressed_item_days
        watch = not_yet_told(
            uncovered(
                [
                    w.worded_for(worded_age)
                    for w in data.watch_for
                    if (not now or w.level == "emergency") and w.for_age(age)
                ]
            ),
            fired_flags(result),
        )
        notice = (child and data.child_suppressed_notice) or data.suppressed_notice
        # Emergency: no medicine screen at all (screens_medicines); urgent or a warning
        # sign: the screen's cautions while the person waits, never a suggestion.
        until_seen = (
            until_seen_advice(answers, medication, child=child)
            if screens_medicines(result)
            else None
        )
        return SelfCarePlan(
            data.version, level, True, days, causes, (data.worded(item, child),), watch,
            urgent_first=tuple(u for u in urgent if u), notice=notice,
            medication=until_seen,
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
        answers, medication, early_injury=framing == "acute" and phase == "early", child=child
    )
    relief = pain_relief.items
    watch = not_yet_told(
        uncovered(
            [
                w.worded_for(worded_age)
                for w in data.watch_for
                if (not w.conditions or not w.conditions.isdisjoint(causes)) and w.for_age(age)
            ]
        ),
        fired_flags(result),
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
