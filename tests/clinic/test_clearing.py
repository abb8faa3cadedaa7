"""A program withheld for safety opens to the therapist's prescription once they record
that a clinician examined the patient and found exercise safe (SQLite and PostgreSQL)."""

from __future__ import annotations

import html
import json
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from rehabit.accounts.data_rights import build_export, import_personal_data
from rehabit.accounts.erasure import erase_account
from rehabit.assessments.models import Assessment
from rehabit.audit.models import AuditEntry
from rehabit.care.models import Clearance, PrescribedExercise
from rehabit.care.programs import program_for
from rehabit.clinic.clearing import first_day
from rehabit.core.timefmt import format_day
from tests.care.helpers import make_assessment
from tests.clinic.support import Clinic

pytestmark = pytest.mark.django_db

FINDING = "Ultrasound of the right leg showed no clot; a calf muscle strain."


def _withheld(clinic: Clinic, level: str = "urgent") -> Any:
    """The patient's latest assessment now withholds the program."""
    found = make_assessment(level, owner=clinic.patient)
    Assessment.objects.filter(pk=found.pk).update(created_at=timezone.now())
    found.refresh_from_db()
    return found


def _url(clinic: Clinic) -> str:
    return f"/clinic/patients/{clinic.patient.pk}/program/"


def _today(clinic: Clinic) -> date:
    """Today in the therapist's zone, as the page offers it (the date input's maximum)."""
    page = clinic.client("therapist").get(_url(clinic)).content.decode()
    found = re.search(r'id="checked-on" name="checked_on" type="date" max="([0-9-]{10})"', page)
    assert found, "the clearance form is not on the page"
    return date.fromisoformat(found.group(1))


def _form(day: date | str, **extra: Any) -> dict[str, Any]:
    data = {"action": "clear", "checked_by": "Dr Lee, St Mary's emergency department",
            "checked_on": str(day), "finding": FINDING, "confirmed": "on"}  # fmt: skip
    data.update(extra)
    return data


def _prescribe_walking(clinic: Clinic) -> Any:
    return clinic.client("therapist").post(
        _url(clinic),
        {"action": "add", "exercise": "walking_programme", "rule": "automatic", "note": "",
         "reason": "Cleared in the emergency department; start with short walks."},
    )  # fmt: skip


def test_the_program_opens_to_the_therapist_once_the_findings_are_recorded(
    clinic: Clinic,
) -> None:
    assessment = _withheld(clinic)
    therapist = clinic.client("therapist")
    page = html.unescape(therapist.get(_url(clinic)).content.decode())
    assert 'id="withheld"' in page and "Has a clinician examined the patient?" in page
    assert _prescribe_walking(clinic).status_code == 302
    assert not PrescribedExercise.objects.exists()  # still withheld: nothing stored

    response = therapist.post(_url(clinic), _form(_today(clinic)))
    assert response.status_code == 302, response.content.decode()[:2000]
    clearance = Clearance.objects.get(assessment=assessment)
    assert clearance.finding == FINDING and clearance.recorder_name == "Tara Therapist"
    entry = AuditEntry.objects.filter(target_type="clearance").get()
    assert entry.subject_id == clinic.patient.pk and entry.details["change"] == "clearance recorded"

    page = html.unescape(therapist.get(_url(clinic)).content.decode())
    assert 'id="withheld"' not in page and "Examined by a clinician" in page and FINDING in page
    assert "Add the patient's exercises from the library below." in page
    assert program_for(assessment).items == []  # the rules add nothing of their own
    assert _prescribe_walking(clinic).status_code == 302
    care = program_for(assessment)
    assert [i.family for i in care.items] == ["walking"] and not care.suppressed

    patient = clinic.client("patient")
    mine = html.unescape(patient.get(f"/care/{assessment.pk}/program/").content.decode())
    assert "recorded that Dr Lee, St Mary's emergency department examined you" in mine
    assert FINDING in mine and "/exercises/walking_programme/" in mine
    plan = html.unescape(patient.get(f"/care/{assessment.pk}/plan/").content.decode())
    assert FINDING in plan  # the plan keeps its urgent advice, with the clearance beside it
    assert "disposition-urgent" in plan


