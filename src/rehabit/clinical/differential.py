"""Probabilistic, explainable ranking of likely causes (``data/differential.yaml``).

Model: posterior weight = prior x context multipliers x likelihood ratio of every finding,
then normalised over the conditions. The conditions are treated as mutually exclusive and
exhaustive (one cause explains the pain). Findings are not independent (several answers
often say the same thing: "pain below the knee", "tingling" and a positive nerve stretch
are one piece of evidence for sciatica), so:

* every finding belongs to a dependence **group**; within a group the LRs for a condition
  multiply, but their product is clamped to the group's cap ([1/cap, cap]), so correlated
  answers cannot add up to more than the evidence they share;
* the whole posterior is **calibrated** with a temperature (log weights divided by T, fitted
  once on the tuning part of the published-case set, never on its locked part), and no
  cause is shown above ``max_probability``.

Everything is compiled at load time: each answer state becomes a sparse tuple of
(condition, log LR, reason code) per group, and rules about one question are tabulated
(answer -> effects, see ``rules.Dispatch``). A call looks answers up, sums logs per
(group, condition), clamps, and picks each group's strongest reason in the direction of its
net effect, so a cause never lists two reasons that contradict each other.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from types import MappingProxyType
from typing import Any, NamedTuple

from rehabit.clinical.conditions import Condition
from rehabit.clinical.rules import Answers, Dispatch, Rule

OTHERS = "others"
# Reasons shown per cause and direction (for / against): the strongest, one per group.
MAX_REASONS = 5
# Causes below this probability (and not linked to a fired flag) are listed without reasons.
REASONS_FROM = 0.01
# Causes shown with their reasons, on the result page, in the therapist's intake summary and
# in the printable report (at most; see ``shown_first``).
TOP_CAUSES = 3
# One effect of an answer on one condition, as parsed: (condition index, LR, text).
Effect = tuple[int, float, str]
# An Effects ready for ``rank``: (in a capped group?, entries). Capped entries are
# (group-condition key, log LR, key-direction slot, (strength, code)); the others are
# (condition index, log LR, condition-direction slot, (-strength, code)).
Prepared = tuple[bool, tuple[tuple[int, float, int, tuple[float, int]], ...]]


class DifferentialError(ValueError):
    """The differential data is malformed."""


@dataclass(frozen=True, slots=True)
class Effects:
    """What one answer state does, sparsely: the conditions it changes, within one group.

    ``entries`` are (condition index, natural log of the LR, reason code); a code indexes
    ``Differential.code_list`` (its text) and orders reasons, strongest first.
    """

    group: int
    entries: tuple[tuple[int, float, int], ...]


@dataclass(frozen=True, slots=True)
class Finding:
    id: str
    rule: Rule
    present: Effects | None
    absent: Effects | None
    group: str = ""
    # The reasons as a child's parent reads them ("Your child has a small bruise."), where
    # they differ from the finding's own (``for_a_child`` in the data).
    child_present: str | None = None
    child_absent: str | None = None


class Cause(NamedTuple):
    """One possible cause (immutable; a NamedTuple because ~25 are built per assessment)."""

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
class Band:
    """A level of confidence: the first cause's probability below ``below``, and how often
    the first cause was the confirmed one at that level (out of 10)."""

    below: float
    level: str
    right_in_10: int


@dataclass(frozen=True, slots=True)
class Differential:
    conditions: tuple[Condition, ...]
    priors: tuple[float, ...]
    contexts: tuple[Finding, ...]  # only "present" effects
    findings: tuple[Finding, ...]
    no_information: Mapping[str, frozenset[str]]  # question id -> values that say nothing
    informative_questions: frozenset[str]  # questions that findings look at
    dispatch: Dispatch[Effects]  # every context and finding, arranged for speed
    code_list: tuple[str, ...]  # reason code -> text
    ids: tuple[str, ...]  # condition ids, in order
    names: tuple[str, ...]  # condition names, in order
    group_names: tuple[str, ...]  # group index -> name
    group_caps: tuple[float, ...]  # group index -> log of its cap (inf: no cap)
    capped: frozenset[int]  # groups with a cap (named groups)
    temperature: float
    max_probability: float
    # What a fired urgent or emergency warning sign is worth, as a likelihood ratio, for
    # each cause it names (redflags.flag_evidence); fitted with the temperature.
    warning_sign_lr: float
    evidence_weight: float
    bands: tuple[Band, ...]
    # reason code -> the text a child's parent reads (the finding's ``for_a_child`` wording,
    # or its own where it has none); the codes and their order are those of ``code_list``.
    child_code_list: tuple[str, ...] = ()
    # ``dispatch`` with each Effects replaced by its entries ready for ``rank`` (same rules,
    # same order); built by ``prepare``. Derived data: a ``dataclasses.replace`` that
    # changes the dispatch, the groups or the conditions must prepare again.
    prepared: Dispatch[Prepared] | None = None
    prior_logs: tuple[float, ...] = ()
    positions: Mapping[str, int] = field(default_factory=dict)
    key_parts: tuple[tuple[int, float, int], ...] = ()  # key -> (condition, cap, 2 * key)

    def prepare(self) -> Differential:
        """This differential with ``prepared``, ``prior_logs`` and ``positions`` filled in."""
        n = len(self.ids)
        cache: dict[int, Prepared] = {}

        def ready(effects: Effects | None) -> Prepared | None:
            if effects is None:
                return None
            found = cache.get(id(effects))
            if found is None:
                capped = effects.group in self.capped
                base = effects.group * n
                entries = []
                for index, log_lr, code in effects.entries:
                    against = log_lr < 0
                    if capped:
                        key = base + index
                        strength = -log_lr if against else log_lr
                        entries.append((key, log_lr, 2 * key + against, (strength, code)))
                    else:
                        item = (log_lr, code) if against else (-log_lr, code)
                        entries.append((index, log_lr, 2 * index + against, item))
                found = cache[id(effects)] = (capped, tuple(entries))
            return found

        tables = tuple(
            (qid, is_multi, {v: tuple(ready(e) for e in items) for v, items in table.items()})
            for qid, is_multi, table in self.dispatch.tables
        )
        generic = tuple((rule, ready(t), ready(f)) for rule, t, f in self.dispatch.generic)
        return replace(
            self,
            prepared=Dispatch(tables, generic),  # type: ignore[arg-type]
            prior_logs=tuple(math.log(p) for p in self.priors),
            positions=MappingProxyType({cid: i for i, cid in enumerate(self.ids)}),
            key_parts=_key_parts(self.group_caps, n),
        )

    def band(self, probability: float) -> Band:
        for band in self.bands:
            if probability < band.below:
                return band
        return self.bands[-1]

    def informative(self, answers: Answers) -> dict[str, object]:
        """The answers without "not sure" / "did not try" style values (no information)."""
        drop = self.no_information
        return {k: v for k, v in answers.items() if not (k in drop and _says_nothing(v, drop[k]))}

    def rank(
        self,
        info: Answers,
        flagged: Mapping[str, int] | Collection[str] = (),
        evidence: Mapping[str, float] | None = None,
        *,
        child: bool = False,
    ) -> tuple[Cause, ...]:
        """Causes ordered: linked to a fired red flag first (the most urgent flag's cause
        before the others), then probability, then id.

        ``info`` are the informative answers (see ``informative``); ``flagged`` maps a
        condition linked to a fired flag to that flag's urgency (a higher number is more
        urgent), or is just the set of such conditions; ``evidence`` adds log likelihood
        ratios per condition (from clinical rules that fired, see ``redflags``);
        ``child``: the answers are a child's (``child_wording.is_child``), so the reasons
        are given in the words a parent reads about their child. Only the words change.
        """
        n = len(self.ids)
        prepared = self.prepared if self.prepared is not None else self.prepare().prepared
        assert prepared is not None
        log_weights = list(self.prior_logs or self.log_priors)
        reasons: list[list[tuple[float, int]]] = [[] for _ in range(2 * n)]
        totals: dict[int, float] = {}  # (group, condition) -> summed log LR, capped groups
        best: dict[int, tuple[float, int]] = {}  # (group, condition, direction) -> strongest
        get_total, get_best = totals.get, best.get
        # The same sums in the same order as one effect at a time (results are bit for bit
        # those of the plain loop); the entries were prepared at load time (``prepare``).
        for capped, entries in prepared.collect(info):
            if capped:
                for key, log_lr, slot, held_new in entries:
                    totals[key] = get_total(key, 0.0) + log_lr
                    held = get_best(slot)
                    if held is None or held_new[0] > held[0]:
                        best[slot] = held_new
            else:  # a group of one finding: its entries are its own reasons
                for index, log_lr, slot, item in entries:
                    log_weights[index] += log_lr
                    reasons[slot].append(item)
        keys = self.key_parts or _key_parts(self.group_caps, n)
        for key, total in totals.items():
            index, cap, slot = keys[key]
            clamped = cap if total > cap else -cap if total < -cap else total
            log_weights[index] += clamped
            if clamped:
                against = clamped < 0
                held = get_best(slot + against)
                if held is not None:
                    reasons[2 * index + against].append((-abs(clamped), held[1]))
        if evidence:
            position = self.positions or {cid: i for i, cid in enumerate(self.ids)}
            for cid, log_lr in evidence.items():
                log_weights[position[cid]] += log_lr * self.evidence_weight
        probabilities = self._probabilities(log_weights)
        texts = self.child_code_list if child and self.child_code_list else self.code_list
        urgency = flagged if isinstance(flagged, Mapping) else dict.fromkeys(flagged, 1)
        causes = []
        for index, cid in enumerate(self.ids):
            probability = probabilities[index]
            if probability < REASONS_FROM and cid not in urgency:
                # Too unlikely to be worth explaining (and a list of reasons next to a
                # 0.1 % cause reads as if it mattered).
                causes.append(Cause(cid, self.names[index], probability, (), (), False))
                continue
            pro = sorted(reasons[2 * index])[:MAX_REASONS]
            con = sorted(reasons[2 * index + 1])[:MAX_REASONS]
            causes.append(
                Cause(
                    cid,
                    self.names[index],
                    probability,
                    tuple(texts[code] for _, code in pro),
                    tuple(texts[code] for _, code in con),
                    cid in urgency,
                )
            )
        causes.sort(key=lambda c: (-urgency.get(c.id, 0), -c.probability, c.id))
        return tuple(causes)

    def _probabilities(self, log_weights: list[float]) -> list[float]:
        """Calibrated probabilities: tempered softmax, the largest capped."""
        inverse = 1.0 / self.temperature
        top = max(log_weights)
        weights = [math.exp((w - top) * inverse) for w in log_weights]
        total = math.fsum(weights)
        probabilities = [w / total for w in weights]
        cap = self.max_probability
        first = max(range(len(probabilities)), key=probabilities.__getitem__)
        if probabilities[first] > cap:
            rest = math.fsum(p for i, p in enumerate(probabilities) if i != first)
            scale = (1.0 - cap) / rest if rest > 0 else 0.0
            probabilities = [p * scale for p in probabilities]
            if rest <= 0:  # every other weight underflowed: share the remainder evenly
                share = (1.0 - cap) / (len(probabilities) - 1)
                probabilities = [share] * len(probabilities)
            probabilities[first] = cap
        return probabilities

    @property
    def log_priors(self) -> tuple[float, ...]:
        return _log_priors(self.priors)


def _key_parts(caps: Sequence[float], n: int) -> tuple[tuple[int, float, int], ...]:
    """For each (group, condition) key of ``rank``: the condition, the group's cap and the
    key's first slot in ``best`` (the arithmetic of ``divmod`` and ``2 * key``, done once)."""
    return tuple((key % n, caps[key // n], 2 * key) for key in range(len(caps) * n))


@lru_cache(maxsize=16)
def _log_priors(priors: tuple[float, ...]) -> tuple[float, ...]:
    return tuple(math.log(p) for p in priors)


def _says_nothing(value: object, values: frozenset[str]) -> bool:
    if isinstance(value, list):
        return len(value) == 1 and value[0] in values
    return value in values


def shown_first(causes: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The causes shown with their reasons (stored causes, as ranked): the first
    TOP_CAUSES, less those too unlikely to be explained (under REASONS_FROM and not linked
    to a warning sign), whose reasons are not worked out, so beside the likelier ones they
    would read "none of your answers points to it" (or "0 %"). They are listed with the
    less likely causes instead. The first cause is always shown. (Causes come flag-linked
    first, then by probability, so these are a prefix.)"""
    return [
        c
        for i, c in enumerate(causes[:TOP_CAUSES])
        if i == 0 or c.get("red_flag") or float(c.get("probability") or 0.0) >= REASONS_FROM
    ]
