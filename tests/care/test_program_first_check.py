"""The program page of a result that sends to a doctor first says when, as the result does,
and to a child's parent about their child: a child to see a doctor in the next few days
read "Get the urgent care first" there."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client

from tests.care.helpers import make_assessment
from tests.support import answers_for, completed

pytestmark = pytest.mark.django_db

EMERGENCY: dict[str, Any] = {}
URGENT: dict[str, Any] = {}
TWO_DAYS = {"pop": "yes", "bruising": "large"}  # a torn-off tendon: "today or tomorrow"
FEW_DAYS = {"night_pain": "constant"}  # a child's constant night pain: "in the next few days"


def _first_check(client: Client, level: str, age: int, extra: dict[str, Any]) -> tuple[Any, str]:
    base = answers_for(level if not extra else "self_care")
    assessment = make_assessment(answers=completed({**base, "age": age, **extra}))
    response = client.get(f"/care/{assessment.pk}/program/")
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    found = re.search(r'<section [^>]*aria-labelledby="first-title".*?</section>', body, re.S)
    assert found is not None
    return assessment, " ".join(re.sub(r"<[^>]+>", " ", found.group(0)).split())


@pytest.mark.parametrize(
    ("level", "extra", "says", "headline"),
    [
        ("emergency", EMERGENCY, "Get emergency help for your child first", None),
        ("urgent", URGENT, "Have your child seen by a doctor today first", None),
        ("urgent", TWO_DAYS, "Have your child seen by a doctor today or tomorrow first", None),
        (
            "soon",
            FEW_DAYS,
            "book your child the appointment your result advises",
            "Book an appointment with your child's doctor in the next few days",
        ),
    ],
)
@pytest.mark.parametrize("age", [9, 14])
def test_a_child_s_program_says_what_comes_first_in_a_parent_s_words(
    client: Client, level: str, extra: dict[str, Any], says: str, headline: str | None, age: int
) -> None:
    assessment, section = _first_check(client, level, age, extra)
    disposition = assessment.result["disposition"]
    assert disposition["level"] == level
    if headline:
        assert disposition["headline"] == headline
    assert "No exercises until your child has been checked" in section
    assert says in section
    assert "urgent care" not in section
    assert "build a program for your child" in section
    assert "until you have been checked" not in section and "with you" not in section


@pytest.mark.parametrize(
    ("level", "extra", "says"),
    [
        ("emergency", EMERGENCY, "Get emergency help first"),
        ("urgent", URGENT, "See a doctor today first"),
        ("urgent", TWO_DAYS, "See a doctor today or tomorrow first"),
    ],
)
def test_an_adult_s_program_says_what_comes_first_for_the_level(
    client: Client, level: str, extra: dict[str, Any], says: str
) -> None:
    assessment, section = _first_check(client, level, 40, extra)
    assert assessment.result["disposition"]["level"] == level
    assert "No exercises until you have been checked" in section
    assert says in section and "child" not in section
    assert "urgent care first" not in section
