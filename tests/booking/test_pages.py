"""The booking pages through the Django test client: search, book, see, move, cancel,
join, the calendar feed, the availability editor and the therapist's patient summary."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from rehabit.audit.models import AuditEntry
from rehabit.booking.models import Appointment, Therapist
from rehabit.booking.presenters import iso_utc
from tests.accounts.helpers import assessment_for, login
from tests.booking.support import FIRST, book, free_start, make_therapist

pytestmark = pytest.mark.django_db


def book_url(
    therapist: Therapist, start: Any, zone: str = "Asia/Kolkata", kind: str = FIRST
) -> str:
    return (
        f"/booking/therapists/{therapist.pk}/book/?session={kind}&start={iso_utc(start)}&tz={zone}"
    )


def test_search_filters_by_specialty_and_language_and_shows_times_in_the_viewer_zone(
    therapist: Any,
) -> None:
    make_therapist("Kneel Knee", specialties=("knee",), languages=("es",), zone="America/New_York")
    page = Client().get("/booking/?specialty=hamstring&tz=Asia/Kolkata")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Tara Therapist" in html and "Kneel Knee" not in html
    assert "IST, Asia/Kolkata" in html
    spanish = Client().get("/booking/?language=es&tz=UTC").content.decode()
    assert "Kneel Knee" in spanish and "Tara Therapist" not in spanish


def test_an_unknown_time_zone_is_a_clear_message() -> None:
    page = Client().get("/booking/?tz=Mars/Olympus")
    assert page.status_code == 422
    assert "not a time zone we know" in page.content.decode()
    page = Client().get("/booking/?tz=europe/london")
    assert "Did you mean Europe/London?" in page.content.decode()


def test_the_therapist_page_lists_a_week_of_free_times(therapist: Any) -> None:
    page = Client().get(f"/booking/therapists/{therapist.pk}/?tz=Australia/Sydney")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Australia/Sydney" in html
    assert len(re.findall(r"/book/\?session=first_assessment", html)) > 20


def test_a_week_not_open_for_booking_yet_says_so_and_offers_no_later_week(
    therapist: Any,
) -> None:
    """Past the therapist's booking horizon a week is empty because it is not open yet,
    not because they are busy: the page says so, names the earliest free time as such, and
    leads no further."""
    from rehabit.booking.timefmt import in_zone

    zone = "Australia/Sydney"
    today = in_zone(timezone.now(), zone).date()
    url = f"/booking/therapists/{therapist.pk}/?tz={zone}&session={FIRST}"
    past = today + timedelta(days=therapist.horizon_days + 3)
    html = Client().get(f"{url}&start={past.isoformat()}").content.decode()
    assert f"{therapist.name} takes bookings up to {therapist.horizon_days} days ahead" in html
    # (in the daytime, on the page's clock: the page's default part of the day)
    assert "The earliest free time in the daytime is" in html
    assert "The next free time" not in html
    assert "Later week" not in html and "Earlier week" in html
    last_open = today + timedelta(days=therapist.horizon_days - 3)
    html = Client().get(f"{url}&start={last_open.isoformat()}").content.decode()
    assert 'id="not-open-yet"' not in html and "Later week" not in html
    html = Client().get(url).content.decode()
    assert 'id="not-open-yet"' not in html and "Later week" in html


def test_booking_needs_an_account_and_shows_both_zones(patient: Any, therapist: Any) -> None:
    start = free_start(therapist)
    anonymous = Client().get(book_url(therapist, start))
    html = anonymous.content.decode()
    assert anonymous.status_code == 200
    assert "Sign in to book" in html and "IST, Asia/Kolkata" in html and "Europe/London" in html
    assert Client().post(book_url(therapist, start), {}).status_code == 403
    assert not Appointment.objects.exists()


def test_book_see_move_and_cancel_through_the_pages(
    patient: Any, therapist: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = login(Client(), patient)
    start = free_start(therapist)
    form = client.get(book_url(therapist, start))
    assert form.status_code == 200
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', form.content.decode()).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            book_url(therapist, start), {"idempotency_key": key, "share_record": "on"}
        )
    assert done.status_code == 302
    appointment = Appointment.objects.get()
    assert (
        appointment.share_record and done["Location"] == f"/booking/appointments/{appointment.pk}/"
    )
    # A double click (same form, same key) does not book twice.
    again = client.post(book_url(therapist, start), {"idempotency_key": key, "share_record": "on"})
    assert again.status_code == 302 and Appointment.objects.count() == 1

    page = client.get(done["Location"]).content.decode()
    assert "Booked" in page and "IST, Asia/Kolkata" in page
    assert "until" in page and "24 hours before it starts" in page
    assert "The video call opens on" in page

    reschedule = client.get(f"/booking/appointments/{appointment.pk}/reschedule/")
    new_start = re.findall(r'name="start" value="([^"]+)"', reschedule.content.decode())[-1]
    confirm = client.post(
        f"/booking/appointments/{appointment.pk}/reschedule/", {"start": new_start}
    )
    assert confirm.status_code == 200 and "Confirm the new time" in confirm.content.decode()
    moved = client.post(
        f"/booking/appointments/{appointment.pk}/reschedule/",
        {"start": new_start, "confirm": "yes"},
    )
    assert moved.status_code == 302
    new = Appointment.objects.get(moved_from=appointment)
    # The old link (from the first e-mail) leads to the current time.
    assert client.get(f"/booking/appointments/{appointment.pk}/")["Location"].endswith(f"{new.pk}/")
    assert "Moved from" in client.get(f"/booking/appointments/{new.pk}/").content.decode()

    cancelled = client.post(f"/booking/appointments/{new.pk}/cancel/", {"reason": "Better"})
    assert cancelled.status_code == 302
    new.refresh_from_db()
    assert new.status == "cancelled"


def test_booking_a_time_someone_just_took_shows_alternatives(
    patient: Any, other_patient: Any, therapist: Any
) -> None:
    start = free_start(therapist)
    client = login(Client(), patient)
    key = re.search(
        r'name="idempotency_key" value="([0-9a-f]+)"',
        client.get(book_url(therapist, start)).content.decode(),
    ).group(1)
    book(other_patient, therapist, start)
    response = client.post(book_url(therapist, start), {"idempotency_key": key})
    html = response.content.decode()
    assert response.status_code == 409
    assert "just taken" in html and "The nearest free times" in html
    assert html.count("/book/?session=first_assessment") >= 3


@pytest.mark.parametrize(
    ("start", "words"),
    [
        ("2020-01-01T09:00:00Z", "already passed"),
        ("2026-13-45T99:00", "with its UTC offset"),
        ("2030-01-01T09:00:00", "with its UTC offset"),
    ],
)
def test_bad_times_in_an_edited_url_are_explained(
    patient: Any, therapist: Any, start: str, words: str
) -> None:
    client = login(Client(), patient)
    page = client.get(f"/booking/therapists/{therapist.pk}/book/?session={FIRST}&start={start}")
    assert page.status_code in {409, 422}
    assert words in page.content.decode()


def test_an_unoffered_session_type_in_the_url(patient: Any, therapist: Any) -> None:
    page = login(Client(), patient).get(book_url(therapist, free_start(therapist), kind="massage"))
    assert (
        page.status_code == 422 and "They offer: First assessment (45 min)" in page.content.decode()
    )


def test_the_join_link_opens_only_for_the_two_participants_from_ten_minutes_before(
    patient: Any, other_patient: Any, therapist: Any, settings: Any
) -> None:
    appointment = book(patient, therapist, free_start(therapist))
    url = f"/booking/appointments/{appointment.pk}/join/"
    client = login(Client(), patient)
    assert client.get(url).status_code == 403  # not open yet
    Appointment.objects.filter(pk=appointment.pk).update(
        start=timezone.now() + timedelta(minutes=9), end=timezone.now() + timedelta(minutes=54)
    )
    opened = client.get(url)
    assert opened.status_code == 302
    assert opened["Location"] == f"https://meet.jit.si/{appointment.room_name}"
    assert len(appointment.room_name) >= 32
    assert (
        "Join the video call"
        in client.get(f"/booking/appointments/{appointment.pk}/").content.decode()
    )
    assert login(Client(), other_patient).get(url).status_code == 404
    therapist_client = login(Client(), therapist.user, mfa=True)
    assert therapist_client.get(url).status_code == 302

    settings.REHABIT_JITSI_BASE_URL = "https://video.clinic.example"
    settings.REHABIT_JITSI_JWT_SECRET = "s3cret"
    settings.REHABIT_JITSI_APP_ID = "rehabit-app"
    location = client.get(url)["Location"]
    assert location.startswith(f"https://video.clinic.example/{appointment.room_name}?jwt=")
    token = parse_qs(urlsplit(location).query)["jwt"][0]
    import base64
    import hashlib
    import hmac
    import json

    head, claims, signature = token.split(".")
    expected = hmac.new(b"s3cret", f"{head}.{claims}".encode(), hashlib.sha256).digest()
    assert base64.urlsafe_b64decode(signature + "==") == expected
    payload = json.loads(base64.urlsafe_b64decode(claims + "=="))
    assert payload["room"] == appointment.room_name and payload["iss"] == "rehabit-app"
    assert payload["context"]["user"]["moderator"] is False


def test_the_calendar_feed_has_a_revocable_secret(patient: Any, therapist: Any) -> None:
    appointment = book(patient, therapist, free_start(therapist))
    client = login(Client(), patient)
    made = client.post("/booking/calendar/", {"action": "create"}).content.decode()
    url = re.search(r'id="feed-url">([^<]+)<', made).group(1)
    path = urlsplit(url).path
    feed = Client().get(path)
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    from icalendar import Calendar

    calendar = Calendar.from_ical(feed.content)
    assert [str(e["UID"]) for e in calendar.events] == [appointment.ical_uid]
    assert calendar.timezones[0].tz_name == "Asia/Kolkata"
    # The therapist's own feed holds the same session.
    therapist_client = login(Client(), therapist.user, mfa=True)
    made = therapist_client.post("/booking/calendar/", {"action": "create"}).content.decode()
    other = urlsplit(re.search(r'id="feed-url">([^<]+)<', made).group(1)).path
    assert appointment.ical_uid in Client().get(other).content.decode()
    client.post("/booking/calendar/", {"action": "revoke"})
    assert Client().get(path).status_code == 404
    assert Client().get("/booking/calendar/not-a-real-token.ics").status_code == 404


def _feed_path(client: Client) -> str:
    made = client.post("/booking/calendar/", {"action": "create"}).content.decode()
    return urlsplit(re.search(r'id="feed-url">([^<]+)<', made).group(1)).path


@pytest.mark.parametrize("change", ["password", "reset", "email", "deactivated"])
def test_taking_an_account_back_stops_its_calendar_feed(
    patient: Any, therapist: Any, change: str
) -> None:
    """Whoever recovers a stolen account changes its password or address: a feed link the
    thief made must stop with it (security review 2, finding 5)."""
    from allauth.account import signals
    from allauth.account.models import EmailAddress
    from django.core import mail

    from tests.accounts.helpers import PASSWORD

    book(patient, therapist, free_start(therapist))
    client = login(Client(), patient)
    path = _feed_path(client)
    assert Client().get(path).status_code == 200
    if change == "password":
        client.post("/account/reauthenticate/", {"password": PASSWORD})
        changed = client.post(
            "/account/password/change/",
            {"oldpassword": PASSWORD, "password1": "An0ther-long-secret", "password2":
             "An0ther-long-secret"},
        )  # fmt: skip
        assert changed.status_code == 302
    elif change == "reset":
        signals.password_reset.send(sender=type(patient), request=None, user=patient)
    elif change == "email":
        client.post("/account/reauthenticate/", {"password": PASSWORD})
        client.post("/account/email/", {"action_add": "", "email": "pat.new@example.org"})
        (sent,) = [m for m in mail.outbox if m.to == ["pat.new@example.org"]]
        confirm = re.search(r"/account/confirm-email/[^/\s]+/", sent.body).group(0)
        assert Client().post(confirm).status_code == 302
        assert EmailAddress.objects.get(user=patient).email == "pat.new@example.org"
    else:
        patient.is_active = False
        patient.save()
        patient.is_active = True
        patient.save()
    assert Client().get(path).status_code == 404
    # A new link works.
    patient.refresh_from_db()
    client = login(Client(), patient)
    assert Client().get(_feed_path(client)).status_code == 200


def test_the_therapist_sees_the_latest_assessment_only_with_consent_and_each_view_is_audited(
    patient: Any, therapist: Any
) -> None:
    from rehabit.care.models import Difficulty, ExerciseSession

    assessment = assessment_for(patient)
    ExerciseSession.objects.create(
        assessment=assessment,
        exercises=[],
        pain_during=4,
        pain_after=2,
        difficulty=Difficulty.values[0],
    )
    shared = book(patient, therapist, free_start(therapist), share_record=True)
    from rehabit.booking.people import set_sharing

    set_sharing(shared, None)  # what the booking page and API do with the box's choice
    client = login(Client(), therapist.user, mfa=True)
    page = client.get(f"/booking/appointments/{shared.pk}/").content.decode()
    assert "What the patient told Rehabit" in page
    assert "Likely causes and why" in page and "Warning signs (red flags)" in page
    assert "Pain during (0-10)" in page and "<td>4</td>" in page
    views = AuditEntry.objects.filter(action="record.viewed", subject_id=patient.pk)
    assert views.count() == 1
    client.get(f"/booking/appointments/{shared.pk}/")
    assert views.count() == 2
    # Withdrawing consent takes effect at once.
    from rehabit.accounts.consent import set_sharing as share_record_with

    share_record_with(patient, therapist.user, False)
    page = client.get(f"/booking/appointments/{shared.pk}/").content.decode()
    assert "Likely causes and why" not in page and "does not share" in page
    assert (
        AuditEntry.objects.filter(action="record.access_denied", subject_id=patient.pk).count() == 1
    )


def test_a_patient_who_chose_not_to_share_is_not_shown(patient: Any, therapist: Any) -> None:
    assessment_for(patient)
    private = book(patient, therapist, free_start(therapist), share_record=False)
    page = login(Client(), therapist.user, mfa=True).get(f"/booking/appointments/{private.pk}/")
    assert "chose not to share" in page.content.decode()
    assert not AuditEntry.objects.filter(action="record.viewed").exists()


def test_only_the_therapist_and_admins_edit_availability(
    therapist: Any, patient: Any, admin_user: Any
) -> None:
    other = make_therapist("Otto Other")
    own = login(Client(), therapist.user, mfa=True)
    assert own.get(f"/booking/therapists/{other.pk}/availability/").status_code == 404
    assert login(Client(), patient).get("/booking/availability/").status_code == 403
    assert Client().get("/booking/availability/").status_code == 403
    admin = login(Client(), admin_user, mfa=True)
    assert admin.get(f"/booking/therapists/{other.pk}/availability/").status_code == 200


def test_the_assessment_result_links_to_the_right_specialty(db: Any) -> None:
    assessment = assessment_for(None)
    html = Client().get(f"/assessment/result/{assessment.pk}/").content.decode()
    from rehabit.booking.specialties import specialty_for

    expected = specialty_for(assessment.result["causes"])
    if assessment.result["disposition"]["level"] != "emergency":
        assert f"/booking/?specialty={expected}" in html


def test_search_with_no_therapist_at_all(db: Any) -> None:
    page = Client().get("/booking/?specialty=elbow")
    assert page.status_code == 200 and "0 therapists" in page.content.decode()


def test_the_search_shows_twenty_therapists_a_page_soonest_first_and_links_the_rest(
    db: Any,
) -> None:
    # 25 therapists, each free from a different hour: the soonest twenty come first.
    for i in range(25):
        make_therapist(f"Therapist {i:02d}", with_user=False, notice_minutes=60 * (i + 1))
    first = Client().get("/booking/?tz=UTC").content.decode()
    assert "25 therapists" in first and "Showing 1 to 20" in first
    assert "Therapist 00" in first and "Therapist 19" in first and "Therapist 20" not in first
    more = re.search(r'<a href="([^"]+)">More therapists \(after 20\)', first).group(1)
    second = Client().get(more.replace("&amp;", "&")).content.decode()
    assert "Showing 21 to 25" in second and "Therapist 20" in second and "Therapist 24" in second
    assert "Therapist 00" not in second and "Previous therapists" in second
    # A page number the site never wrote is the nearest page there is, not an error.
    for odd in ("0", "-3", "abc", "99999999999", "\u0663", "9" * 40):
        page = Client().get("/booking/", {"tz": "UTC", "page": odd})
        assert page.status_code == 200
        html = page.content.decode()
        assert "Therapist 00" in html or "Therapist 24" in html
    assert "Therapist 24" in Client().get("/booking/?tz=UTC&page=7").content.decode()


def _selected(html: str, name: str) -> list[str]:
    """The values a page's select ``name`` shows as chosen."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select is not None, name
    return re.findall(r'<option value="([^"]*)"[^>]*\bselected\b', select.group(0))


