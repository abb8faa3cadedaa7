from __future__ import annotations

import re

import pytest
from django.test import Client

from rehabit.clinical.conditions import load_conditions
from rehabit.clinical.questionnaire_file import load_questionnaire
from rehabit.clinical.redflags_file import load_red_flags
from rehabit.education.content import load_condition_pages

pytestmark = pytest.mark.django_db


def test_overview_links_every_condition_page(client: Client) -> None:
    response = client.get("/conditions/")
    assert response.status_code == 200
    html = response.content.decode()
    for condition_id in load_condition_pages():
        assert f'href="/conditions/{condition_id}/"' in html
    assert "Get help now" in html


def test_every_condition_in_the_differential_has_a_page(client: Client) -> None:
    for condition_id in load_conditions():
        response = client.get(f"/conditions/{condition_id}/")
        assert response.status_code == 200, condition_id
        page = load_condition_pages()[condition_id]
        assert page["summary"] in response.content.decode()
        assert "no-store" not in response.get("Cache-Control", "")


def test_unknown_condition_is_404(client: Client) -> None:
    assert client.get("/conditions/not-a-condition/").status_code == 404


def test_home_page(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert 'href="/assessment/"' in response.content.decode()


def test_the_torn_tendon_warning_sign_gives_the_check_s_timeframe(client: Client) -> None:
    # Walk 4: the check, its result and the plan say "See a doctor today or tomorrow" for a
    # pop with a big bruise (every such flag gives "within a day or two"); the warning signs
    # on the causes page said "See a doctor today or as soon as you can".
    flags = [
        f
        for f in load_red_flags(load_questionnaire())
        if f.condition == "hamstring_avulsion" and f.disposition == "urgent"
    ]
    assert flags and all(f.within == "two_days" for f in flags)
    html = client.get("/conditions/").content.decode()
    assert "See a doctor today or tomorrow. A torn tendon is best repaired early." in html
    assert "as soon as you can" not in html


def test_the_growth_page_gives_the_check_s_timeframes(client: Client) -> None:
    # The page said "within days" for weight loss or night pain alone and "today" for an
    # earlier cancer, where the check's warning signs (both within a day or two) need an
    # earlier cancer, or weight loss with constant night pain.
    flags = [
        f
        for f in load_red_flags(load_questionnaire())
        if f.condition == "tumour" and f.id in ("cancer_warning_signs", "weight_loss_night_pain")
    ]
    assert len(flags) == 2 and all(f.within == "two_days" for f in flags)
    html = client.get("/conditions/tumour/").content.decode()
    assert html.lower().count("see your doctor within the next day or two") == 3
    assert "See a doctor within days" not in html and "cancer team today" not in html
    assert "One of those two on its own" in html


def test_the_aneurysm_pages_give_the_pulsing_lump_sign_s_timeframe(client: Client) -> None:
    # Phone walk 5: the causes list and the aneurysm page said "the same day or the next",
    # the check's warning sign and the "Get help now" list "See a doctor today".
    (flag,) = [f for f in load_red_flags(load_questionnaire()) if f.id == "pulsing_lump"]
    assert flag.advice.startswith("See a doctor today.") and flag.within != "two_days"
    for url in ("/conditions/", "/conditions/arterial_aneurysm/"):
        html = client.get(url).content.decode()
        assert "same day or the next" not in html, url
    page = client.get("/conditions/arterial_aneurysm/").content.decode()
    assert "See a doctor today. Tell them you can feel a pulsing lump." in page


def test_the_infection_page_tells_a_parent_about_a_child_with_a_limp_and_a_fever(
    client: Client,
) -> None:
    # Phone walk as the parent of a 9-year-old with a limp and a fever: the page linked from
    # the child's top cause spoke only of adults ("if you inject drugs"). It now has a
    # section for a child, shown to everyone (nobody is signed in here), under its own
    # heading in order (h1, h2, then h3), and the child's limp with a fever is seen today.
    response = client.get("/conditions/infection/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 id="in-children">In children</h2>' in html
    assert 'href="#in-children"' in html
    section = html.split('id="in-children"', 1)[1].split("</section>", 1)[0]
    assert "a limp and a fever is seen by a doctor the same day" in section
    assert (
        "Your child limps or cannot walk normally, and has a fever or seems unwell. "
        "Have your child seen by a doctor today" in section
    )
    assert "will not stand on the leg or take a few steps. Go to the emergency department now" in (
        section
    )
    levels = [int(n) for n in re.findall(r"<h([1-6])\b", html)]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))


def test_a_page_without_a_section_for_a_child_shows_none(client: Client) -> None:
    pages = load_condition_pages()
    assert "in_children" not in pages["dvt"]
    html = client.get("/conditions/dvt/").content.decode()
    assert "in-children" not in html
