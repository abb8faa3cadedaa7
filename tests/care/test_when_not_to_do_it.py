"""An exercise's "When not to do it" names the condition each reason is about, so that a
reason for one cause does not read as a reason against the exercise just prescribed."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from rehabit.care.presenters import avoid_lines, condition_name
from rehabit.clinical.exercises import get_exercise, load_exercises

pytestmark = pytest.mark.django_db


def test_every_condition_reason_names_its_condition() -> None:
    for exercise in load_exercises():
        lines = avoid_lines(exercise)
        conditions = {rule.condition for rule in exercise.avoid_when if rule.condition}
        for condition in conditions:
            assert any(line["who"].startswith(condition_name(condition)) for line in lines), (
                exercise.id,
                condition,
            )
        cautions = [rule for rule in exercise.avoid_when if rule.caution]
        assert len([line for line in lines if not line["who"]]) == len(cautions)


def test_the_stages_of_one_reason_are_said_once() -> None:
    lines = avoid_lines(get_exercise("seated_hamstring_stretch"))
    tendon = condition_name("proximal_hamstring_tendinopathy")
    about_tendon = [line for line in lines if line["who"].startswith(tendon)]
    assert [line["who"] for line in about_tendon] == [
        f"{tendon}, in the first days and while it settles"
    ]


def test_the_exercise_page_shows_the_condition_beside_the_reason(client: Client) -> None:
    page = html.unescape(client.get("/exercises/nordic_hamstring_curl/").content.decode())
    section = page[page.index('id="avoid-title"') :]
    section = section[: section.index("</section>")]
    strain = condition_name("hamstring_strain")
    assert f"<strong>{strain}, in the first days:</strong> Far too much load" in section
    items = re.findall(r"<li>(.*?)</li>", section, re.S)
    reasons = [rule.reason for rule in get_exercise("nordic_hamstring_curl").avoid_when]
    assert len(items) == len(reasons)
