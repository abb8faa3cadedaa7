"""A child's care pages read by whom: the plan, the program (with the advice after a
check-in) and the guided session speak of "your child" to the parent who answers for them
(the account's owner) and keep the patient's own words for the treating therapist, who
reaches them from the patient's chart (progress page, diary, "The patient's exercises"),
by the rule the progress pages use (``care.selectors.read_by_a_parent``). Through the
Django test client on the real database, at the test clock (tests/clock.py)."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from rehabit.care.programs import program_for, watch_items
from rehabit.care.services import check_in, log_session
from rehabit.clinical.selfcare_file import load_selfcare
from tests.accounts.helpers import login
from tests.care.helpers import make_assessment, session_data
from tests.clinic.support import Clinic, make_clinic
from tests.clinical.answers import complete, vignette

pytestmark = pytest.mark.django_db

RUNNER = vignette("pht_marathoner")


def _later(hours: float) -> Any:
    return time_machine.travel(timezone.now() + timedelta(hours=hours), tick=False)


@pytest.fixture
def clinic(db: Any) -> Clinic:
    """A parent who shares their record with their child's therapist; their child of 12
    has a session checked in with a warning sign ticked (so the program page shows what to
    do now) and a later one waiting for its check-in."""
    clinic = make_clinic()
    child = make_assessment(
        owner=clinic.patient, answers=complete({**RUNNER, "age": 12, "days_since_onset": 10})
    )
    program = program_for(child)
    assert not program.suppressed and program.items
    session, _ = log_session(child, session_data(program, pain_during=1))
    with _later(9):
        sign = next(w for w in watch_items(child) if _sign(w.id).child_sign)
        check_in(
            child,
            session.pk,
            {"next_morning": "same", "settled_within_24h": "yes", "signs": [sign.id]},
        )
    with _later(9.5):
        log_session(child, session_data(program, pain_during=1))  # waits for its check-in
    clinic.assessment = child
    clinic.sign = sign.id  # type: ignore[attr-defined]
    return clinic


def _sign(sign_id: str) -> Any:
    return next(w for w in load_selfcare().watch_for if w.id == sign_id)


def _page(client: Client, url: str) -> str:
    with _later(10):
        response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def _program(client: Client, clinic: Clinic) -> str:
    return _page(client, f"/care/{clinic.assessment.pk}/program/")


def _player(client: Client, clinic: Clinic) -> str:
    return _page(client, f"/care/{clinic.assessment.pk}/session/")


def _plan_frame(client: Client, clinic: Clinic) -> str:
    """The plan page's own words: its title and heading, the stage's tag, the exercises
    card, the medicine questions' introduction and the closing note. The self-care plan's
    items, stage, signs, booking and recheck come from the clinical core (``build_plan``),
    which words a child's plan for the parent by the age alone (see the report of this
    change)."""
    body = _page(client, f"/care/{clinic.assessment.pk}/plan/")
    parts = [
        r"<title>.*?</title>",
        r"<h1>.*?</h1>",
        r'<p class="tag">.*?</p>',
        r'<section class="card" aria-labelledby="exercises-title">.*?</section>',
        r'<h3 id="screen-title">.*?</p>',
        r'<p class="disclaimer">.*?</p>',
    ]
    found = [re.search(part, body, re.S) for part in parts]
    assert all(found), [p for p, f in zip(parts, found, strict=True) if not f]
    return "\n".join(f.group(0) for f in found if f)


def _parent(clinic: Clinic) -> Client:
    return login(Client(), clinic.patient)


def test_the_parent_reads_their_child_s_program(clinic: Clinic) -> None:
    body = _program(_parent(clinic), clinic)
    sign = _sign(clinic.sign)  # type: ignore[attr-defined]
    assert "Your child's home exercise program" in body
    assert f"You told us:</strong> {sign.child_sign}." in body
    assert "Your child's physiotherapist has been told" in body
    assert "the easiest level that is safe for your child" in body  # the program's note
    assert "Your child's exercise log" in body and "Your child's log has" in body


def test_the_treating_therapist_reads_the_patient_s_own_words_on_the_program(
    clinic: Clinic,
) -> None:
    body = _program(clinic.client("therapist"), clinic)
    sign = _sign(clinic.sign)  # type: ignore[attr-defined]
    assert "Your home exercise program" in body
    assert f"You told us:</strong> {sign.sign}." in body  # the advice after the check-in
    assert "the easiest level that is safe for you." in body
    assert "Your exercise log" in body and "You have logged" in body
    assert "your child" not in body.lower()


def test_the_parent_reads_their_child_s_guided_session(clinic: Clinic) -> None:
    body = _player(_parent(clinic), clinic)
    assert "Keep your child's pain during this exercise at or below" in body
    assert "Hard but they managed" in body


def test_the_treating_therapist_reads_the_guided_session_in_the_patient_s_words(
    clinic: Clinic,
) -> None:
    body = _player(clinic.client("therapist"), clinic)
    assert "Keep the pain during this exercise at or below" in body
    assert "Hard but they managed" not in body
    assert "your child" not in body.lower()


def test_the_parent_reads_their_child_s_plan(clinic: Clinic) -> None:
    frame = _plan_frame(_parent(clinic), clinic)
    assert "Your child's self-care plan" in frame and "Your child's stage" in frame
    assert "See your child's program and log" in frame
    assert "Answer these questions about your child" in frame
    assert "It does not replace a clinician who examines your child." in frame


def test_the_treating_therapist_reads_the_plan_page_in_the_patient_s_words(
    clinic: Clinic,
) -> None:
    frame = _plan_frame(clinic.client("therapist"), clinic)
    assert "Your self-care plan" in frame and "Your stage" in frame
    assert "See your program and log" in frame
    assert "Answer these questions so that we only suggest what is safe for you." in frame
    assert "It does not replace a clinician who examines you." in frame
    assert "your child" not in frame.lower()


def _plan(client: Client, clinic: Clinic) -> str:
    return _page(client, f"/care/{clinic.assessment.pk}/plan/")


def test_the_parent_reads_their_child_s_self_care_plan(clinic: Clinic) -> None:
    """The plan's items, stage, recheck and medicine advice, from the clinical core."""
    body = _plan(_parent(clinic), clinic)
    assert "Your child's pain did not start with a clear injury" in body  # the stage
    assert "Let your child's pain be the guide" in body  # an item
    assert "Until your child's appointment" in body  # the recheck
    assert "Do not give your child anti-inflammatory painkillers" in body  # medicines


