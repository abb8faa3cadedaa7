"""A therapist sets or edits the home program; the patient sees it with the reason, the
player runs it, and the automatic progression respects it (SQLite and PostgreSQL)."""

from __future__ import annotations

import html
import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from rehabit.audit.models import AuditEntry
from rehabit.care.models import PrescribedExercise, ProgramLevel
from rehabit.care.presenters import explain_item
from rehabit.care.programs import program_for
from rehabit.care.selectors import sessions_of
from rehabit.care.services import check_in, log_session
from rehabit.mail.models import OutgoingMessage
from tests.care.helpers import make_assessment, session_data
from tests.clinic.support import Clinic

pytestmark = pytest.mark.django_db

REASON = "Your heel digs are easy now; let us hold here for a week."


def _form(family: str, exercise: str = "", **extra: Any) -> dict[str, Any]:
    data = {"action": "save", "family": family, "exercise": exercise, "rule": "automatic",
            "note": "", "reason": REASON}  # fmt: skip
    data.update(extra)
    return data


def _prescribe(clinic: Clinic, **extra: Any) -> Any:
    url = f"/clinic/patients/{clinic.patient.pk}/program/"
    data = {"exercise": "isometric_heel_dig", **extra}
    return clinic.client("therapist").post(url, _form("hamstring_isometric", **data))


def _session_and_check_in(clinic: Clinic, exercise_id: str, pain: int = 1) -> list[Any]:
    """A session done 10 hours ago with ``exercise_id``, then a good next morning."""
    logged_at = timezone.now() - timedelta(hours=10)
    data = {"exercise_ids": [exercise_id], "pain_during": pain, "pain_after": pain,
            "difficulty": "about_right", "note": ""}  # fmt: skip
    session, _ = log_session(clinic.assessment, data, now=logged_at)
    return check_in(
        clinic.assessment, session.pk, {"next_morning": "better", "settled_within_24h": True}
    )


def test_the_therapist_changes_an_exercise_and_the_patient_sees_it_with_the_reason(
    clinic: Clinic,
) -> None:
    response = _prescribe(
        clinic, rule="hold", dosage_sets="2", dosage_hold_seconds="20", note="Press gently."
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row = PrescribedExercise.objects.get(assessment=clinic.assessment)
    assert (row.family, row.exercise_id, row.rule) == ("hamstring_isometric", "isometric_heel_dig",
                                                       "hold")  # fmt: skip
    assert row.dosage == {"sets": 2, "hold_seconds": 20} and row.reason == REASON
    assert row.prescriber_name == "Tara Therapist"
    # The family is at the prescribed level, with the prescribed dosage.
    assert ProgramLevel.objects.get(assessment=clinic.assessment, family=row.family).level == 2
    item = program_for(clinic.assessment).item_for("hamstring_isometric")
    assert item is not None and item.exercise.id == "isometric_heel_dig"
    assert item.dosage["sets"] == 2 and item.dosage["hold_seconds"] == 20
    # The patient's program page says so, with the reason and the note.
    page = clinic.client("patient").get(f"/care/{clinic.assessment.pk}/program/").content.decode()
    assert "Set by your physiotherapist" in page and "Tara Therapist" in page
    assert REASON.replace("'", "&#x27;") in page and "Press gently." in page
    assert "holds this level for now" in page
    assert "Hold for 20 seconds" in page and "2 sets" in page
    # The guided player runs it.
    player = clinic.client("patient").get(f"/care/{clinic.assessment.pk}/session/")
    body = player.content.decode()
    assert "Heel dig" in body or "heel dig" in body.lower()
    assert '"note": "Press gently."' in body or "Press gently." in body
    # Audited, and the patient told by e-mail without details.
    entry = AuditEntry.objects.get(target_type="prescription")
    assert entry.action == "record.changed" and entry.subject_id == clinic.patient.pk
    assert entry.actor_id == clinic.therapist.user.pk
    mail = OutgoingMessage.objects.get(kind="program")
    assert mail.recipient == clinic.patient and "program has changed" in mail.subject
    content = bytes(mail.content).decode("utf-8", "replace")
    for secret in ("heel", "Heel", REASON[:20], "Press gently", "hold"):
        assert secret not in content, secret


def test_a_held_level_is_not_stepped_up_by_the_progression(clinic: Clinic) -> None:
    assert _prescribe(clinic, rule="hold").status_code == 302
    steps = _session_and_check_in(clinic, "isometric_heel_dig")
    (step,) = [s for s in steps if s.family == "hamstring_isometric"]
    assert (step.action, step.from_level, step.to_level, step.reason) == ("hold", 2, 2, "held")
    assert ProgramLevel.objects.get(assessment=clinic.assessment, family=step.family).level == 2
    page = clinic.client("patient").get(f"/care/{clinic.assessment.pk}/program/").content.decode()
    assert "Your physiotherapist asked you to stay at level 2" in page


def test_automatic_steps_up_from_the_prescribed_level(clinic: Clinic) -> None:
    assert _prescribe(clinic, rule="automatic").status_code == 302
    steps = _session_and_check_in(clinic, "isometric_heel_dig")
    (step,) = [s for s in steps if s.family == "hamstring_isometric"]
    assert (step.action, step.from_level, step.to_level) == ("step_up", 2, 3)


def test_with_therapist_waits_and_tells_the_therapist(clinic: Clinic) -> None:
    from rehabit.clinic.attention import needs_attention

    assert _prescribe(clinic, rule="with_therapist").status_code == 302
    steps = _session_and_check_in(clinic, "isometric_heel_dig")
    (step,) = [s for s in steps if s.family == "hamstring_isometric"]
    assert (step.action, step.to_level, step.reason) == ("hold", 2, "with_therapist")
    items = needs_attention(clinic.therapist.user)
    assert [(i.kind, i.alert_kind, i.urgency) for i in items] == [("alert", "ready", "routine")]
    assert not OutgoingMessage.objects.filter(kind="alert").exists()  # routine: no e-mail


def test_stop_add_and_give_back(clinic: Clinic) -> None:
    url = f"/clinic/patients/{clinic.patient.pk}/program/"
    therapist = clinic.client("therapist")
    stop = therapist.post(url, _form("walking", "stop", reason="Rest from walking for now."))
    assert stop.status_code == 302
    care = program_for(clinic.assessment)
    assert care.item_for("walking") is None and [p.family for p in care.stopped] == ["walking"]
    page = clinic.client("patient").get(f"/care/{clinic.assessment.pk}/program/").content.decode()
    assert "Stopped by your physiotherapist" in page and "Rest from walking for now." in page
    add = therapist.post(url, {**_form("", "figure_four_stretch"), "action": "add"})
    assert add.status_code == 302
    assert program_for(clinic.assessment).item_for("piriformis_stretch") is not None
    back = therapist.post(url, {"action": "reset", "family": "walking", "reason": "Walk again."})
    assert back.status_code == 302
    assert program_for(clinic.assessment).item_for("walking") is not None


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"reason": ""}, "reason", "Write the reason for the change."),
        ({"dosage_sets": "99"}, "dosage.sets", "from 1 to 10"),
        ({"dosage_minutes": "5"}, "dosage.minutes", "Not part of this exercise"),
        ({"dosage_reps": "ten"}, "dosage.reps", "Enter a whole number"),
        ({"exercise": "walking_programme"}, "exercise_id", "Choose an exercise of this kind"),
        ({"rule": "sometimes"}, "rule", "Choose how the exercise may progress."),
    ],
)
def test_bad_input_is_refused_field_by_field_and_nothing_is_lost(
    clinic: Clinic, extra: dict[str, str], field: str, message: str
) -> None:
    response = _prescribe(clinic, note="Keep this note", **extra)
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body, body[:3000]
    assert "Nothing was changed" in body and "Keep this note" in body
    assert not PrescribedExercise.objects.exists()
    assert not OutgoingMessage.objects.filter(kind="program").exists()


