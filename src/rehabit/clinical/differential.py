"""Probabilistic, explainable ranking of likely causes (``data/differential.yaml``).

Model: posterior weight = prior x context multipliers x likelihood ratio of every finding,
then normalised over the conditions. Simplification: the conditions are treated as mutually
exclusive and exhaustive (one cause explains the pain) and findings as conditionally
independent, so each LR acts as a relative likelihood and only ratios between conditions
matter. This overstates certainty when findings are correlated; the LRs are therefore kept
moderate and clamped (see ``limits`` in the data file).

Everything is compiled at load time into index/weight tuples; a call only evaluates
closures and multiplies floats.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from rehabit.clinical.conditions import Condition, load_conditions
from rehabit.clinical.questionnaire import Questionnaire, citation_problem, load_yaml
from rehabit.clinical.rules import Answers, Rule, RuleError, compile_rule

OTHERS = "others"
# One effect of an answer on one condition, as parsed: (condition index, LR, text).
Effect = tuple[int, float, str]
# A reason is its position (from 1) in the global order of reason texts, strongest effect
# first; sorting plain ints is the cheapest way to order the "why" lists.
Reason = int


class DifferentialError(ValueError):
    """The differential data is malformed."""


@dataclass(frozen=True, slots=True)
class Effects:
    """What one answer state does, as dense per-condition tuples (fast to combine)."""

    lrs: tuple[float, ...]  # 1.0 where the condition is not affected
    raises: tuple[Reason | None, ...]  # reason shown in why_for, where LR > 1
    lowers: tuple[Reason | None, ...]  # reason shown in why_against, where LR < 1
    # (None where the condition is not affected)


@dataclass(frozen=True, slots=True)
class Finding:
    id: str
    rule: Rule
    present: Effects | None
    absent: Effects | None
    simple: tuple[str, frozenset[str]] | None = None  # (question, values) for {q, in} rules


@dataclass(frozen=True, slots=True)
class Plan:
    """The findings and contexts arranged for speed (same result as evaluating each rule).

    ``choice``: per single/yes_no question, answer value -> effects that fire.
    ``multi``: per multi question, (values, present, absent) for simple ``in`` rules.
    ``generic``: everything else, evaluated through its compiled rule.
    """

    choice: tuple[tuple[str, Mapping[str, tuple[Effects, ...]]], ...]
    multi: tuple[tuple[str, tuple[tuple[frozenset[str], Effects | None, Effects | None], ...]], ...]
    generic: tuple[Finding, ...]

    @classmethod
    def build(cls, items: Sequence[Finding], questions: Mapping[str, Any]) -> Plan:
        choice: dict[str, dict[str, list[Effects]]] = {}
        multi: dict[str, list[tuple[frozenset[str], Effects | None, Effects | None]]] = {}
        generic: list[Finding] = []
        for item in items:
            if item.simple is None:
                generic.append(item)
                continue
            qid, values = item.simple
            question = questions[qid]
            if question.type == "multi":
                multi.setdefault(qid, []).append((values, item.present, item.absent))
                continue
            table = choice.setdefault(qid, {v: [] for v in question.labels})
            for value, fired in table.items():
                effects = item.present if value in values else item.absent
                if effects is not None:
                    fired.append(effects)
        return cls(
            tuple((q, {v: tuple(e) for v, e in t.items()}) for q, t in choice.items()),
            tuple((q, tuple(entries)) for q, entries in multi.items()),
            tuple(generic),
        )

    def fired(self, info: Answers) -> list[Effects]:
        fired: list[Effects] = []
        for qid, table in self.choice:
            value = info.get(qid)
            if value is not None:
                fired.extend(table[value])  # type: ignore[index]
        for qid, entries in self.multi:
            selected = info.get(qid)
            if selected is None:
                continue
            for values, present, absent in entries:
                effects = absent if values.isdisjoint(selected) else present  # type: ignore[arg-type]
                if effects is not None:
                    fired.append(effects)
        for item in self.generic:
            state = item.rule.evaluate(info)
            if state is True:
                fired.append(item.present)  # type: ignore[arg-type]
            elif state is False and item.absent is not None:
                fired.append(item.absent)
        return fired


class Cause(NamedTuple):
    """One possible cause (immutable; a NamedTuple because ~20 are built per assessment)."""

    id: str
    name: str
    probability: float
    why_for: tuple[str, ...]
    why_against: tuple[str, ...]
    red_flag: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "probability": self.probability,
            "why_for": list(self.why_for),
            "why_against": list(self.why_against),
            "red_flag": self.red_flag,
        }


@dataclass(frozen=True, slots=True)
class Differential:
    conditions: tuple[Condition, ...]
    priors: tuple[float, ...]
    contexts: tuple[Finding, ...]  # only "present" effects
    findings: tuple[Finding, ...]
    no_information: Mapping[str, frozenset[str]]  # question id -> values that say nothing
    informative_questions: frozenset[str]  # questions that findings look at
    plan: Plan
    reason_texts: tuple[str, ...]  # index = Reason

    def informative(self, answers: Answers) -> dict[str, object]:
        """The answers without "not sure" / "did not try" style values (no information)."""
        drop = self.no_information
        return {k: v for k, v in answers.items() if not (k in drop and v in drop[k])}

    def rank(self, info: Answers, flagged: Collection[str] = ()) -> tuple[Cause, ...]:
        """Causes ordered: linked to a fired red flag first, then probability, then id.

        ``info`` are the informative answers (see ``informative``).
        """
        fired = self.plan.fired(info)
        if not fired:
            fired = [self.neutral]
        # Transpose in C: one column of LRs / reasons per condition.
        weights = [
            p * math.prod(col)
            for p, col in zip(self.priors, zip(*(e.lrs for e in fired), strict=True), strict=True)
        ]
        raises = list(zip(*(e.raises for e in fired), strict=True))
        lowers = list(zip(*(e.lowers for e in fired), strict=True))
        total = math.fsum(weights)
        text = self.reason_texts.__getitem__
        causes = [
            Cause(
                condition.id,
                condition.name,
                weight / total,
                tuple(map(text, sorted(filter(None, up)))),
                tuple(map(text, sorted(filter(None, down)))),
                condition.id in flagged,
            )
            for condition, weight, up, down in zip(
                self.conditions, weights, raises, lowers, strict=True
            )
        ]
        causes.sort(key=lambda c: (not c.red_flag, -c.probability, c.id))
        return tuple(causes)

    @property
    def neutral(self) -> Effects:
        n = len(self.conditions)
        return Effects((1.0,) * n, (None,) * n, (None,) * n)


class _Parser:
    def __init__(
        self, data: Mapping[str, Any], questionnaire: Questionnaire, conditions: Sequence[Condition]
    ):
        self.data = data
        self.questions = questionnaire.questions
        self.conditions = conditions
        self.index = {c.id: i for i, c in enumerate(conditions)}
        self.simple: dict[int, tuple[str, frozenset[str]]] = {}  # by id() of the Rule
        limits = data.get("limits")
        if not isinstance(limits, Mapping) or citation_problem(limits):
            raise DifferentialError("limits: needs min_lr, max_lr and a citation")
        self.min_lr, self.max_lr = float(limits["min_lr"]), float(limits["max_lr"])
        weight = limits.get("evidence_weight", 1)
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= 1:
            raise DifferentialError("limits: evidence_weight must be in (0, 1]")
        self.evidence_weight = float(weight)

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
        shape = raw["rule"]
        if set(shape) == {"q", "in"}:  # the compiler checked: a choice question and its values
            self.simple[id(rule)] = (shape["q"], frozenset(shape["in"]))
        return rule

    def effects(self, table: object, key: str, text: str | None, where: str) -> tuple[Effect, ...]:
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
        contexts: list[tuple[str, Rule, tuple[Effect, ...], tuple[Effect, ...]]] = [
            (
                raw["id"],
                self.rule(raw, f"context {raw['id']!r}"),
                self.effects(raw["multipliers"], "value", raw["text"], f"context {raw['id']!r}"),
                (),
            )
            for raw in self.entries("context", frozenset({"rule", "text", "multipliers"}))
        ]
        findings = []
        for raw in self.entries("findings", frozenset({"rule", "text_present", "lr"})):
            where = f"finding {raw['id']!r}"
            findings.append(
                (
                    raw["id"],
                    self.rule(raw, where),
                    self.effects(raw["lr"], "lr_present", raw["text_present"], where),
                    self.effects(raw["lr"], "lr_absent", raw.get("text_absent"), where),
                )
            )
        texts = [e[2] for item in contexts + findings for effects in item[2:] for e in effects[:1]]
        duplicates = sorted({t for t in texts if texts.count(t) > 1})
        if duplicates:  # each reason text must say one thing, once
            raise DifferentialError(f"duplicate reason texts: {duplicates}")
        rank = self.ranks(
            [e for item in contexts + findings for effects in item[2:] for e in effects]
        )
        built_contexts = [
            Finding(i, r, self.dense(p, rank), None, self.simple.get(id(r)))
            for i, r, p, _ in contexts
        ]
        built_findings = [
            Finding(
                i,
                r,
                self.dense(p, rank),
                self.dense(a, rank) if a else None,
                self.simple.get(id(r)),
            )
            for i, r, p, a in findings
        ]
        return Differential(
            conditions=tuple(self.conditions),
            priors=tuple(priors),
            contexts=tuple(built_contexts),
            findings=tuple(built_findings),
            no_information=self.no_information(),
            informative_questions=frozenset().union(*(f[1].refs for f in findings)),
            plan=Plan.build(built_contexts + built_findings, self.questions),
            reason_texts=("",) + tuple(text for _, text in sorted(rank, key=rank.__getitem__)),
        )

    @staticmethod
    def ranks(effects: list[Effect]) -> dict[tuple[int, str], int]:
        """A global order of reasons: strongest effect first, then by text (deterministic)."""
        ordered = sorted(effects, key=lambda e: (-abs(math.log(e[1])), e[2], e[0]))
        return {(e[0], e[2]): rank for rank, e in enumerate(ordered, start=1)}

    def dense(self, effects: tuple[Effect, ...], rank: Mapping[tuple[int, str], int]) -> Effects:
        n = len(self.conditions)
        lrs, raises, lowers = [1.0] * n, [None] * n, [None] * n  # type: list[float], list[Reason | None], list[Reason | None]
        for i, lr, text in effects:
            lrs[i] = lr
            (raises if lr > 1 else lowers)[i] = rank[(i, text)]
        return Effects(tuple(lrs), tuple(raises), tuple(lowers))

    def no_information(self) -> Mapping[str, frozenset[str]]:
        raw = self.data.get("no_information", {})
        values = frozenset(raw.get("values", []))
        exceptions = raw.get("except", {})
        for qid, kept in exceptions.items():
            if qid not in self.questions or not set(kept) <= set(self.questions[qid].labels):
                raise DifferentialError(f"no_information.except: bad entry {qid!r}")
        out: dict[str, frozenset[str]] = {}
        for qid, question in self.questions.items():
            if question.type in ("single", "yes_no"):
                dropped = (values & set(question.labels)) - set(exceptions.get(qid, []))
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
