"""The therapist's patient list, chart and clinical note pages, through the Django test
client on the real database: what they show, what they audit, and that bad input loses
nothing."""

from __future__ import annotations

import html
import io
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from rehabit.accounts.consent import set_sharing
from rehabit.audit.models import AuditEntry
from rehabit.care.presenters import explain_item, tr
from rehabit.care.programs import program_for
from rehabit.care.selectors import sessions_of
from rehabit.care.services import log_session
from rehabit.charts.models import ClinicalNote, NoteAddendum
from rehabit.clinical.upgrade import CURRENT
from rehabit.outcomes.models import DiaryEntry
from tests.accounts.helpers import login
from tests.care.helpers import session_data
from tests.charts.support import PATIENT_NOTE, logged_with_check_in
from tests.clinic.support import Clinic, start_session

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    body = response.content.decode()
    body = re.sub(r"<svg.*?</svg>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def _views(clinic: Clinic, **kwargs: Any) -> Any:
    return AuditEntry.objects.filter(
        action="record.viewed",
        subject_id=clinic.patient.pk,
        actor_id=clinic.therapist.user.pk,
        **kwargs,
    )


def test_the_list_names_only_sharing_patients_and_reads_no_record(clinic: Clinic) -> None:
    page = clinic.client("therapist").get("/therapist/patients/")
    assert page.status_code == 200
    assert "Pat Clinic" in page.content.decode()
    assert f"/therapist/patients/{clinic.patient.pk}/" in page.content.decode()
    assert (
        not AuditEntry.objects.filter(subject_id=clinic.patient.pk)
        .filter(action__startswith="record.")
        .exists()
    )
    unshared = _text(clinic.client("unshared").get("/therapist/patients/"))
    assert "Pat Clinic" not in unshared
    assert "1 other patient with a session with you does not share their record" in unshared
    stranger = clinic.client("stranger").get("/therapist/patients/").content.decode()
    assert "Pat Clinic" not in stranger


def test_the_chart_shows_the_clinical_intake_and_progress_and_each_read_is_audited(
    clinic: Clinic,
) -> None:
    session, item, sign = logged_with_check_in(clinic.assessment)
    client = clinic.client("therapist")
    response = client.get(f"/therapist/patients/{clinic.patient.pk}/")
    assert response.status_code == 200
    text = _text(response)
    # The clinician's summary, third person, not the patient's own result page.
    assert "31-year-old woman, left mid posterior thigh and distal posterior thigh pain" in text
    assert "Red flags asked and answered" in text and "Risk factors and history" in text
    assert f"Questionnaire version {CURRENT}" in text and "Self-tests" in text
    assert "Likely causes and the answers that weighed most" in text
    intake = text.split("Intake summary")[1].split("Self-care plan and home program")[0]
    assert "You " not in intake and "your " not in intake
    # Program with names and levels; the log with names and the patient's own note
    # (escaped: their words, never markup); the check-in with its warning sign.
    assert tr(item.exercise.name) in text and "level 1" in text
    assert PATIENT_NOTE in text
    assert "<b>not bold</b>" not in response.content.decode()
    assert "After the session of" in text and "Worse than before the session" in text
    assert tr(sign.sign) in text
    assert "Outcome trends" in text
    # One audit entry per opening, naming the assessment read.
    views = _views(clinic, target_type="assessment", target_id=str(clinic.assessment.pk))
    assert views.count() == 1
    client.get(f"/therapist/patients/{clinic.patient.pk}/")
    assert views.count() == 2


def test_one_diary_day_is_too_few_for_a_chart(clinic: Clinic) -> None:
    DiaryEntry.objects.create(
        assessment=clinic.assessment, entry_date=timezone.localdate(), pain_now=3, pain_worst=5
    )
    body = clinic.client("therapist").get(f"/therapist/patients/{clinic.patient.pk}/")
    outcomes = body.content.decode().split('id="outcomes-title"', 1)[1].split("</section>")[0]
    assert "<svg" not in outcomes
    assert "Pain (0 = none, 10 = worst imaginable): too few entries for a chart yet." in outcomes


def test_the_chart_caption_speaks_of_the_patient_in_the_third_person(clinic: Clinic) -> None:
    today = timezone.localdate()
    for days_ago, now, worst in ((1, 5, 6), (0, 4, 5)):
        DiaryEntry.objects.create(
            assessment=clinic.assessment,
            entry_date=today - timedelta(days=days_ago),
            pain_now=now,
            pain_worst=worst,
        )
    body = clinic.client("therapist").get(f"/therapist/patients/{clinic.patient.pk}/")
    outcomes = body.content.decode().split('id="outcomes-title"', 1)[1].split("</section>")[0]
    assert "<svg" in outcomes
    assert "is no real change from the patient&#x27;s start (4)." in outcomes
    assert "your start" not in outcomes


def test_the_activities_chart_is_named_about_the_patient(clinic: Clinic) -> None:
    """Its title was the patient's own page's: "Activities you find hard"."""
    from rehabit.outcomes import services as outcome_services

    outcome_services.set_activities(clinic.assessment, ["Running", "Stairs", "Sitting"])
    outcome_services.record_psfs(
        clinic.assessment, {"ratings": [3, 4, 5]}, today=timezone.localdate()
    )
    body = clinic.client("therapist").get(f"/therapist/patients/{clinic.patient.pk}/")
    outcomes = _text(body).split("Outcome trends", 1)[1].split("Clinical notes", 1)[0]
    assert (
        "Activities the patient finds hard (0 = cannot do, 10 = as before): too few entries "
        "for a chart yet." in outcomes
    )
    assert "you find hard" not in outcomes


def test_no_chart_without_the_share_and_the_refusal_is_audited(clinic: Clinic) -> None:
    response = clinic.client("unshared").get(f"/therapist/patients/{clinic.patient.pk}/")
    assert response.status_code == 404
    assert "Pat Clinic" not in response.content.decode()
    assert (
        AuditEntry.objects.filter(
            action="record.access_denied",
            subject_id=clinic.patient.pk,
            actor_id=clinic.unshared.user.pk,
        ).count()
        == 1
    )
    set_sharing(clinic.patient, clinic.therapist.user, False, source="test")
    assert (
        clinic.client("therapist").get(f"/therapist/patients/{clinic.patient.pk}/").status_code
        == 404
    )


def test_the_appointment_page_shows_exercise_names_and_the_patients_note(clinic: Clinic) -> None:
    """The progress table used to drop the note and name no exercise; the summary was the
    patient's own result ("You are ...")."""
    _session, item, _sign = logged_with_check_in(clinic.assessment)
    page = clinic.client("therapist").get(f"/booking/appointments/{clinic.appointment.pk}/")
    text = _text(page)
    assert PATIENT_NOTE in text
    assert f"{tr(item.exercise.name)} (level 1)" in text
    assert "31-year-old woman" in text and "You are" not in text
    assert f"/therapist/patients/{clinic.patient.pk}/" in page.content.decode()


def _start(client: Client, clinic: Clinic, kind: str = "first_assessment") -> tuple[str, Any]:
    """A draft about the clinic's session, which has started (a note is signed only then)."""
    start_session(clinic.appointment)
    response = client.post(
        f"/therapist/patients/{clinic.patient.pk}/notes/new/",
        {"kind": kind, "appointment": str(clinic.appointment.pk)},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    note = ClinicalNote.objects.get(patient=clinic.patient, kind=kind)
    return str(response["Location"]), note


def test_a_note_from_draft_to_signed_to_addendum(clinic: Clinic) -> None:
    client = clinic.client("therapist")
    url, note = _start(client, clinic)
    assert url == f"/therapist/patients/{clinic.patient.pk}/notes/{note.pk}/"
    assert note.appointment_id == clinic.appointment.pk and note.author_name == "Tara Therapist"
    # The first-assessment template starts from the intake summary.
    assert note.subjective.startswith("Online intake (")
    assert "31-year-old woman" in note.subjective
    edit = _text(client.get(url))
    assert "Tele-examination" in edit and "Slump test" in edit and "Puranen-Orava test" in edit

    long_text = "x" * 10_001
    bad = {
        "revision": "1",
        "action": "save",
        "subjective": "Kept words.",
        "objective": long_text,
        "plan": "Keep loading.",
        "exam-knee_extension_lag": "200",
        "exam-gait": "flying",
    }
    response = client.post(url, bad)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Kept words." in body and "Keep loading." in body and long_text in body
    assert "Enter a number from 0 to 90." in body and "Choose one of the options." in body
    assert "At most 10000 characters" in body
    note.refresh_from_db()
    assert note.revision == 1 and note.plan == ""

    response = client.post(
        url, {"revision": "1", "action": "sign", "subjective": "S.", "plan": "Kept plan."}
    )
    assert response.status_code == 422
    assert "Write this before signing" in response.content.decode()
    assert "Kept plan." in response.content.decode()

    good = {
        "revision": "1",
        "action": "save",
        "subjective": "Sprinted, felt a pull.",
        "objective": "Antalgic gait on video.",
        "assessment": "Grade 1 strain.",
        "plan": "Isometrics.",
        "exam-gait": "antalgic",
        "exam-slump": "negative",
        "exam-straight_leg_raise_angle": "70",
        "exam-palpation_notes": "Mid-belly.",
    }
    assert client.post(url, good).status_code == 302
    note.refresh_from_db()
    assert note.revision == 2
    assert note.exam == {
        "gait": "antalgic",
        "slump": "negative",
        "straight_leg_raise_angle": 70,
        "palpation_notes": "Mid-belly.",
    }
    # A form loaded before that save is stale: refused, its text kept on the page.
    stale = client.post(url, {**good, "plan": "Stale plan.", "action": "sign"})
    assert stale.status_code == 409
    assert "changed elsewhere" in stale.content.decode() and "Stale plan." in stale.content.decode()

    assert client.post(url, {**good, "revision": "2", "action": "sign"}).status_code == 302
    note.refresh_from_db()
    assert note.is_signed and note.signature
    page = _text(client.get(url))
    assert "Signed by Tara Therapist" in page and note.signature in page
    assert "Antalgic" in page and "70 degrees" in page and "Mid-belly." in page
    # Signed: a save is refused, nothing changes.
    assert client.post(url, {**good, "revision": "3", "plan": "New."}).status_code == 409
    note.refresh_from_db()
    assert note.plan == "Isometrics."

    assert client.post(url, {"action": "addendum", "text": "  "}).status_code == 422
    assert (
        client.post(url, {"action": "addendum", "text": "SLR was 60, not 70."}).status_code == 302
    )
    addendum = NoteAddendum.objects.get(note=note)
    assert addendum.author_name == "Tara Therapist" and addendum.created_at is not None
    assert "SLR was 60, not 70." in _text(client.get(url))

    changes = AuditEntry.objects.filter(
        action="record.changed",
        subject_id=clinic.patient.pk,
        target_type="clinicalnote",
        target_id=str(note.pk),
    )
    assert sorted(e.details["change"] for e in changes) == [
        "note.addendum",
        "note.saved",
        "note.signed",
        "note.started",
    ]
    assert _views(clinic, target_type="clinicalnote", target_id=str(note.pk)).count() >= 5


def test_print_view_and_pdf(clinic: Clinic) -> None:
    from pypdf import PdfReader

    client = clinic.client("therapist")
    url, note = _start(client, clinic, "follow_up")
    client.post(
        url,
        {
            "revision": "1",
            "action": "sign",
            "subjective": "Better.",
            "assessment": "Settling strain.",
            "plan": "Progress to bridges.",
        },
    )
    printed = _text(client.get(url + "print/"))
    assert "Follow-up" in printed and "Pat Clinic" in printed and "Settling strain." in printed
    response = client.get(url + "note.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    pdf = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Settling strain." in pdf and "Pat Clinic" in pdf and "Tara Therapist" in pdf


def test_drafts_are_their_authors_alone_and_signed_notes_are_shared(clinic: Clinic) -> None:
    set_sharing(clinic.patient, clinic.unshared.user, True, source="test")
    colleague = clinic.client("unshared")
    author = clinic.client("therapist")
    url, draft = _start(author, clinic)
    assert colleague.get(url).status_code == 404
    assert (
        colleague.post(
            url, {"revision": "1", "action": "sign", "assessment": "A", "plan": "P"}
        ).status_code
        == 404
    )
    chart = colleague.get(f"/therapist/patients/{clinic.patient.pk}/").content.decode()
    assert str(draft.pk) not in chart
    author.post(url, {"revision": "1", "action": "sign", "assessment": "A", "plan": "P"})
    page = colleague.get(url)
    assert page.status_code == 200 and "Add an addendum" in page.content.decode()
    assert colleague.post(url, {"action": "addendum", "text": "Seen too."}).status_code == 302
    assert NoteAddendum.objects.get().author_name == "Uma Unshared"


def test_a_follow_up_starts_from_the_progress_since_the_last_signed_note(clinic: Clinic) -> None:
    logged_with_check_in(clinic.assessment)
    client = clinic.client("therapist")
    _url, note = _start(client, clinic, "follow_up")
    assert "Home exercise this week:" in note.subjective
    assert "next morning: worse than before the session" in note.subjective
    assert PATIENT_NOTE in note.subjective


def test_a_session_that_is_not_theirs_is_refused_with_a_message(clinic: Clinic) -> None:
    other = login(Client(), clinic.therapist.user, mfa=True)
    response = other.post(
        f"/therapist/patients/{clinic.patient.pk}/notes/new/",
        {"kind": "follow_up", "appointment": "00000000-0000-4000-8000-000000000000"},
        follow=True,
    )
    assert "That is not a session of yours with this patient." in response.content.decode()
    assert not ClinicalNote.objects.exists()
    response = other.post(
        f"/therapist/patients/{clinic.patient.pk}/notes/new/", {"kind": "essay"}, follow=True
    )
    assert "Choose a first video assessment or a follow-up." in response.content.decode()


def test_the_therapists_zone_is_named_as_people_read_it(clinic: Clinic) -> None:
    from rehabit.booking.models import Therapist

    Therapist.objects.filter(pk=clinic.therapist.pk).update(time_zone="America/New_York")
    client = clinic.client("therapist")
    for url in ("/therapist/patients/", f"/therapist/patients/{clinic.patient.pk}/"):
        body = client.get(url).content.decode()
        assert "Times in America/New York." in body and "America/New_York" not in body, url


def test_the_chart_explains_the_progression_with_the_sessions_the_patient_logged(
    clinic: Clinic,
) -> None:
    """The patient's own explanation, not "no session is logged yet" above a logged one."""
    program = program_for(clinic.assessment)
    every = [i.exercise.id for i in program.items]
    data = session_data(program, exercise_ids=every)
    log_session(clinic.assessment, data, now=timezone.now() - timedelta(hours=2))
    sessions = list(sessions_of(clinic.assessment))
    with timezone.override(clinic.therapist.time_zone):  # the therapist's pages' zone
        patient_sees = explain_item(program_for(clinic.assessment).items[0], sessions)
    text = _text(clinic.client("therapist").get(f"/therapist/patients/{clinic.patient.pk}/"))
    assert "No session is logged yet" not in text
    assert html.unescape(patient_sees) in text


def test_a_note_is_about_a_session_that_took_place_and_is_signed_once_it_started(
    clinic: Clinic,
) -> None:
    """The Session choice leaves cancelled and moved sessions out and says which one has not
    started; a note about a cancelled session is refused, and a note about a session that
    has not started is not signed (the text is kept, the draft stays a draft)."""
    from rehabit.booking import services
    from tests.booking.support import book, free_start

    client = clinic.client("therapist")
    chart_url = f"/therapist/patients/{clinic.patient.pk}/"
    cancelled = clinic.appointment
    services.cancel(cancelled.pk, actor=clinic.patient, reason="Better")
    coming = book(clinic.patient, clinic.therapist, free_start(clinic.therapist))
    choice = client.get(chart_url).content.decode().split('id="id_appointment"', 1)[1]
    choice = choice.split("</select>", 1)[0]
    assert str(cancelled.pk) not in choice
    assert f'value="{coming.pk}">' in choice  # there, not chosen for the therapist
    assert "not started yet: the note can be signed once it has" in choice
    refused = client.post(
        f"{chart_url}notes/new/",
        {"kind": "follow_up", "appointment": str(cancelled.pk)},
        follow=True,
    )
    assert "That session was cancelled or moved" in refused.content.decode()
    assert not ClinicalNote.objects.exists()

    started = client.post(
        f"{chart_url}notes/new/", {"kind": "follow_up", "appointment": str(coming.pk)}
    )
    note = ClinicalNote.objects.get()
    signing = {"revision": "1", "action": "sign", "assessment": "Kept words.", "plan": "P."}
    response = client.post(started["Location"], signing)
    assert response.status_code == 409
    body = html.unescape(response.content.decode())
    assert "which has not started yet: it can be signed once the session has started" in body
    assert "Kept words." in body
    note.refresh_from_db()
    assert not note.is_signed
    start_session(coming)
    assert client.post(started["Location"], signing).status_code == 302
    note.refresh_from_db()
    assert note.is_signed


def test_a_check_in_says_what_had_settled_by_when_not_within_a_day(clinic: Clinic) -> None:
    """Answered the same afternoon, "has any pain settled since the session?" was shown as
    "did not settle within a day", which no one was asked: the chart now says by when."""
    from rehabit.care.services import check_in
    from rehabit.core.timefmt import format_when

    now = timezone.now()
    program = program_for(clinic.assessment)
    session, _ = log_session(clinic.assessment, session_data(program), now=now - timedelta(hours=9))
    answers = {"next_morning": "same", "settled_within_24h": False, "signs": []}
    check_in(clinic.assessment, session.pk, answers, now=now)
    text = _text(clinic.client("therapist").get(f"/therapist/patients/{clinic.patient.pk}/"))
    text = text.split("Next-morning check-ins")[1].split("Outcome trends")[0]
    assert "within a day" not in text
    session.refresh_from_db()
    assert session.checked_in_at is not None
    checked = format_when(session.checked_in_at, clinic.therapist.time_zone)
    assert f"pain from the exercises had not settled by the check-in (checked in {checked})" in text
