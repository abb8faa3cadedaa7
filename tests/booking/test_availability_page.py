"""The availability page: the usual week as a grid of time ranges (round trip, add and
remove without JavaScript, pasted hours as an import, a message at each wrong field and
nothing lost), the notice in hours, dates with other hours and time off on a month
calendar; every change audited."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from html import unescape
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from rehabit.audit.models import AuditEntry
from rehabit.booking.models import DateOverride, Therapist, TimeOff, WorkingHours
from rehabit.booking.timefmt import format_when
from tests.accounts.helpers import login
from tests.booking.support import make_therapist

pytestmark = pytest.mark.django_db

URL = "/booking/availability/"


@pytest.fixture
def tara(db: Any) -> Therapist:
    return make_therapist(
        "Tara Therapist",
        hours={0: ((time(9), time(12)), (time(13), time(17))), 5: ((time(22), time(2)),)},
    )


def stored(therapist: Therapist) -> list[tuple[int, str, str]]:
    rows = WorkingHours.objects.filter(therapist=therapist).values_list("weekday", "start", "end")
    return sorted((d, s.strftime("%H:%M"), e.strftime("%H:%M")) for d, s, e in rows)


def grid_fields(html: str) -> dict[str, str]:
    """What the grid would post back as it is shown (inputs of the week form)."""
    form = html[html.index("data-grid-form") : html.index("</form>", html.index("data-grid-form"))]
    fields = {}
    for tag in re.findall(r"<input[^>]+>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or not re.match(r"d\d-\d+-", name[1]):
            continue
        if 'type="checkbox"' in tag:
            if " checked" in tag:
                fields[name[1]] = "1"
            continue
        value = re.search(r'value="([^"]*)"', tag)
        fields[name[1]] = value[1] if value else ""
    return fields


def test_the_grid_shows_the_stored_week_and_saving_it_unchanged_changes_nothing(
    tara: Therapist,
) -> None:
    client = login(Client(), tara.user, mfa=True)
    before = stored(tara)
    html = client.get(URL).content.decode()
    fields = grid_fields(html)
    assert fields["d0-0-start"] == "09:00" and fields["d0-1-end"] == "17:00"
    assert fields["d5-0-start"] == "22:00" and fields["d5-0-next"] == "1"
    assert fields["d1-0-start"] == ""  # an empty day shows one blank row
    response = client.post(URL, {"action": "weekly", **fields})
    assert response.status_code == 302
    assert stored(tara) == before
    assert "Your availability was saved." in client.get(URL).content.decode()


def test_a_new_week_from_the_grid_is_stored_and_shown_again(tara: Therapist) -> None:
    client = login(Client(), tara.user, mfa=True)
    week = {
        "d1-0-start": "08:30",
        "d1-0-end": "12:00",
        "d1-3-start": "13:00",
        "d1-3-end": "00:00",
        "d4-0-start": "20:00",
        "d4-0-end": "01:00",
        "d4-0-next": "1",
        "d6-0-start": "",
        "d6-0-end": "",
    }
    assert client.post(URL, {"action": "weekly", **week}).status_code == 302
    assert stored(tara) == [
        (1, "08:30", "12:00"),
        (1, "13:00", "00:00"),
        (4, "20:00", "01:00"),
    ]
    shown = grid_fields(client.get(URL).content.decode())
    assert shown["d1-1-start"] == "13:00" and shown["d1-1-end"] == "00:00"
    assert "d1-1-next" not in shown and shown["d4-0-next"] == "1"
    entry = AuditEntry.objects.filter(action="booking.availability_changed").latest("event_time")
    assert entry.details == {"what": "weekly_hours"} and entry.actor_id == tara.user_id


def test_mistakes_are_named_at_each_field_and_nothing_typed_is_lost(tara: Therapist) -> None:
    client = login(Client(), tara.user, mfa=True)
    before = stored(tara)
    sent = {
        "action": "weekly",
        "d0-0-start": "09:00",
        "d0-0-end": "12:00",
        "d0-1-start": "11:00",
        "d0-1-end": "14:00",
        "d2-0-start": "17:00",
        "d2-0-end": "09:00",
        "d3-0-start": "10:00",
    }
    response = client.post(URL, sent)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Monday, range 2: 11:00–14:00 overlaps 09:00–12:00" in html
    assert "Wednesday, range 1: the end (09:00) is before the start (17:00)" in html
    assert "Thursday, range 1: give both a start and an end" in html
    # The summary links to the fields, which say they are wrong.
    assert 'href="#id_d0-1-start"' in html and 'href="#id_d2-0-end"' in html
    assert re.search(r'id="id_d2-0-end"[^>]*aria-invalid="true"', html)
    shown = grid_fields(html)
    for name, value in sent.items():
        if name != "action":
            assert shown[name] == value
    assert stored(tara) == before


def test_adding_and_removing_a_range_works_without_javascript(tara: Therapist) -> None:
    client = login(Client(), tara.user, mfa=True)
    fields = grid_fields(client.get(URL).content.decode())
    added = client.post(URL, {**fields, "d0-1-start": "14:00", "add": "0"})
    assert added.status_code == 200
    shown = grid_fields(added.content.decode())
    assert shown["d0-1-start"] == "14:00"  # the unsaved edit is kept
    assert shown["d0-2-start"] == "" and "A range was added to Monday" in added.content.decode()
    removed = client.post(URL, {**shown, "remove": "0-0"})
    shown = grid_fields(removed.content.decode())
    # Rows are numbered again from 0: the edited range first, then the blank one.
    assert shown["d0-0-start"] == "14:00" and shown["d0-1-start"] == ""
    assert "d0-2-start" not in shown
    assert "Save the week to keep the change" in removed.content.decode()
    assert stored(tara)[0] == (0, "09:00", "12:00")  # nothing saved yet
    assert client.post(URL, {"action": "weekly", **shown}).status_code == 302
    assert [row for row in stored(tara) if row[0] == 0] == [(0, "14:00", "17:00")]


def test_pasted_hours_fill_the_grid_for_review_before_saving(tara: Therapist) -> None:
    client = login(Client(), tara.user, mfa=True)
    fields = grid_fields(client.get(URL).content.decode())
    text = "Mon-Fri: 08:00-12:00, 13:00-16:00\nSaturday 22:00-02:00"
    response = client.post(URL, {**fields, "action": "import", "pasted": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert "The grid was filled from your text. Nothing is saved yet" in html
    shown = grid_fields(html)
    assert shown["d4-1-start"] == "13:00" and shown["d5-0-next"] == "1"
    assert shown["d6-0-start"] == ""
    assert stored(tara)[0] == (0, "09:00", "12:00")
    assert client.post(URL, {"action": "weekly", **shown}).status_code == 302
    assert len(stored(tara)) == 11


def test_pasted_hours_with_a_mistake_keep_the_grid_and_the_text(tara: Therapist) -> None:
    client = login(Client(), tara.user, mfa=True)
    fields = grid_fields(client.get(URL).content.decode())
    fields["d0-0-start"] = "07:00"  # an unsaved edit
    text = "Mon: 08:00-12:00\nFunday 09:00-10:00"
    response = client.post(URL, {**fields, "action": "import", "pasted": text})
    html = response.content.decode()
    assert "Line 2 (“Funday 09:00-10:00”)" in html
    assert "Funday 09:00-10:00</textarea>" in html
    assert grid_fields(html)["d0-0-start"] == "07:00"


def test_the_notice_is_given_in_hours(tara: Therapist) -> None:
    client = login(Client(), tara.user, mfa=True)
    rules = {
        "action": "settings",
        "notice_hours": "1.5",
        "buffer_before_minutes": "5",
        "buffer_after_minutes": "10",
        "horizon_days": "21",
        "daily_maximum": "",
        "slot_step_minutes": "30",
    }
    assert client.post(URL, rules).status_code == 302
    tara.refresh_from_db()
    assert tara.minimum_notice_minutes == 90 and tara.horizon_days == 21
    assert tara.daily_maximum is None
    assert 'name="notice_hours" value="1.5"' in client.get(URL).content.decode()
    bad = client.post(URL, {**rules, "notice_hours": "1.125", "horizon_days": "0"})
    html = bad.content.decode()
    assert bad.status_code == 422
    assert "Give the notice with at most two decimals, for example 1.5." in html
    assert "Give a number from 1 to 365." in html
    assert 'name="notice_hours" value="1.125"' in html
    # A notice kept in minutes that is no round number of hours survives a save as shown.
    Therapist.objects.filter(pk=tara.pk).update(minimum_notice_minutes=50)
    assert 'name="notice_hours" value="0.83"' in client.get(URL).content.decode()
    assert client.post(URL, {**rules, "notice_hours": "0.83"}).status_code == 302
    tara.refresh_from_db()
    assert tara.minimum_notice_minutes == 50


def test_a_date_with_other_hours_or_off_is_marked_on_the_month(tara: Therapist) -> None:
    client = login(Client(), tara.user, mfa=True)
    today = timezone.now().date()
    day = today + timedelta(days=3)
    off = today + timedelta(days=4)
    sent = {"action": "override", "day": day.isoformat(), "o-0-start": "10:00", "o-0-end": "14:00"}
    assert client.post(URL, sent).status_code == 302
    assert (
        client.post(
            URL, {"action": "override", "day": off.isoformat(), "not_working": "on"}
        ).status_code
        == 302
    )
    assert list(DateOverride.objects.filter(therapist=tara).values_list("day", "start", "end")) == [
        (day, time(10), time(14)),
        (off, None, None),
    ]
    html = client.get(f"{URL}?month={day:%Y-%m}").content.decode()
    assert "Other hours: 10:00–14:00" in html and "Not working" in html
    assert f"{day:%B %Y}: dates that differ from your usual week" in html
    neither = client.post(URL, {"action": "override", "day": day.isoformat()})
    assert neither.status_code == 422
    assert "Give the hours of that day, or tick" in neither.content.decode()
    both = client.post(URL, {**sent, "not_working": "on"})
    assert "Either tick" in both.content.decode()
    wrong = client.post(URL, {**sent, "o-0-end": "08:00"})
    assert wrong.status_code == 422 and "the end (08:00) is before the start" in (
        wrong.content.decode()
    )
    removed = client.post(URL, {"action": "remove_override", "day": off.isoformat()})
    assert removed.status_code == 302
    assert not DateOverride.objects.filter(day=off).exists()


def test_time_off_is_stored_on_the_therapists_clock_and_shown_on_the_calendar(
    db: Any,
) -> None:
    therapist = make_therapist("Kiri Kolkata", zone="Asia/Kolkata")
    client = login(Client(), therapist.user, mfa=True)
    day = timezone.now().date() + timedelta(days=10)
    response = client.post(
        URL,
        {
            "action": "time_off",
            "start_day": day.isoformat(),
            "start_time": "14:00",
            "end_day": (day + timedelta(days=2)).isoformat(),
            "end_time": "00:00",
            "reason": "Conference",
        },
    )
    assert response.status_code == 302
    off = TimeOff.objects.get(therapist=therapist)
    assert off.start.astimezone(timezone.get_fixed_timezone(330)).strftime("%H:%M") == "14:00"
    html = client.get(f"{URL}?month={day:%Y-%m}").content.decode()
    assert "Time off from 14:00 IST (Conference)" in html
    assert "Time off all day (Conference)" in html
    backwards = client.post(
        URL,
        {
            "action": "time_off",
            "start_day": day.isoformat(),
            "start_time": "14:00",
            "end_day": day.isoformat(),
            "end_time": "09:00",
        },
    )
    assert backwards.status_code == 422
    # The start is said with its zone, in the site's words (found by an i18n review).
    when = format_when(datetime.combine(day, time(14, 0), ZoneInfo("Asia/Kolkata")), "Asia/Kolkata")
    expected = f"The time off must end after it starts ({when})."
    assert escape(expected) in backwards.content.decode()
    assert client.post(URL, {"action": "remove_time_off", "time_off_id": off.pk}).status_code == 302
    assert not TimeOff.objects.exists()


def test_a_bad_month_is_named_and_today_is_shown(tara: Therapist) -> None:
    html = login(Client(), tara.user, mfa=True).get(f"{URL}?month=99999-01").content.decode()
    assert "Give a date as YYYY-MM-DD" in html or "Give a date from" in html
    assert 'aria-current="date"' in html


def test_an_admin_edits_any_therapists_week(tara: Therapist, admin_user: Any) -> None:
    client = login(Client(), admin_user, mfa=True)
    url = f"/booking/therapists/{tara.pk}/availability/"
    html = client.get(url).content.decode()
    assert "Availability of Tara Therapist" in html
    # The admin is told whose hours and clock these are (it said "the times you work").
    said = unescape(html)
    assert "Give the times the therapist works on each day, on the therapist's clock" in said
    assert "on your own clock" not in html
    own = login(Client(), tara.user, mfa=True).get("/booking/availability/").content.decode()
    assert "Give the times you work on each day, on your own clock." in own
    fields = grid_fields(html)
    fields["d2-0-start"], fields["d2-0-end"] = "10:00", "11:00"
    assert client.post(url, {"action": "weekly", **fields}).status_code == 302
    assert (2, "10:00", "11:00") in stored(tara)
    assert AuditEntry.objects.filter(
        action="booking.availability_changed", actor_id=admin_user.pk
    ).exists()
