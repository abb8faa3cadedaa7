"""The therapist's workspace pages: home (next session, attention, today, this week),
the schedule, the profile, and who else is refused or told what is missing."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from rehabit.booking import attention
from rehabit.booking.models import SessionType, Therapist, TherapistSpecialty
from tests.accounts.helpers import TOTP_SECRET, login, make_user
from tests.booking.support import book, free_start, make_patient, make_therapist

pytestmark = pytest.mark.django_db


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_home_shows_the_next_session_with_its_join_button_in_the_therapists_zone(
    patient: Any,
) -> None:
    therapist = make_therapist("Kiri Kolkata", zone="Asia/Kolkata")
    start = free_start(therapist, after=timedelta(minutes=65))
    booked = book(patient, therapist, start)
    client = login(Client(), therapist.user, mfa=True)
    html = page(client, "/therapist/")
    local = start.astimezone(ZoneInfo("Asia/Kolkata"))
    assert "IST, Asia/Kolkata" in html
    assert local.strftime("%H:%M") in html and "Pat Booker" in html
    assert "The video room opens" in html and f"/booking/appointments/{booked.pk}/join/" not in html
    # Ten minutes before the start the join button is there.
    with _at(start - timedelta(minutes=9)):
        html = page(login(Client(), therapist.user, mfa=True), "/therapist/")
        assert f'href="/booking/appointments/{booked.pk}/join/"' in html
        assert "Join the video call" in html


def _at(moment: Any) -> Any:
    import time_machine

    return time_machine.travel(moment, tick=False)


def test_home_lists_todays_and_this_weeks_sessions_in_an_accessible_table(patient: Any) -> None:
    therapist = make_therapist("Tara Therapist")
    start = free_start(therapist, after=timedelta(hours=2))
    book(patient, therapist, start)
    html = page(login(Client(), therapist.user, mfa=True), "/therapist/")
    # Today and the six days after it, whatever the day (phone walk 5: on a Sunday the
    # calendar week was all behind, and the next session was not in it).
    today = timezone.now().astimezone(ZoneInfo("Europe/London")).date()
    last = today + timedelta(days=6)
    caption = f'<caption id="week-caption">{today:%A} {today.day} {today:%B} to {last:%A}'
    assert '<table class="week-table">' in html and caption in html
    assert '<h2 id="week-title">The next 7 days</h2>' in html
    assert 'role="region" aria-labelledby="week-caption"' in html  # scrolls on a phone
    assert html.count('<th scope="row">') == 7
    local = start.astimezone(ZoneInfo("Europe/London"))
    assert f"{local:%H:%M}–" in html
    first_row = html.index('<tr class="today" aria-current="date">')
    assert first_row < html.index('<th scope="row">')


def test_new_bookings_since_the_last_visit_need_attention(patient: Any, other_patient: Any) -> None:
    therapist = make_therapist("Tara Therapist")
    client = login(Client(), therapist.user, mfa=True)
    book(patient, therapist, free_start(therapist))
    html = page(client, "/therapist/")
    assert "Pat Booker booked a first assessment" in html
    # Next session (a new sign-in): only what came after the last visit.
    client = login(Client(), therapist.user, mfa=True)
    html = page(client, "/therapist/")
    assert "Nothing new since your last visit." in html
    book(other_patient, therapist, free_start(therapist, after=timedelta(days=4)))
    client = login(Client(), therapist.user, mfa=True)
    html = page(client, "/therapist/")
    assert "Olive Other booked" in html and "Pat Booker booked" not in html


def test_other_apps_add_attention_items_through_the_hook(db: Any) -> None:
    therapist = make_therapist("Tara Therapist")
    now = timezone.now()

    def unread(t: Any, since: Any, at: Any) -> list[attention.AttentionItem]:
        if t.pk != therapist.pk:
            return []
        return [attention.AttentionItem("unread_message", "Pat", "Pat wrote to you.", "/x/", at)]

    attention.register(unread)
    try:
        items = attention.needing_attention(therapist, None, now)
        assert [i.kind for i in items] == ["unread_message"]
        html = page(login(Client(), therapist.user, mfa=True), "/therapist/")
        assert "Pat wrote to you." in html
    finally:
        attention._sources.remove(unread)


def test_the_schedule_shows_a_week_or_a_day_and_refuses_a_bad_date(patient: Any) -> None:
    therapist = make_therapist("Tara Therapist")
    start = free_start(therapist, after=timedelta(days=8))
    book(patient, therapist, start)
    client = login(Client(), therapist.user, mfa=True)
    local = start.astimezone(ZoneInfo("Europe/London"))
    week = page(client, f"/therapist/schedule/?date={local.date().isoformat()}")
    assert "Pat Booker" in week and f"{local:%H:%M}–" in week
    day = page(client, f"/therapist/schedule/?view=day&date={local.date().isoformat()}")
    assert "Pat Booker" in day and "Previous day" in day
    other_day = (local.date() + timedelta(days=1)).isoformat()
    assert "Pat Booker" not in page(client, f"/therapist/schedule/?view=day&date={other_day}")
    bad = page(client, "/therapist/schedule/?date=3000-01-01", status=422)
    assert "Give a date from 1900-01-01 to 2199-12-31." in bad


def test_a_week_across_a_clock_change_names_each_times_zone(patient: Any) -> None:
    therapist = make_therapist("Tara Therapist")
    html = page(login(Client(), therapist.user, mfa=True), "/therapist/schedule/?date=2027-03-28")
    assert "Week of 22 March to 28 March 2027" in html
    assert "Sunday 28 March" in html


def test_the_profile_page_edits_what_patients_see(db: Any) -> None:
    therapist = make_therapist("Tara Therapist")
    client = login(Client(), therapist.user, mfa=True)
    html = page(client, "/therapist/profile/")
    assert re.search(r'value="hamstring"[^>]*checked', html)
    assert not re.search(r'value="back"[^>]*checked', html)
    form = {
        "name": "Tara T. Therapist",
        "title": "Physiotherapist",
        "bio": "Runner.",
        "specialties": ["hamstring", "back"],
        "languages": ["en", "fr"],
        "time_zone": "Europe/Paris",
        "duration_first_assessment": "50",
        "duration_follow_up": "",
    }
    bad = client.post("/therapist/profile/", {**form, "specialties": [], "time_zone": "Mars/Base"})
    assert bad.status_code == 422
    text = bad.content.decode()
    assert "Choose at least one thing you help with." in text and "Runner." in text
    assert client.post("/therapist/profile/", form).status_code == 302
    therapist.refresh_from_db()
    assert therapist.name == "Tara T. Therapist" and therapist.time_zone == "Europe/Paris"
    assert set(therapist.specialties.values_list("specialty", flat=True)) == {"hamstring", "back"}
    offered = SessionType.objects.filter(therapist=therapist, is_offered=True)
    assert list(offered.values_list("kind", "duration_minutes")) == [("first_assessment", 50)]
    assert therapist.user.profile.time_zone == "Europe/Paris"
    none_offered = client.post(
        "/therapist/profile/", {**form, "duration_first_assessment": ""}
    ).content.decode()
    assert "Offer at least one kind of session" in none_offered


def test_a_therapist_without_a_record_is_told_what_is_missing_and_who_can_fix_it(
    db: Any,
) -> None:
    user = make_user("new.t@example.org", role="therapist", totp_secret=TOTP_SECRET)
    client = login(Client(), user, mfa=True)
    for url in (
        "/therapist/",
        "/therapist/schedule/",
        "/therapist/profile/",
        "/booking/availability/",
    ):
        html = page(client, url, status=409)
        assert "Your therapist profile is not set up yet" in html
        assert 'href="/therapist/welcome/"' in html and "ask a Rehabit administrator" in html


def test_an_admin_without_a_record_is_pointed_at_the_therapists(admin_user: Any) -> None:
    other = make_therapist("Otto Other")
    html = page(login(Client(), admin_user, mfa=True), "/booking/availability/", status=409)
    assert f"/booking/therapists/{other.pk}/availability/" in html
    assert "/staff/invitations/" in html


def test_patients_and_visitors_are_refused(patient: Any) -> None:
    for url in (
        "/therapist/",
        "/therapist/schedule/",
        "/therapist/profile/",
        "/booking/availability/",
    ):
        html = page(login(Client(), patient), url, status=403)
        assert "This page is for Rehabit's therapists" in html
        assert Client().get(url).status_code == 403


def test_each_therapist_sees_only_their_own_sessions(patient: Any, other_patient: Any) -> None:
    mine = make_therapist("Tara Therapist")
    theirs = make_therapist("Otto Other")
    book(patient, mine, free_start(mine, after=timedelta(hours=3)))
    book(other_patient, theirs, free_start(theirs, after=timedelta(hours=3)))
    html = page(login(Client(), mine.user, mfa=True), "/therapist/")
    assert "Pat Booker" in html and "Olive Other" not in html


def test_the_therapist_navigation_is_shown_to_therapists_only(patient: Any) -> None:
    therapist = make_therapist("Tara Therapist")
    html = page(login(Client(), therapist.user, mfa=True), "/therapist/")
    assert 'aria-label="Therapist workspace"' in html
    assert 'href="/booking/availability/"' in html and 'href="/therapist/schedule/"' in html
    assert '<a href="/therapist/" aria-current="page">Today</a>' in html
    # Pages of other apps appear once their URL names exist (rehabit.clinic's messages).
    assert '<a href="/clinic/messages/">Messages</a>' in html
    assert 'aria-label="Therapist workspace"' not in page(login(Client(), patient), "/account/")
    assert 'aria-label="Therapist workspace"' not in page(Client(), "/")


def test_a_therapist_lands_on_the_workspace_after_sign_in_and_totp(db: Any) -> None:
    from tests.accounts.helpers import PASSWORD, totp_code

    therapist = make_therapist("Tara Therapist")
    client = Client()
    response = client.post("/account/login/", {"login": therapist.user.email, "password": PASSWORD})
    assert response["Location"] == "/account/2fa/authenticate/"
    response = client.post("/account/2fa/authenticate/", {"code": totp_code(TOTP_SECRET)})
    assert response.status_code == 302 and response["Location"] == "/therapist/"
    assert "Today," in page(client, "/therapist/")


def test_listed_flag_and_specialties_stay_with_the_therapist(db: Any) -> None:
    therapist = make_therapist("Tara Therapist")
    Therapist.objects.filter(pk=therapist.pk).update(is_listed=False)
    html = page(login(Client(), therapist.user, mfa=True), "/therapist/profile/")
    assert "Not listed: patients cannot find or book you." in html
    assert TherapistSpecialty.objects.filter(therapist=therapist).count() == 1


def test_warning_signs_come_before_new_bookings(db: Any) -> None:
    therapist = make_therapist("Tara Therapist")
    now = timezone.now()
    sign = attention.AttentionItem("warning_sign", "A", "A: warning sign", "/a/", now)
    older = attention.AttentionItem(
        "warning_sign", "B", "B: warning sign", "/b/", now - timedelta(1)
    )
    booking = attention.AttentionItem("new_booking", "C", "C booked", "/c/", now + timedelta(1))

    def source(t: Any, since: Any, at: Any) -> list[attention.AttentionItem]:
        return [booking, older, sign]

    attention.register(source)
    try:
        assert attention.needing_attention(therapist, None, now)[:3] == [sign, older, booking]
    finally:
        attention._sources.remove(source)


def test_the_pages_read_the_same_number_of_queries_however_many_sessions(db: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    therapist = make_therapist("Tara Therapist")
    client = login(Client(), therapist.user, mfa=True)
    urls = ("/therapist/", "/therapist/schedule/", "/api/v1/therapist/schedule")
    counts = []
    for batch in range(2):
        for i in range(1 + 5 * batch):
            patient = make_patient(f"p{batch}.{i}@example.org", f"Patient {batch}.{i}")
            book(patient, therapist, free_start(therapist, after=timedelta(hours=2)))
        client.get("/therapist/")  # the first visit of a session records it
        with CaptureQueriesContext(connection) as queries:
            for url in urls:
                assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