def test_a_link_without_a_zone_shows_the_zone_its_times_are_in_in_the_selector(
    patient: Any, therapist: Any
) -> None:
    """A result links to ``/booking/?specialty=...``: the zone selector must name the zone
    the times are shown in (the person's), not the first zone of the list."""
    client = login(Client(), patient)
    html = client.get("/booking/?specialty=hamstring").content.decode()
    assert "IST, Asia/Kolkata" in html
    assert _selected(html, "tz") == ["Asia/Kolkata"]
    assert _selected(html, "specialty") == ["hamstring"]
    assert _selected(html, "session") == ["first_assessment"]
    week = client.get(f"/booking/therapists/{therapist.pk}/?session=first_assessment")
    assert _selected(week.content.decode(), "tz") == ["Asia/Kolkata"]
    # A zone given, even a wrong one, stays as given beside its error.
    wrong = client.get("/booking/?specialty=hamstring&tz=Mars/Olympus").content.decode()
    assert _selected(wrong, "tz") == []


@pytest.mark.parametrize(("given", "listed"), [("Asia/Calcutta", "Asia/Kolkata"),
                                                ("US/Eastern", "America/New_York")])  # fmt: skip
def test_a_zone_under_another_name_is_shown_as_the_list_names_it(
    client: Client, therapist: Any, given: str, listed: str
) -> None:
    # The list offers each zone once (phone walk 5: Asia/Calcutta beside Asia/Kolkata); a
    # link or a browser that gives the other name gets the same clock, chosen in the list.
    html = client.get(f"/booking/?tz={given}").content.decode()
    assert _selected(html, "tz") == [listed]
    assert f'value="{given}"' not in html and "is not a time zone" not in html


