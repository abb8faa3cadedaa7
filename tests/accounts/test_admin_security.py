"""The admin role manages accounts without taking them over: no superuser, permission,
password or e-mail fields; password resets and removing two-factor authentication go
through the person's e-mail and the audit log (security finding 3)."""

from __future__ import annotations

import re
from datetime import timedelta
from email.message import Message
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from rehabit.accounts.roles import ADMIN, PATIENT, THERAPIST, role_of
from rehabit.audit.models import AuditAction, AuditEntry
from tests.accounts.helpers import PASSWORD, TOTP_SECRET, login, make_user
from tests.booking.support import Mailbox

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def admin_client(admin_user: Any) -> Client:
    return login(Client(), admin_user, mfa=True)


def url(settings: Any, path: str) -> str:
    return f"/{settings.REHABIT_ADMIN_PATH}{path}"


def body(message: Message) -> str:
    parts = message.walk() if message.is_multipart() else [message]
    return "".join(
        p.get_payload(decode=True).decode()  # type: ignore[union-attr]
        for p in parts
        if p.get_content_type() == "text/plain"
    )


def account_form(user: Any, **extra: Any) -> dict[str, Any]:
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on",
        "role": role_of(user),
    }
    data.update(extra)
    return data


def test_the_admin_role_sees_no_superuser_permission_password_or_email_field(
    admin_client: Client, patient: Any, settings: Any
) -> None:
    page = admin_client.get(url(settings, f"auth/user/{patient.pk}/change/"))
    assert page.status_code == 200
    html = page.content.decode()
    for field in ("is_superuser", "is_staff", "user_permissions", "groups", "email", "password"):
        assert f'name="{field}"' not in html, field
    assert "password/" not in html  # no link to the set-password form
    assert 'name="role"' in html


def test_posting_hidden_fields_changes_nothing(
    admin_client: Client, admin_user: Any, patient: Any, settings: Any
) -> None:
    every_permission = list(Permission.objects.values_list("pk", flat=True)[:5])
    forged = {
        "is_superuser": "on",
        "is_staff": "on",
        "user_permissions": every_permission,
        "email": "mallory@example.org",
        "password": "md5$x$forged",
    }
    for target in (patient, admin_user):  # someone else, and the admin themself
        response = admin_client.post(
            url(settings, f"auth/user/{target.pk}/change/"), account_form(target, **forged)
        )
        assert response.status_code == 302
        target = User.objects.get(pk=target.pk)
        assert not target.is_superuser and not target.user_permissions.exists()
        assert target.email != "mallory@example.org" and target.check_password(PASSWORD)
    assert not User.objects.get(pk=patient.pk).is_staff


def test_setting_a_password_in_the_admin_is_refused(
    admin_client: Client, patient: Any, settings: Any
) -> None:
    address = url(settings, f"auth/user/{patient.pk}/password/")
    assert admin_client.get(address).status_code == 403
    new = "copper gluteal meadow 31"
    response = admin_client.post(address, {"password1": new, "password2": new})
    assert response.status_code == 403
    assert User.objects.get(pk=patient.pk).check_password(PASSWORD)


def test_the_admin_sends_a_password_reset_link_to_the_person(
    admin_client: Client, admin_user: Any, patient: Any, settings: Any, mailbox: Mailbox
) -> None:
    response = admin_client.post(
        url(settings, "auth/user/"),
        {"action": "send_password_reset", "_selected_action": [patient.pk]},
    )
    assert response.status_code == 302
    (message,) = mailbox.to(patient.email)
    link = re.search(r"http://testserver(/account/password/reset/key/\S+)", body(message))
    assert link is not None
    entry = AuditEntry.objects.get(action=AuditAction.PASSWORD_RESET_SENT)
    assert entry.subject_id == patient.pk and entry.actor_id == admin_user.pk
    # Only the person, from their mailbox, sets the new password.
    client = Client()
    form_url = client.get(link.group(1))["Location"]
    new = "copper gluteal meadow 31"
    client.post(form_url, {"password1": new, "password2": new})
    assert User.objects.get(pk=patient.pk).check_password(new)


