"""Reading ``data/differential.yaml`` into the ranking model (``clinical/differential.py``).

Every reference and number is checked here, once, at load time: each finding's rule
against the questionnaire, each likelihood ratio against the file's limits and citation,
each text a child's parent can be shown against its child wording. The compiled
``Differential`` is what the engine ranks with.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from rehabit.clinical.child_wording import speaks_to_you
from rehabit.clinical.conditions import Condition, load_conditions
from rehabit.clinical.datafiles import citation_problem, load_yaml
from rehabit.clinical.differential import (
    OTHERS,
    Band,
    Differential,
    DifferentialError,
    Effect,
    Effects,
    Finding,
)
from rehabit.clinical.questionnaire import Questionnaire
from rehabit.clinical.rules import Dispatch, Rule, RuleError, compile_rule


class _Parser:
    def __init__(
        self, data: Mapping[str, Any], questionnaire: Questionnaire, conditions: Sequence[Condition]
    ):
        self.data = data
        self.questionnaire = questionnaire
        self.questions = questionnaire.questions
        self.conditions = conditions
        self.index = {c.id: i for i, c in enumerate(conditions)}
        limits = data.get("limits")
        if not isinstance(limits, Mapping) or citation_problem(limits):
            raise DifferentialError("limits: needs min_lr, max_lr and a citation")
        self.min_lr, self.max_lr = float(limits["min_lr"]), float(limits["max_lr"])
        weight = limits.get("evidence_weight", 1)
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= 1:
            raise DifferentialError("limits: evidence_weight must be in (0, 1]")
        self.evidence_weight = float(weight)
        self.named_only = self.named_only_causes(data.get("named_only"))

    def named_only_causes(self, raw: object) -> frozenset[int]:
        """The causes a finding's "others" value does not reach (see ``effects``)."""
        if not isinstance(raw, Mapping) or not isinstance(raw.get("causes"), list):
            raise DifferentialError("named_only: needs a list of causes and a citation")
        self.cite(raw, "named_only")
        unknown = [c for c in raw["causes"] if c not in self.index]
        if unknown:
            raise DifferentialError(f"named_only: unknown conditions {unknown}")
        return frozenset(self.index[c] for c in raw["causes"])

    def cite(self, raw: Mapping[str, Any], where: str) -> None:
        problem = citation_problem(raw)
        if problem:
            raise DifferentialError(f"{where}: {problem}")

    def number(self, value: object, where: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise DifferentialError(f"{where}: must be a positive number")
        if not self.min_lr <= value <= self.max_lr:
            raise DifferentialError(f"{where}: {value} is outside [{self.min_lr}, {self.max_lr}]")
        return float(value)

    def rule(self, raw: Mapping[str, Any], where: str) -> Rule:
        try:
            rule = compile_rule(raw.get("rule"), self.questions, f"{where}.rule")
        except RuleError as exc:
            raise DifferentialError(str(exc)) from exc
        return rule

    def effects(
        self,
        table: object,
        key: str,
        text: str | None,
        where: str,
        *,
        others_reach: str = "common",
    ) -> tuple[Effect, ...]:
        """One answer state's effects. ``others`` sets the value for every condition the
        table does not name except the can't-miss causes in ``named_only``: its reasons are
        written about the common causes, so those take a finding's weight only where it
        names them, unless it says ``others_reach: all`` (a statement true of every other
        cause, such as "other lumps do not pulse")."""
        if not isinstance(table, Mapping) or not table:
            raise DifferentialError(f"{where}: needs a non-empty mapping of conditions")
        values: dict[int, float] = {}
        default: float | None = None
        for cid, entry in table.items():
            if cid != OTHERS and cid not in self.index:
                raise DifferentialError(f"{where}: unknown condition {cid!r}")
            if not isinstance(entry, Mapping):
                raise DifferentialError(f"{where}.{cid}: must be a mapping")
            self.cite(entry, f"{where}.{cid}")
            if key in entry:
                value = self.number(entry[key], f"{where}.{cid}.{key}")
                if cid == OTHERS:
                    default = value
                else:
                    values[self.index[cid]] = value
        if default is not None:
            for i in range(len(self.conditions)):
                if i in self.named_only and others_reach != "all":
                    continue
                values.setdefault(i, default)
        if values and text is None:
            raise DifferentialError(f"{where}: has {key} values but no text for them")
        power = self.evidence_weight  # dependence correction, see ``limits`` in the data
        return tuple((i, lr**power, str(text)) for i, lr in sorted(values.items()) if lr != 1)

    def entries(self, key: str, needed: frozenset[str]) -> list[Mapping[str, Any]]:
        items = self.data.get(key)
        if not isinstance(items, list):
            raise DifferentialError(f"{key}: must be a list")
        seen: set[str] = set()
        for index, raw in enumerate(items):
            if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
                raise DifferentialError(f"{key}[{index}]: needs an id")
            if raw["id"] in seen:
                raise DifferentialError(f"{key}: duplicate id {raw['id']!r}")
            seen.add(raw["id"])
            missing = needed - set(raw)
            if missing:
                raise DifferentialError(f"{key} {raw['id']!r}: missing {sorted(missing)}")
            self.cite(raw, f"{key} {raw['id']!r}")
        return items

    def groups(self) -> tuple[dict[str, int], list[str], list[float]]:
        """Named dependence groups with their caps; each finding without one is its own."""
        raw = self.data.get("groups", {})
        if not isinstance(raw, Mapping):
            raise DifferentialError("groups: must map a group name to {cap, citation}")
        index: dict[str, int] = {}
        names: list[str] = []
        caps: list[float] = []
        for name, entry in raw.items():
            if not isinstance(entry, Mapping):
                raise DifferentialError(f"group {name!r}: must be a mapping")
            self.cite(entry, f"group {name!r}")
            cap = entry.get("cap")
            if isinstance(cap, bool) or not isinstance(cap, int | float) or cap <= 1:
                raise DifferentialError(f"group {name!r}: cap must be a number above 1")
            index[str(name)] = len(names)
            names.append(str(name))
            caps.append(math.log(float(cap)) * self.evidence_weight)
        return index, names, caps

    def bands(self) -> tuple[Band, ...]:
        raw = self.data.get("calibration", {}).get("bands")
        if not isinstance(raw, list) or not raw:
            raise DifferentialError("calibration.bands: needs a list of confidence levels")
        bands = []
        for entry in raw:
            if not isinstance(entry, Mapping) or set(entry) != {"below", "level", "right_in_10"}:
                raise DifferentialError("calibration.bands: each needs below, level, right_in_10")
            if entry["level"] not in ("low", "moderate", "high"):
                raise DifferentialError("calibration.bands: level is low, moderate or high")
            if not isinstance(entry["right_in_10"], int) or not 0 <= entry["right_in_10"] <= 10:
                raise DifferentialError("calibration.bands: right_in_10 is a whole number 0-10")
            bands.append(Band(float(entry["below"]), entry["level"], entry["right_in_10"]))
        if [b.below for b in bands] != sorted(b.below for b in bands) or bands[-1].below <= 1:
            raise DifferentialError("calibration.bands: ascending, the last one above 1")
        return tuple(bands)

    def warning_sign_lr(self) -> float:
        value = self.data.get("calibration", {}).get("warning_sign_lr")
        if isinstance(value, bool) or not isinstance(value, int | float) or not 1 <= value <= 100:
            raise DifferentialError("calibration: warning_sign_lr must be a number from 1 to 100")
        return float(value)

    def calibration(self) -> tuple[float, float]:
        raw = self.data.get("calibration")
        if not isinstance(raw, Mapping):
            raise DifferentialError("calibration: needs temperature and max_probability")
        self.cite(raw, "calibration")
        temperature, cap = raw.get("temperature"), raw.get("max_probability")
        if isinstance(temperature, bool) or not isinstance(temperature, int | float):
            raise DifferentialError("calibration: temperature must be a number")
        if not 0.2 <= temperature <= 5:
            raise DifferentialError("calibration: temperature must be between 0.2 and 5")
        if isinstance(cap, bool) or not isinstance(cap, float) or not 0.5 < cap < 1:
            raise DifferentialError("calibration: max_probability must be in (0.5, 1)")
        return float(temperature), cap

    def parse(self) -> Differential:
        priors_raw = self.data.get("priors")
        if not isinstance(priors_raw, Mapping) or set(priors_raw) != set(self.index):
            raise DifferentialError("priors: need exactly one entry per condition")
        priors = []
        for condition in self.conditions:
            entry = priors_raw[condition.id]
            self.cite(entry, f"priors.{condition.id}")
            value = entry.get("prior")
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
                raise DifferentialError(f"priors.{condition.id}: prior must be in (0, 1)")
            priors.append(float(value))
        group_index, group_names, group_caps = self.groups()
        temperature, max_probability = self.calibration()
        parsed: list[tuple[str, Rule, tuple[Effect, ...], tuple[Effect, ...], str, bool]] = [
            (
                raw["id"],
                self.rule(raw, f"context {raw['id']!r}"),
                self.effects(raw["multipliers"], "value", raw["text"], f"context {raw['id']!r}"),
                (),
                self.group_of(raw, group_index, f"context {raw['id']!r}"),
                True,
            )
            for raw in self.entries("context", frozenset({"rule", "text", "multipliers"}))
        ]
        for raw in self.entries("findings", frozenset({"rule", "text_present", "lr"})):
            where = f"finding {raw['id']!r}"
            reach = raw.get("others_reach", "common")
            if reach not in ("common", "all"):
                raise DifferentialError(f"{where}: others_reach must be 'common' or 'all'")
            parsed.append(
                (
                    raw["id"],
                    self.rule(raw, where),
                    self.effects(
                        raw["lr"], "lr_present", raw["text_present"], where, others_reach=reach
                    ),
                    self.effects(
                        raw["lr"], "lr_absent", raw.get("text_absent"), where, others_reach=reach
                    ),
                    self.group_of(raw, group_index, where),
                    False,
                )
            )
        texts = [e[2] for item in parsed for effects in item[2:4] for e in effects[:1]]
        duplicates = sorted({t for t in texts if texts.count(t) > 1})
        if duplicates:  # each reason text must say one thing, once
            raise DifferentialError(f"duplicate reason texts: {duplicates}")
        # A child's wording of each reason (the rules are compiled, so valid, by now).
        child_words: dict[str, tuple[str | None, str | None]] = {
            raw["id"]: self.child_wording(raw, {"text": "text_present"}, f"context {raw['id']!r}")
            for raw in self.data["context"]
        }
        for raw in self.data["findings"]:
            child_words[raw["id"]] = self.child_wording(
                raw,
                {"text_present": "text_present", "text_absent": "text_absent"},
                f"finding {raw['id']!r}",
            )
        children = [t for words in child_words.values() for t in words if t is not None]
        duplicates = sorted({t for t in children if children.count(t) > 1 or t in texts})
        if duplicates:  # the same, in a child's words
            raise DifferentialError(f"duplicate reason texts: {duplicates}")
        # A finding without a named group is a group of its own (no cap).
        for item in parsed:
            if item[4] not in group_index:
                group_index[item[4]] = len(group_names)
                group_names.append(item[4])
                group_caps.append(math.inf)
        rank = self.ranks([e for item in parsed for effects in item[2:4] for e in effects])
        built = [
            Finding(
                fid,
                rule,
                self.sparse(present, rank, group_index[group]),
                self.sparse(absent, rank, group_index[group]) if absent else None,
                group,
                *child_words[fid],
            )
            for fid, rule, present, absent, group, _ in parsed
        ]
        contexts = tuple(f for f, item in zip(built, parsed, strict=True) if item[5])
        findings = tuple(f for f, item in zip(built, parsed, strict=True) if not item[5])
        code_list = [""] * (len(rank) + 1)
        for (_, text), code in rank.items():
            code_list[code] = text
        # The same codes in a child's words: each finding's own text -> its child text.
        as_child: dict[str, str] = {}
        for fid, _, present, absent, *_ in parsed:
            child_present, child_absent = child_words[fid]
            for effects, child_text in ((present, child_present), (absent, child_absent)):
                if effects and child_text is not None:
                    as_child[effects[0][2]] = child_text
        return Differential(
            conditions=tuple(self.conditions),
            priors=tuple(priors),
            contexts=contexts,
            findings=findings,
            no_information=self.no_information(),
            informative_questions=frozenset().union(*(f.rule.refs for f in findings)),
            dispatch=Dispatch.build(
                [(f.rule, f.present, f.absent) for f in contexts + findings],
                self.questionnaire.domains,
                self.questionnaire.multi_ids,
            ),
            code_list=tuple(code_list),
            ids=tuple(c.id for c in self.conditions),
            names=tuple(c.name for c in self.conditions),
            group_names=tuple(group_names),
            group_caps=tuple(group_caps),
            capped=frozenset(i for i, cap in enumerate(group_caps) if cap != math.inf),
            temperature=temperature,
            max_probability=max_probability,
            warning_sign_lr=self.warning_sign_lr(),
            evidence_weight=self.evidence_weight,
            bands=self.bands(),
            child_code_list=tuple(as_child.get(t, t) for t in code_list),
        ).prepare()

    def child_wording(
        self, raw: Mapping[str, Any], keys: Mapping[str, str], where: str
    ) -> tuple[str | None, str | None]:
        """An entry's ``for_a_child`` wording, (present, absent): ``keys`` maps each key it
        may hold (``text`` for a context) to the direction it words. Refuses an entry a
        child can have whose text says you/your without a child's wording for it: its rule
        can hold for a child (present) or fail for a child with its questions answered
        (absent), judged as the questionnaire judges which questions a child is shown."""
        child = raw.get("for_a_child", {})
        where_child = f"{where}.for_a_child"
        if not isinstance(child, Mapping) or set(child) - set(keys):
            raise DifferentialError(f"{where_child}: a mapping with {' or '.join(keys)}")
        words: dict[str, str | None] = {"text_present": None, "text_absent": None}
        for key, direction in keys.items():
            own = raw.get(key)
            text = child.get(key)
            if text is not None:
                if not isinstance(text, str) or not text.strip():
                    raise DifferentialError(f"{where_child}.{key}: must be non-empty text")
                if own is None or text.strip() == str(own).strip():
                    raise DifferentialError(
                        f"{where_child}.{key}: only for a text the entry has, in other words"
                    )
                words[direction] = text.strip()
                continue
            if not speaks_to_you(own if isinstance(own, str) else None):
                continue
            rule = raw["rule"]  # compiled already, so a valid rule
            possible = (
                self.questionnaire.can_apply_to_a_child(rule)
                if direction == "text_present"
                else self.questionnaire.can_fail_for_a_child(rule)
            )
            if possible:
                raise DifferentialError(
                    f'{where}: its {key} speaks to "you" ({own!r}), and a child can have '
                    f"it: give for_a_child.{key}, the reason as a parent reads it about "
                    'their child ("Your child has ...")'
                )
        return words["text_present"], words["text_absent"]

    @staticmethod
    def group_of(raw: Mapping[str, Any], known: Mapping[str, int], where: str) -> str:
        group = raw.get("group")
        if group is None:
            return f"finding:{raw['id']}"
        if group not in known:
            raise DifferentialError(f"{where}: unknown group {group!r}")
        return str(group)

    @staticmethod
    def ranks(effects: list[Effect]) -> dict[tuple[int, str], int]:
        """A global order of reasons: strongest effect first, then by text (deterministic)."""
        ordered = sorted(effects, key=lambda e: (-abs(math.log(e[1])), e[2], e[0]))
        return {(e[0], e[2]): rank for rank, e in enumerate(ordered, start=1)}

    @staticmethod
    def sparse(
        effects: tuple[Effect, ...], rank: Mapping[tuple[int, str], int], group: int
    ) -> Effects | None:
        if not effects:
            return None
        return Effects(group, tuple((i, math.log(lr), rank[(i, text)]) for i, lr, text in effects))

    def no_information(self) -> Mapping[str, frozenset[str]]:
        raw = self.data.get("no_information", {})
        values = frozenset(raw.get("values", []))
        exceptions = raw.get("except", {})
        for qid, kept in exceptions.items():
            if qid not in self.questions or not set(kept) <= set(self.questions[qid].labels):
                raise DifferentialError(f"no_information.except: bad entry {qid!r}")
        out: dict[str, frozenset[str]] = {}
        for qid, question in self.questions.items():
            # A choice that says nothing (single), or a multiple choice whose only choice
            # says nothing ("I don't know" is exclusive): the question was not answered.
            if question.type in ("single", "yes_no", "multi"):
                dropped = (values & set(question.labels)) - set(exceptions.get(qid, []))
                if question.type == "multi":
                    dropped &= question.exclusive
                if dropped:
                    out[qid] = frozenset(dropped)
        return out


def parse_differential(
    data: object, questionnaire: Questionnaire, conditions: Mapping[str, Condition]
) -> Differential:
    """Compile the differential; every reference and number is checked here."""
    if not isinstance(data, Mapping):
        raise DifferentialError("differential: top level must be a mapping")
    return _Parser(data, questionnaire, list(conditions.values())).parse()


@lru_cache(maxsize=8)
def load_differential(questionnaire: Questionnaire) -> Differential:
    """The packaged differential compiled against ``questionnaire`` (cached)."""
    return parse_differential(load_yaml("differential.yaml"), questionnaire, load_conditions())