def test_the_zone_selector_names_each_zones_offset_now(db: Any) -> None:
    """A person who does not know their zone's city finds it by its offset from UTC, the
    one in force now (January: New York is five hours behind); the values stay the ids."""
    import time_machine

    with time_machine.travel(datetime(2027, 1, 13, 9, 30, tzinfo=UTC), tick=False):
        html = Client().get("/booking/?tz=America/New_York").content.decode()
    assert (
        '<option value="America/New_York" selected>America/\u200bNew York (UTC\u221205:00)</option>'
    ) in html
    assert '<option value="Asia/Kolkata">Asia/\u200bKolkata (UTC+05:30)</option>' in html
    assert '<option value="UTC">UTC</option>' in html
    assert _selected(html, "tz") == ["America/New_York"]


def test_a_cancellation_reason_too_long_is_explained_and_kept(patient: Any, therapist: Any) -> None:
    # Found by a phone walk: the page came back with the text and no word of what was wrong.
    appointment = book(patient, therapist, free_start(therapist))
    client = login(Client(), patient)
    reason = "My daughter cannot drive me 🚗 " + "x" * 300
    response = client.post(f"/booking/appointments/{appointment.pk}/cancel/", {"reason": reason})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    message = re.search(r'<div class="error-message" id="id_reason_error">(.*?)</div>', html, re.S)
    expected = "Keep the reason to 300 characters or fewer (it has 330)."
    assert message and expected in message.group(1)
    assert re.search(
        r'<textarea[^>]*aria-describedby="[^"]*id_reason_error"[^>]*aria-invalid', html
    )
    # The label names who reads it, and the hint says how long it may be (phone walk 5:
    # "shown to the other person", and a limit nobody was told of).
    assert f"Reason (optional, shown to {escape(therapist.name)})" in html
    assert "Up to 300 characters." in html
    assert escape(reason) in html
    appointment.refresh_from_db()
    assert appointment.status == "booked"