@pytest.mark.parametrize("role", [PATIENT, THERAPIST])
def test_removing_two_factor_is_audited_and_the_person_is_told(
    role: str, admin_client: Client, admin_user: Any, settings: Any, mailbox: Mailbox
) -> None:
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    person = make_user("lost.phone@example.org", role=role, totp_secret=TOTP_SECRET)
    RecoveryCodes.activate(person)
    response = admin_client.post(
        url(settings, "auth/user/"),
        {"action": "remove_two_factor", "_selected_action": [person.pk]},
    )
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=person).exists()
    entry = AuditEntry.objects.get(action=AuditAction.MFA_REMOVED_BY_STAFF)
    assert entry.subject_id == person.pk and entry.actor_id == admin_user.pk
    assert entry.details == {"types": ["recovery_codes", "totp"]}
    (message,) = mailbox.to(person.email)
    assert "Two-factor authentication was removed" in message["Subject"]
    text = body(message)
    assert "removed two-factor authentication" in text and ", Europe/London)" in text
    client = login(Client(), person)
    if role == THERAPIST:  # staff must set up a new authenticator before anything else
        assert client.get("/account/")["Location"] == "/account/2fa/totp/activate/"
    else:  # the person sees it in their access log, with who did it
        page = client.get("/account/access-log/").content.decode()
        assert "Two-factor authentication removed by staff" in page and "Ada Admin" in page


