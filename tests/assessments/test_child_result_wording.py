"""A child's result page, and its printable version, in the words of the parent who
answered: nothing on it speaks to the child as "you" (the headline, the action, the
severity reasons, the safety nets, the warning signs and the reasons for each cause all say
"your child"), so the note that "you" means the child is gone; an adult's page is as before.
"""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape

from rehabit.assessments.models import Assessment
from rehabit.clinical import triage_words
from rehabit.clinical.child_wording import speaks_to_you
from tests.support import answers_for, completed, walk_pages

pytestmark = pytest.mark.django_db

NOTE = "where this result says “you”, it means your child."
# What a child's page says to the parent about the parent: their answers, their result,
# their account, their own reading of the page. Anything else that says you/your and not
# "child" would be a sentence still speaking to the child as "you".
TO_THE_PARENT = {
    "Your result",
    "Warning signs in your answers:",  # in the top box, beside the action
    "What your answers point to",
    "Questions you left out",
    "Your answers",
    "Back to your result",
    "Printable version",
    "or your local emergency number.",  # the emergency strip: "call 15 or your local ..."
    # The printed answers give each question as it was asked: the age is asked of whoever
    # answers, before anyone knows a parent is answering (questionnaire: asks_whoever_answers).
    "How old are you?",
    "A warning sign in your answers points here.",
    "The warning sign in your answers.",
    "None of your answers points to it in particular.",
    "None of your answers speak against it.",
    "Each was weighed against your answers; open a cause to read about it.",
    "We did not guess these answers.",
    "Answering them would make the result more certain.",
    "It tells you what your answers point to, how sure it is, and when to see whom.",
    "This is not a diagnosis.",
    "It is a guide based on your answers.",
    "It is how well your answers fit each cause compared with the others, based on "
    "published research: the percentages share 100 between all the causes, so they do not "
    "say how often the first one is right.",
}
RESULT = re.compile(r"/assessment/result/([0-9a-f-]{36})/")


def _sentences(page: str) -> list[str]:
    """The page's main text, tag-free, cut into sentences (and headings, list items)."""
    main = page[page.index("<main") : page.index("</main>")]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    text = re.sub(
        r"<(?:/?(?:h\d|p|li|dt|dd|th|td|summary|a|div|section|label)\b)[^>]*>", "\n", main
    )
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", text))
    out: list[str] = []
    for block in text.split("\n"):
        block = " ".join(block.split())
        out.extend(s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z“])", block) if s.strip())
    return out


def _still_to_you(page: str) -> list[str]:
    """Sentences that say you/your and neither speak of the child nor to the parent."""
    return [
        s
        for s in _sentences(page)
        if speaks_to_you(s)
        and "child" not in s.lower()
        and s not in TO_THE_PARENT
        and not s.startswith("Your answers fit best with:")
        and not s.startswith("Some of your answers fit ")
        and not s.startswith("In an emergency, call ")
        and not (s.startswith("Keep this page's address") or s.startswith("Anyone with"))
        and not s.startswith("Without an account, it is deleted")
        and not s.startswith("To keep it in an account")
        and not s.startswith("With an account, it moves into your account")
    ]


def _assessment(url: str) -> Assessment:
    match = RESULT.search(url)
    assert match, url
    return Assessment.objects.get(pk=match.group(1))


# Each level a child's answers reach, with the headline a parent reads.
CASES = [
    ("emergency", {}, triage_words.CHILD_HEADLINES["emergency"]),
    ("urgent", {}, "Have your child seen by a doctor today"),
    ("soon", {}, triage_words.CHILD_HEADLINES["soon"]),
    ("self_care", {}, "Your child can start with self-care at home"),
]


@pytest.mark.parametrize(("level", "extra", "headline"), CASES)
@pytest.mark.parametrize("age", [9, 14])
def test_a_child_s_result_and_print_speak_to_the_parent(
    client: Client, level: str, extra: dict[str, Any], headline: str, age: int
) -> None:
    answers = completed({**answers_for(level), "age": age, **extra})
    url = walk_pages(client, answers)
    saved = _assessment(url)
    assert saved.disposition == level
    assert saved.result["disposition"]["headline"] == headline
    for page_url in (url, url + "print/"):
        page = client.get(page_url).content.decode()
        assert escape(headline) in page, page_url
        assert NOTE not in page, page_url
        assert _still_to_you(page) == [], page_url


