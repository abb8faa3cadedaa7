"""Who reads a text, and whether a child can be shown it.

A parent or carer answers the check for a child under ``CHILD_UNDER`` (``is_child``), so
every text a child's parent can be shown that speaks to its reader as "you"
(``speaks_to_you``) needs a parent's wording about their child. Which texts a child can be
shown is read off the skip logic: ``never_true_for_a_child`` (a rule that needs an age of 16 or
more, or an answer to a question a child is never shown) and its mirror
``always_true_for_a_child``. The questionnaire, red flags, reasons, plan and medicine data use
these to check their child wording at load. Pure: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# An age under this is a child's check, answered by a parent or carer: a question's
# ``for_a_child`` wording is shown instead of its own.
CHILD_UNDER = 16


def is_child(age: object) -> bool:
    """Whether an answer to the age question is a child's (a parent or carer answers)."""
    return isinstance(age, int) and not isinstance(age, bool) and age < CHILD_UNDER


def parent_reads(age: object, child: bool | None = None) -> bool:
    """Whether a text is worded for a child's parent about their child ("safe for your
    child"): the check is a child's (``is_child``) and the caller did not say that someone
    else reads it. ``child``: who reads, as the caller knows it (a Django-side caller by
    ``care.selectors.read_by_a_parent``); False gives the patient's own words ("safe for
    you"), for the treating therapist or an admin reading a child's records; None (the
    default) reads as the patient's side does, a parent for a child. Never a parent's
    words for an adult's check."""
    return is_child(age) and child is not False


SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself)\b", re.IGNORECASE)


_ABOUT_A_CHILD = re.compile(r"\bchild(?:ren)?\b|\bsomeone under\b", re.IGNORECASE)


def speaks_to_the_patient(text: str | None) -> bool:
    """Whether a text speaks to the patient as "you": not a text about a child ("A child
    has ...", "Someone under 25 ..."), whose "you" is the parent reading it."""
    return speaks_to_you(text) and not _ABOUT_A_CHILD.search(text or "")


def speaks_to_you(text: str | None) -> bool:
    """Whether a text speaks to its reader as "you" (a parent reads it about themselves)."""
    return text is not None and SECOND_PERSON.search(text) is not None


def rule_questions(rule: Mapping[str, Any]) -> set[str]:
    """The question ids a (valid, raw) rule looks at."""
    for key in ("all", "any"):
        if key in rule:
            return set().union(*(rule_questions(part) for part in rule[key]))
    if "not" in rule:
        return rule_questions(rule["not"])
    return {str(rule["q"])} if "q" in rule else set()


def never_true_for_a_child(rule: Mapping[str, Any], hidden: set[str]) -> bool:
    """Whether a (valid) show_if rule is false for every child under CHILD_UNDER, whatever
    else is answered: it needs an age of CHILD_UNDER or more, or an answer to a question in
    ``hidden`` (never shown to a child). Anything it cannot tell counts as possibly true, so
    a question is only ever left out of the child-wording check when it cannot be shown."""
    if "all" in rule:
        return any(never_true_for_a_child(part, hidden) for part in rule["all"])
    if "any" in rule:
        return all(never_true_for_a_child(part, hidden) for part in rule["any"])
    if "not" in rule:
        return always_true_for_a_child(rule["not"], hidden)
    qid = rule.get("q")
    if rule.get("answered") is False:  # the age is always answered before a later page
        return qid == "age"
    if qid in hidden:  # never answered: a condition about it is false (two-valued)
        return True
    return qid == "age" and "gte" in rule and rule["gte"] >= CHILD_UNDER


def always_true_for_a_child(rule: Mapping[str, Any], hidden: set[str]) -> bool:
    """Whether a (valid) rule is true for every child whatever else is answered (the
    counterpart of ``never_true_for_a_child``, for a rule under ``not``)."""
    if "all" in rule:
        return all(always_true_for_a_child(part, hidden) for part in rule["all"])
    if "any" in rule:
        return any(always_true_for_a_child(part, hidden) for part in rule["any"])
    if "not" in rule:
        return never_true_for_a_child(rule["not"], hidden)
    qid = rule.get("q")
    if rule.get("answered") is not None:
        if qid == "age":
            return rule["answered"] is True
        return qid in hidden and rule["answered"] is False
    return qid == "age" and "lte" in rule and rule["lte"] >= CHILD_UNDER - 1
