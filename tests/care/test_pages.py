"""The care pages through the Django test client and a real database."""

from __future__ import annotations

import re
from datetime import UTC, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from rehabit.assessments.claims import SESSION_KEY
from rehabit.assessments.models import Assessment
from rehabit.care.adherence import weekly_plan
from rehabit.care.models import ExerciseSession, MedicationAnswers
from rehabit.care.programs import medication_questions, program_for
from rehabit.clinical.child_wording import is_child
from rehabit.clinical.exercises import load_exercises
from rehabit.core.timefmt import format_day
from tests.accounts.helpers import PASSWORD, login
from tests.care.helpers import make_assessment, suppressing_vignettes
from tests.support import answers_for, completed

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return response.content.decode()


def log_form(program: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "exercise_ids": [program.items[0].exercise.id],
        "pain_during": "2",
        "pain_after": "1",
        "difficulty": "about_right",
        "note": "Easy today.",
        "token": "",
    }
    data.update(overrides)
    return data


# --- Library -------------------------------------------------------------------------------


def test_the_library_lists_every_exercise_with_its_picture(client: Client) -> None:
    response = client.get("/exercises/")
    assert response.status_code == 200
    body = text(response)
    exercises = load_exercises()
    assert len(exercises) >= 16
    for exercise in exercises:
        assert f'href="/exercises/{exercise.id}/"' in body
        assert f'src="/static/exercises/{exercise.illustration}.svg"' in body
    assert body.count("<img ") >= len(exercises)
    assert 'aria-current="page">Exercises' in body


@pytest.mark.parametrize("exercise", load_exercises(), ids=lambda e: e.id)
def test_each_exercise_page_shows_how_when_and_when_not(client: Client, exercise: Any) -> None:
    response = client.get(f"/exercises/{exercise.id}/")
    assert response.status_code == 200
    body = text(response)
    assert f'alt="{exercise.alt}"'.replace("'", "&#x27;") in body
    for step in exercise.steps:
        assert step.replace("'", "&#x27;") in body
    for heading in (
        "How to do it",
        "How much",
        "What it should feel like",
        "What it should not feel like",
        "When not to do it",
        "Who it suits",
    ):
        assert heading in body
    assert f"at or below {exercise.max_pain} out of 10" in body
    for avoid in exercise.avoid_when:
        assert avoid.reason.replace("'", "&#x27;") in body
    assert client.get(f"/static/exercises/{exercise.illustration}.svg").status_code == 200


def test_an_unknown_exercise_is_not_found(client: Client) -> None:
    assert client.get("/exercises/no_such_thing/").status_code == 404


# --- Plan ----------------------------------------------------------------------------------


def test_the_result_page_links_to_the_plan(client: Client) -> None:
    assessment = make_assessment()
    body = text(client.get(f"/assessment/result/{assessment.pk}/"))
    assert f'href="/care/{assessment.pk}/plan/"' in body
    assert "Your self-care plan and exercises" in body
    urgent = make_assessment("emergency")
    body = text(client.get(f"/assessment/result/{urgent.pk}/"))
    assert "For after you have been seen: your self-care plan and exercises" in body
    # The link comes after the disposition.
    assert body.index("disposition-headline") < body.index(f"/care/{urgent.pk}/plan/")


def test_the_self_care_plan_page(client: Client) -> None:
    assessment = make_assessment()
    response = client.get(f"/care/{assessment.pk}/plan/")
    assert response.status_code == 200
    body = text(response)
    for part in (
        "Your stage",
        "Why:",
        "What to do",
        "Painkillers",
        "Medicine safety questions",
        "Get help if you notice",
        "When to check again",
        "Start a guided session",
    ):
        assert part in body, part
    for question in medication_questions(assessment):
        assert f'name="{question.id}"' in body
    # Questions the assessment already answered are not asked again.
    assert 'name="age_65_plus"' not in body and 'name="blood_thinners"' not in body
    # Booking searches for the result's specialty, as the result page's own link does.
    # (The site menu's own "Book a session" link is the plain search.)
    links = re.findall(r'href="(/booking/[^"]*)"', body)
    assert links[0] == "/booking/" and links[1:], links
    assert all(link == "/booking/?specialty=hamstring" for link in links[1:]), links
    # The screen comes before any advice about anti-inflammatories.
    assert body.index("Medicine safety questions") < body.index("anti-inflammatory painkiller")