def test_control_characters_in_the_reason_are_refused(clinic: Clinic) -> None:
    from rehabit.clinic.errors import FieldErrors
    from rehabit.clinic.prescribing import clean_reason

    with pytest.raises(FieldErrors) as caught:
        clean_reason("Hold\x1b[31m here")
    assert caught.value.errors["reason"] == [
        "“reason for the change” contains a character that cannot be stored (U+001B, a "
        "control character) at position 5. Remove it and send again."
    ]
    assert clean_reason("Hold \u202ehere\u202c") == "Hold here"  # invisible controls dropped


def test_only_a_therapist_with_relationship_and_consent_prescribes(clinic: Clinic) -> None:
    url = f"/clinic/patients/{clinic.patient.pk}/program/"
    for who in ("unshared", "stranger", "patient", "other_patient"):
        response = clinic.client(who).post(url, _form("walking", "stop"))
        assert response.status_code == 404, who
    assert not PrescribedExercise.objects.exists()
    # Withdrawing the share closes it at once.
    from rehabit.accounts.consent import set_sharing

    set_sharing(clinic.patient, clinic.therapist.user, False, source="test")
    assert clinic.client("therapist").get(url).status_code == 404


def test_a_withheld_program_cannot_be_reopened(clinic: Clinic) -> None:
    from rehabit.assessments.models import Assessment

    urgent = make_assessment("emergency", owner=clinic.patient)
    Assessment.objects.filter(pk=urgent.pk).update(created_at=timezone.now())
    page = clinic.client("therapist").get(f"/clinic/patients/{clinic.patient.pk}/program/")
    assert page.status_code == 200 and 'id="withheld"' in page.content.decode()
    response = _prescribe(clinic)
    assert response.status_code == 302
    assert not PrescribedExercise.objects.exists()


