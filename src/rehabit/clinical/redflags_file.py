"""Reading and checking ``data/red_flags.yaml`` into the flags ``redflags`` screens with.

Every rule and condition reference is checked here, once, at load time: each flag's level,
how soon its advice says to be seen (``within``), its likelihood ratio and citation, the
causes it lists (``also``) and the flags it stands in for (``covers``), and each text a
child's parent can be shown against its child wording (``for_a_child``). Pure: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from functools import lru_cache

from rehabit.clinical.child_wording import speaks_to_the_patient
from rehabit.clinical.datafiles import citation_problem, load_yaml
from rehabit.clinical.flag_branches import split_branches
from rehabit.clinical.levels import RANK
from rehabit.clinical.questionnaire import SELF_TEST_SECTION, Questionnaire
from rehabit.clinical.redflags import UNSURE, RedFlag, RedFlagError, RedFlags
from rehabit.clinical.rules import RuleError, compile_rule

FLAG_LEVELS: frozenset[str] = frozenset({"emergency", "urgent", "soon"})
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_KEYS = frozenset(
    {
        "id",
        "label",
        "label_unsure",
        "disposition",
        "advice",
        "rule",
        "condition",
        "also",
        "covers",
        "forbids",
        "ends_check",
        "within",
        "lr",
        "source",
        "expert",
        "for_a_child",
    }
)
CHILD_KEYS = frozenset({"label", "label_unsure", "advice"})
# A text that speaks of a child ("A child has ...", "Take your child ...") does not speak
# to the patient: its "you" is the parent. But a label that speaks of "a child" or "the
# child" is not yet the parent's words about THEIR child (a phone walk, a parent of a
# 9-year-old: "A child has a fever or seems unwell, and could not walk 10 steps."): one a
# parent can be shown needs for_a_child wording ("Your child has a fever ..."), and so does
# an advice that says "the child" (2026.12.11).
_A_CHILD_IN_A_LABEL = re.compile(r"\b(?:a|the) child\b", re.IGNORECASE)
_THE_CHILD = re.compile(r"\bthe child\b", re.IGNORECASE)
_ABOUT_A_CHILD = {"label": _A_CHILD_IN_A_LABEL, "label_unsure": _A_CHILD_IN_A_LABEL}
# A text that may carry a child's wording though it needs none: about a child or a young
# person ("Someone under 25 has a lump ...", "hurts in a child ...").
_ABOUT_THE_YOUNG = re.compile(r"\bchild(?:ren)?\b|\bsomeone under\b", re.IGNORECASE)
# How soon a flag's own advice says to see a doctor: for an urgent flag "today" (the
# urgent level's headline) or "two_days" (its advice says "today or tomorrow" or "within a
# day or two"); for a soon flag "weeks" (the soon level's "in the next week or two") or
# "few_days" (its advice says "in the next few days").
WITHIN_BY_LEVEL = {
    "urgent": frozenset({"today", "two_days"}),
    "soon": frozenset({"weeks", "few_days"}),
}
WITHIN = frozenset().union(*WITHIN_BY_LEVEL.values())
DEFAULT_WITHIN = {"urgent": "today", "soon": "weeks"}


def parse_red_flags(
    data: object,
    questionnaire: Questionnaire,
    condition_ids: Collection[str],
    serious: Collection[str] | None = None,
    *,
    child_wording: bool = True,
) -> RedFlags:
    """Compile the flags; every rule and condition reference is checked here (``serious``:
    the can't-miss conditions, the only ones a flag may list under ``also``).
    ``child_wording``: refuse a flag (or a case of one) that can fire for a child and
    speaks to "you" without a child's wording (``check_child_wording``)."""
    if not isinstance(data, Mapping) or not isinstance(data.get("red_flags"), list):
        raise RedFlagError("red_flags: top level needs a 'red_flags' list")
    flags: list[RedFlag] = []
    for index, raw in enumerate(data["red_flags"]):
        where = f"red_flags[{index}]"
        if not isinstance(raw, Mapping) or not _ID.match(str(raw.get("id", ""))):
            raise RedFlagError(f"{where}: needs a snake_case id")
        where = f"red flag {raw['id']!r}"
        if set(raw) - _KEYS:
            raise RedFlagError(f"{where}: unknown keys {sorted(set(raw) - _KEYS)}")
        if any(f.id == raw["id"] for f in flags):
            raise RedFlagError(f"{where}: duplicate id")
        for key in ("label", "advice"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise RedFlagError(f"{where}: {key} must be non-empty text")
        if raw.get("disposition") not in FLAG_LEVELS:
            raise RedFlagError(f"{where}: disposition must be one of {sorted(FLAG_LEVELS)}")
        condition = raw.get("condition")
        if condition is not None and condition not in condition_ids:
            raise RedFlagError(f"{where}: unknown condition {condition!r}")
        also = _also(raw, condition, condition_ids, serious, where)
        problem = citation_problem(raw)
        if problem:
            raise RedFlagError(f"{where}: {problem}")
        if UNSURE in repr(raw.get("rule")) and not isinstance(raw.get("label_unsure"), str):
            raise RedFlagError(
                f'{where}: fires on "Not sure", so it needs label_unsure (a "Not sure" '
                'is never reported back as a "yes")'
            )
        lr = raw.get("lr")
        if lr is not None and (
            isinstance(lr, bool) or not isinstance(lr, int | float) or not 1 < lr <= 10
        ):
            raise RedFlagError(f"{where}: lr must be a number above 1 and at most 10")
        if lr is not None and (condition is None or raw.get("disposition") != "soon"):
            raise RedFlagError(f"{where}: only a 'soon' flag with a condition takes an lr")
        if not isinstance(raw.get("ends_check", False), bool):
            raise RedFlagError(f"{where}: ends_check must be true or false")
        level = str(raw.get("disposition"))
        within = raw.get("within", DEFAULT_WITHIN.get(level, "today"))
        if within not in WITHIN:
            raise RedFlagError(f"{where}: within must be one of {sorted(WITHIN)}")
        if "within" in raw and within not in WITHIN_BY_LEVEL.get(level, frozenset()):
            raise RedFlagError(
                f"{where}: only an urgent flag takes 'within' today or two_days, and only a "
                "soon flag weeks or few_days"
            )
        try:
            bare, branches = split_branches(raw.get("rule"), questionnaire.questions, where)
            rule = compile_rule(bare, questionnaire.questions, f"{where}.rule")
        except RuleError as exc:
            raise RedFlagError(str(exc)) from exc
        child = _child_wording(raw, where)
        flags.append(
            RedFlag(
                id=raw["id"],
                label=raw["label"].strip(),
                disposition=raw["disposition"],
                advice=raw["advice"].strip(),
                rule=rule,
                condition=condition,
                ends_check=raw.get("ends_check", False),
                within=within,
                lr=float(lr) if lr is not None else None,
                label_unsure=(raw.get("label_unsure") or "").strip() or None,
                also=also,
                covers=_covers(raw, where),
                forbids=_forbids(raw, questionnaire, where),
                branches=branches,
                child_label=child.get("label"),
                child_label_unsure=child.get("label_unsure"),
                child_advice=child.get("advice"),
            )
        )
        if child_wording:
            check_child_wording(flags[-1], bare, questionnaire)
    _check_covers(flags)
    # Most urgent first, then file order: the order in which fired flags are reported.
    order = {f.id: i for i, f in enumerate(flags)}
    ordered = sorted(flags, key=lambda f: (-RANK[f.disposition], order[f.id]))
    return RedFlags(ordered, questionnaire)


def _child_wording(raw: Mapping[str, object], where: str) -> dict[str, str]:
    """A flag's ``for_a_child`` wording: {label, label_unsure, advice}, each only beside
    the flag's own."""
    child = raw.get("for_a_child")
    if child is None:
        return {}
    where = f"{where}.for_a_child"
    if not isinstance(child, Mapping) or not child or set(child) - CHILD_KEYS:
        raise RedFlagError(f"{where}: a mapping with label, label_unsure, advice or some")
    out: dict[str, str] = {}
    for key, text in child.items():
        if not isinstance(text, str) or not text.strip():
            raise RedFlagError(f"{where}: {key} must be non-empty text")
        if raw.get(key) is None:
            raise RedFlagError(f"{where}: {key} has no {key} of the flag's own to stand for")
        out[str(key)] = text.strip()
    return out


def check_child_wording(flag: RedFlag, rule: object, questionnaire: Questionnaire) -> None:
    """Refuse a flag that can fire for a child (its rule is not ruled out by an age of 16
    or more, or by a question a child is never shown) whose label, label_unsure or advice
    speaks to the patient as "you", or whose label or label_unsure speaks of "a child" or
    "the child" ("A child has a fever ...") or whose advice of "the child", without
    ``for_a_child`` wording; and the same for each case of its rule (``for_a_child`` label
    and label_unsure on the case). A child's parent reads the flag about their own child:
    "Your child has a fever ...", "Take your child to ...". Child wording on a flag or case
    that can never fire for a child is refused too (unused), and so is child wording that
    itself speaks of "a child" or "the child" instead of the parent's child."""
    where = f"red flag {flag.id!r}"
    hint = (
        "{says}, and it can fire for a child: give for_a_child.{key}, the "
        "wording a parent reads about their child"
    )
    fires = not isinstance(rule, Mapping) or questionnaire.can_apply_to_a_child(rule)
    own = {"label": flag.label, "label_unsure": flag.label_unsure, "advice": flag.advice}
    child = {
        "label": flag.child_label,
        "label_unsure": flag.child_label_unsure,
        "advice": flag.child_advice,
    }
    _check_texts(where, fires, own, child, hint)
    for branch in flag.branches:
        narrowed = branch.narrowed
        fires_here = fires and (
            not isinstance(narrowed, Mapping) or questionnaire.can_apply_to_a_child(narrowed)
        )
        _check_texts(
            branch.where,
            fires_here,
            {"label": branch.label, "label_unsure": branch.label_unsure},
            {"label": branch.child_label, "label_unsure": branch.child_label_unsure},
            hint,
        )


def _check_texts(
    where: str,
    fires: bool,
    own: Mapping[str, str | None],
    child: Mapping[str, str | None],
    hint: str,
) -> None:
    for key, text in own.items():
        of_a_child = _ABOUT_A_CHILD.get(key, _THE_CHILD).search(text or "")
        if not fires:
            if child[key] is not None:
                raise RedFlagError(
                    f"{where}: for_a_child.{key} is given, but it can never fire for a child"
                )
        elif child[key] is None and (speaks_to_the_patient(text) or of_a_child):
            says = f'speaks of "{of_a_child.group(0)}"' if of_a_child else 'speaks to "you"'
            raise RedFlagError(f"{where}: its {key} {hint.format(key=key, says=says)}")
        elif child[key] is not None and not (
            speaks_to_the_patient(text) or _ABOUT_THE_YOUNG.search(text or "")
        ):
            raise RedFlagError(
                f'{where}: for_a_child.{key} is given, but its {key} does not speak to "you" '
                "or of a child"
            )
        elif _ABOUT_A_CHILD.get(key, _THE_CHILD).search(child[key] or ""):
            raise RedFlagError(
                f'{where}: for_a_child.{key} speaks of "a child" or "the child": say '
                '"your child" (the parent reads it about their own)'
            )


def _also(
    raw: Mapping[str, object],
    condition: object,
    condition_ids: Collection[str],
    serious: Collection[str] | None,
    where: str,
) -> tuple[str, ...]:
    """The ``also`` list: serious conditions only (a likely cause never shares a flag's
    place at the top), on an urgent or emergency flag, none repeated."""
    also = raw.get("also", [])
    if not isinstance(also, list) or not all(isinstance(c, str) for c in also):
        raise RedFlagError(f"{where}: also must be a list of condition ids")
    if also and RANK[str(raw.get("disposition"))] < RANK["urgent"]:
        raise RedFlagError(f"{where}: only an urgent or emergency flag takes 'also'")
    if len(set(also)) != len(also) or condition in also:
        raise RedFlagError(f"{where}: also repeats a condition")
    for cid in also:
        if cid not in condition_ids:
            raise RedFlagError(f"{where}: unknown condition {cid!r} in also")
        if serious is not None and cid not in serious:
            raise RedFlagError(
                f"{where}: {cid!r} in also is not a serious condition; only can't-miss "
                "causes are listed with a warning sign"
            )
    return tuple(also)


def _forbids(
    raw: Mapping[str, object], questionnaire: Questionnaire, where: str
) -> tuple[str, ...]:
    """The self-tests a flag's advice rules out: known self-test questions, each once."""
    forbids = raw.get("forbids", [])
    if not isinstance(forbids, list) or not all(isinstance(q, str) for q in forbids):
        raise RedFlagError(f"{where}: forbids must be a list of self-test question ids")
    for qid in forbids:
        question = questionnaire.questions.get(qid)
        if question is None or question.section != SELF_TEST_SECTION:
            raise RedFlagError(f"{where}: forbids {qid!r}, which is not a self-test")
    if len(set(forbids)) != len(forbids):
        raise RedFlagError(f"{where}: forbids repeats a self-test")
    return tuple(forbids)


def _covers(raw: Mapping[str, object], where: str) -> tuple[str, ...]:
    covers = raw.get("covers", [])
    if not isinstance(covers, list) or not all(isinstance(c, str) for c in covers):
        raise RedFlagError(f"{where}: covers must be a list of red flag ids")
    if len(set(covers)) != len(covers) or raw.get("id") in covers:
        raise RedFlagError(f"{where}: covers repeats a flag or names itself")
    return tuple(covers)


def _check_covers(flags: Sequence[RedFlag]) -> None:
    """A flag may cover (stand in for) another only if reporting it alone loses nothing:
    it is at least as urgent and names the covered flag's cause, and it covers whatever the
    covered flag covers (closed: each pair is checked on its own, never through a chain)."""
    by_id = {f.id: f for f in flags}
    for flag in flags:
        for cid in flag.covers:
            covered = by_id.get(cid)
            where = f"red flag {flag.id!r}"
            if covered is None:
                raise RedFlagError(f"{where}: covers an unknown flag {cid!r}")
            if RANK[covered.disposition] > RANK[flag.disposition]:
                raise RedFlagError(f"{where}: covers the more urgent flag {cid!r}")
            named = {flag.condition, *flag.also}
            if covered.condition is not None and covered.condition not in named:
                raise RedFlagError(f"{where}: covers {cid!r} but does not name its cause")
            missing = [c for c in covered.covers if c not in flag.covers]
            if missing:
                raise RedFlagError(
                    f"{where}: covers {cid!r}, which covers {', '.join(missing)}: cover them too"
                )


@lru_cache(maxsize=8)
def load_red_flags(questionnaire: Questionnaire) -> RedFlags:
    """The packaged red flags compiled against ``questionnaire`` (cached)."""
    from rehabit.clinical.conditions import load_conditions

    conditions = load_conditions()
    serious = frozenset(cid for cid, c in conditions.items() if c.serious)
    return parse_red_flags(load_yaml("red_flags.yaml"), questionnaire, conditions, serious)