def test_the_treating_therapist_reads_the_self_care_plan_in_the_patient_s_words(
    clinic: Clinic,
) -> None:
    """The core words the plan for its reader (``build_plan``'s ``child``). What stays in
    a parent's words has no other: the result's stored headline ("Book an appointment for
    your child ...") and a child's own paracetamol advice and warning signs."""
    body = _plan(clinic.client("therapist"), clinic)
    assert "Your pain did not start with a clear injury" in body
    assert "Let pain be your guide" in body
    assert "Building back up: load, move and return to what you enjoy" in body
    assert "Until your appointment" in body
    assert "Do not take anti-inflammatory painkillers" in body
    for parent_s in (
        "Your child's pain did not start",
        "Let your child's pain be the guide",
        "Until your child's appointment",
        "Get your child's heart going",
        "Do not give your child anti-inflammatory painkillers",
    ):
        assert parent_s not in body


def test_the_treating_therapist_reads_the_chart_in_the_patient_s_words(clinic: Clinic) -> None:
    """The therapist's chart quotes the plan, the program and the signs a check-in reported
    as the care pages it links to do for a therapist: in the patient's own words, not the
    parent's (the chart is read by staff only)."""
    body = _page(clinic.client("therapist"), f"/therapist/patients/{clinic.patient.pk}/")
    sign = _sign(clinic.sign)  # type: ignore[attr-defined]
    assert "Let pain be your guide" in body  # the plan
    assert "Your pain did not start with a clear injury" in body  # the stage
    assert sign.sign in body  # the check-in's warning sign
    assert "your child" not in body.lower()


def _report(clinic: Clinic, **kwargs: Any) -> str:
    from rehabit.outcomes.report import report_html

    with _later(10):
        body = report_html(clinic.assessment, **kwargs)
    body = re.sub(r"<style.*?</style>|<svg.*?</svg>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def test_the_report_quotes_a_child_s_plan_in_the_reader_s_words(clinic: Clinic) -> None:
    """The report a therapist downloads quotes the plan and program as the patient's own
    words (as the care pages do for them); the parent's own report keeps "your child"."""
    staff = _report(clinic, patient_name="Pat Clinic")
    assert "Let pain be your guide" in staff
    assert "Let your child's pain be the guide" not in staff
    assert "the easiest level that is safe for your child" not in staff
    parent = _report(clinic)
    assert "Let your child's pain be the guide" in parent
