"""Sign-in throttling (security finding 5): failures slow the address they come from, a
distributed attack slows unfamiliar addresses, and nobody can lock the owner out or clear
someone else's count. The counts live in the database, so every worker sees them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from rehabit.accounts import lockout
from rehabit.accounts.models import LoginLockout
from rehabit.audit.models import AuditAction, AuditEntry
from tests.accounts.helpers import PASSWORD, TOTP_SECRET, make_user, totp_code

pytestmark = pytest.mark.django_db
ATTACKER = "203.0.113.9"
HOME = "198.51.100.7"
LOCKED = "Too many failed attempts"


def attempt(email: str, password: str, ip: str = ATTACKER) -> Any:
    return Client(REMOTE_ADDR=ip).post("/account/login/", {"login": email, "password": password})


def fail(email: str, times: int, ip: str = ATTACKER) -> None:
    for _ in range(times):
        response = attempt(email, "wrong guess 1", ip)
        assert response.status_code == 200 and LOCKED not in response.content.decode()


def spread_failures(email: str, times: int) -> None:
    """One failure each from ``times`` different addresses (a botnet)."""
    for i in range(times):
        fail(email, 1, ip=f"192.0.2.{i + 1}")


def signed_in(response: Any) -> bool:
    return response.status_code == 302 and "/login/" not in response["Location"]


def test_failures_from_one_address_slow_only_that_address(admin_user: Any, settings: Any) -> None:
    """Five wrong passwords from anywhere no longer lock an account (staff included)."""
    fail(admin_user.email, settings.REHABIT_LOCKOUT_FAILURES)
    response = attempt(admin_user.email, PASSWORD)  # the right password, from there
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert "(UTC)" in response.content.decode()
    assert signed_in(attempt(admin_user.email, PASSWORD, ip=HOME))  # the owner elsewhere
    entry = AuditEntry.objects.get(action=AuditAction.LOCKOUT)
    assert entry.subject_id == admin_user.pk and entry.details["scope"] == lockout.ADDRESS


@pytest.mark.parametrize(
    ("header", "clock"),
    [("en-GB", "16:30:30"), ("en-US", "4:30:30 PM")],
)
def test_the_wait_reads_on_the_readers_clock_with_the_zone(
    patient: Any, settings: Any, header: str, clock: str
) -> None:
    """The next try's time, the first wait (30 s) after 16:30:00 UTC: "16:30:30" to a
    British reader, "4:30:30 PM" to an American one, both with the zone."""
    settings.REHABIT_LOCKOUT_DELAY_SECONDS = 30
    with time_machine.travel(
        timezone.now().replace(hour=16, minute=30, second=0, microsecond=0), tick=False
    ):
        fail(patient.email, settings.REHABIT_LOCKOUT_FAILURES)
        response = Client(REMOTE_ADDR=ATTACKER, HTTP_ACCEPT_LANGUAGE=header).post(
            "/account/login/", {"login": patient.email, "password": PASSWORD}
        )
    assert f"the next try is possible at {clock} (UTC)" in response.content.decode()


def test_each_further_failure_doubles_the_wait_up_to_the_longest(
    patient: Any, settings: Any
) -> None:
    free = settings.REHABIT_LOCKOUT_FAILURES
    first, longest = settings.REHABIT_LOCKOUT_DELAY_SECONDS, settings.REHABIT_LOCKOUT_SECONDS
    waits = []
    with time_machine.travel(timezone.now(), tick=False) as clock:
        fail(patient.email, free)
        for _ in range(8):
            until = lockout.wait_until(patient.email, ATTACKER)
            assert until is not None
            waits.append(round((until - timezone.now()).total_seconds()))
            # Just before the wait ends the try is refused; once it has, one more is allowed.
            clock.move_to(until - timedelta(seconds=1))
            assert LOCKED in attempt(patient.email, PASSWORD).content.decode()
            clock.move_to(until + timedelta(seconds=1))
            cache.clear()  # allauth's own per-address rate limit (20 a minute)
            fail(patient.email, 1)
    assert waits[:4] == [first, 2 * first, 4 * first, 8 * first]
    assert max(waits) == longest and waits[-1] == longest


def test_many_addresses_cannot_lock_the_owner_out(patient: Any, settings: Any) -> None:
    """More failures than allauth's old per-address limit (10), each from another address."""
    spread_failures(patient.email, 12)
    assert signed_in(attempt(patient.email, PASSWORD, ip="198.51.100.200"))


