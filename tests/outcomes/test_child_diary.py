"""A child's pain diary speaks to the parent about their child, as the child's plan and
program do: "How bad is your child's pain right now?", "Did the pain wake your child ...",
"What did your child do today?", and the same in its past-day form, its error messages and
its list of entries; nothing asks the parent about "you" and "the pain" as if it were
theirs. An adult's diary is as it was. Through the Django test client and a real database,
at the test clock (tests/clock.py), with the assessment made three days before it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from rehabit.core.timefmt import format_day
from tests.outcomes.helpers import check_days_ago, diary_form, page_text

pytestmark = pytest.mark.django_db

# The adult's wording, each of which speaks to the reader about their own pain or day.
ADULT_WORDING = (
    "Your pain diary",
    "See your progress",
    ">Your exercises<",
    "How bad is the pain right now?",
    "How bad was the pain at the end of",
    "How bad was it at its worst",
    "If you exercised",
    "compared with the morning before, the pain was:",
    "Did the pain wake you or keep you awake",
    "What did you do",
    "desk work",
    "Your last entries",
    "What you did",
    "from the day of your check",
    "Choose how bad the pain is now",
    "Choose how bad the pain was at its worst",
    "The worst pain in the last 24 hours cannot be lower than the pain now.",
    "Choose a day from the day of your check",
)
CHILD_TODAY = (
    "Your child's pain diary",
    "See your child's progress",
    "Your child's exercises",
    "How bad is your child's pain right now?",
    "How bad was your child's pain at its worst in the last 24 hours?",
    "If your child exercised today",
    "Your child's pain during the exercises",
    "Your child's pain just after the exercises",
    "This morning, compared with the morning before, your child's pain was:",
    "Did the pain wake your child or keep them awake last night?",
    "What did your child do today? (optional)",
    "from the day of your child's check",
)


def _adult_wording_in(page: str) -> list[str]:
    return [w for w in ADULT_WORDING if w in page]


def test_a_child_s_diary_asks_the_parent_about_their_child(client: Client) -> None:
    child = check_days_ago(9, 3)
    url = f"/care/{child.pk}/diary/"
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)

    page = page_text(client.get(url))
    assert not _adult_wording_in(page), _adult_wording_in(page)
    for wording in CHILD_TODAY:
        assert wording in page, wording

    past = page_text(client.get(f"{url}?day={yesterday.isoformat()}"))
    assert not _adult_wording_in(past), _adult_wording_in(past)
    day = format_day(yesterday)
    for wording in (
        f"How bad was your child's pain at the end of {day}?",
        "How bad was your child's pain at its worst that day?",
        "If your child exercised that day",
        "That morning, compared with the morning before, your child's pain was:",
        "Did the pain wake your child or keep them awake the night before?",
        "What did your child do that day? (optional)",
        "Answer as well as you and your child remember.",
    ):
        assert wording in past, wording

    # The error messages: a day before the check, a worst pain below the pain now, and
    # the two required scores missing.
    refused = page_text(client.post(url, diary_form(today - timedelta(days=30), 6, 3)), 422)
    assert not _adult_wording_in(refused), _adult_wording_in(refused)
    assert "Choose a day from the day of your child's check" in refused
    assert (
        "Your child's worst pain in the last 24 hours cannot be lower than their pain now."
        in refused
    )
    missing = page_text(client.post(url, {"entry_date": today.isoformat(), "activity": ""}), 422)
    assert not _adult_wording_in(missing), _adult_wording_in(missing)
    assert "Choose how bad your child's pain is now, from 0 to 10." in missing
    assert "Choose how bad your child's pain was at its worst in the last 24 hours" in missing

    # Saved: the list of entries is the child's.
    saved = client.post(url, diary_form(today, 2, 4, activity="School, then the park"))
    assert saved.status_code == 302
    listed = page_text(client.get(url))
    assert not _adult_wording_in(listed), _adult_wording_in(listed)
    assert "Your child's last entries, newest first" in listed
    assert re.search(r'data-label="What your child did">School, then the park<', listed)


def test_an_adult_s_diary_keeps_its_wording(client: Client) -> None:
    adult = check_days_ago(40, 3)
    url = f"/care/{adult.pk}/diary/"
    page = page_text(client.get(url))
    assert "your child" not in page.lower()
    for wording in (
        "Your pain diary",
        "How bad is the pain right now?",
        "Did the pain wake you or keep you awake last night?",
        "What did you do today? (optional)",
        "from the day of your check",
    ):
        assert wording in page, wording
    missing = page_text(client.post(url, {"entry_date": "", "activity": ""}), 422)
    assert "Choose how bad the pain is now, from 0 to 10." in missing
    assert "your child" not in missing.lower()


# The adult's wording on the pages the diary leads to (progress) and on its other two
# measures, each about the reader's own body or activities.
ADULT_MEASURE_WORDING = (
    ">Your progress<",
    "Since your assessment",
    "Log today's pain",
    "Your charts appear here once you have logged your pain.",
    "Your measures",
    "Activities you find hard",
    "hard for you now",
    "how well can you do it today?",
    "Save my",
    "A strength test you count yourself",
    "Full repetitions on your sore leg",
    "Full repetitions on your other leg",
    "Did you stop because of pain?",
    "repetitions you did on your sore leg",
    "Enter the repetitions on your other leg",
    "0 (I cannot do it)",
    "Back to your progress",
)


def _adult_measure_wording_in(page: str) -> list[str]:
    return [w for w in ADULT_MEASURE_WORDING if w in page]


def test_a_child_s_progress_and_measures_speak_of_the_child(client: Client) -> None:
    child = check_days_ago(9, days=0)  # the self-care vignette: a bridge test is open
    base = f"/care/{child.pk}/progress/"

    progress = page_text(client.get(base))
    assert not _adult_measure_wording_in(progress), _adult_measure_wording_in(progress)
    for wording in (
        "Your child's progress",
        "Since your child's assessment on",
        "Log your child's pain today",
        "Your child's charts appear here once you have logged their pain.",
        "Your child's measures",
        "Activities your child finds hard",
    ):
        assert wording in progress, wording

    naming = page_text(client.get(base + "activities/"))
    assert not _adult_measure_wording_in(naming), _adult_measure_wording_in(naming)
    assert "everyday things that are hard for your child now" in naming
    named = client.post(base + "activities/", {"step": "name", "activity": ["Run", "PE", "Sit"]})
    assert named.status_code == 302
    rating = page_text(client.post(base + "activities/", {"step": "rate", "rating_1": "3"}), 422)
    assert not _adult_measure_wording_in(rating), _adult_measure_wording_in(rating)
    assert "how well can your child do it today?" in rating
    assert "0 (my child cannot do it)" in rating

    bridge = page_text(client.get(base + "bridge/"))
    assert 'name="sore_side"' in bridge
    refused = page_text(
        client.post(base + "bridge/", {"sore_side": "lots", "other_side": "x"}), 422
    )
    for page in (bridge, refused):
        assert not _adult_measure_wording_in(page), _adult_measure_wording_in(page)
        assert "Full repetitions on your child's sore leg" in page
        assert "Did your child stop because of pain?" in page
    assert "full repetitions your child did on their sore leg" in refused
    assert "Enter the repetitions on your child's other leg" in refused


def test_a_child_s_charts_and_measure_names_speak_of_the_child(client: Client) -> None:
    """Two days logged draw the pain chart, whose no-real-change band is "from your
    child's start"; one rating of the activities names them as the child's and says the
    chart needs one more."""
    child = check_days_ago(9, 3)
    today = timezone.localdate()
    diary = f"/care/{child.pk}/diary/"
    for day, now, worst in ((today - timedelta(days=1), 3, 5), (today, 2, 4)):
        assert client.post(diary, diary_form(day, now, worst)).status_code == 302
    activities = f"/care/{child.pk}/progress/activities/"
    names = {"step": "name", "activity": ["Running", "Stairs", "Sitting"]}
    assert client.post(activities, names).status_code == 302
    ratings = {"step": "rate", "rating_1": "3", "rating_2": "4", "rating_3": "5"}
    assert client.post(activities, ratings).status_code == 302
    page = page_text(client.get(f"/care/{child.pk}/progress/"))
    assert "is no real change from your child's start" in page
    assert "from your start" not in page
    assert "Activities you find hard" not in page
    assert "<strong>Activities your child finds hard:" in page
    assert "once your child's activities have been rated 1 more time." in page
    assert "once you have rated your activities" not in page
