"""Admins search the audit log; nobody can add, change or delete entries there."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client

from rehabit.accounts.models import Profile
from rehabit.audit.models import AuditAction, AuditEntry
from rehabit.core.timefmt import format_when
from tests.accounts.helpers import PASSWORD, login

pytestmark = pytest.mark.django_db


def test_admins_search_by_email_and_filter_by_action(
    patient: Any, other_patient: Any, admin_user: Any, settings: Any
) -> None:
    for user in (patient, other_patient):
        Client().post("/account/login/", {"login": user.email, "password": PASSWORD})
    client = login(Client(), admin_user, mfa=True)
    base = f"/{settings.REHABIT_ADMIN_PATH}audit/auditentry/"
    response = client.get(base, {"q": patient.email, "action__exact": AuditAction.LOGIN})
    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert shown and all(e.subject_id == patient.pk for e in shown)
    assert all(e.action == AuditAction.LOGIN for e in shown)


def test_the_admin_cannot_change_or_delete_entries(
    patient: Any, admin_user: Any, settings: Any
) -> None:
    Client().post("/account/login/", {"login": patient.email, "password": PASSWORD})
    entry = AuditEntry.objects.filter(action=AuditAction.LOGIN).first()
    assert entry is not None
    client = login(Client(), admin_user, mfa=True)
    base = f"/{settings.REHABIT_ADMIN_PATH}audit/auditentry/"
    assert client.get(f"{base}add/").status_code == 403
    assert client.post(f"{base}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    page = client.get(f"{base}{entry.pk}/change/")
    assert page.status_code == 200
    assert 'name="action"' not in page.content.decode()  # read-only view


def test_patients_see_who_viewed_their_record(patient: Any, admin_user: Any) -> None:
    login(Client(), admin_user, mfa=True).get(f"/staff/patients/{patient.pk}/")
    page = login(Client(), patient).get("/account/access-log/").content.decode()
    assert "Ada Admin" in page
    assert "Record viewed by staff" in page
    assert ", Europe/London)" in page


def test_the_log_shows_each_time_in_the_admins_zone_and_names_it(
    patient: Any, admin_user: Any, settings: Any
) -> None:
    """Times were headed "When (UTC)" but shown on the admin's own clock ("7:54 a.m." at
    06:54 UTC for an admin in Berlin), without a zone: now in the site's format, zone named."""
    Profile.objects.filter(user=admin_user).update(time_zone="America/New_York")
    Client().post("/account/login/", {"login": patient.email, "password": PASSWORD})
    entry = AuditEntry.objects.filter(action=AuditAction.LOGIN).first()
    assert entry is not None
    client = login(Client(), admin_user, mfa=True)
    base = f"/{settings.REHABIT_ADMIN_PATH}audit/auditentry/"
    shown = format_when(entry.event_time, "America/New_York")
    assert "(EST, America/New York)" in shown or "(EDT, America/New York)" in shown
    for page in (client.get(base), client.get(f"{base}{entry.pk}/change/")):
        text = html.unescape(page.content.decode())
        assert shown in text
        assert "UTC)" not in text
