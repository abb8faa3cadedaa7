"""A plain, slow restatement of the differential's ranking, for checking the fast one.

It evaluates every context and finding rule one by one (no tabulated dispatch), sums each
dependence group's log likelihood ratios per condition, clamps the sum to the group's cap,
and turns the log weights into calibrated probabilities (tempered softmax, the largest
capped at ``max_probability``).

Reasons, per cause and direction: one per group whose net (clamped) effect points that
way, stated by the group's strongest answer in that direction; strongest group first; at
most ``MAX_REASONS``; none for a cause too unlikely to explain (below ``REASONS_FROM``)
unless a red flag points to it. Where two answers are equally strong either may be shown.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from rehabit.clinical.differential import MAX_REASONS, REASONS_FROM, Cause, Differential


@dataclass(frozen=True)
class Slot:
    """One group's reason for one cause: how strong, and which answers may state it."""

    strength: float  # |clamped net log LR|
    group: str
    codes: frozenset[int]  # the strongest answers in the net direction (ties included)


@dataclass(frozen=True)
class Reference:
    log_weights: dict[str, float]
    probabilities: dict[str, float]
    slots: dict[tuple[str, bool], list[Slot]]  # (condition, against) -> strongest first
    group_totals: dict[tuple[str, str], float]  # (group name, condition) -> unclamped sum
    contributions: dict[tuple[str, str], float]  # (group name, condition) -> clamped sum


def reference(
    differential: Differential,
    info: Mapping[str, object],
    evidence: Mapping[str, float] | None = None,
    caps: Mapping[str, float] | None = None,
) -> Reference:
    """``caps`` overrides group caps (log scale) by group name, e.g. ``{"nerve": inf}``."""
    ids = differential.ids
    totals: dict[tuple[int, int], float] = defaultdict(float)
    entries: dict[tuple[int, int, bool], list[tuple[float, int]]] = defaultdict(list)
    for item in differential.contexts + differential.findings:
        state = item.rule.evaluate(info)
        effects = item.present if state is True else item.absent if state is False else None
        if effects is None:
            continue
        for index, log_lr, code in effects.entries:
            totals[(effects.group, index)] += log_lr
            entries[(effects.group, index, log_lr < 0)].append((abs(log_lr), code))
    log_weights = [math.log(p) for p in differential.priors]
    slots: dict[tuple[str, bool], list[Slot]] = defaultdict(list)
    contributions: dict[tuple[str, str], float] = {}
    for (group, index), total in totals.items():
        name = differential.group_names[group]
        cap = (caps or {}).get(name, differential.group_caps[group])
        clamped = max(-cap, min(cap, total))
        log_weights[index] += clamped
        contributions[(name, ids[index])] = clamped
        if clamped != 0:
            against = clamped < 0
            candidates = entries[(group, index, against)]
            strongest = max(s for s, _ in candidates)
            codes = frozenset(c for s, c in candidates if s == strongest)
            slots[(ids[index], against)].append(Slot(abs(clamped), name, codes))
    for cid, log_lr in (evidence or {}).items():
        log_weights[ids.index(cid)] += log_lr * differential.evidence_weight
    top = max(log_weights)
    weights = [math.exp((w - top) / differential.temperature) for w in log_weights]
    probabilities = [w / math.fsum(weights) for w in weights]
    first = max(range(len(ids)), key=probabilities.__getitem__)
    if probabilities[first] > differential.max_probability:
        rest = 1 - probabilities[first]
        left = 1 - differential.max_probability
        if rest > 0:
            probabilities = [p * left / rest for p in probabilities]
        else:  # every other weight underflowed: they share what is left evenly
            probabilities = [left / (len(ids) - 1)] * len(ids)
        probabilities[first] = differential.max_probability
    for found in slots.values():
        found.sort(key=lambda slot: -slot.strength)
    return Reference(
        log_weights=dict(zip(ids, log_weights, strict=True)),
        probabilities=dict(zip(ids, probabilities, strict=True)),
        slots=dict(slots),
        group_totals={
            (differential.group_names[g], ids[i]): total for (g, i), total in totals.items()
        },
        contributions=contributions,
    )


def reason_codes(differential: Differential) -> dict[tuple[str, str], int]:
    """(condition, reason text) -> reason code: a text means one answer for one cause."""
    out: dict[tuple[str, str], int] = {}
    for item in differential.contexts + differential.findings:
        for effects in (item.present, item.absent):
            for index, _, code in effects.entries if effects is not None else ():
                out[(differential.ids[index], differential.code_list[code])] = code
    return out


def check_reasons(
    differential: Differential, cause: Cause, expected: Reference, flagged: Collection[str] = ()
) -> None:
    """The cause's reasons are the strongest groups in each direction, one answer each."""
    codes = reason_codes(differential)
    explained = cause.probability >= REASONS_FROM or cause.id in flagged
    for against, shown in ((False, cause.why_for), (True, cause.why_against)):
        slots = expected.slots.get((cause.id, against), []) if explained else []
        wanted = slots[:MAX_REASONS]
        assert len(shown) == len(wanted), (cause.id, against, shown)
        by_code = {code: slot for slot in slots for code in slot.codes}
        chosen = [by_code.get(codes[(cause.id, text)]) for text in shown]
        assert None not in chosen, (cause.id, against, shown)  # a strongest answer of its group
        assert len({slot.group for slot in chosen if slot}) == len(shown)  # one per group
        strengths = [slot.strength for slot in chosen if slot]
        assert strengths == sorted(strengths, reverse=True), (cause.id, shown)
        assert all(
            math.isclose(a, b.strength, rel_tol=1e-12)
            for a, b in zip(strengths, wanted, strict=True)
        ), (cause.id, against, shown)
