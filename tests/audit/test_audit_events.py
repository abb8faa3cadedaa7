"""Each audited action writes exactly one entry: who, whose, what, when, from where."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from rehabit.audit.models import AuditAction, AuditEntry
from tests.accounts.helpers import PASSWORD, TOTP_SECRET, login, totp_code

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) RehabitTest/1.0"


def only(action: str, **filters: Any) -> AuditEntry:
    entries = list(AuditEntry.objects.filter(action=action, **filters))
    assert len(entries) == 1, f"{action}: {len(entries)} entries"
    return entries[0]


def test_login_and_logout(patient: Any) -> None:
    client = Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.77")
    client.post("/account/login/", {"login": patient.email, "password": PASSWORD})
    entry = only(AuditAction.LOGIN, subject_id=patient.pk)
    assert entry.actor_id == patient.pk and entry.actor_role == "patient"
    assert entry.ip_network == "203.0.113.0/24"
    assert "203.0.113.77" not in entry.ip_network and len(entry.ip_hash) == 32
    assert entry.user_agent == BROWSER
    client.post("/account/logout/")
    only(AuditAction.LOGOUT, subject_id=patient.pk)


def test_failed_login_records_no_address_or_password(patient: Any) -> None:
    Client().post("/account/login/", {"login": patient.email, "password": "not it at all"})
    entry = only(AuditAction.LOGIN_FAILED)
    assert entry.subject_id == patient.pk and entry.actor_id is None
    text = str(entry.details) + entry.target_id
    assert patient.email not in text and "not it at all" not in text
    assert len(entry.details["login_hash"]) == 32


def test_ipv6_is_truncated_to_48_bits(patient: Any) -> None:
    client = Client(REMOTE_ADDR="2001:db8:abcd:12:1:2:3:4")
    client.post("/account/login/", {"login": patient.email, "password": PASSWORD})
    assert only(AuditAction.LOGIN).ip_network == "2001:db8:abcd::/48"


def test_user_agent_cannot_inject_log_lines(patient: Any) -> None:
    client = Client(HTTP_USER_AGENT="evil\r\nFAKE ENTRY auth.login admin")
    client.post("/account/login/", {"login": patient.email, "password": PASSWORD})
    assert "\n" not in only(AuditAction.LOGIN).user_agent


def test_mfa_login_failure_and_success(therapist: Any) -> None:
    client = Client()
    client.post("/account/login/", {"login": therapist.email, "password": PASSWORD})
    client.post("/account/2fa/authenticate/", {"code": "123456"})
    only(AuditAction.MFA_FAILED, subject_id=therapist.pk)
    client.post("/account/2fa/authenticate/", {"code": totp_code(TOTP_SECRET)})
    only(AuditAction.LOGIN, subject_id=therapist.pk)


@pytest.mark.django_db(transaction=True)  # allauth sends MFA signals on commit
def test_mfa_removed_and_recovery_codes_regenerated(patient: Any) -> None:
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(patient, TOTP_SECRET)
    RecoveryCodes.activate(patient)
    client = login(Client(), patient, mfa=True)
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    client.post("/account/2fa/recovery-codes/generate/", {})
    only(AuditAction.MFA_RESET, subject_id=patient.pk)
    client.post("/account/2fa/totp/deactivate/", {})
    removed = AuditEntry.objects.filter(action=AuditAction.MFA_REMOVED, subject_id=patient.pk)
    assert sorted(e.details["type"] for e in removed) == ["recovery_codes", "totp"]


def test_export_and_deletion(patient: Any) -> None:
    client = login(Client(), patient)
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    client.post("/account/data/export/")
    only(AuditAction.DATA_EXPORTED, subject_id=patient.pk, actor_id=patient.pk)
    user_id = patient.pk
    client.post("/account/data/delete/", {"confirm": "on"})
    entry = only(AuditAction.ACCOUNT_DELETED, subject_id=user_id)
    assert entry.actor_id == user_id


def test_staff_change_of_a_patient_record_in_the_admin(
    patient: Any, admin_user: Any, settings: Any
) -> None:
    client = login(Client(), admin_user, mfa=True)
    url = f"/{settings.REHABIT_ADMIN_PATH}accounts/profile/{patient.profile.pk}/change/"
    client.get(url)
    only(AuditAction.RECORD_VIEWED, subject_id=patient.pk, actor_id=admin_user.pk)
    assert not admin_user.has_perm("accounts.change_profile")
    url = f"/{settings.REHABIT_ADMIN_PATH}auth/user/{patient.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"is_active": "on", "first_name": "Patricia-Renamed"})
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else ""
    )
    entry = only(AuditAction.ACCOUNT_CHANGED_BY_STAFF, subject_id=patient.pk)
    assert entry.details["fields"] == ["first_name"]
    assert "Renamed" not in str(entry.details)