def test_bad_input_is_refused_field_by_field_and_nothing_is_lost(clinic: Clinic) -> None:
    _withheld(clinic)
    therapist = clinic.client("therapist")
    today = _today(clinic)
    empty = therapist.post(_url(clinic), {"action": "clear"})
    assert empty.status_code == 422
    text = html.unescape(empty.content.decode())
    for message in (
        "Write the name of who examined the patient.",
        "Enter the day of the examination.",
        "Write the finding.",
        "Confirm that you have read the clinician's findings",
    ):
        assert message in text, message
    cases = [
        (_form(today + timedelta(days=1)), "The examination cannot be in the future."),
        (_form("2000-01-01"), "cannot be before the day the pain began"),
        (_form("9999-99-99"), "Give a date as YYYY-MM-DD, for example 2027-03-02."),
        (_form("0001-01-01"), "Give a date from 1900-01-01 to 2199-12-31."),
        (_form(today, finding="x" * 501), "Keep the finding to 500 characters or fewer"),
        (_form(today, confirmed=""), "Confirm that you have read"),
    ]
    for data, message in cases:
        response = therapist.post(_url(clinic), data)
        assert response.status_code == 422, data
        page = html.unescape(response.content.decode())
        assert message in page, message
        assert "Dr Lee, St Mary's emergency department" in page  # what was typed is kept
    # Invisible codes are refused before any view, naming the field (core.inputs).
    nul = therapist.post(_url(clinic), _form("2026-12-03\x00"))
    assert nul.status_code == 400 and "null character" in html.unescape(nul.content.decode())
    bell = therapist.post(_url(clinic), _form(today, finding="No clot\x07"))
    assert bell.status_code == 400
    assert not Clearance.objects.exists()


def test_the_day_the_pain_began_is_named_as_days_are_and_is_itself_accepted(
    clinic: Clinic,
) -> None:
    """The refusal names the day as every page does ("Friday 4 December 2026", not
    2026-12-04) and says what is refused: a day before it, not the day itself."""
    assessment = _withheld(clinic)
    therapist = clinic.client("therapist")
    began = first_day(assessment, _today(clinic))
    assert began is not None
    response = therapist.post(_url(clinic), _form(began - timedelta(days=1)))
    assert response.status_code == 422
    page = html.unescape(response.content.decode())
    assert (
        f"The examination cannot be before the day the pain began ({format_day(began)}, "
        "as the patient told it)"
    ) in page
    assert therapist.post(_url(clinic), _form(began)).status_code == 302
    assert Clearance.objects.get(assessment=assessment).checked_on == began


def test_the_recorded_clearance_lists_what_it_covered_line_by_line(clinic: Clinic) -> None:
    """Each reason is its own sentence: listed as on the form, not joined and closed with
    another full stop ("... or cancer).." it read)."""
    _withheld(clinic)
    therapist = clinic.client("therapist")
    assert therapist.post(_url(clinic), _form(_today(clinic))).status_code == 302
    page = html.unescape(therapist.get(_url(clinic)).content.decode())
    section = page[
        page.index('id="clearance"') : page.index("</section>", page.index('id="clearance"'))
    ]
    covered = section[section.index("It covered:") :]
    items = re.findall(r"<li>(.*?)</li>", covered)
    assert items and all(item.endswith(".") for item in items), covered
    assert ".." not in re.sub(r"<[^>]+>", " ", section)


def test_only_a_therapist_who_may_see_the_record_records_or_withdraws_it(
    clinic: Clinic,
) -> None:
    _withheld(clinic)
    today = _today(clinic)
    for who in ("unshared", "stranger", "patient", "other_patient"):
        assert clinic.client(who).post(_url(clinic), _form(today)).status_code == 404, who
    assert not Clearance.objects.exists()
    api = f"/api/v1/patients/{clinic.patient.pk}/clearance"
    body = json.dumps({**_form(today), "confirmed": True})
    refused = clinic.client("unshared").post(api, body, content_type="application/json")
    assert refused.status_code == 404  # as for an unknown patient
    assert clinic.client("patient").post(
        api, body, content_type="application/json"
    ).status_code in (
        403,
        404,
    )
    assert not Clearance.objects.exists()


def test_nothing_to_clear_when_the_program_is_not_withheld(clinic: Clinic) -> None:
    therapist = clinic.client("therapist")
    page = therapist.get(_url(clinic)).content.decode()
    assert 'id="clearance"' not in page
    response = therapist.post(_url(clinic), _form(timezone.now().date() - timedelta(days=1)))
    assert response.status_code == 302
    assert not Clearance.objects.exists()


def test_a_new_assessment_is_judged_afresh_and_withdrawing_withholds_again(
    clinic: Clinic,
) -> None:
    first = _withheld(clinic)
    therapist = clinic.client("therapist")
    assert therapist.post(_url(clinic), _form(_today(clinic))).status_code == 302
    assert _prescribe_walking(clinic).status_code == 302
    # Withdrawn: a reason is required, then the program is withheld and the prescription paused.
    missing = therapist.post(_url(clinic), {"action": "withdraw_clearance", "reason": ""})
    assert missing.status_code == 422
    assert "Write the reason for withdrawing it." in html.unescape(missing.content.decode())
    withdrawn = therapist.post(
        _url(clinic), {"action": "withdraw_clearance", "reason": "Recorded for the wrong leg."}
    )
    assert withdrawn.status_code == 302
    clearance = Clearance.objects.get(assessment=first)
    assert clearance.withdrawn_at is not None and clearance.withdrawn_reason
    care = program_for(first)
    assert care.items == [] and care.prescription_paused and not care.prescribable
    assert PrescribedExercise.objects.filter(assessment=first).exists()  # kept, paused
    # Recorded again, then a new assessment with warning signs: withheld until cleared anew.
    assert therapist.post(_url(clinic), _form(_today(clinic))).status_code == 302
    assert program_for(first).prescribable
    second = _withheld(clinic, "emergency")
    care = program_for(second)
    assert not care.prescribable and care.clearance is None
    assert 'id="withheld"' in therapist.get(_url(clinic)).content.decode()


