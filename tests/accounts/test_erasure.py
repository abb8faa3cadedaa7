"""Erasing an account finds everything the person created (security finding 2): one of
everything a person can make, then the real delete page, then a search of every table."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress, EmailConfirmation
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.utils import timezone

from rehabit.accounts.consent import set_sharing
from rehabit.accounts.models import ConsentEvent, Profile
from rehabit.assessments.claims import SESSION_KEY
from rehabit.assessments.models import Assessment
from rehabit.assessments.services import record_assessment
from rehabit.audit.models import AuditEntry
from rehabit.booking import feeds, waitlist
from rehabit.booking.models import Appointment
from tests.accounts.helpers import PASSWORD, TOTP_SECRET, make_user, valid_answers
from tests.booking.support import FIRST, book, free_start, make_patient, make_therapist

pytestmark = pytest.mark.django_db

NAME = "Quirinus Vandersloot-Ekwueme"
EMAIL = "q.vandersloot@example.org"
SECOND_EMAIL = "quirinus.second@example.net"
PHONE = "+4930901820"
NOTE = "left hamstring twinged on the third set"


def _text(value: Any) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode(errors="ignore")
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)


def every_row() -> list[tuple[str, dict[str, Any]]]:
    """(table, {column: value}) for every row of every table in the database."""
    quote = connection.ops.quote_name
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            cursor.execute(f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)}")  # noqa: S608
            rows += [(table, dict(zip(columns, r, strict=True))) for r in cursor.fetchall()]
    return rows


def user_columns() -> dict[str, list[str]]:
    """Per table, the columns that are foreign keys to the account table."""
    users = get_user_model()._meta.db_table
    found: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            relations = connection.introspection.get_relations(cursor, table)
            found[table] = [c for c, (_col, target) in relations.items() if target == users]
    return found


@pytest.fixture
def everything(django_capture_on_commit_callbacks: Any) -> dict[str, Any]:
    """A person who has done one of everything Rehabit lets a person do."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    from rehabit.booking import idempotency
    from rehabit.care.programs import medication_questions, program_for
    from rehabit.care.services import check_in, log_session, save_medication_answers
    from tests.care.helpers import session_data

    person = make_user(EMAIL, name=NAME)
    Profile.objects.filter(user=person).update(phone=PHONE, date_of_birth="1981-02-03")
    second = EmailAddress.objects.create(user=person, email=SECOND_EMAIL, primary=False)
    EmailConfirmation.create(second)
    # Signed in through the real sign-in form (an allauth user session, a Django session).
    client = Client()
    assert client.post("/account/login/", {"login": EMAIL, "password": PASSWORD}).status_code == 302
    TOTP.activate(person, TOTP_SECRET)
    RecoveryCodes.activate(person)

    # Assessments: one done signed in (owned from the first write), with a whole exercise
    # log; and one this browser did without an account that nobody has claimed (listed in
    # the signed-in session, waiting for "Is this yours?": perhaps someone else's).
    owned = record_assessment(valid_answers(), owner=person)
    waiting = record_assessment(valid_answers())
    session = client.session
    session[SESSION_KEY] = [str(waiting.pk)]
    session.save()
    program = program_for(owned)
    logged, _ = log_session(owned, session_data(program, note=NOTE), idempotency_key="k-1")
    check_in(
        owned,
        logged.pk,
        {"next_morning": "better", "settled_within_24h": "yes"},
        now=timezone.now() + timedelta(days=2),
    )
    answers = {q.id: "no" for q in medication_questions(owned)}
    if answers:
        save_medication_answers(owned, answers)

    # Booking: sessions inside and outside the change window, a past one, a moved one,
    # a waitlist entry, an offer, an idempotency key, a calendar feed, a share.
    tara = make_therapist("Tara Therapist")
    sid = make_therapist("Sid Second")
    with django_capture_on_commit_callbacks(execute=True):
        soon = book(person, tara, free_start(tara, after=timedelta(hours=3)))
        later = book(person, sid, free_start(sid, after=timedelta(days=6)))
        moved_from = book(person, sid, free_start(sid, after=timedelta(days=8)))
    from rehabit.booking import services

    with django_capture_on_commit_callbacks(execute=True):
        moved = services.reschedule(
            moved_from.pk, actor=person, start=free_start(sid, after=timedelta(days=12))
        )
    set_sharing(person, tara.user, True)
    set_sharing(person, sid.user, False)
    entry = waitlist.join(
        patient=person,
        therapist=sid,
        specialty="",
        kind=FIRST,
        wanted_before=later.start,
        appointment=later,
    )
    wendy = make_patient("wendy@example.org", "Wendy Waits")
    freed = book(wendy, sid, free_start(sid, after=timedelta(days=3)))
    services.cancel(freed.pk, actor=wendy)  # offers the time to the person's entry
    feeds.create(person)
    idempotency.run(
        person,
        "web:person-key",
        idempotency.fingerprint("POST", "/x", {"who": EMAIL}),
        lambda: idempotency.Outcome(201, {"email": EMAIL, "name": NAME}),
    )
    # An admin's change of the person's account is in the admin's history.
    admin_user = make_user("ada@example.org", role="admin", totp_secret=TOTP_SECRET)
    LogEntry.objects.log_actions(
        admin_user.pk, [person], CHANGE, change_message="changed name", single_object=True
    )
    return {
        "person": person,
        "client": client,
        "assessments": [str(owned.pk)],
        "waiting": str(waiting.pk),
        "appointments": [str(a.pk) for a in (soon, later, moved_from, moved)],
        "entry": entry,
        "therapists": (tara, sid),
    }


