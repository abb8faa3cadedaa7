"""The outcome-measure rules from ``data/outcomes.yaml``, checked once when loaded.

Every threshold carries its citation (``source`` naming evidence.md references, or
``expert`` with a reason); ``rehabit.clinical.outcomes`` scores and compares with them.

A parent or carer answers a child's check, so every verdict, piece of advice and bridge
instruction that speaks to its reader as "you" has a parent's wording about their child
(``messages_for_a_child``, ``measures.bridge.for_a_child``), refused at load when missing,
when it fills in other values, or when it still speaks to "you" as the patient.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from string import Formatter
from types import MappingProxyType
from typing import Any

from rehabit.clinical.child_wording import speaks_to_the_patient
from rehabit.clinical.datafiles import citation_problem, load_yaml

MEASURES = ("nprs", "psfs", "bridge")
VERDICTS = ("better", "no_change", "worse", "too_early")
SIZES = ("small", "medium", "large")
ADVICE_KEYS = ("step_back", "book", "warning_signs")


class OutcomeDataError(ValueError):
    """outcomes.yaml is malformed."""


@dataclass(frozen=True, slots=True)
class Threshold:
    """The change that counts as real: at least ``points``, and at least ``percent`` of
    the starting score when a percentage is given (both must be met)."""

    points: float
    percent: float | None = None

    def needed(self, before: float) -> float:
        relative = 0.0 if self.percent is None else self.percent / 100 * abs(before)
        return round(max(self.points, relative), 2)


@dataclass(frozen=True, slots=True)
class MeasureRules:
    id: str
    name: str
    low: int
    high: int
    higher_is_better: bool
    improvement: Threshold
    worsening: Threshold
    sizes: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class BridgeTest:
    box: str
    steps: tuple[str, ...]
    stop_if: str
    stop_above_pain: int
    not_in_phases: frozenset[str]
    symmetry_target_percent: int
    # The box, steps and stop warning as a child's parent reads them (``for_a_child``).
    child_box: str = ""
    child_steps: tuple[str, ...] = ()
    child_stop_if: str = ""

    def worded(self, *, child: bool = False) -> tuple[str, tuple[str, ...], str]:
        """The box, steps and stop warning (its ``{limit}`` not yet filled in), in a
        parent's words about their child when ``child``."""
        if child:
            return self.child_box, self.child_steps, self.child_stop_if
        return self.box, self.steps, self.stop_if


@dataclass(frozen=True, slots=True)
class Schedule:
    nprs_daily_until_day: int
    every_days: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class OutcomeRules:
    version: str
    measures: Mapping[str, MeasureRules]
    psfs_activities: tuple[int, int]  # fewest and most activities
    activity_max_length: int
    nprs_window_days: int
    bridge: BridgeTest
    schedule: Schedule
    messages: Mapping[str, str]
    sizes: Mapping[str, str]
    overall: Mapping[str, str]
    advice: Mapping[str, str]
    not_included: Mapping[str, Mapping[str, str]]
    # Every verdict and advice template that speaks to "you" -> a parent's wording of it
    # about their child (``messages_for_a_child``).
    child_templates: Mapping[str, str] = field(default_factory=dict)

    def for_a_child(self, template: str) -> str:
        """A verdict's or advice's template as a child's parent reads it; a template that
        does not speak to "you" is returned as it is."""
        return self.child_templates.get(template, template)


# --- Loading ----------------------------------------------------------------------------


def _number(raw: Mapping[str, Any], key: str, where: str) -> float:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise OutcomeDataError(f"{where}: {key} must be a number of 0 or more")
    return float(value)


def _int(raw: Mapping[str, Any], key: str, where: str) -> int:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise OutcomeDataError(f"{where}: {key} must be a whole number of 0 or more")
    return value


