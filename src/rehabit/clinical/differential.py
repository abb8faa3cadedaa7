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

from rehabit.clinical.child_wording import speaks_to_you
from rehabit.clinical.conditions import Condition, load_conditions
from rehabit.clinical.datafiles import citation_problem, load_yaml
from rehabit.clinical.questionnaire import Questionnaire
from rehabit.clinical.rules import Answers, Dispatch, Rule, RuleError, compile_rule

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
            parsed.append(
                (
                    raw["id"],
                    self.rule(raw, where),
                    self.effects(raw["lr"], "lr_present", raw["text_present"], where),
                    self.effects(raw["lr"], "lr_absent", raw.get("text_absent"), where),
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


def _says_nothing(value: object, values: frozenset[str]) -> bool:
    if isinstance(value, list):
        return len(value) == 1 and value[0] in values
    return value in values


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
