"""The clinic's refusals, shared by its pages and its API."""

from __future__ import annotations


class FieldErrors(ValueError):
    """Input with problems, as field name -> messages (shown beside each field)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


class Refused(PermissionError):
    """Not allowed for this person (no relationship, no consent, not a participant)."""


class NotPossible(ValueError):
    """Allowed, but not possible now (e.g. attendance of a session not yet started)."""