def test_a_child_s_soon_result_gives_the_limp_and_the_pain_about_the_child(client: Client) -> None:
    """Phone walk: a child's "Why:" list read "You limp when you walk." and "Your pain is 6
    out of 10." beside reasons that said "Your child limps ..."."""
    answers = completed({**answers_for("soon"), "age": 11})
    assert answers["walk_test"] == "limp" and answers["pain_now"] == 6
    page = client.get(walk_pages(client, answers)).content.decode()
    for text in (
        "Your child limps when they walk.",
        "Your child's pain is 6 out of 10.",
        triage_words.CHILD_SAFETY_NET_SAME_DAY,
        triage_words.CHILD_RECHECK_SOON_ACUTE,
    ):
        assert escape(text) in page, text
    for text in ("You limp when you walk.", "Your pain is 6 out of 10.", "you get a fever"):
        assert escape(text) not in page, text


@pytest.mark.parametrize("level", ["emergency", "urgent", "soon", "self_care"])
def test_an_adult_s_result_is_unchanged(client: Client, level: str) -> None:
    answers = completed({**answers_for(level), "age": 40})
    url = walk_pages(client, answers)
    saved = _assessment(url)
    disposition = saved.result["disposition"]
    headline = disposition["headline"]
    assert headline in (
        triage_words.HEADLINES[level],
        triage_words.SOON_DOCTOR,
        triage_words.SOON_DOCTOR_DAYS,
        triage_words.URGENT_DAYS,
    )
    advice = disposition["advice"]
    # The level's action, or a warning sign's own advice in its place followed by what the
    # action adds (triage_words.ACTION_REST): in the person's own words either way.
    assert advice[0] in (*triage_words.ACTIONS.values(), triage_words.URGENT_DAYS_ACTION) or any(
        line in advice
        for line in (*triage_words.ACTION_REST.values(), triage_words.URGENT_DAYS_REST)
    )
    page = client.get(url).content.decode()
    assert escape(headline) in page and NOTE not in page
    assert "your child" not in page.lower().replace("&#x27;", "'")
    assert "A clinician who examines you can tell more." in page
    if level == "urgent":
        assert "After you have seen a doctor: book a physiotherapist" in page


def test_a_child_s_urgent_result_offers_a_physiotherapist_after_the_child_s_doctor(
    client: Client,
) -> None:
    page = client.get(walk_pages(client, completed({**answers_for("urgent"), "age": 9})))
    html = page.content.decode()
    assert "After your child has seen a doctor: book a physiotherapist" in html
    assert "For after your child has been seen: their self-care plan and exercises" in html
    assert "A clinician who examines your child can tell more." in html
    assert "If your child gets worse, or something new worries you, get help sooner." in html


def test_a_child_s_result_stored_before_triage_spoke_of_the_child_keeps_the_note(
    client: Client,
) -> None:
    """A child's result stored with the person's words ("See a doctor today", "You cannot
    stand on the painful leg.") shows them word for word, with the note that its "you" is
    the child."""
    url = walk_pages(client, completed({**answers_for("urgent"), "age": 9}))
    saved = _assessment(url)
    result = saved.result
    adult = {**result["disposition"], "headline": triage_words.HEADLINES["urgent"]}
    adult["advice"] = [triage_words.ACTIONS["urgent"], *adult["advice"][1:]]
    saved.result = {**result, "disposition": adult}
    saved.save()
    for page_url in (url, url + "print/"):
        page = client.get(page_url).content.decode()
        assert NOTE in page, page_url
        assert escape(triage_words.HEADLINES["urgent"]) in page, page_url
        # Shown as stored, the action beside the sign's own advice as it was then.
        for line in adult["advice"]:
            assert escape(line) in page, (page_url, line)


@pytest.mark.parametrize("age", [9, 40])
def test_the_emergency_action_names_no_number_beside_the_local_call_button(
    client: Client, age: int
) -> None:
    """In Paris the result's call button said 15 and its action "for example 999, 112 or
    911": the action now says "your emergency number", beside the button with the local one."""
    url = walk_pages(client, completed({**answers_for("emergency"), "age": age}))
    page = client.get(url + "?tz=Europe/Paris").content.decode()
    found = re.search(r'<section class="disposition.*?</section>', page, re.S)
    assert found is not None
    section = found.group(0)
    assert 'href="tel:15"' in section and "Call 15" in section
    words = triage_words.CHILD_WORDS if age < 16 else triage_words.ADULT_WORDS
    # The level's action, where it is shown (a sign's own advice at the level stands in its
    # place: presenters.top_box), says "your emergency number"; nothing names another's.
    assert "Call your emergency number now" in words.actions["emergency"]
    assert not any(n in section for n in ("999", "112", "911"))
