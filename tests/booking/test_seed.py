"""The demo therapists seeded into an empty database (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from rehabit.accounts.preferences import profile_of
from rehabit.booking.models import Therapist
from rehabit.booking.seed import DEMO_THERAPISTS, seed_demo_therapists

pytestmark = pytest.mark.django_db


def test_a_demo_therapists_profile_already_holds_their_name_and_zone() -> None:
    """Their first sign-in goes to the workspace, not to a form asking for a name and a
    zone the therapist record already has (the staff walk met "Enter your name")."""
    assert seed_demo_therapists(if_empty=True) == len(DEMO_THERAPISTS)
    for therapist in Therapist.objects.select_related("user"):
        profile = profile_of(therapist.user)
        assert profile.full_name == therapist.name
        assert profile.time_zone == therapist.time_zone and profile.is_complete
    assert seed_demo_therapists() == 0  # once only