def test_authenticators_are_neither_shown_nor_deleted_in_the_admin(
    admin_client: Client, therapist: Any, settings: Any
) -> None:
    authenticator = Authenticator.objects.get(user=therapist, type="totp")
    base = url(settings, f"mfa/authenticator/{authenticator.pk}/")
    page = admin_client.get(f"{base}change/")
    assert page.status_code == 200 and TOTP_SECRET not in page.content.decode()
    assert admin_client.post(f"{base}delete/", {"post": "yes"}).status_code == 403
    response = admin_client.post(
        url(settings, "mfa/authenticator/"),
        {"action": "delete_selected", "_selected_action": [authenticator.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert Authenticator.objects.filter(pk=authenticator.pk).exists()


def test_email_addresses_cannot_be_changed_or_verified_by_the_admin_role(
    admin_client: Client, patient: Any, settings: Any
) -> None:
    address = EmailAddress.objects.get(user=patient)
    response = admin_client.post(
        url(settings, f"account/emailaddress/{address.pk}/change/"),
        {"email": "mallory@example.org", "user": patient.pk, "verified": "on", "primary": "on"},
    )
    assert response.status_code == 403
    other = make_user("unverified@example.org", verified=False)
    admin_client.post(
        url(settings, "account/emailaddress/"),
        {"action": "make_verified", "_selected_action": [other.emailaddress_set.get().pk]},
    )
    assert EmailAddress.objects.get(pk=address.pk).email == patient.email
    assert not EmailAddress.objects.get(user=other).verified


def test_an_admin_cannot_touch_a_superuser(
    admin_client: Client, settings: Any, mailbox: Mailbox
) -> None:
    root = make_user("root@example.org", role=ADMIN, totp_secret=TOTP_SECRET)
    User.objects.filter(pk=root.pk).update(is_superuser=True)
    response = admin_client.post(
        url(settings, f"auth/user/{root.pk}/change/"), account_form(root, is_active="")
    )
    assert response.status_code == 403
    admin_client.post(
        url(settings, "auth/user/"),
        {"action": "remove_two_factor", "_selected_action": [root.pk]},
    )
    assert Authenticator.objects.filter(user=root).exists()
    assert User.objects.get(pk=root.pk).is_active and not mailbox.messages


def test_a_role_change_keeps_staff_access_in_step_and_is_audited(
    admin_client: Client, patient: Any, settings: Any
) -> None:
    colleague = make_user("colleague@example.org", role=ADMIN, totp_secret=TOTP_SECRET)
    for user, role in ((colleague, PATIENT), (patient, THERAPIST)):
        response = admin_client.post(
            url(settings, f"auth/user/{user.pk}/change/"), account_form(user, role=role)
        )
        assert response.status_code == 302
        changed = User.objects.get(pk=user.pk)
        assert role_of(changed) == role and not changed.is_staff
        entry = AuditEntry.objects.get(
            action=AuditAction.ACCOUNT_CHANGED_BY_STAFF, subject_id=user.pk
        )
        assert entry.details["fields"] == ["role"]
        assert entry.details["changes"] == {"role": [role_of(user), role]}
        assert AuditEntry.objects.filter(
            action=AuditAction.ROLE_CHANGED, subject_id=user.pk
        ).exists()


def test_the_audit_entry_names_the_changed_fields_without_personal_values(
    admin_client: Client, patient: Any, settings: Any
) -> None:
    response = admin_client.post(
        url(settings, f"auth/user/{patient.pk}/change/"),
        account_form(patient, first_name="Renamed", is_active=""),
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=AuditAction.ACCOUNT_CHANGED_BY_STAFF)
    assert entry.details["fields"] == ["first_name", "is_active"]
    assert entry.details["changes"] == {"is_active": [True, False]}
    assert "Renamed" not in str(entry.details)
    listing = admin_client.get(url(settings, "audit/auditentry/")).content.decode()
    assert "first_name, is_active" in listing


def test_a_superuser_still_manages_superuser_fields(patient: Any, settings: Any) -> None:
    root = make_user("root@example.org", role=ADMIN, totp_secret=TOTP_SECRET)
    User.objects.filter(pk=root.pk).update(is_superuser=True)
    client = login(Client(), User.objects.get(pk=root.pk), mfa=True)
    address = url(settings, f"auth/user/{patient.pk}/change/")
    assert 'name="is_superuser"' in client.get(address).content.decode()
    response = client.post(address, account_form(patient, is_staff="on"))
    assert response.status_code == 302 and User.objects.get(pk=patient.pk).is_staff
    entry = AuditEntry.objects.get(action=AuditAction.ACCOUNT_CHANGED_BY_STAFF)
    assert entry.details["changes"] == {"is_staff": [False, True]}
    assert client.get(url(settings, f"auth/user/{patient.pk}/password/")).status_code == 403


def test_the_assessment_list_and_history_show_no_result(
    admin_user: Any, patient: Any, settings: Any
) -> None:
    # Listing is not an audited read (opening one is): the list, its filters and the pages
    # that name an assessment (history, titles) must not say how it came out.
    from tests.care.helpers import make_assessment

    admin_client = login(Client(raise_request_exception=False), admin_user, mfa=True)
    urgent = make_assessment("emergency", owner=patient)
    listed = admin_client.get(url(settings, "assessments/assessment/"))
    history = admin_client.get(url(settings, f"assessments/assessment/{urgent.pk}/history/"))
    filtered = admin_client.get(
        url(settings, "assessments/assessment/?disposition__exact=emergency")
    )
    for response in (listed, history):
        assert response.status_code == 200
        page = response.content.decode()
        assert str(urgent.pk) in page
        assert "mergency" not in page and "Disposition" not in page
    # Nor may the address filter by it (Django allows any field of the model otherwise).
    assert filtered.status_code == 400
    for lookup in ("disposition", "answers__icontains", "result__icontains"):
        refused = admin_client.get(url(settings, f"assessments/assessment/?{lookup}=emergency"))
        assert refused.status_code == 400 and str(urgent.pk) not in refused.content.decode()
    assert not AuditEntry.objects.filter(action=AuditAction.RECORD_VIEWED).exists()
    opened = admin_client.get(url(settings, f"assessments/assessment/{urgent.pk}/change/"))
    assert opened.status_code == 200 and "emergency" in opened.content.decode()
    assert AuditEntry.objects.filter(
        action=AuditAction.RECORD_VIEWED, subject_id=patient.pk, target_id=str(urgent.pk)
    ).exists()


def test_the_account_page_leads_an_admin_to_the_admin_site_and_nobody_else(
    admin_client: Client, patient: Any, settings: Any
) -> None:
    """The admin site's address is not guessable in production, so the one place an
    administrator starts from names it; a patient's or therapist's page does not."""
    link = f'href="/{settings.REHABIT_ADMIN_PATH}"'
    page = admin_client.get("/account/").content.decode()
    assert link in page and "Admin site: accounts, therapists, appointments" in page
    therapist = make_user("theo.therapist@example.org", role=THERAPIST, totp_secret=TOTP_SECRET)
    for user, mfa in ((patient, False), (therapist, True)):
        other = login(Client(), user, mfa=mfa).get("/account/")
        assert other.status_code == 200
        assert link not in other.content.decode()


def test_a_therapist_deactivated_by_an_admin_leaves_the_search_and_cannot_be_booked(
    admin_client: Client, patient: Any, settings: Any
) -> None:
    """Deactivated in the admin site, the therapist was still listed with free times and
    bookable (sessions nobody would attend, e-mails to them not sent)."""
    from rehabit.booking.messages import BookingRefused
    from rehabit.booking.models import Therapist
    from tests.booking.support import book, free_start, make_therapist

    therapist = make_therapist("Dana Departing")
    start = free_start(therapist)
    assert "Dana Departing" in Client().get("/booking/").content.decode()
    user = therapist.user
    response = admin_client.post(
        url(settings, f"auth/user/{user.pk}/change/"), account_form(user, is_active="")
    )
    assert response.status_code == 302
    assert not User.objects.get(pk=user.pk).is_active
    assert not Therapist.objects.get(pk=therapist.pk).is_listed
    assert "Dana Departing" not in Client().get("/booking/").content.decode()
    with pytest.raises(BookingRefused):
        book(patient, therapist, start)
    # Active again, the account is not listed until an administrator lists it.
    admin_client.post(url(settings, f"auth/user/{user.pk}/change/"), account_form(user))
    assert User.objects.get(pk=user.pk).is_active
    assert not Therapist.objects.get(pk=therapist.pk).is_listed


def test_deactivating_a_therapist_with_booked_sessions_says_how_many_remain(
    admin_client: Client, patient: Any, settings: Any
) -> None:
    """Their sessions stay booked (moving or cancelling is the admin's decision): the admin
    is told how many, so that no patient waits for a call nobody joins."""
    from datetime import timedelta

    from tests.booking.support import book, free_start, make_therapist

    therapist = make_therapist("Dana Booked")
    book(patient, therapist, free_start(therapist, after=timedelta(days=2)))
    book(patient, therapist, free_start(therapist, after=timedelta(days=4)))
    user = therapist.user
    response = admin_client.post(
        url(settings, f"auth/user/{user.pk}/change/"), account_form(user, is_active=""),
        follow=True,
    )  # fmt: skip
    assert "This therapist still has 2 booked sessions to come." in response.content.decode()
    idle = make_therapist("Ivy Idle")
    response = admin_client.post(
        url(settings, f"auth/user/{idle.user.pk}/change/"),
        account_form(idle.user, is_active=""),
        follow=True,
    )
    assert "booked session" not in response.content.decode()


@pytest.mark.parametrize(
    ("path", "refused", "allowed"),
    [
        (
            "accounts/profile/",
            ["date_of_birth__year=1981", "phone__startswith=%2B4477"],
            "time_zone=Europe/London",
        ),
        ("accounts/consentevent/", ["therapist__isnull=False"], "purpose=share_record"),
        ("booking/waitlistentry/", ["patient=1", "created_at__year=2026"], "status=waiting"),
        ("booking/appointment/", ["patient=1", "cancel_reason__icontains=numb"], "status=booked"),
    ],
)
def test_a_list_is_filtered_only_by_what_it_shows(
    admin_user: Any, settings: Any, path: str, refused: list[str], allowed: str
) -> None:
    """Django lets a list's address filter by any field of its model: an administrator
    without the record permission narrowed a patient's date of birth and phone down one
    query at a time from the profile list (a review). A filter must name a column, a
    filter or the date hierarchy of the list."""
    admin_client = login(Client(raise_request_exception=False), admin_user, mfa=True)
    assert admin_client.get(url(settings, path)).status_code == 200
    for lookup in refused:
        assert admin_client.get(url(settings, f"{path}?{lookup}")).status_code == 400, lookup
    # What the list shows, it may still be filtered by.
    assert admin_client.get(url(settings, f"{path}?{allowed}")).status_code == 200


def test_opening_a_waitlist_entry_is_an_audited_read_of_the_patients_record(
    admin_client: Client, patient: Any, settings: Any
) -> None:
    from rehabit.booking.models import WaitlistEntry

    entry = WaitlistEntry.objects.create(
        patient=patient, specialty="back", wanted_before=timezone.now() + timedelta(days=9)
    )
    opened = admin_client.get(url(settings, f"booking/waitlistentry/{entry.pk}/change/"))
    assert opened.status_code == 200
    assert AuditEntry.objects.filter(
        action=AuditAction.RECORD_VIEWED, subject_id=patient.pk, target_id=str(entry.pk)
    ).exists()


@pytest.mark.parametrize("method", ["options", "put", "patch", "delete"])
def test_the_admin_answers_only_get_head_and_post(
    admin_user: Any, patient: Any, settings: Any, method: str
) -> None:
    """Django's admin views treat any other method as a read: OPTIONS rendered a patient's
    assessment in full, past the audited-read check that looked for GET (security review 2,
    finding 1). Every admin address now refuses them."""
    from tests.care.helpers import make_assessment

    admin_client = login(Client(), admin_user, mfa=True)
    urgent = make_assessment("emergency", owner=patient)
    for path in (
        f"assessments/assessment/{urgent.pk}/change/",
        f"accounts/profile/{patient.profile.pk}/change/",
        f"auth/user/{patient.pk}/change/",
        "assessments/assessment/",
        "",
    ):
        response = getattr(admin_client, method)(url(settings, path))
        assert response.status_code == 405, (path, response.status_code)
        assert "mergency" not in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditAction.RECORD_VIEWED).exists()


def test_a_refused_change_that_shows_the_record_again_is_an_audited_read(
    admin_client: Client, patient: Any, settings: Any
) -> None:
    from tests.care.helpers import make_assessment

    urgent = make_assessment("emergency", owner=patient)
    response = admin_client.post(
        url(settings, f"assessments/assessment/{urgent.pk}/change/"), {"owner": "not a number"}
    )
    assert response.status_code in (200, 302, 403)
    assert AuditEntry.objects.filter(
        action=AuditAction.RECORD_VIEWED, subject_id=patient.pk, target_id=str(urgent.pk)
    ).exists()
