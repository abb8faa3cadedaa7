"""The reference JavaScript evaluator of the skip logic (static/assessments/skip_logic.js),
run in real Chromium on the questionnaire the API publishes, agrees with the server.

Random answer sets are built by the JavaScript client alone (it answers a question only when
``RehabitSkipLogic.applies`` says it applies); every one must then be accepted by the API,
and the questions the client shows must be exactly those the server considers shown.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from rehabit.clinical import load_questionnaire
from rehabit.clinical.rules import compile_rule
from rehabit.clinical.validation import shown_questions, validate_answers
from tests.support import answers_for, completed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = 20261201
COUNT = 300

# Builds COUNT answer sets in the page with a seeded PRNG (mulberry32), walking the
# questions in order as a client would.
RANDOM_ANSWER_SETS = """
async ({seed, count}) => {
  const response = await fetch("/api/v1/assessment/questionnaire");
  if (!response.ok) throw new Error("questionnaire: HTTP " + response.status);
  const questionnaire = await response.json();
  let state = seed >>> 0;
  function random() {  // mulberry32
    state = (state + 0x6D2B79F5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  const pick = (items) => items[Math.floor(random() * items.length)];
  const between = (low, high) => low + Math.floor(random() * (high - low + 1));
  function value(question) {
    if (question.type === "integer" || question.type === "scale") {
      const low = question.min ?? 0;
      const high = question.max ?? 10;
      // Half the time near the bottom of the range, where the rules' thresholds are.
      return random() < 0.5 ? between(low, Math.min(high, low + 60)) : between(low, high);
    }
    const values = question.options.map((option) => option.value);
    if (question.type !== "multi") return pick(values);
    const exclusive = question.exclusive || [];
    if (exclusive.length && random() < 0.2) return [pick(exclusive)];
    const plain = values.filter((v) => !exclusive.includes(v));
    const chosen = plain.filter(() => random() < 0.3);
    return chosen.length ? chosen : [pick(plain)];
  }
  const sets = [];
  for (let n = 0; n < count; n++) {
    const answers = {};
    for (const section of questionnaire.sections) {
      for (const question of section.questions) {
        if (!RehabitSkipLogic.applies(question.show_if, answers)) continue;
        if (!question.required && random() < 0.5) continue;
        answers[question.id] = value(question);
      }
    }
    sets.push({answers: answers, shown: RehabitSkipLogic.shown(questionnaire, answers)});
  }
  return sets;
}
"""

SHOWN = """
async (sets) => {
  const questionnaire = await (await fetch("/api/v1/assessment/questionnaire")).json();
  return sets.map((answers) => RehabitSkipLogic.shown(questionnaire, answers));
}
"""

APPLIES = "(cases) => cases.map(([rule, answers]) => RehabitSkipLogic.applies(rule, answers))"


def open_client(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/assessment/")
    page.add_script_tag(url=live_server.url + "/static/assessments/skip_logic.js")
    assert page.evaluate("typeof window.RehabitSkipLogic.applies") == "function"


def post(client: Client, answers: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    response = client.post(
        "/api/v1/assessments",
        data=json.dumps({"answers": answers}),
        content_type="application/json",
    )
    return response.status_code, response.json()


def test_random_answer_sets_built_by_the_js_client_are_accepted_and_shown_alike(
    page: Any, live_server: Any, settings: Any
) -> None:
    # Every set is stored from one address, far more than a network may send in an hour
    # (core.rate_limits): that limit has its own tests.
    settings.REHABIT_ASSESSMENTS_PER_NETWORK = 0
    open_client(page, live_server)
    sets = page.evaluate(RANDOM_ANSWER_SETS, {"seed": SEED, "count": COUNT})
    assert len(sets) == COUNT
    questionnaire = load_questionnaire()
    conditional = {qid for qid, q in questionnaire.questions.items() if q.show_if is not None}
    shown_somewhere: set[str] = set()
    hidden_somewhere: set[str] = set()
    client = Client()
    for number, item in enumerate(sets):
        answers = item["answers"]
        status, body = post(client, answers)
        assert status == 201, (number, answers, body)
        server_shown = shown_questions(questionnaire, validate_answers(questionnaire, answers))
        assert server_shown == item["shown"], (number, answers)
        shown_somewhere |= set(server_shown) & conditional
        hidden_somewhere |= conditional - set(server_shown)
    # The sets exercise the skip logic: every conditional question was both shown and not.
    assert shown_somewhere == conditional
    assert hidden_somewhere == conditional


# (rule, answers): the cases where a three-valued or sloppy evaluator goes wrong.
NASTY_RULES: list[tuple[dict[str, Any], dict[str, Any]]] = [
    # not over an unanswered question: the inner rule is false, so not is true.
    ({"not": {"q": "pop", "in": ["yes", "not_sure"]}}, {}),
    ({"not": {"q": "pop", "in": ["yes", "not_sure"]}}, {"pop": "no"}),
    ({"not": {"q": "pop", "in": ["yes", "not_sure"]}}, {"pop": "not_sure"}),
    ({"not": {"not": {"q": "pop", "in": ["yes"]}}}, {}),
    # in over an unanswered question: false.
    ({"q": "pelvic_changes", "in": ["yes", "not_sure"]}, {}),
    ({"q": "pelvic_changes", "in": ["yes", "not_sure"]}, {"pelvic_changes": "not_sure"}),
    # in over a multi answer: any chosen value.
    ({"q": "location", "in": ["calf", "foot"]}, {"location": ["buttock", "foot"]}),
    ({"q": "location", "in": ["calf", "foot"]}, {"location": ["buttock"]}),
    # all_of over a multi answer: every listed value, chosen with others or not.
    ({"q": "location", "all_of": ["buttock", "upper_thigh"]}, {"location": ["buttock"]}),
    (
        {"q": "location", "all_of": ["buttock", "upper_thigh"]},
        {"location": ["buttock", "upper_thigh", "calf"]},
    ),
    ({"q": "location", "all_of": ["buttock", "upper_thigh"]}, {}),
    ({"not": {"q": "location", "all_of": ["buttock", "upper_thigh"]}}, {}),
    ({"q": "sports", "all_of": ["none"]}, {"sports": ["none"]}),
    # Numbers at their thresholds, and unanswered.
    ({"q": "age", "lte": 4}, {"age": 4}),
    ({"q": "age", "lte": 4}, {"age": 5}),
    ({"q": "days_since_onset", "gte": 14}, {"days_since_onset": 14}),
    ({"q": "days_since_onset", "gte": 14}, {"days_since_onset": 13}),
    ({"q": "days_since_onset", "gte": 14}, {}),
    ({"not": {"q": "days_since_onset", "gte": 14}}, {}),
    ({"q": "pain_now", "gte": 0}, {"pain_now": 0}),
    # answered.
    ({"q": "pop", "answered": False}, {}),
    ({"q": "pop", "answered": True}, {}),
    ({"q": "pop", "answered": True}, {"pop": "no"}),
    # all / any / not combining plain true and false (never "unknown").
    (
        {"all": [{"not": {"q": "sex", "in": ["male"]}}, {"q": "age", "gte": 12}]},
        {"sex": "female"},
    ),
    ({"all": [{"not": {"q": "sex", "in": ["male"]}}, {"q": "age", "gte": 12}]}, {"age": 30}),
    ({"any": [{"q": "onset", "in": ["gradually"]}, {"q": "days_since_onset", "gte": 4}]}, {}),
    (
        {"any": [{"q": "onset", "in": ["gradually"]}, {"q": "days_since_onset", "gte": 4}]},
        {"days_since_onset": 4},
    ),
    (
        {"not": {"any": [{"q": "onset", "in": ["gradually"]}, {"q": "fever", "in": ["yes"]}]}},
        {"fever": "no"},
    ),
    (
        {"not": {"all": [{"q": "bear_weight", "in": ["yes"]}, {"q": "pop", "in": ["yes"]}]}},
        {"bear_weight": "yes"},
    ),
]


def test_the_js_evaluator_agrees_with_the_server_on_nasty_rules(
    page: Any, live_server: Any
) -> None:
    open_client(page, live_server)
    questions = load_questionnaire().questions
    expected = [
        compile_rule(rule, questions, "case", two_valued=True).evaluate(answers) is True
        for rule, answers in NASTY_RULES
    ]
    got = page.evaluate(APPLIES, [[rule, answers] for rule, answers in NASTY_RULES])
    assert got == expected, [
        (rule, answers, g)
        for (rule, answers), g, e in zip(NASTY_RULES, got, expected, strict=True)
        if g != e
    ]
    # The cases that matter most, stated outright.
    assert expected[0] is True  # not (unanswered in) is true
    assert expected[4] is False  # unanswered in is false
    assert expected[9] is True and expected[8] is False  # all_of needs every value


def test_the_js_client_shows_what_the_server_accepts_on_partial_and_edge_answers(
    page: Any, live_server: Any
) -> None:
    open_client(page, live_server)
    questionnaire = load_questionnaire()
    base = answers_for("self_care")
    gradual = completed({**base, "onset": "gradually"})  # no pop question: it is unanswered
    partial = [
        {},
        {"age": 3},
        {"age": 30, "sex": "male", "pelvic_changes": "not_sure"},
        {"onset": "sprinting", "pop": "yes"},
        {"lump": "not_sure", "fever": "yes"},
        base,
        gradual,
    ]
    got = page.evaluate(SHOWN, partial)
    assert got == [shown_questions(questionnaire, answers) for answers in partial]
    # Skip rules over an unanswered question: "not" is true, "in" is false.
    assert "knee_bend_test" in got[0]
    assert "saddle_numbness" not in got[0]
    assert "pop" not in got[6] and "knee_bend_test" in got[6]
    # And the server accepts an answer where the client shows the question.
    client = Client()
    status, body = post(client, {**gradual, "knee_bend_test": "no_pain"})
    assert status == 201, body
    status, body = post(client, {**base, "pop": "yes", "knee_bend_test": "no_pain"})
    assert status == 422 and "knee_bend_test" in body["errors"], body