@pytest.mark.parametrize("case", suppressing_vignettes(), ids=lambda c: c["id"])
def test_after_a_red_flag_the_urgent_advice_comes_first(client: Client, case: Any) -> None:
    assessment = make_assessment(answers=case["answers"])
    body = text(client.get(f"/care/{assessment.pk}/plan/"))
    headline = assessment.result["disposition"]["headline"].replace("'", "&#x27;")
    first_h2 = re.search(r"<h2[^>]*>(.*?)</h2>", body, re.S)
    assert first_h2 is not None and headline in first_h2.group(1)
    assert "This self-care plan is not a substitute" in body
    assert "Start a guided session" not in body and "Your home exercises" not in body
    # Painkiller safety until seen comes after the urgent advice; nothing suggests one.
    # (a child's parent reads it about their child: medication_safety 2026.12.5). After an
    # emergency result, no medicine questions or painkiller cards at all (self-care
    # 2026.12.11), and a link back to the emergency advice.
    child = is_child(assessment.answers.get("age"))
    until = "Painkillers until your child is seen" if child else "Painkillers until you are seen"
    if assessment.result["disposition"]["level"] == "emergency":
        assert until not in body and 'id="medicines"' not in body
        assert "Medicine safety questions" not in body
        link = re.search(r'<a id="emergency-advice-link" href="([^"]+)"', body)
        assert (
            link is not None
            and link.group(1) == f"/assessment/result/{assessment.pk}/#disposition-headline"
        )
    else:
        assert body.index(headline) < body.index(until)
    assert "Paracetamol is the usual first painkiller" not in body
    assert "If you choose an anti-inflammatory painkiller" not in body
    program = text(client.get(f"/care/{assessment.pk}/program/"))
    who = "your child has" if child else "you have"
    assert f"No exercises until {who} been checked" in program
    player = client.post(
        f"/care/{assessment.pk}/session/",
        {
            "exercise_ids": ["glute_bridge"],
            "pain_during": "1",
            "pain_after": "1",
            "difficulty": "about_right",
        },
    )
    assert player.status_code == 302 and not ExerciseSession.objects.exists()


def _vignette(case_id: str) -> dict[str, Any]:
    return next(v for v in suppressing_vignettes() if v["id"] == case_id)


def _medicines(body: str) -> str:
    found = re.search(r'<section id="medicines".*?</section>', body, re.S)
    assert found is not None
    return found.group(0)


def test_an_urgent_plan_tells_the_painkiller_cautions_until_seen(client: Client) -> None:
    """Phone walk: an urgent result's plan said nothing about painkillers, so someone on a
    blood thinner waiting to be seen was never told to avoid anti-inflammatories."""
    assessment = make_assessment(answers=_vignette("con_on_warfarin")["answers"])
    assert assessment.result["disposition"]["level"] == "urgent"
    body = text(client.get(f"/care/{assessment.pk}/plan/"))
    section = _medicines(body)
    assert "The doctor who sees you will advise you on pain relief" in section
    assert "Ask a pharmacist or doctor before any anti-inflammatory painkiller" in section
    assert "A blood thinner: together with an anti-inflammatory painkiller" in section
    # Phone walk 8: "aspirin-type medicines" read as "stop your aspirin"; the caution is
    # about adding a painkiller, and says once why (no "because of what you told us:").
    assert "keep taking the medicines your doctor prescribed, a low-dose aspirin" in section
    assert "because of what you told us" not in section
    # The questions the check left open, with the normal plan's form.
    assert 'name="other_bleeding_medicines"' in section and 'name="blood_thinners"' not in body
    # Still no exercise, stretching, heat or loading advice.
    for absent in ("Start a guided session", "Your home exercises", "Your stage", "heat"):
        assert absent not in body, absent


