"""Throttling and lockout of sign-in after repeated failures (shared through the
database, so every worker process sees the same count)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from rehabit.accounts.models import LoginLockout
from rehabit.audit.models import AuditAction, AuditEntry
from tests.accounts.helpers import PASSWORD

pytestmark = pytest.mark.django_db


def attempt(email: str, password: str) -> Any:
    return Client().post("/account/login/", {"login": email, "password": password})


def test_account_locks_after_repeated_failures_even_with_the_right_password(
    patient: Any, settings: Any
) -> None:
    for _ in range(settings.REHABIT_LOCKOUT_FAILURES):
        assert attempt(patient.email, "wrong guess 1").status_code == 200
    assert AuditEntry.objects.filter(action=AuditAction.LOCKOUT, subject_id=patient.pk).count() == 1
    response = attempt(patient.email, PASSWORD)
    assert response.status_code == 200
    assert "Too many failed attempts" in response.content.decode()
    # The lock is stored in the database without the address in clear.
    (row,) = LoginLockout.objects.all()
    assert patient.email not in row.key and row.locked_until > timezone.now()


def test_lock_lifts_after_the_cool_off(patient: Any, settings: Any) -> None:
    for _ in range(settings.REHABIT_LOCKOUT_FAILURES):
        attempt(patient.email, "wrong guess 2")
    later = timezone.now() + timedelta(seconds=settings.REHABIT_LOCKOUT_SECONDS + 60)
    with time_machine.travel(later):
        from django.core.cache import cache

        cache.clear()
        response = attempt(patient.email, PASSWORD)
    assert response.status_code == 302


def test_success_before_the_limit_resets_the_count(patient: Any, settings: Any) -> None:
    for _ in range(settings.REHABIT_LOCKOUT_FAILURES - 1):
        attempt(patient.email, "wrong guess 3")
    assert attempt(patient.email, PASSWORD).status_code == 302
    assert not LoginLockout.objects.exists()


def test_unknown_addresses_lock_the_same_way(settings: Any) -> None:
    """No difference between existing and unknown accounts (no enumeration)."""
    for _ in range(settings.REHABIT_LOCKOUT_FAILURES):
        attempt("nobody@example.org", "guess guess 4")
    assert "Too many failed attempts" in attempt("nobody@example.org", "x").content.decode()


def test_password_reset_unlocks(patient: Any, settings: Any) -> None:
    import re

    from django.core import mail

    for _ in range(settings.REHABIT_LOCKOUT_FAILURES):
        attempt(patient.email, "wrong guess 5")
    client = Client()
    client.post("/account/password/reset/", {"email": patient.email})
    url = re.search(r"http://testserver(\S+)", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
    form_url = client.get(url)["Location"]
    new = "copper gluteal meadow 31"
    client.post(form_url, {"password1": new, "password2": new})
    assert attempt(patient.email, new).status_code == 302
