"""Issue 12: the program page reflects a logged session at once (no card says "no session
is logged yet" after one was), and every time is shown in the viewer's zone: the
profile's when signed in, the browser's (as booking detects it) when signed out."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from rehabit.accounts.models import Profile
from rehabit.care.programs import program_for
from rehabit.care.services import log_session
from rehabit.core.timefmt import format_day
from tests.accounts.helpers import login
from tests.care.helpers import make_assessment, session_data

pytestmark = pytest.mark.django_db

NO_SESSION = "No session is logged yet"


def log_form(program: Any, **overrides: Any) -> dict[str, Any]:
    return {
        "exercise_ids": [item.exercise.id for item in program.items],
        "pain_during": "2",
        "pain_after": "1",
        "difficulty": "about_right",
        "note": "",
        "token": "",
        **overrides,
    }


def test_after_logging_no_card_says_no_session_is_logged_yet(client: Client) -> None:
    assessment = make_assessment()
    program = program_for(assessment)
    before = client.get(f"/care/{assessment.pk}/program/").content.decode()
    assert before.count(NO_SESSION) == len(program.items)
    saved = client.post(f"/care/{assessment.pk}/session/", log_form(program), follow=True)
    body = saved.content.decode()
    assert "Well done. Your session is saved in your log." in body
    assert NO_SESSION not in body
    assert body.count("You have logged 1 session with this exercise") == len(program.items)
    assert "You can tell us how it felt from " in body


def test_only_the_exercises_done_are_reported_as_logged(client: Client) -> None:
    assessment = make_assessment()
    program = program_for(assessment)
    first = program.items[0]
    client.post(
        f"/care/{assessment.pk}/session/", log_form(program, exercise_ids=[first.exercise.id])
    )
    body = client.get(f"/care/{assessment.pk}/program/").content.decode()
    assert body.count("You have logged 1 session with this exercise") == 1
    assert body.count(NO_SESSION) == len(program.items) - 1


def test_the_api_plan_reports_the_logged_session_too(client: Client) -> None:
    assessment = make_assessment()
    program = program_for(assessment)
    client.post(f"/care/{assessment.pk}/session/", log_form(program))
    plan = client.get(f"/api/v1/assessments/{assessment.pk}/plan").json()
    for item in plan["program"]["items"]:
        assert NO_SESSION not in item["progress"]
        assert "You have logged 1 session" in item["progress"]


def test_a_signed_out_visitor_sees_the_browsers_zone_on_every_page(client: Client) -> None:
    assessment = make_assessment()
    program = program_for(assessment)
    first = client.get(f"/care/{assessment.pk}/program/").content.decode()
    assert "data-zone-guess" in first and "/static/booking/zone.js" in first
    # zone.js reloads the page with the browser's zone; the session remembers it.
    shown = client.get(f"/care/{assessment.pk}/program/?tz=Asia/Kolkata").content.decode()
    assert "data-zone-guess" not in shown and "Asia/Kolkata" in shown
    after = client.post(f"/care/{assessment.pk}/session/", log_form(program), follow=True)
    body = after.content.decode()
    logged = timezone.localtime(
        assessment.exercise_sessions.get().logged_at, timezone=ZoneInfo("Asia/Kolkata")
    )
    assert logged.strftime("%H:%M") in body and "(Asia/Kolkata)" in body
    assert "(UTC)" not in body and "data-zone-guess" not in body


def test_an_unknown_zone_in_the_address_is_ignored(client: Client) -> None:
    assessment = make_assessment()
    body = client.get(f"/care/{assessment.pk}/program/?tz=Mars/Olympus").content.decode()
    assert "Mars/Olympus" not in body and "data-zone-guess" in body


def test_a_signed_in_person_sees_their_profile_zone(client: Client, patient: Any) -> None:
    Profile.objects.filter(user=patient).update(time_zone="America/New_York")
    assessment = make_assessment(owner=patient)
    body = login(client, patient).get(f"/care/{assessment.pk}/program/").content.decode()
    # Named one way, as people read it (timefmt.readable_zone), never as the raw id.
    assert "America/New York" in body and "America/New_York" not in body
    assert "data-zone-guess" not in body


def _note_after_logging(client: Client, rule: str = "automatic") -> str:
    """The program page's note on the first exercise after one session was logged, with
    the therapist's progression rule ``rule`` on that exercise's family."""
    from rehabit.care.models import PrescribedExercise

    assessment = make_assessment()
    item = program_for(assessment).items[0]
    if rule != "automatic":
        PrescribedExercise.objects.create(assessment=assessment, family=item.family,
                                          exercise_id=item.exercise.id, rule=rule,
                                          reason="Stay here for now.")  # fmt: skip
    program = program_for(assessment)
    client.post(f"/care/{assessment.pk}/session/",
                log_form(program, exercise_ids=[item.exercise.id]))  # fmt: skip
    body = client.get(f"/care/{assessment.pk}/program/").content.decode()
    start = body.index("You have logged 1 session with this exercise")
    return body[start : body.index("</", start)]


def test_the_check_in_note_names_when_it_opens_without_calling_it_the_next_morning(
    client: Client,
) -> None:
    # The check-in opens 8 hours after the session: after a morning session that is the
    # same afternoon, which no sentence may call "the next morning".
    note = _note_after_logging(client)
    assert "next morning" not in note
    assert "You can tell us how it felt from " in note
    assert "make it harder, keep it the same or make it easier" in note


def test_while_the_therapist_holds_the_level_the_note_promises_no_step_up(
    client: Client,
) -> None:
    held = _note_after_logging(client, rule="hold")
    assert "harder" not in held
    assert "Your physiotherapist holds this level, so it stays the same" in held
    assert "or gets easier if the exercise made your pain worse" in held


def test_with_the_therapist_deciding_the_note_says_who_makes_it_harder(
    client: Client,
) -> None:
    note = _note_after_logging(client, rule="with_therapist")
    assert "we will make it harder" not in note
    assert "Your physiotherapist decides when it gets harder" in note


def test_the_check_in_asks_about_a_morning_that_is_true_whenever_it_is_answered(
    client: Client,
) -> None:
    """ "This morning" only on the day after the session (in the viewer's zone); later the
    question names the morning after the session, and on the session's own day (the
    check-in opens 8 hours after it) it asks about now (phone walk)."""
    zone = ZoneInfo("Pacific/Auckland")  # a day that begins about half a day before UTC's
    assessment = make_assessment()
    url = f"/care/{assessment.pk}/program/?tz=Pacific/Auckland"
    session_day = timezone.now().astimezone(zone).date() + timedelta(days=1)

    def at(day_offset: int, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(session_day + timedelta(days=day_offset), time(hour, minute), zone)

    with time_machine.travel(at(0, 7), tick=False):
        log_session(assessment, session_data(program_for(assessment)))
    this_morning = "This morning, compared with before the session, the pain was:"
    now_asked = "Now, compared with before the session, the pain is:"
    named = (
        f"The morning after the session ({format_day(session_day + timedelta(days=1))}, "
        "Pacific/Auckland), compared with before the session, the pain was:"
    )
    shown = {}
    for when in (at(0, 16), at(1, 7, 30), at(1, 22), at(2, 7, 30), at(5, 12)):
        with time_machine.travel(when, tick=False):
            body = client.get(url).content.decode()
        assert 'name="next_morning"' in body, when  # the check-in is open
        shown[when] = [q for q in (this_morning, now_asked, named) if q in body]
    assert list(shown.values()) == [
        [now_asked],  # the afternoon of the session: no morning after yet
        [this_morning],  # the next morning
        [this_morning],  # the same day in the evening: "this morning" is still that morning
        [named],  # two days later: that morning, named with its zone
        [named],
    ]
    # On the session's own day a whole day has not passed: the second question asks about
    # the time since the session instead of "within a day".
    since = "Has any pain from the exercises settled since the session?"
    within = "Had any pain from the exercises settled within a day?"
    for when, asked in ((at(0, 16), since), (at(1, 7, 30), within), (at(2, 7, 30), within)):
        with time_machine.travel(when, tick=False):
            body = client.get(url).content.decode()
        assert asked in body and (since if asked == within else within) not in body, when
