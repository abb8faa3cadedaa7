"""What this browser did without an account before someone signs in (``rehabit.accounts
.earlier``): a check made in this sitting goes into the account by itself, with a message;
an older one does not (the browser may be a shared one) and the person is asked "Is this
check yours?" on a page that shows only its date and time."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from rehabit.accounts.earlier import waiting
from rehabit.assessments.claims import SESSION_KEY
from rehabit.assessments.models import Assessment
from rehabit.assessments.retention import erase_unclaimed
from tests.accounts.helpers import PASSWORD, assessment_for, sign_up
from tests.accounts.test_claims import anonymous_assessment

pytestmark = pytest.mark.django_db

SIGN_IN = datetime(2027, 1, 13, 9, 30, tzinfo=UTC)
PAGE = "/account/is-this-yours/"
# The patients' profiles are in Europe/London, which is on GMT in January.
FIVE_MINUTES_BEFORE = "Wednesday 13 January 2027, 09:25 (GMT, Europe/London)"
THREE_HOURS_BEFORE = "Wednesday 13 January 2027, 06:30 (GMT, Europe/London)"


@pytest.fixture(autouse=True)
def _just_after_the_sign_in() -> Iterator[None]:
    """What a test does not time itself happens just after the sign-in, so the session it
    reads is still valid at every test clock (tests/clock.py, scripts/test)."""
    with time_machine.travel(SIGN_IN + timedelta(minutes=3), tick=False):
        yield


def check_made(client: Client, before: timedelta) -> str:
    """A check done in this browser without an account, ``before`` the sign-in."""
    with time_machine.travel(SIGN_IN - before, tick=False):
        return anonymous_assessment(client)


def sign_in(client: Client, user: Any, at: datetime = SIGN_IN, **extra: str) -> Any:
    with time_machine.travel(at, tick=False):
        return client.post("/account/login/", {"login": user.email, "password": PASSWORD, **extra})


def page(client: Client, url: str = PAGE) -> str:
    with time_machine.travel(SIGN_IN + timedelta(minutes=1), tick=False):
        return str(client.get(url).content.decode())


def answer(client: Client, data: dict[str, str]) -> Any:
    with time_machine.travel(SIGN_IN + timedelta(minutes=2), tick=False):
        return client.post(PAGE, data)


def item_names(body: str) -> list[str]:
    return re.findall(r'name="item" value="([0-9a-f]+)"', body)


def text(body: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).replace("&#x27;", "'")


def test_a_check_made_five_minutes_before_sign_in_is_saved_with_a_message(patient: Any) -> None:
    client = Client()
    recent = check_made(client, timedelta(minutes=5))
    response = sign_in(client, patient)
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert Assessment.objects.get(pk=recent).owner == patient
    assert client.session[SESSION_KEY] == []
    body = text(page(client, "/account/"))
    assert f"Your check of {FIVE_MINUTES_BEFORE} is saved to your account." in body


def test_a_check_made_three_hours_before_is_not_attached_but_offered(patient: Any) -> None:
    client = Client()
    older = check_made(client, timedelta(hours=3))
    response = sign_in(client, patient)
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?next=%2Faccount%2F"
    assessment = Assessment.objects.get(pk=older)
    assert assessment.owner is None
    assert client.session[SESSION_KEY] == [older]  # still listed, waiting for the answer
    body = page(client, response["Location"])
    words = text(body)
    assert f"Is this check yours? It was done on {THREE_HOURS_BEFORE}." in words
    assert "Save to my account" in words and "Not mine" in words
    assert "saved to your account." not in words  # no message: nothing was saved
    days = settings.REHABIT_UNCLAIMED_ASSESSMENT_DAYS
    assert f"is erased {days} days after its last use." in words
    # Only the date and time: not the result, its address, or anything it says.
    assert older not in body
    for cause in assessment.result["causes"]:
        assert cause["name"] not in words
    assert assessment.result["disposition"]["headline"] not in words
    # Signed in, the result page (opened by its address) leads to the question too.
    result = page(client, f"/assessment/result/{older}/")
    assert f'href="{PAGE}?next=/assessment/result/{older}/"' in result
    assert "Create an account to keep it private" not in result


def test_an_explicit_next_is_kept_through_the_question(patient: Any) -> None:
    client = Client()
    check_made(client, timedelta(hours=3))
    response = sign_in(client, patient, next="/booking/")
    assert response["Location"] == f"{PAGE}?next={quote('/booking/', safe='')}"


def test_save_attaches_it_and_goes_on_where_the_person_was_going(patient: Any) -> None:
    client = Client()
    older = check_made(client, timedelta(hours=3))
    sign_in(client, patient)
    [token] = item_names(page(client, f"{PAGE}?next=/account/"))
    response = answer(client, {"item": token, "choice": "save", "next": "/account/"})
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert Assessment.objects.get(pk=older).owner == patient
    assert client.session[SESSION_KEY] == []
    body = text(page(client, "/account/"))
    assert f"Your check of {THREE_HOURS_BEFORE} is saved to your account." in body
    assert "Nothing from this browser is waiting for your answer." in text(page(client))


def test_save_takes_nothing_this_session_does_not_list_or_someone_owns(
    patient: Any, other_patient: Any
) -> None:
    victim = Client()
    theirs = check_made(victim, timedelta(hours=3))
    owned = assessment_for(other_patient)
    attacker = Client()
    session = attacker.session
    session[SESSION_KEY] = [str(owned.pk)]  # listed here, but someone's already
    session.save()
    sign_in(attacker, patient)
    assert "Is this check yours?" not in page(attacker)  # an owned one is never offered
    # Even knowing how the page names the victim's check, or its id, takes nothing.
    [victims] = waiting(victim.session)
    known = victims.token
    for item in (known, theirs, str(owned.pk)):
        response = answer(attacker, {"item": item, "choice": "save"})
        assert response.status_code == 422
        assert "That item is not waiting for an answer in this browser" in text(
            response.content.decode()
        )
    assert Assessment.objects.get(pk=theirs).owner is None
    assert Assessment.objects.get(pk=owned.pk).owner == other_patient


def test_not_mine_leaves_it_unowned_and_unlisted_until_retention_erases_it(
    patient: Any, settings: Any
) -> None:
    settings.REHABIT_UNCLAIMED_ASSESSMENT_DAYS = 90
    client = Client()
    older = check_made(client, timedelta(hours=3))
    recent = check_made(client, timedelta(minutes=5))
    sign_in(client, patient)
    [token] = item_names(page(client))
    response = answer(client, {"item": token, "choice": "not_mine"})
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert Assessment.objects.get(pk=older).owner is None
    assert Assessment.objects.get(pk=recent).owner == patient
    assert client.session[SESSION_KEY] == []
    body = text(page(client, "/account/"))
    assert (
        f"The check of {THREE_HOURS_BEFORE} is not saved to your account and is no longer "
        "listed in this browser." in body
    )
    # Its address still opens it (as any anonymous result's does) until it is erased.
    assert "can still open it until it is erased, 90 days after its last use" in body
    assert older not in page(client, "/account/")
    assert erase_unclaimed(SIGN_IN + timedelta(days=91)) == 1
    assert not Assessment.objects.filter(pk=older).exists()


def test_a_bad_or_missing_answer_gets_a_clear_message_and_changes_nothing(
    patient: Any,
) -> None:
    client = Client()
    older = check_made(client, timedelta(hours=3))
    sign_in(client, patient)
    [token] = item_names(page(client))
    for data, message in (
        ({"item": token, "choice": "maybe"}, "Choose “Save to my account” or “Not mine”."),
        ({"item": token}, "Choose “Save to my account” or “Not mine”."),
        ({"choice": "save"}, "Say which item your answer is about."),
        ({}, "Say which item your answer is about."),
    ):
        response = answer(client, data)
        assert response.status_code == 422, data
        body = text(response.content.decode())
        assert message in body and "There is a problem" in body, data
        assert "Is this check yours?" in body  # the question is still there to answer
    assert Assessment.objects.get(pk=older).owner is None
    assert client.session[SESSION_KEY] == [older]


def test_the_page_sends_a_signed_out_visitor_to_sign_in() -> None:
    client = Client()
    check_made(client, timedelta(hours=3))
    for response in (client.get(PAGE), client.post(PAGE, {"choice": "save"})):
        assert response.status_code == 302
        assert response["Location"].startswith("/account/login/?next=")


def test_the_page_refuses_a_post_without_its_csrf_token(patient: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    older = check_made(client, timedelta(hours=3))
    client.force_login(patient)
    [token] = item_names(page(client))
    assert client.post(PAGE, {"item": token, "choice": "save"}).status_code == 403
    assert Assessment.objects.get(pk=older).owner is None


def test_sign_up_follows_the_same_rule() -> None:
    client = Client()
    older = check_made(client, timedelta(hours=3))
    recent = check_made(client, timedelta(minutes=5))
    with time_machine.travel(SIGN_IN, tick=False):
        sign_up(client, "fresh@example.org")
    user = get_user_model().objects.get(email="fresh@example.org")
    assert Assessment.objects.get(pk=recent).owner == user
    assert Assessment.objects.get(pk=older).owner is None
    assert client.session[SESSION_KEY] == [older]
    # The new account has no zone yet: the time is in UTC, and says so.
    assert "Your check of Wednesday 13 January 2027, 09:25 (UTC) is saved to your account." in (
        text(page(client, "/account/confirm-email/"))
    )
    # Confirming the address signs the person in: then the older one is asked about.
    url = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
    with time_machine.travel(SIGN_IN + timedelta(minutes=3), tick=False):
        response = client.post(url)
    assert response.status_code == 302 and response["Location"].startswith(f"{PAGE}?next=")
    assert Assessment.objects.get(pk=older).owner is None


def test_the_window_is_a_setting(patient: Any, settings: Any) -> None:
    settings.REHABIT_CLAIM_WITHOUT_ASKING_MINUTES = 0  # always ask
    client = Client()
    recent = check_made(client, timedelta(minutes=5))
    response = sign_in(client, patient)
    assert response["Location"].startswith(PAGE)
    assert Assessment.objects.get(pk=recent).owner is None


def reauthenticate_for_deletion(client: Client) -> str:
    """The delete page after the password again (it asks for it first); its text."""
    reauth = client.get("/account/data/delete/")["Location"]
    assert client.post(reauth, {"password": PASSWORD}).status_code == 302
    response = client.get("/account/data/delete/")
    assert response.status_code == 200
    return text(response.content.decode())


def test_deleting_the_account_leaves_a_check_nobody_claimed_and_says_so(patient: Any) -> None:
    client = Client()
    older = check_made(client, timedelta(hours=3))
    sign_in(client, patient)
    body = reauthenticate_for_deletion(client)
    assert "This browser also lists a check or prevention session done here without an" in body
    assert "deleting your account does not erase it" in body
    # Which one, by its date and time only, with the two answers, coming back here.
    assert f"Is this check yours? It was done on {THREE_HOURS_BEFORE}." in body
    html = client.get("/account/data/delete/").content.decode()
    assert f'<form method="post" action="{PAGE}">' in html
    assert '<input type="hidden" name="next" value="/account/data/delete/">' in html
    assert len(item_names(html)) == 1 and older not in html

    response = client.post("/account/data/delete/", {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert not get_user_model().objects.filter(pk=patient.pk).exists()
    # Perhaps someone else's: left without an owner for the retention rule.
    assert Assessment.objects.filter(pk=older, owner__isnull=True).exists()


def test_a_check_saved_before_deleting_the_account_is_erased_with_it(patient: Any) -> None:
    client = Client()
    older = check_made(client, timedelta(hours=3))
    sign_in(client, patient)
    reauthenticate_for_deletion(client)
    [item] = item_names(client.get("/account/data/delete/").content.decode())
    response = answer(client, {"item": item, "choice": "save", "next": "/account/data/delete/"})
    assert response["Location"] == "/account/data/delete/"
    body = text(client.get("/account/data/delete/").content.decode())
    assert "This browser also lists" not in body

    client.post("/account/data/delete/", {"confirm": "on"})
    assert not Assessment.objects.filter(pk=older).exists()