def test_answering_a_medicine_question_on_an_urgent_plan_is_kept(client: Client) -> None:
    assessment = make_assessment(answers=_vignette("fx_ladder_fall")["answers"])
    assert assessment.result["disposition"]["level"] == "urgent"
    body = text(client.get(f"/care/{assessment.pk}/plan/"))
    before = _medicines(body)
    assert "Age 65 or over" in before  # from the check's age, never asked
    assert (
        'name="other_bleeding_medicines"' in before and "steroid tablets or an SSRI" not in before
    )
    data = {q.id: "no" for q in medication_questions(assessment)}
    data["other_bleeding_medicines"] = "yes"  # long-term steroid tablets
    response = client.post(f"/care/{assessment.pk}/plan/", data)
    assert response.status_code == 302 and response["Location"].endswith("#medicines")
    stored = MedicationAnswers.objects.get(assessment=assessment).answers
    assert stored["other_bleeding_medicines"] == "yes"
    section = _medicines(text(client.get(f"/care/{assessment.pk}/plan/")))
    assert "Change your answers to the medicine safety questions" in section
    assert 'value="yes" checked' in section
    assert "steroid tablets or an SSRI antidepressant: together with an anti-inflammatory" in (
        section
    )
    assert "Age 65 or over" in section


def test_a_child_sent_to_a_doctor_is_told_never_to_take_aspirin(client: Client) -> None:
    assessment = make_assessment(answers=_vignette("adolescent_gymnast")["answers"])
    assert assessment.result["disposition"]["level"] == "urgent"
    body = text(client.get(f"/care/{assessment.pk}/plan/"))
    assert "Under 16: never take aspirin" in _medicines(body)
    assert "Start a guided session" not in body


def test_medicine_form_errors_are_field_level_and_lose_nothing(client: Client) -> None:
    assessment = make_assessment()
    ids = [q.id for q in medication_questions(assessment)]
    data = dict.fromkeys(ids[2:], "no")
    data[ids[1]] = "perhaps"  # not a choice; ids[0] left out
    response = client.post(f"/care/{assessment.pk}/plan/", data)
    assert response.status_code == 422
    body = text(response)
    assert 'role="alert"' in body and "There are 2 problems" in body
    for qid in ids[:2]:
        block = re.search(rf'<fieldset[^>]*id="med-{qid}".*?</fieldset>', body, re.S)
        assert block and "Choose yes, no or not sure." in block.group(0)
        assert 'aria-invalid="true"' in block.group(0)
    for qid in ids[2:]:
        assert f'id="med-{qid}-no" name="{qid}" value="no" checked' in body
        block = re.search(rf'<fieldset[^>]*id="med-{qid}".*?</fieldset>', body, re.S)
        assert "error-message" not in block.group(0)
    assert not MedicationAnswers.objects.exists()
    data.update({ids[0]: "yes", ids[1]: "not_sure"})
    response = client.post(f"/care/{assessment.pk}/plan/", data)
    assert response.status_code == 302 and response["Location"].endswith("#medicines")
    assert MedicationAnswers.objects.get(assessment=assessment).answers[ids[0]] == "yes"
    body = text(client.get(f"/care/{assessment.pk}/plan/"))
    assert "Why we say this:" in body  # the cautions that apply are named
    assert "Change your answers to the medicine safety questions" in body


