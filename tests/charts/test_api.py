"""The patients and clinical notes API: the same rules as the pages, in the OpenAPI
document, with 403/404 for anyone without the relationship and consent, 409 for a signed or
stale note and 422 located per field."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from rehabit.audit.models import AuditEntry
from rehabit.charts.models import ClinicalNote
from rehabit.clinical.upgrade import CURRENT
from tests.charts.support import PATIENT_NOTE, logged_with_check_in
from tests.clinic.support import Clinic, start_session

pytestmark = pytest.mark.django_db


def _send(client: Client, method: str, url: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_the_documented_endpoints() -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert "get" in paths["/api/v1/patients"]
    assert "get" in paths["/api/v1/patients/{patient_id}/chart"]
    assert {"get", "post"} <= set(paths["/api/v1/patients/{patient_id}/notes"])
    assert {"get", "patch"} <= set(paths["/api/v1/patients/{patient_id}/notes/{note_id}"])
    assert "post" in paths["/api/v1/patients/{patient_id}/notes/{note_id}/sign"]
    assert "post" in paths["/api/v1/patients/{patient_id}/notes/{note_id}/addenda"]


def test_list_and_chart(clinic: Clinic) -> None:
    _session, item, _sign = logged_with_check_in(clinic.assessment)
    client = clinic.client("therapist")
    listed = client.get("/api/v1/patients").json()
    assert [p["id"] for p in listed["patients"]] == [clinic.patient.pk]
    assert listed["patients"][0]["next_session"].endswith("+00:00")
    assert clinic.client("unshared").get("/api/v1/patients").json() == {
        "patients": [],
        "not_sharing": 1,
    }
    assert clinic.client("patient").get("/api/v1/patients").status_code == 403
    assert Client().get("/api/v1/patients").status_code == 403

    chart = client.get(f"/api/v1/patients/{clinic.patient.pk}/chart").json()
    assert chart["assessment_id"] == str(clinic.assessment.pk)
    assert chart["intake"]["narrative"][0].startswith("31-year-old woman")
    assert chart["intake"]["questionnaire_version"] == CURRENT
    assert {s["status"] for s in chart["intake"]["screening"]} <= {
        "yes",
        "no",
        "not_sure",
        "not_asked",
    }
    assert chart["log"][0]["note"] == PATIENT_NOTE
    assert chart["log"][0]["exercises"][0]["level"] == 1
    assert chart["log"][0]["next_morning"] == "worse" and chart["log"][0]["warning_signs"]
    assert chart["program"][0]["family"] == item.family
    assert (
        AuditEntry.objects.filter(
            action="record.viewed", subject_id=clinic.patient.pk, target_type="assessment"
        ).count()
        == 1
    )
    for who in ("unshared", "stranger"):
        assert (
            clinic.client(who).get(f"/api/v1/patients/{clinic.patient.pk}/chart").status_code == 404
        )
    assert client.get("/api/v1/patients/999999/chart").status_code == 404


def test_a_note_through_the_api(clinic: Clinic) -> None:
    client = clinic.client("therapist")
    start_session(clinic.appointment)  # a note about a session is signed once it started
    base = f"/api/v1/patients/{clinic.patient.pk}/notes"
    created = _send(
        client,
        "post",
        base,
        {"kind": "first_assessment", "appointment_id": str(clinic.appointment.pk)},
    )
    assert created.status_code == 201, created.content
    note = created.json()
    assert note["status"] == "draft" and note["revision"] == 1
    assert note["subjective"].startswith("Online intake (")
    url = f"{base}/{note['id']}"

    bad = _send(client, "patch", url, {"revision": 1, "exam": {"gait": "flying", "nope": "x"}})
    assert bad.status_code == 422
    locs = {tuple(d["loc"]) for d in bad.json()["detail"]}
    assert ("body", "payload", "exam.gait") in locs and ("body", "payload", "exam.nope") in locs
    saved = _send(
        client,
        "patch",
        url,
        {
            "revision": 1,
            "assessment": "Strain.",
            "exam": {"gait": "antalgic", "knee_extension_lag": 10},
        },
    )
    assert saved.status_code == 200 and saved.json()["revision"] == 2
    assert saved.json()["exam"] == {"gait": "antalgic", "knee_extension_lag": 10}
    stale = _send(client, "patch", url, {"revision": 1, "plan": "Late."})
    assert stale.status_code == 409 and "changed elsewhere" in stale.json()["detail"]

    unsigned = _send(client, "post", f"{url}/sign", {"revision": 2})
    assert unsigned.status_code == 422
    assert unsigned.json()["errors"]["plan"]
    signed = _send(client, "post", f"{url}/sign", {"revision": 2, "plan": "Isometrics."})
    assert signed.status_code == 200
    assert signed.json()["status"] == "signed" and len(signed.json()["signature"]) == 64
    again = _send(client, "patch", url, {"revision": 3, "plan": "Changed."})
    assert again.status_code == 409
    assert ClinicalNote.objects.get(pk=note["id"]).plan == "Isometrics."

    empty = _send(client, "post", f"{url}/addenda", {"text": ""})
    assert empty.status_code == 422
    added = _send(client, "post", f"{url}/addenda", {"text": "Also: ice after."})
    assert added.status_code == 201
    assert [a["text"] for a in added.json()["addenda"]] == ["Also: ice after."]
    listed = client.get(base).json()
    assert [n["id"] for n in listed["notes"]] == [note["id"]]
    assert {f["id"] for f in listed["exam_fields"]} >= {"slump", "straight_leg_raise", "gait"}


def test_nobody_else_writes_or_reads_notes(clinic: Clinic) -> None:
    client = clinic.client("therapist")
    base = f"/api/v1/patients/{clinic.patient.pk}/notes"
    note = _send(client, "post", base, {"kind": "follow_up"}).json()
    url = f"{base}/{note['id']}"
    for who in ("unshared", "stranger", "patient", "other_patient"):
        other = clinic.client(who)
        assert other.get(url).status_code in {403, 404}, who
        assert _send(other, "patch", url, {"revision": 1, "plan": "X"}).status_code in {403, 404}
        assert _send(
            other, "post", f"{url}/sign", {"revision": 1, "assessment": "A", "plan": "P"}
        ).status_code in {403, 404}
        assert _send(other, "post", base, {"kind": "follow_up"}).status_code in {403, 404}
    assert Client().get(url).status_code == 403
    stored = ClinicalNote.objects.get(pk=note["id"])
    assert stored.plan == "" and not stored.is_signed
    assert ClinicalNote.objects.count() == 1


def test_the_api_refuses_a_cancelled_session_and_signing_before_the_session(
    clinic: Clinic,
) -> None:
    from rehabit.booking import services
    from tests.booking.support import book, free_start

    client = clinic.client("therapist")
    base = f"/api/v1/patients/{clinic.patient.pk}/notes"
    coming = book(clinic.patient, clinic.therapist, free_start(clinic.therapist))
    services.cancel(clinic.appointment.pk, actor=clinic.patient, reason="Better")
    refused = _send(
        client, "post", base, {"kind": "follow_up", "appointment_id": str(clinic.appointment.pk)}
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "payload", "appointment_id"]
    assert "cancelled or moved" in refused.json()["detail"][0]["msg"]
    created = _send(client, "post", base, {"kind": "follow_up", "appointment_id": str(coming.pk)})
    assert created.status_code == 201
    url = f"{base}/{created.json()['id']}/sign"
    early = _send(client, "post", url, {"revision": 1, "assessment": "A.", "plan": "P."})
    assert early.status_code == 409 and "has not started yet" in early.json()["detail"]
    assert not ClinicalNote.objects.get().is_signed
    start_session(coming)
    signed = _send(client, "post", url, {"revision": 1, "assessment": "A.", "plan": "P."})
    assert signed.status_code == 200 and signed.json()["status"] == "signed"
