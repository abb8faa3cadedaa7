"""The prevention programme through the Django test client: public without an assessment,
logged for a visitor in their browser and for a signed-in person in their account, with
clear messages for bad input and nothing lost."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from rehabit.accounts.data_rights import build_export, import_personal_data
from rehabit.accounts.erasure import erase_account
from rehabit.care.models import PreventionSession
from rehabit.care.prevention import SESSION_KEY
from rehabit.clinical.prevention import load_prevention
from tests.accounts.helpers import PASSWORD

pytestmark = pytest.mark.django_db

SIGNED_IN = datetime(2027, 1, 13, 9, 30, tzinfo=UTC)

GOOD = {
    "exercise_ids": ["nordic_hamstring_curl", "hip_hinge"],
    "pain_during": "2",
    "pain_after": "1",
    "difficulty": "about_right",
    "note": "Felt strong.",
    "week": "3",
}


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


def _log(response: Any) -> str:
    """The "Your prevention log" section of the programme page."""
    return _text(response).split('id="log"')[1].split("</section>")[0]


def test_the_programme_page_is_public_with_its_evidence(client: Client) -> None:
    response = client.get("/prevention/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    page = _text(response)
    program = load_prevention()
    for routine in program.routines.values():
        assert routine.name in page
        assert f'href="/prevention/{routine.id}/' in page
    for claim in program.evidence:
        assert claim.text in page
    assert "Week 1:" in page and "The Nordic curl plan" in page
    assert "Moderate certainty" in page


@pytest.mark.parametrize("routine_id", list(load_prevention().routines))
def test_each_routine_opens_in_the_player_without_an_account(
    client: Client, routine_id: str
) -> None:
    response = client.get(f"/prevention/{routine_id}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="player-data"' in page and 'id="player"' in page and "care/player.js" in page
    data = json.loads(page.split('id="player-data" type="application/json">')[1].split("<")[0])
    ids = [e["id"] for e in data["exercises"]]
    assert ids == [i.exercise_id for i in load_prevention().routines[routine_id].items]
    assert all(e["steps"] for e in data["exercises"])
    # How often is the routine's "when", not each exercise's days a week beside it (phone
    # walk 5: "Before every training session and match" over "Once a day, 3 days a week").
    routine = load_prevention().routines[routine_id]
    overview = html.unescape(client.get("/prevention/").content.decode())
    assert routine.when in overview
    for text in (html.unescape(page), overview):
        assert "a day," not in text and "days a week" not in text and "every day" not in text


def test_the_strength_routine_takes_the_weeks_nordic_dose(client: Client) -> None:
    page = client.get("/prevention/strength/?week=7").content.decode()
    data = json.loads(page.split('id="player-data" type="application/json">')[1].split("<")[0])
    nordic = data["exercises"][0]
    assert [s["reps"] for s in nordic["steps"] if s["kind"] == "reps"] == [12, 10, 8]
    assert "Doses for week 7 of the Nordic plan." in _text(
        client.get("/prevention/strength/?week=7")
    )


@pytest.mark.parametrize("week", ["0", "abc", "521", "-2", "3.5"])
def test_an_unusable_week_is_set_aside_with_a_message(client: Client, week: str) -> None:
    response = client.get(f"/prevention/?week={week}")
    assert response.status_code == 200
    page = _text(response)
    assert "Choose a week from 1 to 520 of the Nordic plan." in page
    assert 'value="1"' in page  # the suggested week instead


def test_a_visitor_logs_a_session_kept_in_their_browser_only(client: Client) -> None:
    response = client.post("/prevention/strength/", {**GOOD, "token": "a" * 32})
    assert response.status_code == 302 and response["Location"] == "/prevention/#log"
    entry = PreventionSession.objects.get()
    assert entry.owner is None and entry.routine == "strength" and entry.week == 3
    assert entry.exercises == ["nordic_hamstring_curl", "hip_hinge"]
    assert client.session[SESSION_KEY] == [str(entry.pk)]
    log = _log(client.get("/prevention/"))
    assert "Strength: Nordic curl and hip extension" in log and "Felt strong." not in log
    assert "week 3" in log and "2 / 1" in log and "Nordic hamstring curl, Hip hinge" in log
    # A retry of the same form stores nothing new.
    again = client.post("/prevention/strength/", {**GOOD, "token": "a" * 32})
    assert again.status_code == 302 and PreventionSession.objects.count() == 1
    # Another browser sees none of it, and cannot reuse the token.
    other = Client()
    assert "No session logged yet." in _log(other.get("/prevention/"))
    refused = other.post("/prevention/strength/", {**GOOD, "token": "a" * 32}, follow=True)
    assert "This form has already been used." in _text(refused)
    assert PreventionSession.objects.count() == 1


def _sign_in(client: Client, user: Any) -> Any:
    return client.post("/account/login/", {"login": user.email, "password": PASSWORD})


def test_signing_in_moves_a_visitors_sessions_of_this_sitting_into_the_account(
    client: Client, patient: Any
) -> None:
    with time_machine.travel(SIGNED_IN - timedelta(minutes=20), tick=False):
        client.post("/prevention/warm_up/", {**GOOD, "exercise_ids": ["easy_jog"], "token": "b1"})
    # Everything signed in happens at the sign-in's clock: the session would have
    # expired by the test's own clock at some of the awkward ones (scripts/test).
    with time_machine.travel(SIGNED_IN, tick=False):
        response = _sign_in(client, patient)
        assert response["Location"] == "/account/"  # nothing older to ask about
        entry = PreventionSession.objects.get()
        assert entry.owner == patient
        assert client.session[SESSION_KEY] == []
        assert (
            "Your prevention session of Wednesday 13 January 2027, 09:10 (GMT, Europe/London) "
            "is saved to your account." in _text(client.get("/account/"))
        )
        assert "Warm-up before sport" in _log(client.get("/prevention/"))


def test_an_older_session_is_not_attached_until_the_person_says_it_is_theirs(
    client: Client, patient: Any
) -> None:
    """The browser may be shared: a session logged hours before the sign-in is asked about
    (accounts.earlier), by its date and time only."""
    with time_machine.travel(SIGNED_IN - timedelta(hours=3), tick=False):
        client.post("/prevention/strength/", {**GOOD, "token": "b2"})
    with time_machine.travel(SIGNED_IN, tick=False):
        response = _sign_in(client, patient)
        entry = PreventionSession.objects.get()
        assert entry.owner is None and client.session[SESSION_KEY] == [str(entry.pk)]
        assert response["Location"] == "/account/is-this-yours/?next=%2Faccount%2F"
        page = _text(client.get(response["Location"]))
        assert (
            "Is this prevention session yours? It was logged on Wednesday 13 January 2027, "
            "06:30 (GMT, Europe/London)." in page
        )
        assert "Felt strong." not in page and "Nordic" not in page
        [token] = re.findall(r'name="item" value="([0-9a-f]+)"', page)
        saved = client.post(response["Location"], {"item": token, "choice": "save"})
        assert saved["Location"] == "/account/"
        entry.refresh_from_db()
        assert entry.owner == patient and client.session[SESSION_KEY] == []


def test_not_mine_leaves_an_older_session_unowned_and_unlisted(
    client: Client, patient: Any
) -> None:
    with time_machine.travel(SIGNED_IN - timedelta(hours=3), tick=False):
        client.post("/prevention/strength/", {**GOOD, "token": "b3"})
    with time_machine.travel(SIGNED_IN, tick=False):
        _sign_in(client, patient)
        page = _text(client.get("/account/is-this-yours/"))
        [token] = re.findall(r'name="item" value="([0-9a-f]+)"', page)
        client.post("/account/is-this-yours/", {"item": token, "choice": "not_mine"})
        assert PreventionSession.objects.get().owner is None
        assert client.session[SESSION_KEY] == []
        assert "No session logged yet." in _log(client.get("/prevention/"))


def test_a_signed_in_person_owns_the_session_from_the_first_write(
    client: Client, patient: Any, other_patient: Any
) -> None:
    client.force_login(patient)
    client.post("/prevention/desk_break/", {**GOOD, "exercise_ids": ["walking_programme"]})
    entry = PreventionSession.objects.get()
    assert entry.owner == patient and entry.week is None
    other = Client()
    other.force_login(other_patient)
    assert "Sitting break for desk days" in _log(client.get("/prevention/"))
    assert "No session logged yet." in _log(other.get("/prevention/"))


def test_bad_input_gets_clear_messages_and_loses_nothing(client: Client) -> None:
    response = client.post(
        "/prevention/strength/",
        {"exercise_ids": ["cartwheel"], "pain_during": "11", "difficulty": "easy",
         "note": "x" * 1001, "week": "0", "token": "c1"},
    )  # fmt: skip
    assert response.status_code == 422
    page = _text(response)
    for message in (
        "Not an exercise in this routine: cartwheel.",
        "Choose the worst pain you felt during the exercises, from 0 to 10.",
        "Choose the pain you feel now, after the exercises, from 0 to 10.",
        "Choose how hard the session felt.",
        "Keep the note to 1000 characters or fewer (it has 1001).",
        "Choose a week from 1 to 520 of the Nordic plan.",
    ):
        assert message in page, message
    assert "x" * 1001 in page  # the note is shown again
    assert 'value="c1"' in page  # the same token, so a corrected retry stays single
    assert PreventionSession.objects.count() == 0
    nothing = client.post("/prevention/warm_up/", {"token": "c2"})
    assert "Choose at least one exercise you did." in _text(nothing)


def test_unknown_routine_is_404(client: Client) -> None:
    assert client.get("/prevention/cartwheels/").status_code == 404


def test_the_suggested_week_counts_from_the_first_strength_session(
    client: Client, patient: Any
) -> None:
    client.force_login(patient)
    client.post("/prevention/strength/", {**GOOD, "week": "1", "token": "d1"})
    # The first strength session was fifteen days ago (sessions last hours, so the log is
    # moved back rather than the clock forward).
    PreventionSession.objects.update(logged_at=timezone.now() - timedelta(days=15))
    page = _text(client.get("/prevention/"))
    assert "Week 3:" in page and 'href="/prevention/strength/?week=3"' in page
    client.post("/prevention/warm_up/", {**GOOD, "exercise_ids": ["easy_jog"], "token": "d2"})
    assert "Week 3:" in _text(client.get("/prevention/"))  # only strength sessions count


def test_export_erase_import_keeps_the_prevention_log(patient: Any) -> None:
    client = Client()
    client.force_login(patient)
    client.post("/prevention/strength/", {**GOOD, "token": "e1"})
    first = build_export(patient)
    [entry] = first["care"]["prevention_sessions"]
    assert entry["routine"] == "strength" and entry["week"] == 3 and entry["note"] == "Felt strong."
    erase_account(patient)
    assert PreventionSession.objects.count() == 0
    user = import_personal_data(json.loads(json.dumps(first)))
    assert PreventionSession.objects.get().owner == user
    assert build_export(user)["care"]["prevention_sessions"] == first["care"]["prevention_sessions"]
