"""Exercise progression by pain monitoring (evidence.md 5.5; Silbernagel [60], Hickey [61]).

After each session the person logs the pain during the exercise (0-10), how the pain was the
next morning compared with before (better | same | worse) and whether it settled within
24 hours. ``next_step`` turns that history into one decision per exercise family:

- pain during at or below the green limit (2/10), next morning same or better and settled:
  step up one level (hold at the family's top);
- pain above green but within the ceiling (5/10; 3/10 for an acute muscle strain [61], or
  the exercise's own lower ceiling): hold;
- pain above the ceiling, a worse next morning or pain that did not settle: step down one
  level (hold at the family's lowest);
- worse (next morning worse or not settled) two sessions in a row: step down one level and
  suggest booking a physiotherapist.

A therapist's prescription can set the family's progression rule (``ProgressionRule``):
``automatic`` (the rule above), ``hold`` (stay at this level) or ``with_therapist`` (step up
only when the therapist does). Under the last two a step up becomes a hold, explained;
stepping down after a flare is never held back (safety first).

A level never changes by more than one step and never leaves the family's levels. Every
decision carries a plain-language explanation (from ``data/programs.yaml``), with its
template and values so that the web layer can translate it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from string import Formatter
from types import MappingProxyType
from typing import Any, Literal

from rehabit.clinical.child_wording import speaks_to_the_patient
from rehabit.clinical.datafiles import citation_problem, load_yaml

Morning = Literal["better", "same", "worse"]
Action = Literal["step_up", "hold", "step_down", "book_pt"]
Zone = Literal["none", "green", "amber", "red"]
ProgressionRule = Literal["automatic", "hold", "with_therapist"]
MORNINGS: tuple[Morning, ...] = ("better", "same", "worse")
PROGRESSION_RULES: tuple[ProgressionRule, ...] = ("automatic", "hold", "with_therapist")
MESSAGE_KEYS = (
    "no_sessions",
    "step_up",
    "top",
    "amber",
    "high_pain",
    "high_pain_lowest",
    "worse_morning",
    "worse_morning_lowest",
    "not_settled",
    "not_settled_lowest",
    "book_pt",
    "book_pt_lowest",
)
# A therapist's hold is the app's decision, not the evidence's: its wording lives here, in
# the same template form as the messages of programs.yaml (the web layer translates it).
PRESCRIPTION_MESSAGES: Mapping[str, str] = MappingProxyType(
    {
        "held": "Your physiotherapist asked you to stay at {level_name} for now, "
        "so it stays the same.",
        "with_therapist": "That went well. Your physiotherapist decides when you move on "
        "from {level_name}, and has been told that you may be ready.",
    }
)
# The same, as a child's parent reads them (a therapist's hold on a child's program).
PRESCRIPTION_MESSAGES_FOR_A_CHILD: Mapping[str, str] = MappingProxyType(
    {
        "held": "Your child's physiotherapist asked for your child to stay at {level_name} "
        "for now, so it stays the same.",
        "with_therapist": "That went well. Your child's physiotherapist decides when your "
        "child moves on from {level_name}, and has been told that your child may be ready.",
    }
)


class ProgressionDataError(ValueError):
    """The progression data in programs.yaml is malformed."""


@dataclass(frozen=True, slots=True)
class SessionOutcome:
    """What the person logged after one session of an exercise."""

    pain_during: int  # 0-10, the worst pain during the exercise
    next_morning: Morning  # pain the next morning compared with before the session
    settled_within_24h: bool

    def __post_init__(self) -> None:
        pain = self.pain_during
        if isinstance(pain, bool) or not isinstance(pain, int) or not 0 <= pain <= 10:
            raise ValueError(f"pain_during must be a whole number 0-10, got {pain!r}")
        if self.next_morning not in MORNINGS:
            raise ValueError(f"next_morning must be one of {MORNINGS}, got {self.next_morning!r}")
        if not isinstance(self.settled_within_24h, bool):
            raise ValueError("settled_within_24h must be true or false")

    @property
    def worse(self) -> bool:
        """A flare: worse the next morning, or not settled by the check-in."""
        return self.next_morning == "worse" or not self.settled_within_24h


@dataclass(frozen=True, slots=True)
class ProgressionRules:
    green_max: int
    default_ceiling: int
    acute_strain_ceiling: int
    messages: Mapping[str, str]
    level_name: str
    level_name_with_exercise: str
    # Each message as a child's parent reads it (``messages_for_a_child``), by key, and
    # every message template (the therapist's holds too) -> its child wording.
    child_messages: Mapping[str, str]
    child_templates: Mapping[str, str]

    def for_a_child(self, template: str) -> str:
        """A decision's message (its template, as given and as stored with a step) as a
        child's parent reads it; a template without child wording is returned as it is."""
        return self.child_templates.get(template, template)


