"""Security finding 8: control characters (C0 but tab, line feed and carriage return in text
that may span lines; DEL; C1) and unpaired surrogates are refused in every text input,
before any view reads it (``rehabit.core.inputs``, ``InputMiddleware``): 422 naming the
field in the API, a 400 page naming it (with the text sent, cleaned) on pages. On
PostgreSQL a NUL reaching a query was a 500; on SQLite it was stored."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from rehabit.booking.models import Appointment, WaitlistEntry
from rehabit.care.models import ExerciseSession
from rehabit.care.programs import program_for
from rehabit.core.inputs import character_problem, field_problem
from tests.accounts.helpers import login
from tests.booking.support import book, free_start, make_patient, make_therapist
from tests.care.helpers import make_assessment, session_data

pytestmark = pytest.mark.django_db

FORBIDDEN = ["\x00", "\x01", "\x0b", "\x1b", "\x7f", "\x85", "\x9f", "\ud800", "\udfff"]


@pytest.fixture
def therapist(db: Any) -> Any:
    return make_therapist("Tara Therapist")


@pytest.fixture
def booker(db: Any) -> Any:
    return make_patient("pat.booker@example.org", "Pat Booker")


# --- The rule -------------------------------------------------------------------------


@pytest.mark.parametrize("char", FORBIDDEN)
def test_every_control_character_and_lone_surrogate_is_refused(char: str) -> None:
    for multiline in (False, True):
        problem = character_problem(f"ab{char}c", multiline=multiline)
        assert problem is not None and f"U+{ord(char):04X}" in problem
        assert "position 3" in problem


def test_line_breaks_and_tabs_only_where_text_may_span_lines() -> None:
    for char in ("\t", "\n", "\r"):
        assert character_problem(f"a{char}b", multiline=True) is None
        assert character_problem(f"a{char}b", multiline=False) is not None


def test_ordinary_text_in_any_script_passes() -> None:
    for text in ("Zoë Ørsted-Łukasz", "नमस्ते", "こんにちは", "🙂 𝄞", "a\u200db", "«quoted»"):
        assert character_problem(text) is None


def test_the_sentence_names_the_field() -> None:
    assert field_problem("note", "a\x00b") == (
        "“note” contains a character that cannot be stored (U+0000, a null character) at "
        "position 2. Remove it and send again."
    )


# --- API ------------------------------------------------------------------------------


def _refused(response: Any, loc: list[str]) -> str:
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert detail[0]["loc"] == loc, detail
    assert "cannot be stored" in detail[0]["msg"]
    return str(detail[0]["msg"])


def test_a_nul_in_an_api_query_is_422_naming_the_parameter(therapist: Any) -> None:
    response = Client().get("/api/v1/therapists?language=a%00b")
    assert "“language”" in _refused(response, ["query", "language"])
    assert response.json()["errors"] == {"language": [response.json()["detail"][0]["msg"]]}
    _refused(Client().get("/api/v1/therapists?lang%00uage=en"), ["query", "lang\x00uage"])
    _refused(Client().get("/api/v1/therapists?language=en%0A"), ["query", "language"])
    _refused(Client().get("/api/v1/therapists?language=%C2%85"), ["query", "language"])
    assert Client().get("/api/v1/therapists?language=en").status_code == 200


def test_a_nul_in_a_session_note_is_422_and_nothing_is_stored(client: Client) -> None:
    assessment = make_assessment()
    url = f"/api/v1/assessments/{assessment.pk}/sessions"
    for note in ("Fine\u0000", "Fine \ud83d", "\x1b[31mred"):
        body = session_data(program_for(assessment), note=note)
        response = client.post(url, json.dumps(body), content_type="application/json")
        assert "“note”" in _refused(response, ["body", "payload", "note"])
    assert not ExerciseSession.objects.exists()
    # Line breaks and tabs are text, and a surrogate pair is one ordinary character.
    body = session_data(program_for(assessment), note="Left leg:\n\tfine \U0001f642\r\nRight: ok")
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    assert ExerciseSession.objects.get().note.startswith("Left leg:\n\tfine \U0001f642")


def test_json_keys_and_nested_strings_are_checked(booker: Any, therapist: Any) -> None:
    response = Client().post(
        "/api/v1/assessments",
        json.dumps({"answers": {"age": 40, "side": ["left", "ri\x00ght"]}}),
        content_type="application/json",
    )
    assert "“answers.side.1”" in _refused(response, ["body", "payload", "answers", "side", "1"])
    response = Client().post(
        "/api/v1/assessments",
        json.dumps({"answers": {"a\x07ge": 40}}),
        content_type="application/json",
    )
    _refused(response, ["body", "payload", "answers", "a\x07ge"])


def test_a_nul_in_a_booking_body_or_header(booker: Any, therapist: Any) -> None:
    client = login(Client(), booker)
    body = {
        "therapist_id": therapist.pk,
        "session_type": "first_\x00assessment",
        "start": free_start(therapist).isoformat(),
    }
    response = client.post(
        "/api/v1/appointments",
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    _refused(response, ["body", "payload", "session_type"])
    body["session_type"] = "first_assessment"
    response = client.post(
        "/api/v1/appointments",
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k\x002",
    )
    _refused(response, ["header", "Idempotency-Key"])
    assert not Appointment.objects.exists()
    booked = book(booker, therapist, free_start(therapist))
    response = client.delete(f"/api/v1/appointments/{booked.pk}?reason=bye%00")
    _refused(response, ["query", "reason"])
    booked.refresh_from_db()
    assert booked.status == "booked"


def test_a_nul_in_an_api_address_names_the_path_parameter() -> None:
    response = Client().get("/api/v1/exercises/a%00b")
    assert "“exercise_id”" in _refused(response, ["path", "exercise_id"])


def test_a_huge_api_body_is_413_before_it_is_read() -> None:
    huge = json.dumps({"answers": {"note": "x" * (2 * 1024 * 1024)}})
    response = Client().post("/api/v1/assessments", huge, content_type="application/json")
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


# --- Pages ----------------------------------------------------------------------------


def test_a_nul_in_a_page_query_is_400_naming_the_field(therapist: Any) -> None:
    response = Client().get("/booking/?language=a%00b")
    assert response.status_code == 400
    page = response.content.decode()
    assert "“language” contains a character that cannot be stored (U+0000" in page
    # The refusal carries the same headers as every page.
    assert "no-store" in response["Cache-Control"]
    assert "default-src" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    booking = Client().get(f"/booking/therapists/{therapist.pk}/book/?session=first%00&start=x")
    assert booking.status_code == 400 and "“session”" in booking.content.decode()


def test_a_nul_in_a_page_address_is_400() -> None:
    response = Client().get("/booking/offers/a%00b/")
    assert response.status_code == 400
    assert "“token” contains a character that cannot be stored" in response.content.decode()


@pytest.mark.parametrize(
    "address", ["/%5Cevil.example/%00", "/%5C%5Cevil.example/%00", "/%2F%5C/evil.example/%00"]
)
def test_the_refusal_page_links_back_to_this_site_only(address: str) -> None:
    # A browser reads "/\evil.example" as "//evil.example": a link to another site, on a
    # page of ours that anyone could be sent to (a NUL in the address is enough).
    response = Client().get(address)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="/evil.example/' in page
    assert 'href="/\\' not in page and 'href="//' not in page


def test_a_pasted_control_character_in_a_form_loses_nothing(booker: Any, therapist: Any) -> None:
    booked = book(booker, therapist, free_start(therapist, after=timedelta(days=3)))
    client = login(Client(), booker)
    reason = "Pasted from a letter:\x0bmy knee is worse\x0c, sorry"
    response = client.post(f"/booking/appointments/{booked.pk}/cancel/", {"reason": reason})
    assert response.status_code == 400
    page = response.content.decode()
    assert "“reason” contains a character that cannot be stored (U+000B" in page
    # What was typed is shown back, without the characters, ready to copy.
    assert "Pasted from a letter:my knee is worse, sorry</textarea>" in page
    assert "csrfmiddlewaretoken" not in page
    booked.refresh_from_db()
    assert booked.status == "booked"
    # The same text with ordinary line breaks is accepted.
    fine = client.post(
        f"/booking/appointments/{booked.pk}/cancel/", {"reason": "My knee\r\nis worse"}
    )
    assert fine.status_code == 302
    booked.refresh_from_db()
    # Kept as typed, its line break in one form (mail.words.clean: as every text read).
    assert booked.status == "cancelled" and booked.cancel_reason == "My knee\nis worse"


def test_a_nul_in_a_waitlist_form(booker: Any, therapist: Any) -> None:
    response = login(Client(), booker).post(
        "/booking/waitlist/",
        {"therapist": therapist.pk, "session": "first_assessment\x00", "wanted_before": "x"},
    )
    assert response.status_code == 400 and "“session”" in response.content.decode()
    assert not WaitlistEntry.objects.exists()
