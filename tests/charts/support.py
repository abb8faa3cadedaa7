"""Builders for the chart tests: a logged session with a note and a next-morning
check-in reporting a warning sign."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from rehabit.care.programs import program_for, watch_items
from rehabit.care.services import check_in, log_session
from tests.care.helpers import session_data

PATIENT_NOTE = "Felt a twinge on the third set <b>not bold</b>"


def logged_with_check_in(assessment: Any) -> Any:
    """A session logged two days ago with a note, checked in the next morning (worse,
    not settled, the plan's first warning sign ticked)."""
    program = program_for(assessment)
    when = timezone.now() - timedelta(days=2)
    session, _ = log_session(
        assessment, session_data(program, note=PATIENT_NOTE, pain_during=4), now=when
    )
    sign = watch_items(assessment)[0]
    check_in(
        assessment,
        session.pk,
        {"next_morning": "worse", "settled_within_24h": False, "signs": [sign.id]},
        now=when + timedelta(hours=12),
    )
    session.refresh_from_db()
    return session, program.items[0], sign