@dataclass(frozen=True, slots=True)
class ProgressionDecision:
    action: Action
    from_level: int
    to_level: int
    zone: Zone
    reason: str  # the message key, e.g. "step_up", "high_pain", "book_pt"
    explanation: str  # plain language, rendered
    template: str  # the same, before the values were filled in (for translation)
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def book_pt(self) -> bool:
        return self.action == "book_pt"

    def to_dict(self) -> dict[str, object]:
        return {
            "action": self.action,
            "from_level": self.from_level,
            "to_level": self.to_level,
            "zone": self.zone,
            "reason": self.reason,
            "book_pt": self.book_pt,
            "explanation": self.explanation,
            "template": self.template,
            "params": dict(self.params),
        }


def _int(raw: Mapping[str, Any], key: str, low: int, high: int) -> int:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ProgressionDataError(f"progression: {key} must be a whole number {low}-{high}")
    return value


def parse_progression(raw: object) -> ProgressionRules:
    """Check the ``progression`` section of programs.yaml."""
    if not isinstance(raw, Mapping):
        raise ProgressionDataError("programs.yaml: needs a 'progression' mapping")
    problem = citation_problem(raw)
    if problem:
        raise ProgressionDataError(f"progression: {problem}")
    messages = raw.get("messages")
    if not isinstance(messages, Mapping) or set(messages) != set(MESSAGE_KEYS):
        raise ProgressionDataError(f"progression: messages needs exactly {list(MESSAGE_KEYS)}")
    if not all(isinstance(m, str) and m.strip() for m in messages.values()):
        raise ProgressionDataError("progression: every message must be non-empty text")
    child = raw.get("messages_for_a_child")
    if not isinstance(child, Mapping) or set(child) != set(MESSAGE_KEYS):
        raise ProgressionDataError(
            f"progression: messages_for_a_child needs exactly {list(MESSAGE_KEYS)}"
        )
    _check_child_messages(messages, child)
    child_messages = {k: str(v).strip() for k, v in child.items()}
    _check_child_messages(PRESCRIPTION_MESSAGES, PRESCRIPTION_MESSAGES_FOR_A_CHILD)
    names = [raw.get("level_name"), raw.get("level_name_with_exercise")]
    if not all(isinstance(n, str) and "{level}" in n for n in names):
        raise ProgressionDataError("progression: level names must contain {level}")
    green = _int(raw, "green_max", 0, 10)
    rules = ProgressionRules(
        green_max=green,
        default_ceiling=_int(raw, "default_ceiling", green, 10),
        acute_strain_ceiling=_int(raw, "acute_strain_ceiling", green, 10),
        messages=MappingProxyType({k: str(v).strip() for k, v in messages.items()}),
        level_name=str(names[0]),
        level_name_with_exercise=str(names[1]),
        child_messages=MappingProxyType(child_messages),
        child_templates=MappingProxyType(
            {
                **{str(messages[k]).strip(): child_messages[k] for k in MESSAGE_KEYS},
                **{
                    PRESCRIPTION_MESSAGES[k]: v
                    for k, v in PRESCRIPTION_MESSAGES_FOR_A_CHILD.items()
                },
            }
        ),
    )
    if rules.acute_strain_ceiling > rules.default_ceiling:
        raise ProgressionDataError("progression: the acute-strain ceiling must be the stricter")
    return rules


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def _check_child_messages(own: Mapping[str, object], child: Mapping[str, object]) -> None:
    """A child's message says the same thing about the child: the same values in it
    ({pain}, {to_name} ...), in a parent's words ("Your child's pain reached ..."), never
    speaking to "you" as if the parent had done the exercise."""
    for key, text in child.items():
        if not isinstance(text, str) or not text.strip():
            raise ProgressionDataError(f"progression: messages_for_a_child.{key} is empty")
        if _fields(text) != _fields(str(own[key])):
            raise ProgressionDataError(
                f"progression: messages_for_a_child.{key} must fill in the same values"
            )
        if speaks_to_the_patient(text):
            raise ProgressionDataError(
                f'progression: messages_for_a_child.{key} still speaks to "you"'
            )


@lru_cache(maxsize=1)
def load_progression() -> ProgressionRules:
    """The packaged progression rules, parsed once per process."""
    data = load_yaml("programs.yaml")
    return parse_progression(data.get("progression") if isinstance(data, Mapping) else None)