def test_the_share_box_is_described_by_its_hint(patient: Any, therapist: Any) -> None:
    # Found by a phone walk: the box pointed at a hint id that did not exist.
    html = login(Client(), patient).get(book_url(therapist, free_start(therapist))).content
    page = html.decode()
    described = re.search(r'name="share_record"[^>]*aria-describedby="([^"]+)"', page)
    assert described and f'id="{described.group(1)}"' in page


def test_a_time_less_than_the_change_window_away_says_it_cannot_be_changed_online(
    patient: Any, therapist: Any
) -> None:
    """Walk 4: a runner booked tomorrow 09:00 (12 hours' notice suffices) and read, before
    and after booking, "You can cancel or move this appointment online until" a time
    already gone. Inside the window the pages say what holds: no change online."""
    client = login(Client(), patient)
    start = free_start(therapist, after=timedelta(hours=2))
    assert start - timezone.now() < timedelta(hours=24)
    form = client.get(book_url(therapist, start)).content.decode()
    assert (
        "This session starts in less than 24 hours: once booked, it cannot be cancelled or "
        "moved online" in form
    )
    assert "You can cancel or move this appointment online until" not in form
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', form).group(1)
    done = client.post(book_url(therapist, start), {"idempotency_key": key})
    assert done.status_code == 302
    page = client.get(done["Location"]).content.decode()
    assert "This appointment can no longer be cancelled or moved online" in page
    assert "24 hours before it starts" in page
    assert "You can cancel or move this appointment online until" not in page
    assert "Move to another time" not in page

    # A time further away keeps the deadline, as before.
    later = free_start(therapist, after=timedelta(days=3))
    form = client.get(book_url(therapist, later)).content.decode()
    assert "You can cancel or move this appointment online until" in form
    assert "less than 24 hours" not in form


