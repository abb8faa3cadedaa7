"""Data migrations of the security findings, run on the real database: migrate back to
just before, write rows as the old code did (historical models), migrate forward, look."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

SHARE = "share_with_therapist"


class Migrator:
    def __init__(self) -> None:
        self.executor = MigrationExecutor(connection)

    def to(self, *targets: tuple[str, str]) -> Any:
        """Migrate the targets' apps to them (other apps stay at their latest); the
        historical app registry at that point."""
        self.executor = MigrationExecutor(connection)
        self.executor.migrate(list(targets))
        self.executor.loader.build_graph()
        moved = {app for app, _ in targets}
        others = [n for n in self.executor.loader.graph.leaf_nodes() if n[0] not in moved]
        return self.executor.loader.project_state([*targets, *others]).apps

    def latest(self) -> None:
        self.executor = MigrationExecutor(connection)
        self.executor.loader.build_graph()
        self.executor.migrate(self.executor.loader.graph.leaf_nodes())


@pytest.fixture
def migrator() -> Iterator[Migrator]:
    m = Migrator()
    yield m
    m.latest()


def _user(apps: Any, email: str) -> Any:
    return apps.get_model("auth", "User").objects.create(
        username=email.split("@")[0], email=email, password="!"
    )


def _therapist(apps: Any, name: str, user: Any) -> tuple[Any, Any]:
    therapist = apps.get_model("booking", "Therapist").objects.create(user=user, name=name)
    kind = apps.get_model("booking", "SessionType").objects.create(
        therapist=therapist, kind="first_assessment", duration_minutes=45
    )
    return therapist, kind


def _appointment(
    apps: Any, therapist: Any, kind: Any, patient: Any, days: int, **extra: Any
) -> Any:
    start = timezone.now() + timedelta(days=days)
    return apps.get_model("booking", "Appointment").objects.create(
        therapist=therapist,
        patient=patient,
        session_type=kind,
        start=start,
        end=start + timedelta(minutes=45),
        ical_uid=f"{days}-{patient.pk}@test",
        **extra,
    )


def _share(
    apps: Any, user: Any, granted: bool, minutes_ago: int, version: str = "2026-11-01"
) -> Any:
    return apps.get_model("accounts", "ConsentEvent").objects.create(
        user=user,
        purpose=SHARE,
        version=version,
        granted=granted,
        recorded_at=timezone.now() - timedelta(minutes=minutes_ago),
        source="booking",
    )


def test_an_account_wide_share_becomes_a_share_with_each_therapist_booked_with_sharing(
    migrator: Migrator,
) -> None:
    apps = migrator.to(("accounts", "0003_consentevent_therapist"))
    a_user = _user(apps, "amal@clinic.example")
    b_user = _user(apps, "bea@clinic.example")
    c_user = _user(apps, "cai@clinic.example")
    a, a_kind = _therapist(apps, "Amal Aston", a_user)
    b, b_kind = _therapist(apps, "Bea Brooks", b_user)
    c, c_kind = _therapist(apps, "Cai Cole", c_user)
    nobody, nobody_kind = _therapist(apps, "No Account", None)

    sharer = _user(apps, "sharer@example.org")
    _share(apps, sharer, True, minutes_ago=120)
    original = _share(apps, sharer, True, minutes_ago=60, version="2026-10-01")
    _appointment(apps, a, a_kind, sharer, 3, share_record=False)  # chose not to share with A
    _appointment(apps, b, b_kind, sharer, 4, share_record=True)
    _appointment(apps, b, b_kind, sharer, 5, share_record=True)  # B twice: one share
    _appointment(apps, c, c_kind, sharer, -20, share_record=True, status="cancelled")
    _appointment(apps, nobody, nobody_kind, sharer, 6, share_record=True)

    withdrawn = _user(apps, "withdrawn@example.org")
    _share(apps, withdrawn, True, minutes_ago=50)
    _share(apps, withdrawn, False, minutes_ago=40)
    _appointment(apps, b, b_kind, withdrawn, 7, share_record=True)

    never = _user(apps, "never@example.org")
    _appointment(apps, b, b_kind, never, 8, share_record=True)

    apps = migrator.to(("accounts", "0004_share_per_therapist"))
    Event = apps.get_model("accounts", "ConsentEvent")
    migrated = Event.objects.filter(purpose=SHARE, therapist__isnull=False)
    rows = {
        (e.user_id, e.therapist_id, e.granted, e.version, e.recorded_at, e.source) for e in migrated
    }
    assert rows == {
        (sharer.pk, b_user.pk, True, "2026-10-01", original.recorded_at, "migrated"),
        (sharer.pk, c_user.pk, True, "2026-10-01", original.recorded_at, "migrated"),
    }
    # The old events stay as history.
    assert Event.objects.filter(purpose=SHARE, therapist__isnull=True).count() == 4

    # Reversing removes what the migration wrote, nothing else.
    apps = migrator.to(("accounts", "0003_consentevent_therapist"))
    Event = apps.get_model("accounts", "ConsentEvent")
    assert not Event.objects.filter(source="migrated").exists()
    assert Event.objects.filter(purpose=SHARE).count() == 4


def test_after_the_migration_the_access_rule_reads_the_per_therapist_share(
    migrator: Migrator,
) -> None:
    from django.contrib.auth import get_user_model

    apps = migrator.to(("accounts", "0003_consentevent_therapist"))
    a_user = _user(apps, "amal@clinic.example")
    b_user = _user(apps, "bea@clinic.example")
    a, a_kind = _therapist(apps, "Amal Aston", a_user)
    b, b_kind = _therapist(apps, "Bea Brooks", b_user)
    patient = _user(apps, "patient@example.org")
    from rehabit.accounts.notices import CURRENT_VERSIONS

    _share(apps, patient, True, minutes_ago=5, version=CURRENT_VERSIONS[SHARE])
    _appointment(apps, a, a_kind, patient, 3, share_record=False)
    _appointment(apps, b, b_kind, patient, 4, share_record=True)
    migrator.latest()

    from rehabit.accounts.access import can_view_patient_record
    from rehabit.accounts.roles import THERAPIST, assign_role

    users = get_user_model().objects
    for pk in (a_user.pk, b_user.pk):
        assign_role(users.get(pk=pk), THERAPIST)
    patient_now = users.get(pk=patient.pk)
    assert can_view_patient_record(users.get(pk=b_user.pk), patient_now)
    assert not can_view_patient_record(users.get(pk=a_user.pk), patient_now)


def _session(user_id: Any, assessment_ids: list[str]) -> str:
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    if user_id is not None:
        session["_auth_user_id"] = str(user_id)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["assessment_ids"] = assessment_ids
    session.create()
    return str(session.session_key)


def _assessment(apps: Any, owner: Any = None) -> str:
    row = apps.get_model("assessments", "Assessment").objects.create(
        questionnaire_version="test",
        answers={},
        result={},
        disposition="self_care",
        owner=owner,
    )
    return str(row.pk)


def test_assessments_done_while_signed_in_are_attached_where_the_session_shows_the_owner(
    migrator: Migrator,
) -> None:
    """Security finding 2: before the fix an assessment done while signed in stayed
    unowned (readable by link, missing from the export and from erasure); the session that
    made it still says whose it is."""
    apps = migrator.to(("assessments", "0002_assessment_owner"))
    uma = _user(apps, "uma@example.org")
    ugo = _user(apps, "ugo@example.org")
    mine = _assessment(apps)
    mine_too = _assessment(apps)
    theirs = _assessment(apps, owner=ugo)  # already owned: never moved
    anonymous = _assessment(apps)  # only in a signed-out session: stays unowned
    disputed = _assessment(apps)  # in two people's sessions: nobody can tell, stays
    ghost = _assessment(apps)  # the session's account no longer exists
    _session(uma.pk, [mine, theirs, "not-a-uuid", disputed])
    _session(uma.pk, [mine_too])
    _session(ugo.pk, [disputed])
    _session(None, [anonymous])
    _session(987654, [ghost])

    apps = migrator.to(("assessments", "0003_attach_session_assessments"))
    owners = dict(apps.get_model("assessments", "Assessment").objects.values_list("pk", "owner_id"))
    owners = {str(k): v for k, v in owners.items()}
    assert owners[mine] == uma.pk and owners[mine_too] == uma.pk
    assert owners[theirs] == ugo.pk
    assert owners[anonymous] is None and owners[disputed] is None and owners[ghost] is None
