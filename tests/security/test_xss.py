"""Stored free text is escaped wherever it is shown."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from rehabit.accounts.models import Profile
from tests.accounts.helpers import login

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SHORT = "<b onclick=alert(1)>hi</b>"  # fits a 32-character field

# Free-text fields of our apps that a person can type, and the pages that show them.
FREE_TEXT = {
    ("accounts", "profile", "full_name"),
    ("accounts", "profile", "phone"),
    # Typed by an administrator inviting a therapist (test_invitation_text_renders_inert).
    ("accounts", "therapistinvitation", "email"),
    ("accounts", "therapistinvitation", "name"),
}


def test_every_free_text_field_of_our_apps_is_listed_here() -> None:
    """A new CharField/TextField that people can fill in must be added to FREE_TEXT (and
    shown escaped) - or to the list of server-set fields below."""
    server_set = {
        ("accounts", "profile", "time_zone"),  # validated choice
        ("accounts", "profile", "language"),  # validated choice
        ("accounts", "consentevent", "purpose"),
        ("accounts", "consentevent", "version"),
        ("accounts", "consentevent", "source"),
        ("accounts", "loginlockout", "key"),
        ("accounts", "therapistinvitation", "secret_hash"),
    }
    found = set()
    for label in ("accounts",):
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.get_fields():
                if isinstance(field, models.CharField | models.TextField):
                    found.add((label, model._meta.model_name, field.name))
    assert found == FREE_TEXT | server_set


def test_payload_in_profile_fields_renders_inert(
    patient: Any, admin_user: Any, settings: Any
) -> None:
    Profile.objects.filter(user=patient).update(full_name=PAYLOAD, phone=SHORT)
    pages = [
        (login(Client(), patient), "/account/"),
        (login(Client(), admin_user, mfa=True), f"/staff/patients/{patient.pk}/"),
        (
            login(Client(), admin_user, mfa=True),
            f"/{settings.REHABIT_ADMIN_PATH}accounts/profile/{patient.profile.pk}/change/",
        ),
    ]
    for client, url in pages:
        body = client.get(url).content.decode()
        assert PAYLOAD not in body and SHORT not in body, url
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body, url
        assert "&lt;b onclick=alert(1)&gt;" in body, url


def test_invitation_text_renders_inert(admin_user: Any) -> None:
    """A name typed by an administrator is shown escaped to administrators and to the
    invited person, whose form it prefills."""
    import re
    from email import message_from_bytes

    from rehabit.accounts.models import TherapistInvitation
    from rehabit.mail.models import OutgoingMessage
    from tests.booking.support import text_body

    admin = login(Client(), admin_user, mfa=True)
    response = admin.post(
        "/staff/invitations/", {"action": "invite", "email": "x@example.org", "name": PAYLOAD}
    )
    assert response.status_code == 302
    assert TherapistInvitation.objects.get().name == PAYLOAD
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    body = admin.get("/staff/invitations/").content.decode()
    assert PAYLOAD not in body and escaped in body
    mail = message_from_bytes(bytes(OutgoingMessage.objects.get(kind="invitation").content))
    link = re.search(r"https?://\S+(/invitation/\S+/)", text_body(mail))
    assert link is not None
    invited = Client()
    assert invited.get(link[1]).status_code == 302
    body = invited.get("/invitation/").content.decode()
    assert PAYLOAD not in body and escaped in body


def test_payload_through_the_profile_form_is_stored_as_text_and_escaped(patient: Any) -> None:
    client = login(Client(), patient)
    response = client.post(
        "/account/profile/",
        {
            "full_name": "Ann " + PAYLOAD,
            "date_of_birth": "1980-01-01",
            "time_zone": "UTC",
            "language": "en-gb",
            "phone": "",
        },
    )
    assert response.status_code == 302
    body = client.get("/account/").content.decode()
    assert "<script>alert" not in body and "&lt;script&gt;" in body


def test_payload_in_the_email_address_is_escaped_on_the_signup_error_page() -> None:
    response = Client().post("/account/signup/", {"email": PAYLOAD, "password1": "x"})
    assert PAYLOAD not in response.content.decode()
