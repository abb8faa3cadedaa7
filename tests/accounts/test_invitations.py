"""A therapist's start, end to end through the Django test client: an administrator
invites them, the e-mail arrives on a real SMTP server, the link sets the password, a
real TOTP code turns on two-factor authentication (allauth's activation), the recovery
codes, the therapist profile and the first week; then the therapist's home. Every step
is audited; the link works once, expires, and can be withdrawn or replaced."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import Client
from django.utils import timezone

from rehabit.accounts.models import TherapistInvitation
from rehabit.audit.models import AuditEntry
from rehabit.booking.models import Therapist, WorkingHours
from rehabit.mail.models import OutgoingMessage
from tests.accounts.helpers import login, make_user, totp_code
from tests.booking.support import Mailbox, text_body

EMAIL = "nina.newcomer@clinic.example"
NEW_PASSWORD = "lantern meadow biceps 73"


def invite(admin: Any, email: str = EMAIL, name: str = "Nina Newcomer") -> Any:
    client = login(Client(), admin, mfa=True)
    response = client.post(
        "/staff/invitations/", {"action": "invite", "email": email, "name": name}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


def link_in(mailbox: Mailbox, email: str = EMAIL, nth: int = -1) -> str:
    body = text_body(mailbox.to(email)[nth])
    found = re.search(r"(https?://\S+)/invitation/(\S+)/", body)
    assert found, body
    assert found[1] == settings.SITE_URL
    return f"/invitation/{found[2]}/"


def accept(client: Client, **changes: str) -> Any:
    form = {
        "full_name": "Nina Newcomer",
        "time_zone": "Europe/Berlin",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "accept_terms": "on",
        **changes,
    }
    return client.post("/invitation/", form)


def actions_for(user: Any) -> list[str]:
    return list(
        AuditEntry.objects.filter(subject_id=user.pk)
        .order_by("event_time")
        .values_list("action", flat=True)
    )


@pytest.mark.django_db(transaction=True)  # allauth's MFA signals and the e-mail run on commit
def test_invitation_to_first_week_end_to_end(mailbox: Mailbox, admin_user: Any) -> None:
    admin = invite(admin_user)
    listing = admin.get("/staff/invitations/").content.decode()
    assert EMAIL in listing and "Open until" in listing
    path = link_in(mailbox)
    assert OutgoingMessage.objects.get(kind="invitation").status == "sent"

    client = Client()
    opened = client.get(path)  # the token moves into the session, out of the address
    assert opened.status_code == 302 and opened["Location"] == "/invitation/"
    assert opened["Referrer-Policy"] == "no-referrer"
    page = client.get("/invitation/")
    assert page.status_code == 200
    assert EMAIL in page.content.decode() and 'value="Nina Newcomer"' in page.content.decode()

    # A weak or mismatched password is refused at its field; nothing is created.
    weak = accept(client, password1="nina", password2="nina")
    assert weak.status_code == 422 and "This password is too short" in weak.content.decode()
    mismatch = accept(client, password2=NEW_PASSWORD + "!")
    assert "The two passwords are not the same." in mismatch.content.decode()
    assert "Europe/Berlin" in mismatch.content.decode()
    assert not Therapist.objects.exists() and not TherapistInvitation.objects.get().accepted_at

    done = accept(client)
    assert done.status_code == 302 and done["Location"] == "/therapist/welcome/two-factor/"
    invitation = TherapistInvitation.objects.get()
    user = invitation.account
    assert user.email == EMAIL and user.profile.time_zone == "Europe/Berlin"
    assert user.check_password(NEW_PASSWORD) and user.emailaddress_set.get().verified

    # Two-factor: allauth's activation, on the flow's own page.
    step = client.get("/therapist/welcome/two-factor/")
    assert step.status_code == 200
    secret = client.session["mfa.totp.secret"]
    html = step.content.decode()
    assert secret in html and "data:image/svg+xml;base64," in html and "1. Your password" in html
    wrong = client.post("/therapist/welcome/two-factor/", {"code": "000000"})
    assert wrong.status_code == 200 and "Incorrect code" in wrong.content.decode()
    assert not Authenticator.objects.filter(user=user).exists()
    turned_on = client.post("/therapist/welcome/two-factor/", {"code": totp_code(secret)})
    assert turned_on["Location"] == "/therapist/welcome/recovery-codes/"

    codes = client.get("/therapist/welcome/recovery-codes/").content.decode()
    unused = Authenticator.objects.get(user=user, type="recovery_codes").wrap().get_unused_codes()
    assert unused[0] in codes
    not_ticked = client.post("/therapist/welcome/recovery-codes/", {})
    assert not_ticked.status_code == 422 and "Store the codes first" in not_ticked.content.decode()
    saved = client.post("/therapist/welcome/recovery-codes/", {"saved": "on"})
    assert saved["Location"] == "/therapist/welcome/profile/"

    profile = client.get("/therapist/welcome/profile/").content.decode()
    assert 'value="Nina Newcomer"' in profile and 'value="Europe/Berlin" selected' in profile
    response = client.post(
        "/therapist/welcome/profile/",
        {
            "name": "Nina Newcomer",
            "title": "Physiotherapist",
            "specialties": ["hamstring", "sports"],
            "languages": ["en", "de"],
            "time_zone": "Europe/Berlin",
            "duration_first_assessment": "45",
            "duration_follow_up": "30",
        },
    )
    assert response["Location"] == "/therapist/welcome/availability/"
    therapist = Therapist.objects.get(user=user)
    assert not therapist.is_listed  # not bookable before it has hours

    empty = client.post(
        "/therapist/welcome/availability/", {"action": "weekly", "notice_hours": "12"}
    )
    assert empty.status_code == 422 and "Give at least one range" in empty.content.decode()
    week = {
        "action": "weekly",
        "notice_hours": "24",
        **{f"d{d}-0-start": "09:00" for d in range(5)},
        **{f"d{d}-0-end": "17:00" for d in range(5)},
    }
    finished = client.post("/therapist/welcome/availability/", week)
    assert finished["Location"] == "/therapist/"
    therapist.refresh_from_db()
    assert therapist.is_listed and therapist.minimum_notice_minutes == 24 * 60
    assert WorkingHours.objects.filter(therapist=therapist).count() == 5

    home = client.get("/therapist/").content.decode()
    assert "Welcome to Rehabit. Your week is saved" in home
    assert "The next 7 days" in home and "09:00–17:00" in home and ", Europe/Berlin" in home
    assert client.get("/therapist/welcome/")["Location"] == "/therapist/"

    assert actions_for(user) == [
        "account.role_changed",
        "consent.granted",
        "consent.granted",
        "accounts.invitation_accepted",
        "auth.login",
        "mfa.added",
        "mfa.added",
        "workspace.recovery_codes_saved",
        "workspace.profile_saved",
        "workspace.onboarding_finished",
    ]
    changes = AuditEntry.objects.filter(
        action="booking.availability_changed", actor_id=user.pk
    ).values_list("details", flat=True)
    assert sorted(d["what"] for d in changes) == ["settings", "weekly_hours"]
    invited = AuditEntry.objects.get(action="accounts.therapist_invited")
    assert invited.actor_id == admin_user.pk and EMAIL not in str(invited.details)

    # The link worked once.
    again = Client().get(path)
    assert again.status_code == 410 and "already used" in again.content.decode()


@pytest.mark.django_db
def test_an_expired_link_says_so_and_who_can_help(mailbox: Mailbox, admin_user: Any) -> None:
    invite(admin_user)
    from rehabit.mail import outbox

    outbox.send_due("test")
    path = link_in(mailbox)
    waiting = Client()
    assert waiting.get(path).status_code == 302
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        response = Client().get(path)
        assert response.status_code == 410
        assert "This invitation has expired. Ask the administrator" in response.content.decode()
    # Opened in time but sent after it expired (the session still holds the link).
    TherapistInvitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    late = accept(waiting)
    assert late.status_code == 410 and "has expired" in late.content.decode()
    assert not TherapistInvitation.objects.get().accepted_at
    assert waiting.get("/invitation/").status_code == 400  # the session forgot the link


@pytest.mark.django_db
def test_withdrawn_replaced_and_tampered_links_do_not_work(
    mailbox: Mailbox, admin_user: Any
) -> None:
    from rehabit.mail import outbox

    admin = invite(admin_user)
    outbox.send_due("test")
    first = link_in(mailbox)
    admin.post(
        "/staff/invitations/",
        {"action": "resend", "invitation": TherapistInvitation.objects.get().pk},
    )
    outbox.send_due("test")
    second = link_in(mailbox)
    assert first != second
    replaced = Client().get(first)
    assert replaced.status_code == 410 and "replaced by a newer one" in replaced.content.decode()
    assert Client().get(second).status_code == 302
    newest = TherapistInvitation.objects.filter(revoked_at=None).get()
    admin.post("/staff/invitations/", {"action": "withdraw", "invitation": newest.pk})
    assert Client().get(second).status_code == 410
    tampered = second[:-3] + ("A" if second[-3] != "A" else "B") + "/"
    response = Client().get(tampered[:-1] if tampered.endswith("//") else tampered)
    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()
    assert Client().get("/invitation/not-a-token/").status_code == 404
    assert [
        e.details["reason"]
        for e in AuditEntry.objects.filter(action="accounts.invitation_withdrawn").order_by(
            "event_time"
        )
    ] == ["replaced", "withdrawn"]


@pytest.mark.django_db
def test_an_address_with_an_account_is_not_invited(admin_user: Any, patient: Any) -> None:
    client = login(Client(), admin_user, mfa=True)
    response = client.post(
        "/staff/invitations/", {"action": "invite", "email": patient.email.upper(), "name": ""}
    )
    assert response.status_code == 422
    assert "already has a Rehabit account" in response.content.decode()
    assert not TherapistInvitation.objects.exists()


@pytest.mark.django_db
def test_only_administrators_invite(patient: Any, therapist: Any) -> None:
    assert login(Client(), patient).get("/staff/invitations/").status_code == 404
    assert login(Client(), therapist, mfa=True).get("/staff/invitations/").status_code == 404
    anonymous = Client().get("/staff/invitations/")
    assert anonymous.status_code == 302 and "/account/login/" in anonymous["Location"]
    response = login(Client(), therapist, mfa=True).post(
        "/staff/invitations/", {"action": "invite", "email": "x@example.org"}
    )
    assert response.status_code == 404 and not TherapistInvitation.objects.exists()


@pytest.mark.django_db
def test_someone_signed_in_is_asked_to_sign_out_first(mailbox: Mailbox, admin_user: Any) -> None:
    from rehabit.mail import outbox

    invite(admin_user)
    outbox.send_due("test")
    path = link_in(mailbox)
    client = login(Client(), admin_user, mfa=True)
    assert client.get(path).status_code == 302
    response = client.get("/invitation/")
    assert response.status_code == 409 and "Sign out, then open the invitation link" in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_the_invitation_waits_in_the_outbox_while_mail_is_down(
    admin_user: Any, settings: Any, mailbox: Mailbox
) -> None:
    from rehabit.mail import outbox
    from tests.booking.support import free_port

    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there
    invite(admin_user)
    outbox.send_due("test")
    row = OutgoingMessage.objects.get(kind="invitation")
    assert row.status == "pending" and row.to == EMAIL and not mailbox.messages
    settings.EMAIL_PORT = port
    OutgoingMessage.objects.filter(pk=row.pk).update(next_attempt_at=None)
    outbox.send_due("test")
    assert mailbox.to(EMAIL) and link_in(mailbox).startswith("/invitation/")


@pytest.mark.django_db
def test_a_user_given_the_role_without_an_invitation_is_led_through_the_steps(db: Any) -> None:
    from tests.accounts.helpers import TOTP_SECRET

    user = make_user("role.only@example.org", role="therapist", totp_secret=TOTP_SECRET)
    client = login(Client(), user, mfa=True)
    welcome = client.get("/therapist/welcome/").content.decode()
    assert "Next: Your therapist profile." in welcome
    assert 'href="/therapist/welcome/profile/"' in welcome
    assert client.get("/therapist/welcome/two-factor/")["Location"] == (
        "/therapist/welcome/recovery-codes/"
    )
    assert client.get("/therapist/welcome/availability/")["Location"] == (
        "/therapist/welcome/profile/"
    )
    patient = make_user("pat.welcome@example.org")
    assert login(Client(), patient).get("/therapist/welcome/").status_code == 403


@pytest.mark.django_db
def test_erasing_an_account_removes_invitations_naming_its_address(patient: Any) -> None:
    from rehabit.accounts.erasure import erase_account

    now = timezone.now()
    for email in (patient.email.upper(), "someone.else@example.org"):
        TherapistInvitation.objects.create(
            email=email, secret_hash="0" * 64, expires_at=now + timedelta(days=1)
        )
    erase_account(patient)
    assert list(TherapistInvitation.objects.values_list("email", flat=True)) == [
        "someone.else@example.org"
    ]