def test_the_api_reads_and_replaces_the_prescription(clinic: Clinic) -> None:
    url = f"/api/v1/patients/{clinic.patient.pk}/prescription"
    api = clinic.client("therapist")
    before = api.get(url).json()
    assert before["prescribable"] and before["assessment_id"] == str(clinic.assessment.pk)
    body = {
        "items": [
            {"family": "hamstring_isometric", "exercise_id": "isometric_bridge_hold",
             "dosage": {"reps": 3}, "rule": "with_therapist", "note": "Slowly."},
            {"family": "walking", "exercise_id": None},
        ],
        "reason": "After our video session today.",
    }  # fmt: skip
    put = api.put(url, json.dumps(body), content_type="application/json")
    assert put.status_code == 200, put.content
    out = put.json()
    item = next(i for i in out["items"] if i["family"] == "hamstring_isometric")
    assert (item["exercise_id"], item["level"], item["rule"]) == ("isometric_bridge_hold", 3,
                                                                   "with_therapist")  # fmt: skip
    assert item["dosage"]["reps"] == 3 and item["prescription"]["note"] == "Slowly."
    assert [s["family"] for s in out["stopped"]] == ["walking"]
    # PUT replaces: a family no longer listed goes back to the automatic program.
    body["items"] = body["items"][:1]
    again = api.put(url, json.dumps(body), content_type="application/json").json()
    assert again["stopped"] == [] and any(i["family"] == "walking" for i in again["items"])
    wrong = [{"family": "walking", "exercise_id": "glute_bridge"}]
    bad = api.put(
        url,
        json.dumps({"items": wrong, "reason": "-"}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "payload", "items", "0", "exercise_id"]
    unshared = clinic.client("unshared").get(url)
    assert unshared.status_code == 404
    assert clinic.client("patient").get(url).status_code == 404


def test_the_api_does_not_tell_which_account_numbers_are_patients(clinic: Clinic) -> None:
    # Any therapist may call it: a patient they have no session with (or who does not
    # share with them) gets the answer an unknown number gets, on reading and on writing.
    stranger = clinic.client("stranger")
    body = json.dumps({"items": [], "reason": "Back to the automatic program."})
    for patient_id in (clinic.patient.pk, clinic.other_patient.pk + 1000):
        url = f"/api/v1/patients/{patient_id}/prescription"
        read, write = (
            stranger.get(url),
            stranger.put(url, body, content_type="application/json"),
        )
        assert (read.status_code, write.status_code) == (404, 404)
        assert (
            read.json()
            == write.json()
            == {"detail": "No such patient (or no session with you and no share of their record)."}
        )
    assert (
        clinic.client("unshared").get(f"/api/v1/patients/{clinic.patient.pk}/prescription").json()
        == stranger.get(f"/api/v1/patients/{clinic.other_patient.pk + 1000}/prescription").json()
    )


def test_the_prescription_endpoints_are_in_the_openapi_document(clinic: Clinic) -> None:
    from django.test import Client

    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert {"get", "put"} <= set(paths["/api/v1/patients/{patient_id}/prescription"])
    for path in ("/api/v1/messages/threads", "/api/v1/messages/threads/{thread_id}",
                 "/api/v1/messages/threads/{thread_id}/messages",
                 "/api/v1/messages/threads/{thread_id}/read", "/api/v1/alerts",
                 "/api/v1/alerts/{alert_id}/acknowledge", "/api/v1/attention",
                 "/api/v1/appointments/{appointment_id}/attendance"):  # fmt: skip
        assert path in paths, path


def test_the_program_page_and_the_api_explain_with_the_sessions_the_patient_logged(
    clinic: Clinic,
) -> None:
    """The therapist reads the patient's own explanation, never "no session is logged
    yet" above a session the patient logged."""
    program = program_for(clinic.assessment)
    every = [i.exercise.id for i in program.items]
    data = session_data(program, exercise_ids=every)
    log_session(clinic.assessment, data, now=timezone.now() - timedelta(hours=2))
    item = program_for(clinic.assessment).items[0]
    with timezone.override(clinic.therapist.time_zone):  # the therapist's pages' zone
        patient_sees = explain_item(item, list(sessions_of(clinic.assessment)))
    assert "No session is logged yet" not in patient_sees
    therapist = clinic.client("therapist")
    page = html.unescape(
        therapist.get(f"/clinic/patients/{clinic.patient.pk}/program/").content.decode()
    )
    assert patient_sees in page and "No session is logged yet" not in page
    # Said as the patient's words: it speaks to the patient ("You have logged ..."), and a
    # phone walk read it on the therapist's page as addressed to the therapist.
    assert f"The patient reads: “{patient_sees}”" in page
    api = therapist.get(f"/api/v1/patients/{clinic.patient.pk}/prescription").json()
    progress = next(i["progress"] for i in api["items"] if i["family"] == item.family)
    assert progress == patient_sees


def test_a_change_refused_lists_each_problem_linked_to_its_field(clinic: Clinic) -> None:
    """The summary said "Nothing was changed. Please correct the fields below." and named
    nothing (phone walk 6)."""
    import re

    response = _prescribe(clinic, reason="")
    assert response.status_code == 422
    page = response.content.decode()
    summary = page[page.index('class="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert links, summary
    anchor, message = links[0]
    assert anchor.endswith("-reason") and f'id="{anchor}"' in page
    assert html.unescape(message).strip() in html.unescape(page.split(summary)[1])
    assert 'aria-invalid="true"' in page
