"""The presenting complaint in clinical words (rehabit.clinical.intake_complaint)."""

from __future__ import annotations

from rehabit.clinical.intake_complaint import duration


def test_same_day_onset_and_long_durations() -> None:
    assert duration(0).english() == "less than a day"
    assert duration(1).english() == "1 day"
    assert duration(13).english() == "13 days"
    assert duration(21).english() == "3 weeks"
    assert duration(120).english() == "4 months"
    assert duration(800).english() == "2 years"