def test_the_steroid_question_says_why_after_the_check_asked_about_steroids(
    client: Client,
) -> None:
    """Phone walk: the check asked about steroid tablets taken for more than 3 months; the
    medicine questions ask about steroid tablets again. The question says why, under it."""
    answers = {**answers_for("self_care"), "weak_bones_or_steroids": "no"}
    assessment = make_assessment(answers=answers)
    body = text(client.get(f"/care/{assessment.pk}/plan/"))
    block = re.search(r'<fieldset[^>]*id="med-other_bleeding_medicines".*?</fieldset>', body, re.S)
    assert block is not None
    fieldset = block.group(0)
    assert 'aria-describedby="med-other_bleeding_medicines-hint"' in fieldset
    hint = re.search(r'<p class="hint" id="med-other_bleeding_medicines-hint">(.*?)</p>', fieldset)
    assert hint is not None
    assert "The check asked about steroid tablets taken for more than 3 months" in hint.group(1)
    assert "any steroid tablets count" in hint.group(1) and "bleeding" in hint.group(1)
    # With an error the hint and the error both describe the question.
    data = {q.id: "no" for q in medication_questions(assessment)}
    del data["other_bleeding_medicines"]
    body = text(client.post(f"/care/{assessment.pk}/plan/", data))
    assert (
        'aria-describedby="med-other_bleeding_medicines-hint med-other_bleeding_medicines-error"'
        in body
    )


# --- Program, player and log -------------------------------------------------------------------


def test_the_program_page_shows_dosage_why_and_progress(client: Client) -> None:
    assessment = make_assessment()
    program = program_for(assessment)
    body = text(client.get(f"/care/{assessment.pk}/program/"))
    for item in program.items:
        assert f'href="/exercises/{item.exercise.id}/"' in body
        assert item.why.replace("'", "&#x27;") in body
        assert f"at or below {item.max_pain} out of 10" in body
    assert "No session is logged yet" in body
    # Twice a day, every day: in the week the program began, the days left (Monday: 7).
    planned = 2 * (7 - assessment.created_at.astimezone(UTC).weekday())
    assert f"0 of {planned} sessions done this week" in body
    assert "No sessions logged yet." in body


