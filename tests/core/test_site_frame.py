"""The frame of every page (header, emergency strip, footer) and the home page, through the
Django test client."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.test import Client

from tests.accounts.helpers import login, make_user

pytestmark = pytest.mark.django_db


def _banner(html: str) -> str:
    return html[html.index("<header") : html.index("</header>")]


# "/?fresh": the home page a signed-out visitor gets is kept as bytes per process
# (core.caching); a query string renders it anew with this test's setting.
@pytest.mark.parametrize("url", ["/?fresh", "/contact/", "/conditions/", "/legal/privacy/"])
def test_the_emergency_number_is_a_phone_link_inside_the_banner(
    client: Client, settings, url: str
) -> None:
    settings.REHABIT_EMERGENCY_NUMBER = "999"
    html = client.get(url).content.decode()
    banner = _banner(html)
    assert 'class="emergency-strip"' in banner
    assert '<a class="tel" href="tel:999">999</a>' in banner


def test_the_navigation_is_one_disclosure_menu_that_works_without_javascript(
    client: Client,
) -> None:
    banner = _banner(client.get("/").content.decode())
    assert banner.count("<nav") == 1
    menu = banner[banner.index('<details class="site-menu">') :]
    assert menu.index("<summary") < menu.index("<nav")
    assert ">Menu</summary>" in menu


def test_the_footer_links_to_contact_privacy_and_terms(client: Client) -> None:
    html = client.get("/").content.decode()
    footer = html[html.index("<footer") :]
    for href in ('href="/contact/"', 'href="/legal/privacy/"', 'href="/legal/terms/"'):
        assert href in footer


def test_the_contact_page_says_who_to_contact_about_what(client: Client, settings) -> None:
    html = client.get("/contact/").content.decode()
    assert "<h1>Contact</h1>" in html
    assert "have not published an e-mail address" in html
    settings.REHABIT_CONTACT_EMAIL = "help@clinic.example"
    html = client.get("/contact/").content.decode()
    assert 'href="mailto:help@clinic.example"' in html


def test_the_contact_page_of_a_signed_in_person_links_to_their_messages_and_sessions() -> None:
    person = make_user("casey.contact@example.org")
    html = login(Client(), person).get("/contact/").content.decode()
    assert 'href="/clinic/messages/"' in html and 'href="/booking/appointments/"' in html


def test_the_home_page_leads_with_what_rehabit_does_then_a_short_get_help_box(
    client: Client,
) -> None:
    from rehabit.education.content import load_overview

    html = client.get("/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert main.index("Rehabit is online physiotherapy") < main.index('id="get-help-now"')
    assert main.index('href="/assessment/"') < main.index('id="get-help-now"')
    box = main[main.index('id="get-help-now"') : main.index("</section>")]
    signs = load_overview()["get_help_now"]
    assert box.count("<li>") == 4  # the first four "call now" signs, not all of them
    assert f"All {len(signs)} warning signs and what to do" in box
    assert 'href="/conditions/#get-help-now"' in box
    assert "How Rehabit helps" in main[main.index("</section>") :]


def test_the_home_page_has_no_doubled_numbers_or_stray_colons(client: Client) -> None:
    html = client.get("/").content.decode()
    text = re.sub(r"<[^>]+>", "", html)
    assert not re.search(r"\b1\.\s*1\.", text)
    assert "now :" not in text and "now\n:" not in text
    assert "<h3>Learn</h3>" in html  # the list numbers it; the heading does not


@pytest.mark.parametrize("level", ["emergency", "urgent", "soon"])
def test_the_help_level_label_ends_without_a_space(level: str) -> None:
    label = render_to_string("includes/help_level.html", {"level": level})
    assert label == label.strip() and label


def test_every_template_that_shows_the_emergency_number_makes_it_a_phone_link() -> None:
    from pathlib import Path

    src = Path(__file__).resolve().parents[2] / "src" / "rehabit"
    block = re.compile(
        r"\{% blocktranslate with number=emergency_number %\}(.*?)\{% endblocktranslate %\}", re.S
    )
    plain = []
    for path in sorted(src.glob("*/templates/**/*.html")):
        text = path.read_text()
        for found in block.finditer(text):
            inside_a_call_link = text[: found.start()].endswith(
                'href="tel:{{ emergency_number }}">'
            )
            if 'href="tel:{{ number }}"' not in found.group(1) and not inside_a_call_link:
                plain.append(str(path.relative_to(src)))
        for found in re.finditer(r"\{\{ emergency_number \}\}", text):
            before = text[max(0, found.start() - 10) : found.start()]
            if not before.endswith('"tel:'):
                plain.append(str(path.relative_to(src)))
    assert not plain, f"the emergency number without a tel: link in {sorted(set(plain))}"