def zone_of(pain: int, ceiling: int, green_max: int) -> Zone:
    if pain <= min(green_max, ceiling):
        return "green"
    return "amber" if pain <= ceiling else "red"


def _ladder(current_level: int, family_levels: Sequence[int]) -> tuple[int, ...]:
    ladder = tuple(sorted(set(family_levels)))
    if not ladder or any(isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in ladder):
        raise ValueError(f"family_levels must be whole numbers of 1 or more, got {family_levels!r}")
    if current_level not in ladder:
        raise ValueError(f"current level {current_level!r} is not one of the family's {ladder}")
    return ladder


def next_step(
    history: Sequence[SessionOutcome],
    current_level: int,
    family_levels: Sequence[int],
    *,
    ceiling: int | None = None,
    level_names: Mapping[int, str] | None = None,
    rule: ProgressionRule = "automatic",
) -> ProgressionDecision:
    """The next level for one exercise family, from its session history (oldest first).

    ``family_levels``: the levels this person can use in the family (moves go one level up
    or down, to an adjacent level that is in this list, never further). ``ceiling``: the
    0-10 pain ceiling during the exercise (default 5; pass the stricter acute-strain or
    exercise ceiling when it applies). ``level_names``: optional exercise names per level.
    ``rule``: the therapist's progression rule for the family; under ``hold`` and
    ``with_therapist`` the level is never stepped up (it may still step down).
    """
    if rule not in PROGRESSION_RULES:
        raise ValueError(f"rule must be one of {PROGRESSION_RULES}, got {rule!r}")
    rules = load_progression()
    ladder = _ladder(current_level, family_levels)
    limit = rules.default_ceiling if ceiling is None else ceiling
    if isinstance(limit, bool) or not isinstance(limit, int) or not 0 <= limit <= 10:
        raise ValueError(f"ceiling must be a whole number 0-10, got {ceiling!r}")
    up = current_level + 1 if current_level + 1 in ladder else None
    down = current_level - 1 if current_level - 1 in ladder else None
    if not history:
        return _decision(rules, "hold", current_level, current_level, "none", "no_sessions",
                         None, limit, level_names)  # fmt: skip
    last = history[-1]
    zone = zone_of(last.pain_during, limit, rules.green_max)
    action: Action
    if last.worse and len(history) >= 2 and history[-2].worse:
        action, key = "book_pt", "book_pt" if down else "book_pt_lowest"
        target = down or current_level
    elif zone == "red":
        action, key = ("step_down", "high_pain") if down else ("hold", "high_pain_lowest")
        target = down or current_level
    elif last.worse:
        base = "worse_morning" if last.next_morning == "worse" else "not_settled"
        action, key = ("step_down", base) if down else ("hold", f"{base}_lowest")
        target = down or current_level
    elif zone == "amber":
        action, key, target = "hold", "amber", current_level
    elif up and rule != "automatic":
        action, key, target = "hold", "held" if rule == "hold" else "with_therapist", current_level
    else:
        action, key = ("step_up", "step_up") if up else ("hold", "top")
        target = up or current_level
    return _decision(rules, action, current_level, target, zone, key, last.pain_during, limit,
                     level_names)  # fmt: skip


def _name(rules: ProgressionRules, level: int, level_names: Mapping[int, str] | None) -> str:
    exercise = (level_names or {}).get(level)
    if exercise:
        return rules.level_name_with_exercise.format(level=level, exercise=exercise)
    return rules.level_name.format(level=level)


def _decision(
    rules: ProgressionRules,
    action: Action,
    from_level: int,
    to_level: int,
    zone: Zone,
    key: str,
    pain: int | None,
    ceiling: int,
    level_names: Mapping[int, str] | None,
) -> ProgressionDecision:
    template = rules.messages.get(key) or PRESCRIPTION_MESSAGES[key]
    params: dict[str, object] = {
        "pain": pain,
        "ceiling": ceiling,
        "from_level": from_level,
        "to_level": to_level,
        "level_name": _name(rules, from_level, level_names),
        "to_name": _name(rules, to_level, level_names),
    }
    return ProgressionDecision(
        action=action,
        from_level=from_level,
        to_level=to_level,
        zone=zone,
        reason=key,
        explanation=template.format(**params),
        template=template,
        params=MappingProxyType(params),
    )


def ceiling_for(*, acute_strain: bool, exercise_max_pain: int | None = None) -> int:
    """The pain ceiling during an exercise: 5/10, 3/10 while an acute muscle strain heals
    [61], and never above the exercise's own ``max_pain``."""
    rules = load_progression()
    limit = rules.acute_strain_ceiling if acute_strain else rules.default_ceiling
    return limit if exercise_max_pain is None else min(limit, exercise_max_pain)