def _this_week(body: str) -> str:
    card = body.split('id="week-title"', 1)[1].split("</section>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card))


def test_this_weeks_count_agrees_with_the_frequency_it_states(client: Client) -> None:
    """The card's count is what its words add up to: twice a day, every day, and in the
    week the program began only the days from then, saying so (at the Saturday-night clock
    it read "0 of 4 planned sessions" beside "2 sessions a day on 7 days a week")."""
    assessment = make_assessment()
    plan = weekly_plan(program_for(assessment).dosages())
    assert (plan.per_day, plan.days_per_week) == (2, 7)
    began = assessment.created_at.astimezone(UTC).date()
    days = 7 - began.weekday()  # the day it began and the days after it, to Sunday
    card = _this_week(text(client.get(f"/care/{assessment.pk}/program/")))
    assert f"0 of {2 * days} sessions done this week" in card
    assert "Your program asks for up to 2 sessions a day, every day;" in card
    if days < 7:
        unit = "day" if days == 1 else "days"
        assert (
            f"It began on {format_day(began)}, so this week asks for sessions on only "
            f"{days} {unit}."
        ) in card
    else:
        assert "It began on" not in card
    # A week later every day of the week counts, and nothing more is said.
    Assessment.objects.filter(pk=assessment.pk).update(
        created_at=assessment.created_at - timedelta(days=7)
    )
    assessment.refresh_from_db()
    full = weekly_plan(program_for(assessment).dosages()).sessions
    card = _this_week(text(client.get(f"/care/{assessment.pk}/program/")))
    assert f"0 of {full} sessions done this week" in card and "It began on" not in card


def test_the_player_page_works_without_javascript(client: Client) -> None:
    assessment = make_assessment()
    program = program_for(assessment)
    body = text(client.get(f"/care/{assessment.pk}/session/"))
    for item in program.items:
        assert f'name="exercise_ids" value="{item.exercise.id}"' in body
        for step in item.exercise.steps:
            assert step.replace("'", "&#x27;") in body
    assert '<script id="player-data" type="application/json">' in body
    assert 'src="/static/care/player.js"' in body
    assert 'id="player" class="player" hidden' in body  # the player appears only with JS
    assert 'aria-live="polite"' in body
    assert " style=" not in body  # CSP: no inline styles


def test_logging_validates_every_field_and_keeps_what_was_typed(client: Client) -> None:
    assessment = make_assessment()
    program = program_for(assessment)
    url = f"/care/{assessment.pk}/session/"
    response = client.post(
        url,
        {
            "exercise_ids": ["nope"],
            "pain_during": "12",
            "difficulty": "",
            "note": "Knee ached. " * 100,
        },
    )
    assert response.status_code == 422
    body = text(response)
    assert "There are 5 problems" in body
    for message in (
        "Not an exercise in your program: nope.",
        "Choose the worst pain you felt during the exercises, from 0 to 10.",
        "Choose the pain you feel now, after the exercises, from 0 to 10.",
        "Choose how hard the session felt.",
        "Keep the note to 1000 characters or fewer (it has 1199).",
    ):
        assert body.count(message) == 2, message  # in the summary and beside the field
    assert ("Knee ached. " * 100).strip() in body
    response = client.post(url, log_form(program, pain_during="4", note="", exercise_ids=[]))
    body = text(response)
    assert response.status_code == 422 and "There is 1 problem" in body
    assert 'id="pain_during-4" name="pain_during" value="4" checked' in body
    assert not ExerciseSession.objects.exists()


def test_a_logged_session_appears_in_the_log_with_its_time_zone(client: Client) -> None:
    assessment = make_assessment()
    program = program_for(assessment)
    page = client.get(f"/care/{assessment.pk}/session/")
    token = re.search(r'name="token" value="([0-9a-f]+)"', text(page)).group(1)
    data = log_form(program, note="<script>alert(1)</script>", token=token)
    response = client.post(f"/care/{assessment.pk}/session/", data)
    assert response.status_code == 302 and response["Location"].endswith("#log")
    again = client.post(f"/care/{assessment.pk}/session/", data)  # double submit
    assert again.status_code == 302 and ExerciseSession.objects.count() == 1
    body = text(client.get(response["Location"]))
    assert "Well done. Your session is saved in your log." in body
    assert "This session was already saved." in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert" not in body
    assert "(UTC)" in body and "2/10" in body and "About right" in body
    planned = 2 * (7 - assessment.created_at.astimezone(UTC).weekday())  # the days left
    assert f"1 of {planned} sessions done this week" in body


def test_the_next_morning_question_moves_the_program_and_explains_it(client: Client) -> None:
    assessment = make_assessment()
    program = program_for(assessment)
    item = next(i for i in program.items if len(i.levels) > 1)
    client.post(
        f"/care/{assessment.pk}/session/",
        log_form(program, exercise_ids=[item.exercise.id], pain_during="1"),
    )
    session = ExerciseSession.objects.get()
    url = f"/care/{assessment.pk}/program/"
    # Not "come back after a night's sleep, from 01:21": it opens 8 hours after the session
    # (phone walk 5), which is the night only after an evening session.
    assert "You can tell us how it felt from " in text(client.get(url))
    assert ", best after a night's sleep." in text(client.get(url))
    with time_machine.travel(timezone.now() + timedelta(hours=10), tick=False):
        body = text(client.get(url))
        assert "How did it feel after the session?" in body
        response = client.post(url, {"session": str(session.pk), "next_morning": "better"})
        assert response.status_code == 422
        body = text(response)
        assert "Say whether any pain from the exercises has settled." in body
        assert 'name="next_morning" value="better" checked' in body
        response = client.post(
            url, {"session": str(session.pk), "next_morning": "better", "settled_within_24h": "yes"}
        )
        assert response.status_code == 302
        body = text(client.get(url))
    assert "Thank you. Your program has been updated." in body
    assert "so we moved you up to level 2" in body
    assert f'href="/exercises/{item.ladder[2]}/"' in body
    assert "Better than before the session" in body
    assert client.post(url, {"session": "not-a-uuid"}).status_code == 404


# --- Access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["plan", "program", "session"])
def test_an_owned_assessment_is_its_owners_alone(
    page: str, patient: Any, other_patient: Any
) -> None:
    assessment = make_assessment(owner=patient)
    url = f"/care/{assessment.pk}/{page}/"
    assert login(Client(), patient).get(url).status_code == 200
    assert login(Client(), other_patient).get(url).status_code == 404
    assert Client().get(url).status_code == 404
    posted = login(Client(), other_patient).post(url, {"exercise_ids": ["glute_bridge"]})
    assert posted.status_code == 404
    assert not ExerciseSession.objects.exists()


def test_times_are_shown_in_the_owners_zone(patient: Any) -> None:
    assessment = make_assessment(owner=patient)
    client = login(Client(), patient)
    program = program_for(assessment)
    client.post(f"/care/{assessment.pk}/session/", log_form(program))
    body = text(client.get(f"/care/{assessment.pk}/program/"))
    assert "(Europe/London)" in body and "(UTC)" not in body


def test_a_log_made_before_signing_in_moves_into_the_account(
    client: Client, patient: Any, other_patient: Any
) -> None:
    assessment = make_assessment()
    session = client.session
    session[SESSION_KEY] = [str(assessment.pk)]
    session.save()
    program = program_for(assessment)
    body = text(client.get(f"/care/{assessment.pk}/program/"))
    assert "Keep your plan and log safe" in body  # the offer to save by signing up
    client.post(f"/care/{assessment.pk}/session/", log_form(program))
    assert ExerciseSession.objects.filter(assessment=assessment).count() == 1
    response = client.post("/account/login/", {"login": patient.email, "password": PASSWORD})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.owner_id == patient.pk
    body = text(client.get(f"/care/{assessment.pk}/program/"))
    assert "Easy today." in body and "Keep your plan and log safe" not in body
    assert login(Client(), other_patient).get(f"/care/{assessment.pk}/program/").status_code == 404


def test_a_signed_in_person_logs_into_their_own_account(patient: Any) -> None:
    client = login(Client(), patient)
    assessment = make_assessment()
    session = client.session
    session[SESSION_KEY] = [str(assessment.pk)]
    session.save()
    client.post(f"/care/{assessment.pk}/session/", log_form(program_for(assessment)))
    assessment.refresh_from_db()
    assert assessment.owner_id == patient.pk and assessment.exercise_sessions.count() == 1


def test_logging_while_signed_in_attaches_only_this_check_and_only_from_this_sitting(
    patient: Any,
) -> None:
    """A shared browser may list someone else's older check: logging on one check never
    moves the others, and an older one stays out of the account until the person says it
    is theirs ("Is this yours?", accounts.earlier)."""
    made = timezone.now()
    with time_machine.travel(made - timedelta(hours=3), tick=False):
        older = make_assessment()
    recent, other = make_assessment(), make_assessment()
    client = login(Client(), patient)
    session = client.session
    session[SESSION_KEY] = [str(older.pk), str(recent.pk), str(other.pk)]
    session.save()
    for assessment in (older, recent):
        client.post(f"/care/{assessment.pk}/session/", log_form(program_for(assessment)))
        assert assessment.exercise_sessions.count() == 1
    owners = dict(Assessment.objects.values_list("pk", "owner_id"))
    assert owners == {older.pk: None, recent.pk: patient.pk, other.pk: None}
    assert client.session[SESSION_KEY] == [str(older.pk), str(other.pk)]


def test_staff_read_through_the_audited_path_and_never_write(patient: Any, admin_user: Any) -> None:
    from rehabit.audit.models import AuditAction, AuditEntry

    assessment = make_assessment(owner=patient)
    admin = login(Client(), admin_user, mfa=True)
    assert admin.get(f"/care/{assessment.pk}/program/").status_code == 200
    entry = AuditEntry.objects.filter(action=AuditAction.RECORD_VIEWED).latest("event_time")
    assert entry.subject_id == patient.pk and entry.actor_id == admin_user.pk
    body = text(admin.get(f"/care/{assessment.pk}/session/"))
    assert "Only the person this assessment belongs to can add to its log." in body
    posted = admin.post(f"/care/{assessment.pk}/session/", log_form(program_for(assessment)))
    assert posted.status_code == 403 and not ExerciseSession.objects.exists()
    no_mfa = login(Client(), admin_user)
    assert no_mfa.get(f"/care/{assessment.pk}/plan/").status_code in (302, 403)


@pytest.mark.parametrize(
    ("days", "said"), [(0, "began today."), (1, "began 1 day ago."), (9, "began 9 days ago.")]
)
def test_the_plan_says_a_pain_that_began_today_began_today(
    client: Client, days: int, said: str
) -> None:
    """ "the pain began 0 days ago" read oddly to someone hurt an hour before."""
    answers = completed({**answers_for("self_care"), "days_since_onset": days})
    assessment = make_assessment(answers=answers)
    body = text(client.get(f"/care/{assessment.pk}/plan/"))
    assert f"Counted from your answer: the pain {said}" in body
    assert "0 days ago" not in body


def test_the_plan_s_booking_box_title_reads_as_its_own_line(client: Client) -> None:
    """The bold title had no full stop and ran into the text after it ("... not instead
    of the appointment Book the appointment ..."): it is a paragraph of its own."""
    assessment = make_assessment("soon")
    html = client.get(f"/care/{assessment.pk}/plan/").content.decode()
    assert (
        "<p><strong>Use this plan while you wait, not instead of the appointment</strong></p>"
        in html
    )
    assert "<p>Until then, this plan is safe to follow." in html
    # The headline above it already says when to book; the text does not say it again.
    assert html.count("1 to 2 weeks") + html.count("week or two") == 1


def test_no_care_page_asks_a_parent_to_read_you_as_their_child(
    client: Client,
) -> None:
    # The result told a parent that "you" means their child; the plan and the program it
    # leads to spoke to "you" without saying so. The plan speaks of the child throughout
    # since self-care 2026.12.10, the program page (check-in, progress, log, stage) since
    # programs 2026.12.2, so neither keeps the note.
    child = make_assessment(answers=completed({**answers_for("self_care"), "age": 12}))
    adult = make_assessment()
    note = "where this page says “you”, it means your child"
    for assessment in (child, adult):
        for page in ("plan", "program"):
            body = client.get(f"/care/{assessment.pk}/{page}/").content.decode()
            assert note not in body


def test_the_menu_leads_a_signed_in_patient_to_their_latest_program(
    patient: Any, other_patient: Any
) -> None:
    """One tap from any page back to the program (with its diary and progress links) of
    the patient's own latest assessment; nobody else's, and not for anyone without one."""
    from tests.booking.support import make_therapist

    assert 'href="/care/' not in text(login(Client(), patient).get("/"))  # none yet
    older = make_assessment(owner=patient)
    latest = make_assessment(owner=patient)
    Assessment.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=3))
    make_assessment(owner=other_patient)
    client = login(Client(), patient)
    home = text(client.get("/"))
    assert f'<a href="/care/{latest.pk}/program/">My program</a>' in home
    assert f"/care/{older.pk}/" not in home
    page = text(client.get(f"/care/{latest.pk}/program/"))
    assert f'<a href="/care/{latest.pk}/program/" aria-current="page">My program</a>' in page
    assert 'aria-current="page">Exercises' not in page  # the library is another page
    assert "My program" not in text(Client().get("/exercises/"))
    therapist = make_therapist("Tess Nav")
    assert "My program" not in text(login(Client(), therapist.user, mfa=True).get("/"))