def test_the_api_records_shows_and_withdraws_a_clearance(clinic: Clinic) -> None:
    assessment = _withheld(clinic)
    api = clinic.client("therapist")
    base = f"/api/v1/patients/{clinic.patient.pk}"
    before = api.get(f"{base}/prescription").json()
    assert not before["prescribable"] and before["clearance"] is None and before["withheld_by"]
    today = _today(clinic)
    body = {**_form(today), "confirmed": True}
    bad = api.post(
        f"{base}/clearance",
        json.dumps({**body, "checked_on": str(today + timedelta(days=1))}),
        content_type="application/json",
    )
    assert bad.status_code == 422 and "checked_on" in json.dumps(bad.json())
    done = api.post(f"{base}/clearance", json.dumps(body), content_type="application/json")
    assert done.status_code == 200, done.content
    out = done.json()
    assert out["prescribable"] and out["clearance"]["finding"] == FINDING
    assert out["clearance"]["checked_on"] == str(today)
    again = api.post(f"{base}/clearance", json.dumps(body), content_type="application/json")
    assert again.status_code == 409
    put = api.put(
        f"{base}/prescription",
        json.dumps({"items": [{"family": "walking", "exercise_id": "walking_programme"}],
                    "reason": "Short walks."}),
        content_type="application/json",
    )  # fmt: skip
    assert put.status_code == 200 and [i["family"] for i in put.json()["items"]] == ["walking"]
    mine = clinic.client("patient").get(f"/api/v1/assessments/{assessment.pk}/plan")
    assert mine.status_code == 200 and mine.json()["program"]["clearance"]["finding"] == FINDING
    gone = api.post(
        f"{base}/clearance/withdraw",
        json.dumps({"reason": "Wrong patient."}),
        content_type="application/json",
    )
    assert gone.status_code == 200 and not gone.json()["prescribable"]
    twice = api.post(
        f"{base}/clearance/withdraw",
        json.dumps({"reason": "Wrong patient."}),
        content_type="application/json",
    )
    assert twice.status_code == 409


def test_the_clearance_endpoints_are_in_the_openapi_document(clinic: Clinic) -> None:
    from django.test import Client

    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/patients/{patient_id}/clearance"]
    assert "post" in paths["/api/v1/patients/{patient_id}/clearance/withdraw"]


def test_a_clearance_is_exported_erased_and_imported_back(clinic: Clinic) -> None:
    _withheld(clinic)
    therapist = clinic.client("therapist")
    assert therapist.post(_url(clinic), _form(_today(clinic))).status_code == 302
    first = build_export(clinic.patient)
    (clearance,) = first["care"]["clearances"]
    assert clearance["finding"] == FINDING and clearance["withdrawn_at"] is None
    erase_account(clinic.patient)
    assert not Clearance.objects.exists()
    user = import_personal_data(json.loads(json.dumps(first)))
    again = build_export(user)
    assert again["care"]["clearances"] == first["care"]["clearances"]


def test_the_causes_to_rule_out_are_named_beside_the_warning_signs(clinic: Clinic) -> None:
    """The therapist checks the clinician's findings against what the result pointed to:
    the warning signs, the causes a fired sign links, and a serious cause likely enough to
    set its floor; not an ordinary likely cause."""
    from rehabit.care.presenters import tr
    from rehabit.clinical.conditions import load_conditions

    names = load_conditions()
    api = clinic.client("therapist")
    url = f"/api/v1/patients/{clinic.patient.pk}/prescription"
    emergency = _withheld(clinic, "emergency")
    linked = [c["id"] for c in emergency.result["causes"] if c["red_flag"]]
    assert linked and emergency.result["red_flags"]
    listed = api.get(url).json()["withheld_by"]
    for cid in linked:
        assert f"To rule out: {tr(names[cid].name)}." in listed, (cid, listed)
    for flag in emergency.result["red_flags"]:
        assert tr(flag["label"]) in listed
    page = html.unescape(api.get(_url(clinic)).content.decode())
    assert f"To rule out: {tr(names[linked[0]].name)}." in page

    urgent = _withheld(clinic, "urgent")  # the latest now
    causes = {c["id"]: c for c in urgent.result["causes"]}
    floored = [cid for cid, c in causes.items() if names[cid].serious and any(
        c["probability"] >= t for _, t in names[cid].floors)]  # fmt: skip
    ordinary = [cid for cid, c in causes.items() if not names[cid].serious and not c["red_flag"]]
    assert floored and ordinary
    listed = api.get(url).json()["withheld_by"]
    for cid in floored:
        assert f"To rule out: {tr(names[cid].name)}." in listed, (cid, listed)
    for cid in ordinary:
        assert f"To rule out: {tr(names[cid].name)}." not in listed, cid