def _cited(raw: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise OutcomeDataError(f"{where}: must be a mapping")
    problem = citation_problem(raw)
    if problem:
        raise OutcomeDataError(f"{where}: {problem}")
    return raw


def _threshold(raw: Any, where: str) -> Threshold:
    entry = _cited(raw, where)
    percent = entry.get("percent")
    return Threshold(
        points=_number(entry, "points", where),
        percent=None if percent is None else _number(entry, "percent", where),
    )


def _text(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise OutcomeDataError(f"{where}: {key} must be non-empty text")
    return value.strip()


def _measure(measure_id: str, raw: Any) -> MeasureRules:
    where = f"measures.{measure_id}"
    if not isinstance(raw, Mapping):
        raise OutcomeDataError(f"{where}: must be a mapping")
    sizes: dict[str, float] = {}
    if "sizes" in raw:
        table = _cited(raw["sizes"], f"{where}.sizes")
        sizes = {size: _number(table, size, f"{where}.sizes") for size in SIZES}
        if sorted(sizes.values()) != [sizes[s] for s in SIZES]:
            raise OutcomeDataError(f"{where}.sizes: small <= medium <= large")
    rules = MeasureRules(
        id=measure_id,
        name=_text(raw, "name", where),
        low=_int(raw, "low", where),
        high=_int(raw, "high", where),
        higher_is_better=bool(raw.get("higher_is_better")),
        improvement=_threshold(raw.get("improvement"), f"{where}.improvement"),
        worsening=_threshold(raw.get("worsening"), f"{where}.worsening"),
        sizes=MappingProxyType(sizes),
    )
    if rules.low >= rules.high:
        raise OutcomeDataError(f"{where}: low must be below high")
    if sizes and sizes["small"] != rules.improvement.points:
        raise OutcomeDataError(f"{where}: a small change is the improvement threshold")
    return rules


def _messages(raw: Any) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        raise OutcomeDataError("messages: must be a mapping")
    keys = [f"{m}_{v}" for m in MEASURES for v in VERDICTS]
    return {key: _text(raw, key, "messages") for key in keys}


def _section(raw: Mapping[str, Any], key: str, names: Sequence[str]) -> dict[str, str]:
    table = raw.get(key)
    if not isinstance(table, Mapping) or set(table) - {"source", "expert"} != set(names):
        raise OutcomeDataError(f"messages.{key}: needs exactly {list(names)}")
    return {name: _text(table, name, f"messages.{key}") for name in names}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def _child_text(own: str, child: Any, where: str) -> str:
    """A text's child wording: required when the text speaks to "you" as the patient; the
    same values filled in; never itself speaking to "you" as the patient."""
    if child is None:
        if speaks_to_the_patient(own):
            raise OutcomeDataError(
                f'{where} speaks to "you" and a child\'s parent reads it: give its '
                "for_a_child wording, as a parent reads it about their child"
            )
        return own
    if not isinstance(child, str) or not child.strip():
        raise OutcomeDataError(f"{where}: the for_a_child wording must be non-empty text")
    worded = child.strip()
    if _fields(worded) != _fields(own):
        raise OutcomeDataError(f"{where}: the for_a_child wording must fill in the same values")
    if speaks_to_the_patient(worded):
        raise OutcomeDataError(f'{where}: the for_a_child wording {worded!r} still speaks to "you"')
    return worded


def _child_templates(data: Mapping[str, Any], messages: Mapping[str, str],
                     advice: Mapping[str, str]) -> dict[str, str]:  # fmt: skip
    """Each verdict and advice template -> its child wording (``messages_for_a_child``)."""
    raw = data.get("messages_for_a_child") or {}
    if not isinstance(raw, Mapping):
        raise OutcomeDataError("messages_for_a_child: must be a mapping")
    raw_advice = raw.get("advice") or {}
    if not isinstance(raw_advice, Mapping):
        raise OutcomeDataError("messages_for_a_child.advice: must be a mapping")
    unknown = (set(raw) - {"advice"} - set(messages)) | (set(raw_advice) - set(advice))
    if unknown:
        raise OutcomeDataError(f"messages_for_a_child: no such message {sorted(unknown)}")
    pairs = [(own, raw.get(k), f"messages.{k}") for k, own in messages.items()]
    pairs += [(own, raw_advice.get(k), f"messages.advice.{k}") for k, own in advice.items()]
    worded = {own: _child_text(own, child, where) for own, child, where in pairs}
    return {own: child for own, child in worded.items() if child != own}


def _child_bridge(bridge: Mapping[str, Any], box: str, steps: tuple[str, ...],
                  stop_if: str) -> dict[str, Any]:  # fmt: skip
    where = "measures.bridge"
    child = bridge.get("for_a_child") or {}
    if not isinstance(child, Mapping) or set(child) - {"box", "steps", "stop_if"}:
        raise OutcomeDataError(f"{where}.for_a_child: a mapping of box, steps and stop_if")
    child_steps = child.get("steps")
    if child_steps is None:
        child_steps = [None] * len(steps)
    if not isinstance(child_steps, list) or len(child_steps) != len(steps):
        raise OutcomeDataError(f"{where}.for_a_child.steps: one for each of the {len(steps)} steps")
    return {
        "child_box": _child_text(box, child.get("box"), f"{where}.box"),
        "child_steps": tuple(
            _child_text(own, worded, f"{where}.steps[{n}]")
            for n, (own, worded) in enumerate(zip(steps, child_steps, strict=True))
        ),
        "child_stop_if": _child_text(stop_if, child.get("stop_if"), f"{where}.stop_if"),
    }


def parse_outcomes(data: Any) -> OutcomeRules:
    """Check outcomes.yaml and build the rules (raises OutcomeDataError)."""
    if not isinstance(data, Mapping) or not isinstance(data.get("version"), str):
        raise OutcomeDataError("outcomes.yaml: needs a version and the measures")
    raw_measures = data.get("measures")
    if not isinstance(raw_measures, Mapping) or set(raw_measures) != set(MEASURES):
        raise OutcomeDataError(f"measures: needs exactly {list(MEASURES)}")
    measures = {m: _measure(m, raw_measures[m]) for m in MEASURES}
    nprs, psfs = raw_measures["nprs"], raw_measures["psfs"]
    _cited(nprs, "measures.nprs")
    _cited(psfs, "measures.psfs")
    bridge = _cited(raw_measures["bridge"], "measures.bridge")
    symmetry = _cited(bridge.get("symmetry"), "measures.bridge.symmetry")
    stop = _cited(bridge.get("stop"), "measures.bridge.stop")
    steps = bridge.get("steps")
    if not isinstance(steps, list) or not all(isinstance(s, str) and s.strip() for s in steps):
        raise OutcomeDataError("measures.bridge.steps: a list of instructions")
    schedule = _cited(data.get("schedule"), "schedule")
    every = {m: _int(schedule.get(m) or {}, "every_days", f"schedule.{m}") for m in MEASURES}
    if min(every.values()) < 1:
        raise OutcomeDataError("schedule: every_days must be 1 or more")
    messages = data.get("messages")
    if not isinstance(messages, Mapping):
        raise OutcomeDataError("messages: must be a mapping")
    _cited(messages, "messages")
    excluded = data.get("not_included")
    if not isinstance(excluded, Mapping):
        raise OutcomeDataError("not_included: must be a mapping")
    fewest, most = _int(psfs, "min_activities", "psfs"), _int(psfs, "max_activities", "psfs")
    if not 1 <= fewest <= most:
        raise OutcomeDataError("measures.psfs: 1 <= min_activities <= max_activities")
    box, stop_if = _text(bridge, "box", "bridge"), _text(bridge, "stop_if", "bridge")
    clean_steps = tuple(s.strip() for s in steps)
    verdicts = _messages(messages)
    advice = _section(messages, "advice", ADVICE_KEYS)
    return OutcomeRules(
        version=str(data["version"]),
        measures=MappingProxyType(measures),
        psfs_activities=(fewest, most),
        activity_max_length=_int(psfs, "activity_max_length", "psfs"),
        nprs_window_days=max(1, _int(nprs, "window_days", "nprs")),
        bridge=BridgeTest(
            box=box,
            steps=clean_steps,
            stop_if=stop_if,
            stop_above_pain=_int(stop, "above_pain", "bridge.stop"),
            not_in_phases=frozenset(str(p) for p in bridge.get("not_in_phases") or []),
            symmetry_target_percent=_int(symmetry, "target_percent", "bridge.symmetry"),
            **_child_bridge(bridge, box, clean_steps, stop_if),
        ),
        schedule=Schedule(
            nprs_daily_until_day=_int(schedule.get("nprs") or {}, "daily_until_day", "nprs"),
            every_days=MappingProxyType(every),
        ),
        messages=MappingProxyType(verdicts),
        sizes=MappingProxyType(_section(messages, "sizes", SIZES)),
        overall=MappingProxyType(_section(messages, "overall", VERDICTS)),
        advice=MappingProxyType(advice),
        not_included=MappingProxyType(
            {
                k: MappingProxyType(
                    {f: _text(_cited(v, k), f, k) for f in ("name", "note", "decision")}
                )
                for k, v in excluded.items()
            }
        ),
        child_templates=MappingProxyType(_child_templates(data, verdicts, advice)),
    )


@lru_cache(maxsize=1)
def load_outcomes() -> OutcomeRules:
    """The packaged outcome rules, parsed once per process."""
    return parse_outcomes(load_yaml("outcomes.yaml"))