def test_back_to_the_booking_page_after_booking_shows_the_appointment(
    patient: Any, other_patient: Any, therapist: Any
) -> None:
    """Walk 4: pressing Back after booking showed "Sorry, that time was just taken", taken by
    the person themself. Their own booking now leads to their appointment; anyone else is
    still told the time is taken."""
    client = login(Client(), patient)
    start = free_start(therapist)
    form = client.get(book_url(therapist, start)).content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', form).group(1)
    done = client.post(book_url(therapist, start), {"idempotency_key": key})
    assert done.status_code == 302
    again = client.get(book_url(therapist, start))
    assert again.status_code == 302 and again["Location"] == done["Location"]
    page = client.get(again["Location"]).content.decode()
    assert "You have booked this time: here is your appointment." in page
    other = login(Client(), other_patient).get(book_url(therapist, start))
    assert "You have booked this time" not in other.content.decode()
    assert other.status_code != 302


def test_booking_after_a_check_that_said_see_a_doctor_first_says_so(
    patient: Any, therapist: Any
) -> None:
    """A phone walk booked a video session for the same afternoon after "See a doctor
    today", and no booking page said a word."""
    from rehabit.assessments.models import Assessment
    from tests.care.helpers import make_assessment

    client = login(Client(), patient)
    url = book_url(therapist, free_start(therapist))
    assert 'id="doctor-first"' not in client.get(url).content.decode()
    earlier = make_assessment("self_care", owner=patient)
    assert 'id="doctor-first"' not in client.get(url).content.decode()
    urgent = make_assessment("urgent", owner=patient)
    Assessment.objects.filter(pk=earlier.pk).update(
        created_at=urgent.created_at - timedelta(minutes=5)
    )
    page = client.get(url).content.decode()
    assert "said to see a doctor first" in page
    assert "A video session with a physiotherapist does not replace that." in page
    assert f"/assessment/result/{urgent.pk}/" in page
    # Only the latest check speaks, and only while it is recent.
    later = make_assessment("self_care", owner=patient)
    Assessment.objects.filter(pk=later.pk).update(
        created_at=urgent.created_at + timedelta(minutes=5)
    )
    assert 'id="doctor-first"' not in client.get(url).content.decode()
    later.delete()
    Assessment.objects.filter(pk=urgent.pk).update(created_at=timezone.now() - timedelta(days=15))
    assert 'id="doctor-first"' not in client.get(url).content.decode()
    # Someone else's urgent check says nothing to this patient.
    assert "doctor-first" not in Client().get(url).content.decode()


@pytest.mark.parametrize("zone", ["America/Chicago", "Asia/Kolkata", "Australia/Sydney"])
def test_every_free_time_shown_carries_its_zone(therapist: Any, zone: str) -> None:
    """A list of times under a therapist who "works in New York time" must not be read as
    New York's: each time says its own zone (phone walk 8), and a list across a clock
    change says each one's."""
    from rehabit.booking.timefmt import format_zone_short

    pages = {
        "search": Client().get(f"/booking/?tz={zone}").content.decode(),
        "therapist": Client()
        .get(f"/booking/therapists/{therapist.pk}/?tz={zone}&session={FIRST}")
        .content.decode(),
    }
    for name, html in pages.items():
        links = re.findall(r'<a href="([^"]*/book/\?[^"]*)"[^>]*>([^<]+)</a>', html)
        assert links, name
        for href, text in links:
            start = parse_qs(urlsplit(href.replace("&amp;", "&")).query)["start"][0]
            moment = datetime.fromisoformat(start.replace("Z", "+00:00"))
            assert text.endswith(" " + format_zone_short(moment, zone)), (name, text)
