"""A child's plan page says a child's things, each once (phone walk: a parent's check for a
child listed the adult's paracetamol line and two warning signs twice); an adult's page
is as it was. Through the Django test client and a real database, beside ``plan_for``,
the function the page builds its plan with."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client

from rehabit.care.programs import plan_for
from tests.care.helpers import make_assessment
from tests.support import answers_for, completed

pytestmark = pytest.mark.django_db

ADULT_ONLY = re.compile(r"alcohol|50 kg|weigh less|pregnan|midwife", re.IGNORECASE)


def _page(client: Client, assessment: Any) -> str:
    response = client.get(f"/care/{assessment.pk}/plan/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _section(body: str, start: str) -> str:
    found = re.search(rf"<section {start}.*?</section>", body, re.S)
    assert found is not None, start
    return found.group(0)


def _watch_signs(body: str) -> list[str]:
    watch = _section(body, 'aria-labelledby="watch-title"')
    return re.findall(r"<p><strong>(.*?)</strong></p>", watch)


def _for(level: str, age: int) -> Any:
    assessment = make_assessment(answers=completed({**answers_for(level), "age": age}))
    assert assessment.result["disposition"]["level"] == level
    return assessment


@pytest.mark.parametrize("level", ["self_care", "soon"])
@pytest.mark.parametrize("age", [9, 14])
def test_a_child_s_plan_page_says_the_child_s_things_once(
    client: Client, level: str, age: int
) -> None:
    child = _for(level, age)
    plan = plan_for(child)
    assert plan["medication"]["items"][0]["id"] == "paracetamol_first_child"
    body = _page(client, child)
    medicines = _section(body, 'id="medicines"')
    assert not ADULT_ONLY.search(medicines), ADULT_ONLY.findall(medicines)
    assert "Children's paracetamol is the usual first painkiller" in medicines
    assert "Measure each dose with the syringe or spoon that comes with the medicine" in medicines
    assert "small for their age" in medicines
    signs = _watch_signs(body)
    assert signs == [w["sign"] for w in plan["watch_for"]]
    assert len(signs) == len(set(signs))
    assert sum("all the time and worse at night" in s for s in signs) == 1
    assert sum("hot, red, swollen" in s for s in signs) == 1
    assert "A fever or chills, or a hot, red, swollen area" not in signs
    watch = _section(body, 'aria-labelledby="watch-title"')
    assert "with your doctor within a few days" not in watch
    assert "your child's doctor in the next few days" in watch


@pytest.mark.parametrize("age", [9, 14])
def test_an_urgent_child_s_plan_page_has_no_adult_wording(client: Client, age: int) -> None:
    body = _page(client, _for("urgent", age))
    medicines = _section(body, 'id="medicines"')
    assert "Under 16: never take aspirin unless a doctor prescribed it" in medicines
    assert not ADULT_ONLY.search(medicines)
    assert "paracetamol" not in medicines.lower()  # no painkiller is suggested until seen
    signs = _watch_signs(body)
    assert len(signs) == len(set(signs))


def test_an_adult_s_plan_page_is_unchanged(client: Client) -> None:
    body = _page(client, _for("self_care", 40))
    medicines = _section(body, 'id="medicines"')
    assert (
        "Take it only as the label says. Too much paracetamol harms the liver, so never take "
        "two medicines that both contain it, such as a cold and flu remedy. If you drink a lot "
        "of alcohol or weigh less than 50 kg, ask a pharmacist first." in medicines
    )
    assert "Children's paracetamol" not in body and "your child" not in body.lower()
    signs = _watch_signs(body)
    assert signs.count("A fever or chills, or a hot, red, swollen area") == 1
    assert signs.count("Pain that starts to be there all the time and worse at night, or "
                       "losing weight without trying") == 1  # fmt: skip
    assert len(signs) == 13
    assert "You can no longer stand on the leg or take a few steps" in signs
    assert (
        "Something in your answers means some painkillers may not be safe for you." not in body
    )  # no caution before any answer for this adult
    assert "Do you have kidney disease or weak kidneys" in medicines
    assert "so that we only suggest what is safe for you." in medicines


@pytest.mark.parametrize("age", [9, 14])
def test_a_child_s_plan_page_asks_and_warns_about_the_child(client: Client, age: int) -> None:
    # Phone walk: the medicine questions asked "Do you ...?" and the notice said "Something
    # in your answers means ..." before any answer (it was the child's age); the "ask
    # first" card kept "a low-dose aspirin" above "Under 16: never take aspirin".
    body = _page(client, _for("self_care", age))
    medicines = _section(body, 'id="medicines"')
    assert "Does your child have kidney disease or weak kidneys" in medicines
    assert "Answer these questions about your child" in medicines
    assert not re.search(r"<legend>(Do|Are|Have) you\b", medicines)
    assert "Because your child is under 16, some painkillers may not be safe for them." in medicines
    assert "Something in your answers" not in medicines
    assert "aspirin included" not in medicines
    assert "Under 16: never take aspirin unless a doctor prescribed it" in medicines
    watch = _section(body, 'aria-labelledby="watch-title"')
    assert "say you may have cauda equina syndrome" not in watch
    assert "You can no longer stand on the leg" not in watch
    assert "Your child can no longer stand on the leg or take a few steps, without a fever" in watch


# --- The whole plan in a parent's words (self-care 2026.12.10) --------------------------------
# Phone walk: the stage ("return to what you enjoy"), the plan's items ("Raise the leg when
# you rest"), the exercises box and the disclaimer spoke to "you" under a note asking the
# parent to read "you" as their child. Every block of the plan itself now speaks of the
# child, and the note is gone; the parent's own things ("your answer", "if you notice")
# stay the parent's.

PARENT_S_OWN = (
    "Counted from your answer",  # the parent answered
    "For your assessment of",  # the parent's check
    "This is not a diagnosis. It is a guide based on your answers.",
)


def _blocks(section: str) -> list[str]:
    """The text of each paragraph, heading and list item of a piece of the page."""
    found = re.findall(r"<(p|h[1-4]|li)\b[^>]*>(.*?)</\1>", section, re.S)
    texts = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", t)).strip() for _, t in found]
    return [t for t in texts if t and not t.startswith(PARENT_S_OWN)]


@pytest.mark.parametrize("level", ["self_care", "soon", "urgent"])
@pytest.mark.parametrize("age", [9, 14])
def test_a_child_s_plan_page_speaks_of_the_child_throughout(
    client: Client, level: str, age: int
) -> None:
    from rehabit.clinical.child_wording import speaks_to_the_patient

    child = _for(level, age)
    body = _page(client, child)
    assert "where this page says “you”, it means your child" not in body
    main = body[body.index("<h1>") : body.index('id="watch-title"')]
    main = re.sub(r'<section id="medicines".*?</section>', "", main, flags=re.S)
    tail = body[body.index('id="watch-title"') : body.index('<p class="disclaimer">')]
    blocks = _blocks(main) + [b for b in _blocks(tail) if "disclaimer" not in b]
    disclaimer = re.search(r'<p class="disclaimer">(.*?)</p>', body, re.S)
    assert disclaimer is not None
    blocks.append(disclaimer.group(1))
    spoken = [b for b in blocks if speaks_to_the_patient(b)]
    assert spoken == [], "\n".join(spoken)
    assert "<h1>Your child's self-care plan</h1>" in body


def test_an_adult_s_plan_page_keeps_its_own_words(client: Client) -> None:
    body = _page(client, _for("self_care", 40))
    assert "<h1>Your self-care plan</h1>" in body
    assert "It does not replace a clinician who examines you." in body
    assert "your child" not in body.lower()