def test_a_distributed_attack_slows_unfamiliar_addresses_but_not_the_usual_one(
    patient: Any, settings: Any
) -> None:
    settings.REHABIT_LOCKOUT_ACCOUNT_FAILURES = 6
    assert signed_in(attempt(patient.email, PASSWORD, ip=HOME))  # home is now usual
    spread_failures(patient.email, 6)
    refused = attempt(patient.email, PASSWORD, ip="198.51.100.200")
    assert LOCKED in refused.content.decode()  # an unfamiliar address waits
    assert signed_in(attempt(patient.email, PASSWORD, ip=HOME))
    scopes = AuditEntry.objects.filter(action=AuditAction.LOCKOUT).values_list(
        "details__scope", flat=True
    )
    assert list(scopes) == [lockout.ACCOUNT]


def test_only_a_completed_sign_in_with_its_second_factor_clears_the_account_count(
    therapist: Any, settings: Any
) -> None:
    settings.REHABIT_LOCKOUT_ACCOUNT_FAILURES = 6
    usual = Client(REMOTE_ADDR=HOME)
    usual.post("/account/login/", {"login": therapist.email, "password": PASSWORD})
    usual.post("/account/2fa/authenticate/", {"code": totp_code(TOTP_SECRET)})
    spread_failures(therapist.email, 6)
    account = lockout.account_key(therapist.email)
    assert LOCKED in attempt(therapist.email, PASSWORD, ip="198.51.100.200").content.decode()
    # The right password without the code proves nothing: still counted.
    client = Client(REMOTE_ADDR=HOME)
    response = client.post("/account/login/", {"login": therapist.email, "password": PASSWORD})
    assert response["Location"] == "/account/2fa/authenticate/"
    assert LoginLockout.objects.filter(key=account).exists()
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):  # a new code
        response = client.post("/account/2fa/authenticate/", {"code": totp_code(TOTP_SECRET)})
        assert signed_in(response)
    assert not LoginLockout.objects.filter(key=account).exists()
    elsewhere = attempt(therapist.email, PASSWORD, ip="198.51.100.200")
    assert elsewhere["Location"] == "/account/2fa/authenticate/"


def test_an_address_added_unverified_to_another_account_clears_nothing(
    patient: Any, settings: Any
) -> None:
    mallory = make_user("mallory@example.org")
    fail(patient.email, settings.REHABIT_LOCKOUT_FAILURES)
    # Mallory adds the victim's address to her own account (unverified) and signs in
    # from the same address she guessed from.
    EmailAddress.objects.filter(user=patient).update(email="pat.old@example.org")
    EmailAddress.objects.create(user=mallory, email=patient.email, verified=False)
    assert signed_in(attempt(mallory.email, PASSWORD))
    EmailAddress.objects.filter(user=mallory, email=patient.email).delete()
    EmailAddress.objects.filter(user=patient).update(email=patient.email)
    assert LOCKED in attempt(patient.email, PASSWORD).content.decode()


def test_unknown_addresses_are_throttled_the_same_way(settings: Any) -> None:
    """No difference between existing and unknown accounts (no enumeration)."""
    fail("nobody@example.org", settings.REHABIT_LOCKOUT_FAILURES)
    assert LOCKED in attempt("nobody@example.org", "x").content.decode()


def test_success_before_the_limit_resets_the_count(patient: Any, settings: Any) -> None:
    fail(patient.email, settings.REHABIT_LOCKOUT_FAILURES - 1)
    assert signed_in(attempt(patient.email, PASSWORD))
    fail(patient.email, settings.REHABIT_LOCKOUT_FAILURES - 1)  # a fresh allowance


def test_counts_are_stored_without_address_or_ip_in_clear(patient: Any, settings: Any) -> None:
    fail(patient.email, settings.REHABIT_LOCKOUT_FAILURES)
    rows = list(LoginLockout.objects.all())
    assert len(rows) == 2  # this address's count and the account's
    for row in rows:
        assert patient.email not in row.key and ATTACKER not in row.key
    assert all(r.key.startswith(lockout.account_key(patient.email)) for r in rows)


def test_password_reset_lets_this_address_try_again(patient: Any, settings: Any) -> None:
    import re

    from django.core import mail

    fail(patient.email, settings.REHABIT_LOCKOUT_FAILURES)
    client = Client(REMOTE_ADDR=ATTACKER)
    client.post("/account/password/reset/", {"email": patient.email})
    url = re.search(r"http://testserver(\S+)", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
    form_url = client.get(url)["Location"]
    new = "copper gluteal meadow 31"
    client.post(form_url, {"password1": new, "password2": new})
    assert signed_in(attempt(patient.email, new))


def test_old_counts_are_forgotten(patient: Any, settings: Any) -> None:
    fail(patient.email, settings.REHABIT_LOCKOUT_FAILURES)
    assert lockout.forget_stale() == 0  # still counting, and waiting
    later = timezone.now() + timedelta(seconds=settings.REHABIT_LOCKOUT_WINDOW_SECONDS + 1)
    assert lockout.forget_stale(later) == 2
    assert not LoginLockout.objects.exists()
