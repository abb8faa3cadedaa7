"""The record rule: patients see only their own; therapists only with a recent
appointment and consent; admins only through the audited path; staff only after MFA."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from rehabit.accounts import access
from rehabit.accounts.access import MFARequired, can_view_patient_record
from rehabit.accounts.consent import set_consent, set_sharing
from rehabit.accounts.models import ConsentPurpose
from rehabit.accounts.records import get_patient_record
from rehabit.audit.models import AuditAction, AuditEntry
from tests.accounts.helpers import login, make_user

pytestmark = pytest.mark.django_db


class FakeAppointments:
    """An AppointmentRelation with appointments ending at the given times."""

    def __init__(self) -> None:
        self.ends: dict[tuple[int, int], datetime] = {}

    def has_appointment_since(self, therapist: Any, patient: Any, since: datetime) -> bool:
        end = self.ends.get((therapist.pk, patient.pk))
        return end is not None and end >= since

    def therapists_of(self, patient: Any) -> list[Any]:
        from django.contrib.auth import get_user_model

        ids = [t for (t, p) in self.ends if p == patient.pk]
        return list(get_user_model().objects.filter(pk__in=ids))


@pytest.fixture
def appointments(monkeypatch: Any) -> FakeAppointments:
    fake = FakeAppointments()
    monkeypatch.setattr(access, "appointment_relations", lambda: [fake])
    return fake


@pytest.fixture(autouse=True)
def _no_real_relations(monkeypatch: Any) -> None:
    """Other apps (booking) may register relations; these tests control them."""
    monkeypatch.setattr(access, "_registered", [])


def now() -> datetime:
    from django.utils import timezone

    return timezone.now()


def test_a_patient_sees_only_their_own_record(patient: Any, other_patient: Any) -> None:
    assert can_view_patient_record(patient, patient)
    assert not can_view_patient_record(other_patient, patient)
    assert not can_view_patient_record(AnonymousUser(), patient)


def test_therapists_see_no_records_until_appointments_exist(patient: Any, therapist: Any) -> None:
    assert access.appointment_relations() == []
    assert not can_view_patient_record(therapist, patient)


def test_therapist_needs_a_recent_appointment_and_consent(
    patient: Any, therapist: Any, appointments: FakeAppointments, settings: Any
) -> None:
    appointments.ends[(therapist.pk, patient.pk)] = now() + timedelta(days=3)  # upcoming
    assert not can_view_patient_record(therapist, patient), "no share with this therapist"
    set_sharing(patient, therapist, True)
    assert can_view_patient_record(therapist, patient)
    days = settings.REHABIT_THERAPIST_ACCESS_DAYS
    appointments.ends[(therapist.pk, patient.pk)] = now() - timedelta(days=days - 1)
    assert can_view_patient_record(therapist, patient)
    appointments.ends[(therapist.pk, patient.pk)] = now() - timedelta(days=days + 1)
    assert not can_view_patient_record(therapist, patient)
    appointments.ends[(therapist.pk, patient.pk)] = now()
    set_sharing(patient, therapist, False)
    assert not can_view_patient_record(therapist, patient), "withdrawal takes effect at once"


def test_consent_is_per_therapist(
    patient: Any, therapist: Any, appointments: FakeAppointments
) -> None:
    """Security finding 1: sharing with one therapist never opens the record to another
    related therapist, and withdrawing from one leaves the other's share alone."""
    other = make_user("tobias@example.org", role="therapist")
    appointments.ends[(therapist.pk, patient.pk)] = now()
    appointments.ends[(other.pk, patient.pk)] = now()
    set_sharing(patient, other, True)
    assert can_view_patient_record(other, patient)
    assert not can_view_patient_record(therapist, patient)
    set_sharing(patient, therapist, True)
    set_sharing(patient, other, False)
    assert can_view_patient_record(therapist, patient)
    assert not can_view_patient_record(other, patient)


def test_an_account_wide_share_event_grants_nothing(
    patient: Any, therapist: Any, appointments: FakeAppointments
) -> None:
    """Share events without a therapist (from before per-therapist sharing) are history."""
    from rehabit.accounts.models import ConsentEvent
    from rehabit.accounts.notices import current_version

    appointments.ends[(therapist.pk, patient.pk)] = now()
    ConsentEvent.objects.create(
        user=patient,
        purpose=ConsentPurpose.SHARE_WITH_THERAPIST,
        version=current_version(ConsentPurpose.SHARE_WITH_THERAPIST),
        granted=True,
    )
    assert not can_view_patient_record(therapist, patient)
    with pytest.raises(ValueError, match="per therapist"):
        set_consent(patient, ConsentPurpose.SHARE_WITH_THERAPIST, True)


def test_another_therapist_is_not_related(
    patient: Any, therapist: Any, appointments: FakeAppointments
) -> None:
    appointments.ends[(therapist.pk, patient.pk)] = now()
    stranger = make_user("tess@example.org", role="therapist")
    assert not can_view_patient_record(stranger, patient)


def test_admins_read_through_the_audited_path(patient: Any, admin_user: Any) -> None:
    assert can_view_patient_record(admin_user, patient)
    client = login(Client(), admin_user, mfa=True)
    response = client.get(f"/staff/patients/{patient.pk}/")
    assert response.status_code == 200
    assert "Patricia Onestone" in response.content.decode()
    entries = AuditEntry.objects.filter(action=AuditAction.RECORD_VIEWED, subject_id=patient.pk)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.actor_id == admin_user.pk and entry.actor_role == "admin"
    assert entry.ip_network == "127.0.0.0/24" and len(entry.ip_hash) == 32


def test_staff_without_mfa_in_this_session_are_refused_by_the_selector(
    patient: Any, admin_user: Any
) -> None:
    request = RequestFactory().get("/")
    client = login(Client(), admin_user)  # signed in without a second factor
    request.session = client.session
    request.user = admin_user
    with pytest.raises(MFARequired):
        get_patient_record(request, patient.pk)
    assert not AuditEntry.objects.filter(action=AuditAction.RECORD_VIEWED).exists()


def test_refusals_are_logged(patient: Any, therapist: Any) -> None:
    client = login(Client(), therapist, mfa=True)
    assert client.get(f"/staff/patients/{patient.pk}/").status_code == 404
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.ACCESS_DENIED, subject_id=patient.pk, actor_id=therapist.pk
        ).count()
        == 1
    )


def test_related_therapist_opens_the_record_and_the_patient_sees_it(
    patient: Any, therapist: Any, appointments: FakeAppointments
) -> None:
    appointments.ends[(therapist.pk, patient.pk)] = now()
    set_sharing(patient, therapist, True)
    assert (
        login(Client(), therapist, mfa=True).get(f"/staff/patients/{patient.pk}/").status_code
        == 200
    )
    page = login(Client(), patient).get("/account/access-log/").content.decode()
    assert "Theo Therapist" in page
    # The role in the reader's words, not the stored code ("therapist").
    assert 'data-label="Role">Therapist</td>' in page


def test_registered_relations_must_fit_the_protocol() -> None:
    with pytest.raises(TypeError):
        access.register_appointment_relation(object())  # type: ignore[arg-type]
