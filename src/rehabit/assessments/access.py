"""Who may read a stored assessment.

An assessment nobody owns is readable by its unguessable link; an owned one by its owner.
Staff read an owned one only through the audited record rule, which the accounts app owns
(``rehabit.accounts.records.authorize_assessment_read``: the role, the relationship, the
patient's consent, two-factor authentication, the audit entry) and hands over at start-up
(``register_read_rule``), so assessments import nothing of accounts. Until a rule is
registered, only the owner (or anyone with the link to an unowned one) reads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest


def owner_only(request: HttpRequest, assessment: Any) -> bool:
    owner_id = getattr(assessment, "owner_id", None)
    if owner_id is None:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.pk == owner_id)


_rule: list[Callable[[HttpRequest, Any], bool]] = [owner_only]


def register_read_rule(rule: Callable[[HttpRequest, Any], bool]) -> None:
    """``rule(request, assessment)``: may this request read it? (It audits staff reads.)"""
    _rule[:] = [rule]


def may_read(request: HttpRequest, assessment: Any) -> bool:
    return _rule[0](request, assessment)
