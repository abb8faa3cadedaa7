"""Probabilistic, explainable ranking of likely causes (``data/differential.yaml``).

Model: posterior weight = prior x context multipliers x likelihood ratio of every finding,
then normalised over the conditions. Simplification: the conditions are treated as mutually
exclusive and exhaustive (one cause explains the pain) and findings as conditionally
independent, so each LR acts as a relative likelihood and only ratios between conditions
matter. This overstates certainty when findings are correlated; the LRs are therefore kept
moderate and clamped (see ``limits`` in the data file).

Everything is compiled at load time: each answer state becomes a dense tuple of LRs plus
sortable reason codes, and rules about one question are tabulated (answer -> effects, see
``rules.Dispatch``). A call looks answers up, multiplies columns and slices sorted codes.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from operator import mul
from typing import Any, NamedTuple

from rehabit.clinical.conditions import Condition, load_conditions
from rehabit.clinical.questionnaire import Questionnaire, citation_problem, load_yaml
from rehabit.clinical.rules import Answers, Dispatch, Rule, RuleError, compile_rule

OTHERS = "others"
# One effect of an answer on one condition, as parsed: (condition index, LR, text).
Effect = tuple[int, float, str]


class DifferentialError(ValueError):
    """The differential data is malformed."""


@dataclass(frozen=True, slots=True)
class Effects:
    """What one answer state does to every condition (dense, so combining is cheap).

    ``codes`` are the reasons as sortable integers: condition, then for (0) / against (1),
    then strength (strongest first); ``Differential.code_texts`` turns them into text.
    """

    lrs: tuple[float, ...]  # one per condition; 1.0 where it is not affected
    codes: tuple[int, ...]

    @staticmethod
    def merge(parts: Sequence[Effects]) -> Effects:
        """The combined effect of several answer states (LRs multiply, reasons add up)."""
        if len(parts) == 1:
            return parts[0]
        lrs = tuple(math.prod(col) for col in zip(*(p.lrs for p in parts), strict=True))
        return Effects(lrs, tuple(sorted(c for p in parts for c in p.codes)))


@dataclass(frozen=True, slots=True)
class Finding:
    id: str
    rule: Rule
    present: Effects | None
    absent: Effects | None


def _lrs(effects: Effects) -> tuple[float, ...]:
    return effects.lrs


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
    dispatch: Dispatch[Effects]  # every context and finding, arranged for speed
    code_texts: Mapping[int, str]  # reason code -> text
    code_list: tuple[str, ...]  # the same as a dense list indexed by code (faster lookup)
    ids: tuple[str, ...]  # condition ids, in order
    names: tuple[str, ...]  # condition names, in order
    bounds: tuple[int, ...]  # first code of each (condition, for/against) group, and the end

    def informative(self, answers: Answers) -> dict[str, object]:
        """The answers without "not sure" / "did not try" style values (no information)."""
        drop = self.no_information
        return {k: v for k, v in answers.items() if not (k in drop and v in drop[k])}

    def rank(self, info: Answers, flagged: Collection[str] = ()) -> tuple[Cause, ...]:
        """Causes ordered: linked to a fired red flag first, then probability, then id.

        ``info`` are the informative answers (see ``informative``).
        """
        fired = self.dispatch.collect(info) or [self.neutral]
        # Most of the work is done by C-level builtins (map, zip, sort, bisect).
        # Weights: prior x product of the LR column of each condition.
        columns = zip(*map(_lrs, fired), strict=False)  # every lrs has one entry per condition
        weights = list(map(mul, self.priors, map(math.prod, columns)))
        probabilities = map(math.fsum(weights).__rtruediv__, weights)
        # Reasons: one sort of all codes groups them by (condition, for/against), strongest
        # first; bisecting at each group's first code gives the slice of each "why" list.
        codes: list[int] = []
        for effects in fired:
            codes += effects.codes
        codes.sort()
        cut = list(map(bisect_left, repeat(codes), self.bounds))
        texts = tuple(map(self.code_list.__getitem__, codes))
        why_for = map(texts.__getitem__, map(slice, cut[0:-1:2], cut[1::2]))
        why_against = map(texts.__getitem__, map(slice, cut[1::2], cut[2::2]))
        ids = self.ids
        red = map(frozenset(flagged).__contains__, ids)
        causes = list(map(Cause, ids, self.names, probabilities, why_for, why_against, red))
        causes.sort(key=_order)
        return tuple(causes)

    @property
    def neutral(self) -> Effects:
        n = len(self.conditions)
        return Effects((1.0,) * n, ())


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
        built_contexts = [Finding(i, r, self.dense(p, rank), None) for i, r, p, _ in contexts]
        built_findings = [
            Finding(i, r, self.dense(p, rank), self.dense(a, rank) if a else None)
            for i, r, p, a in findings
        ]
        return Differential(
            conditions=tuple(self.conditions),
            priors=tuple(priors),
            contexts=tuple(built_contexts),
            findings=tuple(built_findings),
            no_information=self.no_information(),
            informative_questions=frozenset().union(*(f[1].refs for f in findings)),
            dispatch=Dispatch.build(
                [(f.rule, f.present, f.absent) for f in built_contexts + built_findings],
                self.questionnaire.domains,
                self.questionnaire.multi_ids,
                merge=Effects.merge,
            ),
            code_texts={
                self.code(i, against, r, len(rank)): text
                for (i, text), r in rank.items()
                for against in (False, True)
            },
            bounds=tuple(k * (len(rank) + 1) for k in range(2 * len(self.conditions) + 1)),
            code_list=self.code_list(rank),
            ids=tuple(c.id for c in self.conditions),
            names=tuple(c.name for c in self.conditions),
        )

    @staticmethod
    def ranks(effects: list[Effect]) -> dict[tuple[int, str], int]:
        """A global order of reasons: strongest effect first, then by text (deterministic)."""
        ordered = sorted(effects, key=lambda e: (-abs(math.log(e[1])), e[2], e[0]))
        return {(e[0], e[2]): rank for rank, e in enumerate(ordered, start=1)}

    def dense(self, effects: tuple[Effect, ...], rank: Mapping[tuple[int, str], int]) -> Effects:
        lrs = [1.0] * len(self.conditions)
        codes = []
        for i, lr, text in effects:
            lrs[i] = lr
            codes.append(self.code(i, lr < 1, rank[(i, text)], len(rank)))
        return Effects(tuple(lrs), tuple(sorted(codes)))

    def code_list(self, rank: Mapping[tuple[int, str], int]) -> tuple[str, ...]:
        size = (2 * len(self.conditions)) * (len(rank) + 1)
        texts = [""] * size
        for (i, text), r in rank.items():
            for against in (False, True):
                texts[self.code(i, against, r, len(rank))] = text
        return tuple(texts)

    @staticmethod
    def code(index: int, against: bool, rank: int, count: int) -> int:
        """Sort key of a reason: condition, then for (0) / against (1), then strength."""
        return (2 * index + against) * (count + 1) + rank

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


def _order(cause: Cause) -> tuple[bool, float, str]:
    return (not cause.red_flag, -cause.probability, cause.id)


@lru_cache(maxsize=8)
def load_differential(questionnaire: Questionnaire) -> Differential:
    """The packaged differential compiled against ``questionnaire`` (cached)."""
    return parse_differential(load_yaml("differential.yaml"), questionnaire, load_conditions())
