"""The emergency number of the person's country (``rehabit.core.emergency``): the reviewed
table, the zone's country, the pages and the API that show it, and the table the browser
gets."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest
import yaml
from django.test import Client

from rehabit.accounts.models import Profile
from rehabit.core import emergency
from tests.accounts.helpers import login, make_user

DEFAULT = "112"


def _zone_tab_countries() -> set[str]:
    text = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    return {line.split("\t")[0] for line in text.splitlines() if line and line[0] != "#"}


def _banner(html: str) -> str:
    return html[html.index("<header") : html.index("</header>")]


# --- The reviewed table --------------------------------------------------------------


def test_every_entry_is_a_country_with_a_dialable_number_and_its_source() -> None:
    data = yaml.safe_load(emergency.DATA_FILE.read_text(encoding="utf-8"))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(data["checked"]))
    assert data["version"]
    countries = _zone_tab_countries()
    assert len(data["countries"]) >= 40
    for code, entry in data["countries"].items():
        assert code in countries, code
        assert re.fullmatch(r"\d{2,6}", str(entry["number"])), (code, entry["number"])
        assert str(entry["source"]).startswith(("https://", "http://")), code
        assert str(entry["name"]).strip(), code


def test_the_numbers_people_most_often_get_wrong_abroad() -> None:
    """A British visitor dialling 999 in Australia, an American dialling 911 in Europe:
    the table keeps the well-known numbers apart (112 across most of the European Union,
    where a country's own ambulance number answers medical calls directly, that one)."""
    numbers = {code: entry.number for code, entry in emergency.table().items()}
    expected = {"US": "911", "CA": "911", "GB": "999", "AU": "000", "NZ": "111"}
    expected.update({"FR": "15", "IT": "118", "NO": "113", "CH": "144"})
    expected.update(dict.fromkeys(("DE", "ES", "NL", "PL", "SE", "IE"), "112"))
    for code, number in expected.items():
        assert numbers.get(code) == number, code


# --- A zone's country and its number -------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "country"),
    [
        ("America/Chicago", "US"),
        ("US/Central", "US"),  # another name of the same zone
        ("Asia/Calcutta", "IN"),  # the old name browsers still report
        ("Europe/Kiev", "UA"),
        ("Australia/Sydney", "AU"),
        ("Europe/London", "GB"),
        ("UTC", None),
        ("Etc/GMT+5", None),
        ("", None),
        (None, None),
        ("Not/AZone", None),
    ],
)
def test_the_country_of_a_zone(zone: str | None, country: str | None) -> None:
    assert emergency.country_of(zone) == country


def test_each_country_in_the_table_gets_its_number_from_every_zone_it_keeps() -> None:
    table = emergency.table()
    for zone, country in emergency.zone_countries().items():
        expected = table[country].number if country in table else DEFAULT
        assert emergency.number_for_zone(zone, DEFAULT) == expected, zone


def test_where_the_table_has_no_number_the_deployments_own_stands() -> None:
    missing = sorted(_zone_tab_countries() - set(emergency.table()))
    assert missing, "every country is in the table: pick another test"
    zone = next(z for z, c in emergency.zone_countries().items() if c == missing[0])
    assert emergency.number_for_zone(zone, "999") == "999"
    assert emergency.number_for_zone("UTC", "999") == "999"


# --- Pages ---------------------------------------------------------------------------


def _chicago_patient() -> object:
    user = make_user("chicago@example.org")
    Profile.objects.filter(user=user).update(time_zone="America/Chicago")
    return user


@pytest.mark.django_db
def test_a_signed_in_person_gets_their_countrys_number_and_strangers_still_the_default(
    client: Client, settings
) -> None:
    settings.REHABIT_EMERGENCY_NUMBER = DEFAULT
    login(client, _chicago_patient())
    banner = _banner(client.get("/contact/").content.decode())
    assert '<a class="tel" href="tel:911">911</a>' in banner
    # The home page a signed-out visitor gets is kept for everyone (core.caching): the
    # person before them must not leave their country's number in it.
    home = _banner(client.get("/").content.decode())
    assert "tel:911" in home
    for _ in range(2):
        stranger = _banner(Client().get("/").content.decode())
        assert f'<a class="tel" href="tel:{DEFAULT}">{DEFAULT}</a>' in stranger
        assert "tel:911" not in stranger


@pytest.mark.django_db
def test_a_chosen_zone_on_the_page_picks_its_countrys_number(client: Client, settings) -> None:
    settings.REHABIT_EMERGENCY_NUMBER = DEFAULT
    banner = _banner(client.get("/contact/?tz=Australia/Perth").content.decode())
    assert '<a class="tel" href="tel:000">000</a>' in banner


# --- The table the browser gets ------------------------------------------------------


@pytest.mark.django_db
def test_the_browsers_table_names_every_zone_of_the_table_and_is_kept_by_release(
    client: Client, settings
) -> None:
    settings.REHABIT_EMERGENCY_NUMBER = DEFAULT
    page = client.get("/contact/").content.decode()
    found = re.search(r'<script src="(/emergency-numbers\.js\?v=([0-9a-f]+))" defer>', page)
    assert found, "the page does not load the table"
    response = client.get(found.group(1))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["ETag"] == f'"{found.group(2)}"'
    assert "immutable" in response["Cache-Control"]
    assert "immutable" not in client.get("/emergency-numbers.js?v=old")["Cache-Control"]
    assert client.get(found.group(1), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    body = response.content.decode()
    table = json.loads(body[body.index("=") + 1 : body.rindex(";")])
    assert table["default"] == DEFAULT
    assert table["zones"]["America/Chicago"] == "911"
    assert table["zones"]["US/Central"] == "911"  # as some browsers name it
    assert table["zones"]["Asia/Calcutta"] == table["zones"]["Asia/Kolkata"]
    assert "UTC" not in table["zones"]
    assert set(table["numbers"]) == {e.number for e in emergency.table().values()} | {DEFAULT}
    assert '<script src="/static/' in page.split("emergency-numbers.js", 1)[1][:200]
