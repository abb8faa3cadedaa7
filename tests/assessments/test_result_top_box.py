"""The result's top box says each thing once (a phone walk as a new patient, 2026.12.7).

Each warning sign was listed in the top box ("Why:") and again in its own card further
down; "What to do now" gave the level's action ("Call your emergency number now, or go to
the nearest emergency department ...") and, beside it, the sign's own advice ("Go to the
emergency department now. Say you may have cauda equina syndrome ..."). Now each sign is
listed once, in the top box beside the advice, as it was told (the case that held, a
parent's words about their child). A sign's own advice stands in the level's action, and
what the action adds follows it ("Do not drive yourself."): decided in the core
(triage.decide, ACTION_REST) and stored so, since the page shows only stored sentences; a
result stored before shows its advice as it was stored.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape

from rehabit.assessments.models import Assessment
from rehabit.clinical import triage_words
from rehabit.clinical.engine import load_model
from tests.support import answers_for, completed, walk_pages

pytestmark = pytest.mark.django_db

RESULT = re.compile(r"/assessment/result/([0-9a-f-]{36})/")
TOP_BOX = re.compile(r'<section class="disposition .*?</section>', re.S)
ITEM = re.compile(r"<li>(.*?)</li>", re.S)

# An urgent sign (the urgent vignette: cannot stand on the leg, see a doctor today) and an
# emergency one (numbness in the saddle: the emergency department now).
URGENT = ("urgent", {})
EMERGENCY = ("self_care", {"pelvic_changes": "yes", "saddle_numbness": "yes"})
CASES = [
    pytest.param(40, URGENT, "urgent", ["cannot_bear_weight"], id="adult-urgent"),
    pytest.param(9, URGENT, "urgent", ["cannot_bear_weight"], id="child-urgent"),
    pytest.param(40, EMERGENCY, "emergency", ["ces_saddle_numbness"], id="adult-emergency"),
    pytest.param(9, EMERGENCY, "emergency", ["ces_saddle_numbness"], id="child-emergency"),
]


def _flag(flag_id: str) -> Any:
    return next(f for f in load_model().red_flags if f.id == flag_id)


def _result(client: Client, age: int, case: tuple[str, dict[str, Any]]) -> tuple[str, Assessment]:
    vignette, change = case
    url = walk_pages(client, completed({**answers_for(vignette), "age": age, **change}))
    match = RESULT.search(url)
    assert match, url
    return url, Assessment.objects.get(pk=match.group(1))


def _items(html: str) -> list[str]:
    """Every list item of ``html``, as its text."""
    return [re.sub(r"<[^>]+>", "", item).strip() for item in ITEM.findall(html)]


def _outside_causes(html: str) -> str:
    """The page without its list of causes."""
    start = html.index('<section aria-labelledby="causes-title">')
    return html[:start] + html[html.index("</section>", start) :]


@pytest.mark.parametrize(("age", "case", "level", "flag_ids"), CASES)
def test_each_warning_sign_and_each_action_is_said_once(
    client: Client, age: int, case: tuple[str, dict[str, Any]], level: str, flag_ids: list[str]
) -> None:
    url, saved = _result(client, age, case)
    result = saved.result
    disposition = result["disposition"]
    assert disposition["level"] == level
    told = {f["id"]: f for f in result["red_flags"]}
    assert set(flag_ids) <= set(told)
    child = age < 16
    words = triage_words.CHILD_WORDS if child else triage_words.ADULT_WORDS
    action = words.actions[level]
    # Stored: the sign's own advice in the action's place, then what the action adds.
    own = [told[f]["advice"] for f in flag_ids]
    assert action not in disposition["advice"]
    assert disposition["advice"][: len(own) + 1] == [*own, words.action_rest[level]]
    for html in (client.get(url).content.decode(), client.get(url + "print/").content.decode()):
        top = TOP_BOX.search(html)
        assert top is not None
        box = top.group(0)
        items = _items(box)
        assert len(items) == len(set(items)), [i for i in items if items.count(i) > 1]
        assert html.count("Warning signs in your answers") == 1
        assert "Warning signs in your answers" in box
        for flag_id in flag_ids:
            flag = _flag(flag_id)
            label, advice = told[flag_id]["label"], told[flag_id]["advice"]
            # As told (RedFlag.as_told): the case that held, a child's wording for a parent.
            assert label in {flag.label, *(b.label for b in flag.branches)} or (
                child and label in {flag.child_label, *(b.child_label for b in flag.branches)}
            )
            if child and flag.child_advice:
                assert advice == flag.child_advice
            # Once, in the top box beside the action. (A cause's "Why it fits" may give the
            # same answer as evidence for that cause: "You cannot stand on the painful leg.")
            assert _outside_causes(html).count(escape(label)) == 1, label
            assert escape(label) in box
            assert html.count(escape(advice)) == 1
            assert escape(advice) in box
        # The sign's advice says the level's action for this sign: one of the two, not both.
        assert escape(action) not in html
        assert escape(words.headlines[level]) in box
        for line in disposition["advice"][1:]:
            assert escape(line) in box, line  # nothing else left out
        if level == "emergency":  # the call button is untouched
            assert 'class="button call-button" href="tel:' in box


def test_the_emergency_call_button_stays_on_the_page(client: Client) -> None:
    url, _saved = _result(client, 40, EMERGENCY)
    box = TOP_BOX.search(client.get(url + "?tz=Europe/Paris").content.decode())
    assert box is not None
    assert 'href="tel:15"' in box.group(0) and "Call 15" in box.group(0)


def test_without_a_sign_of_the_level_the_action_stays(client: Client) -> None:
    """A result whose level the ranking set, or whose signs are less urgent, keeps the
    level's action: no sign's advice says it."""
    url, saved = _result(client, 40, ("self_care", {}))
    disposition = saved.result["disposition"]
    html = client.get(url).content.decode()
    assert "Warning signs in your answers" not in html
    for line in disposition["advice"]:
        assert html.count(escape(line)) == 1, line
    assert "<p>Why:</p>" in html and "Other reasons:" not in html


@pytest.mark.parametrize(
    "older",
    [
        triage_words.ACTIONS["emergency"],  # stored before 2026-12-07: the action beside the sign's
        "Call 999, 112 or 911 now, or go to the nearest emergency department.",  # and older
    ],
)
def test_a_stored_result_shows_its_advice_as_stored(client: Client, older: str) -> None:
    """A result stored before a sign's advice stood in the level's action shows its action
    and the sign's advice, as stored: the page rewords and drops nothing."""
    url, saved = _result(client, 40, EMERGENCY)
    result = saved.result
    stored = result["disposition"]["advice"]
    rest = triage_words.ACTION_REST["emergency"]
    advice = [older, *(line for line in stored if line != rest)]
    saved.result = {**result, "disposition": {**result["disposition"], "advice": advice}}
    saved.save()
    html = client.get(url).content.decode()
    for line in advice:
        assert html.count(escape(line)) == 1, line
