"""Data rights: download everything as one JSON file, import it again without losing
anything, and erase the account leaving no personal data behind."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from rehabit.accounts.consent import set_sharing
from rehabit.accounts.data_rights import (
    FORMAT_VERSION,
    DataImportError,
    build_export,
    import_personal_data,
)
from rehabit.accounts.erasure import erase_account
from rehabit.accounts.models import Profile
from rehabit.assessments.models import Assessment
from rehabit.audit.models import AuditAction, AuditEntry
from rehabit.care.programs import program_for
from rehabit.care.services import log_session
from tests.accounts.helpers import assessment_for, login, make_user
from tests.booking.support import book, free_start, make_therapist
from tests.care.helpers import session_data

pytestmark = pytest.mark.django_db

NAME = "Zebulon Quintavious-Marchetti"
EMAIL = "zq.marchetti@example.org"


@pytest.fixture
def person(db: Any) -> Any:
    user = make_user(EMAIL, name=NAME)
    Profile.objects.filter(user=user).update(phone="+4915112345678", date_of_birth="1979-04-03")
    assessment_for(user)
    assessment = assessment_for(user)
    # An exercise log and an appointment, so the round trip covers every app's data.
    log_session(assessment, session_data(program_for(assessment)))
    therapist = make_therapist("Export Therapist")
    book(user, therapist, free_start(therapist, after=timedelta(days=3)))
    set_sharing(user, therapist.user, True)
    return user


def download(client: Client) -> dict[str, Any]:
    """The export, after giving the password again (an open session is not enough)."""
    from tests.accounts.helpers import PASSWORD

    asked = client.post("/account/data/export/")
    assert asked.status_code == 302
    assert asked["Location"] == "/account/reauthenticate/?next=%2Faccount%2Fdata%2Fexport%2F"
    # The password given, allauth resumes the export the person asked for.
    response = client.post(asked["Location"], {"password": PASSWORD})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment;" in response["Content-Disposition"]
    return json.loads(response.content)


def test_export_holds_everything_about_the_person_and_nobody_else(
    person: Any, other_patient: Any
) -> None:
    assessment_for(other_patient)
    data = download(login(Client(), person))
    assert data["format_version"] == FORMAT_VERSION
    assert data["account"]["email"] == EMAIL
    assert data["profile"]["full_name"] == NAME
    assert data["profile"]["date_of_birth"] == "1979-04-03"
    assert {c["purpose"] for c in data["consents"]} == {"terms", "privacy", "share_with_therapist"}
    assert len(data["assessments"]) == 2
    assert len(data["appointments"]) == 1
    assert len(data["care"]["exercise_sessions"]) == 1
    assert data["appointments"][0]["therapist"] == "Export Therapist"
    assert {a["id"] for a in data["assessments"]} == {
        str(pk) for pk in Assessment.objects.filter(owner=person).values_list("pk", flat=True)
    }
    actions = [e["action"] for e in data["audit"]]
    assert actions.count(AuditAction.DATA_EXPORTED) == 1, "the export lists itself"
    text = json.dumps(data)
    assert other_patient.email not in text and "Oscar" not in text
    for secret in ("password", "secret", "recovery"):
        assert secret not in json.dumps(data["account"]).lower()


def test_export_needs_post_with_csrf(person: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    login(client, person)
    assert client.get("/account/data/export/").status_code == 405
    assert client.post("/account/data/export/").status_code == 403


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in {"exported_at", "audit"}}


def test_export_erase_import_round_trip_loses_nothing(person: Any) -> None:
    first = build_export(person)
    erase_account(person)
    user = import_personal_data(json.loads(json.dumps(first)))
    second = build_export(user)
    assert _comparable(second) == _comparable(first)
    # Every audit entry of the first export is back, unchanged; the only new ones are
    # the erasure (which cancelled the upcoming session first) and the import.
    by_id = {e["id"]: e for e in second["audit"]}
    for entry in first["audit"]:
        assert by_id[entry["id"]] == entry
    extra = {
        e["action"] for e in second["audit"] if e["id"] not in {x["id"] for x in first["audit"]}
    }
    assert extra == {AuditAction.ACCOUNT_DELETED, "booking.cancelled", AuditAction.DATA_IMPORTED}


def test_import_into_an_empty_database_by_command(person: Any, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    call_command("export_personal_data", EMAIL, output=str(path))
    first = json.loads(path.read_text(encoding="utf-8"))
    erase_account(person)
    # Without the surviving audit rows, the import restores them from the file.
    call_command("import_personal_data", str(path))
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(email=EMAIL)
    second = build_export(user)
    assert _comparable(second) == _comparable(first)
    assert {e["id"] for e in first["audit"]} <= {e["id"] for e in second["audit"]}


def test_import_refuses_bad_files_clearly(person: Any) -> None:
    data = build_export(person)
    with pytest.raises(DataImportError, match="already exists"):
        import_personal_data(data)
    with pytest.raises(DataImportError, match="format_version 99"):
        import_personal_data({**data, "format_version": 99})
    with pytest.raises(DataImportError, match="not a Rehabit"):
        import_personal_data({"hello": "world"})


def all_text_in_database() -> list[tuple[str, str, str]]:
    """Every (table, column, value) of every table, as text."""
    rows = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            cursor.execute(f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)}")  # noqa: S608
            for record in cursor.fetchall():
                for column, value in zip(columns, record, strict=True):
                    if value is not None:
                        text = (
                            value.decode(errors="ignore")
                            if isinstance(value, bytes | memoryview)
                            and not isinstance(value, memoryview)
                            else str(value)
                        )
                        rows.append((table, column, text))
    return rows


def test_erasure_leaves_no_name_or_email_in_any_table(person: Any) -> None:
    client = login(Client(), person)
    download(client)  # leaves audit entries and a session behind, like real use
    client.get("/account/")
    user_id = person.pk
    person_assessments = list(Assessment.objects.filter(owner=person).values_list("pk", flat=True))
    hits_before = [r for r in all_text_in_database() if NAME in r[2] or EMAIL in r[2]]
    assert hits_before, "the search must find the person before erasure"

    erase_account(person)

    needles = (NAME, EMAIL, EMAIL.split("@")[0], "Zebulon", "Marchetti", "+4915112345678")
    hits = [r for r in all_text_in_database() if any(n.lower() in r[2].lower() for n in needles)]
    assert not hits, hits
    assert not Assessment.objects.filter(pk__in=person_assessments).exists()
    from django.contrib.sessions.models import Session

    assert not [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user_id)
    ], "the person's sessions are gone"
    # The audit trail stays, under the pseudonymous id only.
    kept = AuditEntry.objects.filter(subject_id=user_id)
    assert kept.filter(action=AuditAction.ACCOUNT_DELETED).count() == 1
    assert kept.filter(action=AuditAction.DATA_EXPORTED).count() == 1


def test_delete_page_needs_reauthentication_and_confirmation(person: Any) -> None:
    from tests.accounts.helpers import PASSWORD

    client = login(Client(), person)
    response = client.get("/account/data/delete/")
    assert response["Location"].startswith("/account/reauthenticate/")
    client.post(response["Location"], {"password": PASSWORD})
    response = client.post("/account/data/delete/", {})
    assert response.status_code == 422
    assert "Tick the box" in response.content.decode()
    response = client.post("/account/data/delete/", {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == "/"
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(email=EMAIL).exists()
    assert client.get("/account/").status_code == 302


def test_staff_cannot_erase_their_own_account_here(therapist: Any) -> None:
    response = login(Client(), therapist, mfa=True).get("/account/data/delete/")
    assert response.status_code == 302


def test_the_export_names_nobody_else_in_the_audit_trail(person: Any) -> None:
    """Security finding 6: other people's ids, addresses and browsers stay out of the
    export; of another person's action on the record only their role and the time."""
    from rehabit.booking.models import Therapist

    therapist = Therapist.objects.get(name="Export Therapist").user
    staff = login(Client(), therapist, mfa=True)
    browser = "Mozilla/5.0 (X11; Linux x86_64) TherapistBrowser/99.1"
    assert (
        staff.get(
            f"/staff/patients/{person.pk}/",
            headers={"user-agent": browser},
            REMOTE_ADDR="203.0.113.77",
        ).status_code
        == 200
    )
    data = download(login(Client(), person))
    viewed = [e for e in data["audit"] if e["action"] == AuditAction.RECORD_VIEWED]
    assert len(viewed) == 1
    entry = viewed[0]
    assert entry["actor"] == {"you": False, "role": "therapist"}
    assert entry["event_time"] and entry["about_you"] is True
    text = json.dumps(data["audit"])
    assert browser not in text and "TherapistBrowser" not in text
    assert "203.0.113" not in text

    def ids_in(value: Any) -> list[Any]:
        if isinstance(value, dict):
            found = [v for k, v in value.items() if k == "id" or k.endswith("_id")]
            return found + [i for v in value.values() for i in ids_in(v)]
        if isinstance(value, list):
            return [i for v in value for i in ids_in(v)]
        return []

    for e in data["audit"]:
        assert not {"ip_network", "ip_hash", "user_agent", "subject"} & set(e), e
        # The entry's own id and the id of the person's own object are all the ids left.
        assert ids_in({k: v for k, v in e.items() if k not in {"id", "target_id"}}) == [], e
    # The therapist's own export says what they did, not to whom.
    theirs = build_export(therapist)
    for e in theirs["audit"]:
        own = {"id", "target_id"} if e["about_you"] else {"id"}
        assert ids_in({k: v for k, v in e.items() if k not in own}) == [], e
    their_view = [e for e in theirs["audit"] if e["action"] == AuditAction.RECORD_VIEWED]
    assert their_view and their_view[0]["about_you"] is False
    assert "target_id" not in their_view[0] and "details" not in their_view[0]


def test_an_open_session_alone_can_neither_export_the_record_nor_change_the_address(
    person: Any, mailbox: Any
) -> None:
    """Someone at a computer where the patient is still signed in (security review 2,
    finding 2): the record and the address, where password resets go, need the password."""
    from allauth.account.models import EmailAddress

    from tests.accounts.helpers import PASSWORD

    client = login(Client(), person)
    export = client.post("/account/data/export/")
    assert export.status_code == 302 and "reauthenticate" in export["Location"]
    added = client.post("/account/email/", {"action_add": "", "email": "thief@evil.example"})
    assert added.status_code == 302 and "reauthenticate" in added["Location"]
    assert not EmailAddress.objects.filter(email="thief@evil.example").exists()
    assert not mailbox.to("thief@evil.example")
    wrong = client.post("/account/reauthenticate/", {"password": "not the password"})
    assert wrong.status_code == 200
    assert client.post("/account/data/export/").status_code == 302
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    assert client.post("/account/data/export/").status_code == 200
