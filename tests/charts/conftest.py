from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import tests.security.url_rules  # noqa: F401  (the registry first: it imports ours)
from tests.accounts.helpers import _clear_cache  # noqa: F401  (fixture)
from tests.clinic.support import Clinic, make_clinic


@pytest.fixture
def clinic(db: Any) -> Iterator[Clinic]:
    """A therapist and their patient (booked, sharing, with an assessment), a therapist
    the patient booked but does not share with, a therapist without any relationship and
    another patient (tests.clinic.support)."""
    yield make_clinic()