def test_erasure_finds_everything_the_person_created(everything: dict[str, Any]) -> None:
    person = everything["person"]
    user_id = person.pk
    session_keys = [
        s.session_key
        for s in Session.objects.all()
        if s.get_decoded().get("_auth_user_id") == str(user_id)
    ]
    assert session_keys, "the person is signed in"
    ids = everything["assessments"] + everything["appointments"]
    needles = [NAME, EMAIL, SECOND_EMAIL, PHONE, NOTE, "Vandersloot", "Quirinus", "person-key"]
    needles += ids + [i.replace("-", "") for i in ids]

    def hits() -> list[tuple[str, str, str]]:
        found = []
        for table, row in every_row():
            for column, value in row.items():
                if value is None:
                    continue
                text = _text(value).lower()
                for needle in needles:
                    if needle.lower() in text:
                        # The audit trail keeps pseudonymous numbers for its retention
                        # period: record ids, never a name, address or words.
                        pseudonymous = needle in ids or needle.replace("-", "") in ids
                        if pseudonymous and table == AuditEntry._meta.db_table:
                            continue
                        # The therapist's cancellation notice carries the calendar UID
                        # their calendar holds, until it is sent.
                        if pseudonymous and row.get("kind") == "account_closed":
                            continue
                        found.append((table, column, needle))
        return found

    before = hits()
    found_tables = {t for t, _c, _n in before}
    for table in (
        "accounts_profile",
        "account_emailaddress",
        "assessments_assessment",
        "care_exercisesession",
        "booking_appointment",
        "booking_idempotencykey",
    ):
        assert table in found_tables, f"the search must see {table} before erasure"
    assert ConsentEvent.objects.filter(user=person).exists()

    client = everything["client"]
    client.post(client.get("/account/data/delete/")["Location"], {"password": PASSWORD})
    response = client.post("/account/data/delete/", {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == "/"

    left = hits()
    assert left == []
    # No foreign key anywhere still points at the account.
    columns = user_columns()
    for table, row in every_row():
        for column in columns.get(table, []):
            assert row[column] != user_id, (table, column)
    # No session is signed in as the person or lists their assessments.
    for session in Session.objects.all():
        data = session.get_decoded()
        assert data.get("_auth_user_id") != str(user_id)
        assert not set(map(str, data.get(SESSION_KEY, []))) & set(everything["assessments"])
    assert not Session.objects.filter(session_key__in=session_keys).exists()
    # Nothing queued still names the person's appointments or the person.
    from django_tasks_db.models import DBTaskResult

    for task in DBTaskResult.objects.all():
        args = task.args_kwargs["args"]
        if task.task_path.endswith("send_notice"):
            assert args[2] != user_id and args[3] != user_id, task.args_kwargs
    # The admin's history of the account is blanked.
    history = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(get_user_model()),
        object_id=str(user_id),
    )
    assert [(e.object_repr, e.change_message) for e in history] == [("[erased]", "")]
    # What stays: the audit trail under the pseudonymous id, the other people's rows.
    assert AuditEntry.objects.filter(subject_id=user_id, action="account.deleted").exists()
    tara, sid = everything["therapists"]
    assert get_user_model().objects.filter(pk__in=[tara.user_id, sid.user_id]).count() == 2
    assert Appointment.objects.filter(patient__email="wendy@example.org").exists()
    assert not Assessment.objects.filter(pk__in=everything["assessments"]).exists()
    # The check nobody claimed is not the person's to erase: it stays without an owner,
    # listed in no session, until the retention rule erases it.
    assert Assessment.objects.filter(pk=everything["waiting"], owner__isnull=True).exists()
    for session in Session.objects.all():
        assert everything["waiting"] not in map(str, session.get_decoded().get(SESSION_KEY, []))
    # Each therapist of a cancelled session has a notice waiting in the outbox (found by
    # the search above to name nobody), not linked to the erased person.
    from rehabit.mail.models import OutgoingMessage

    notices = OutgoingMessage.objects.filter(kind="account_closed")
    assert sorted(notices.values_list("to", flat=True)) == sorted(
        [tara.user.email, sid.user.email, sid.user.email]
    )
