"""The rule language: compilation, three-valued evaluation and load-time checks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest

from rehabit.clinical.rules import RuleError, compile_rule


@dataclass(frozen=True)
class Q:
    id: str
    type: str
    text: str = "A question?"
    labels: Mapping[str, str] = field(default_factory=dict)


QUESTIONS = {
    "onset": Q("onset", "single", "How did it start?", {"sprint": "Sprinting", "fall": "A fall"}),
    "pop": Q("pop", "yes_no", "Pop?", {"yes": "Yes", "no": "No", "not_sure": "Not sure"}),
    "where": Q("where", "multi", "Where?", {"buttock": "Buttock", "calf": "Calf", "knee": "Knee"}),
    "age": Q("age", "integer", "Age?"),
    "pain": Q("pain", "scale", "Pain?"),
}


def rule(raw: object):  # type: ignore[no-untyped-def]
    return compile_rule(raw, QUESTIONS)


class TestLeaves:
    def test_in_for_single_choice(self) -> None:
        r = rule({"q": "onset", "in": ["sprint"]})
        assert r.evaluate({"onset": "sprint"}) is True
        assert r.evaluate({"onset": "fall"}) is False

    def test_in_for_multi_means_any_selected(self) -> None:
        r = rule({"q": "where", "in": ["calf", "knee"]})
        assert r.evaluate({"where": ["buttock", "knee"]}) is True
        assert r.evaluate({"where": ["buttock"]}) is False

    def test_all_of_needs_every_value(self) -> None:
        r = rule({"q": "where", "all_of": ["calf", "knee"]})
        assert r.evaluate({"where": ["calf", "knee", "buttock"]}) is True
        assert r.evaluate({"where": ["calf"]}) is False

    def test_gte_and_lte_are_inclusive(self) -> None:
        assert rule({"q": "age", "gte": 50}).evaluate({"age": 50}) is True
        assert rule({"q": "age", "gte": 50}).evaluate({"age": 49}) is False
        assert rule({"q": "pain", "lte": 3}).evaluate({"pain": 3}) is True
        assert rule({"q": "pain", "lte": 3}).evaluate({"pain": 4}) is False

    def test_answered(self) -> None:
        assert rule({"q": "pop", "answered": True}).evaluate({"pop": "no"}) is True
        assert rule({"q": "pop", "answered": True}).evaluate({}) is False
        assert rule({"q": "pop", "answered": False}).evaluate({}) is True

    @pytest.mark.parametrize(
        "raw",
        [
            {"q": "onset", "in": ["sprint"]},
            {"q": "where", "in": ["calf"]},
            {"q": "where", "all_of": ["calf"]},
            {"q": "age", "gte": 1},
            {"q": "pain", "lte": 1},
        ],
    )
    def test_an_unanswered_question_is_unknown_never_guessed(self, raw: dict[str, object]) -> None:
        compiled = rule(raw)
        assert compiled.evaluate({}) is None
        assert compiled.holds({}) is False


class TestCombinators:
    def test_all_and_any(self) -> None:
        both = rule({"all": [{"q": "onset", "in": ["sprint"]}, {"q": "age", "gte": 18}]})
        either = rule({"any": [{"q": "onset", "in": ["sprint"]}, {"q": "age", "gte": 18}]})
        assert both.evaluate({"onset": "sprint", "age": 20}) is True
        assert both.evaluate({"onset": "sprint", "age": 15}) is False
        assert either.evaluate({"onset": "fall", "age": 20}) is True
        assert either.evaluate({"onset": "fall", "age": 15}) is False

    def test_kleene_logic_with_unknowns(self) -> None:
        both = rule({"all": [{"q": "onset", "in": ["sprint"]}, {"q": "age", "gte": 18}]})
        either = rule({"any": [{"q": "onset", "in": ["sprint"]}, {"q": "age", "gte": 18}]})
        assert both.evaluate({"onset": "fall"}) is False  # false whatever the age
        assert both.evaluate({"onset": "sprint"}) is None
        assert either.evaluate({"onset": "sprint"}) is True  # true whatever the age
        assert either.evaluate({"onset": "fall"}) is None

    def test_not_keeps_unknown_unknown(self) -> None:
        negated = rule({"not": {"q": "pop", "in": ["yes"]}})
        assert negated.evaluate({"pop": "no"}) is True
        assert negated.evaluate({"pop": "yes"}) is False
        assert negated.evaluate({}) is None

    def test_refs_collect_every_question(self) -> None:
        r = rule({"all": [{"q": "onset", "in": ["sprint"]}, {"not": {"q": "age", "gte": 18}}]})
        assert r.refs == frozenset({"onset", "age"})


class TestDescriptions:
    def test_plain_words_with_labels(self) -> None:
        r = rule({"q": "onset", "in": ["fall"]})
        assert r.description == 'your answer to "How did it start?" is "A fall"'
        assert r.negated == 'your answer to "How did it start?" is not "A fall"'

    def test_negation_uses_de_morgan(self) -> None:
        r = rule({"not": {"all": [{"q": "pop", "in": ["yes"]}, {"q": "age", "gte": 18}]}})
        assert r.sentence == (
            'your answer to "Pop?" is not "Yes" or your answer to "Age?" is less than 18'
        )


class TestLoadTimeChecks:
    @pytest.mark.parametrize(
        ("raw", "message"),
        [
            ({"q": "nope", "in": ["x"]}, "unknown question 'nope'"),
            ({"q": "onset", "in": ["typo"]}, "'typo' is not an option of 'onset'"),
            ({"q": "onset", "in": []}, "non-empty list"),
            ({"q": "onset", "in": "sprint"}, "non-empty list"),
            ({"q": "onset", "all_of": ["sprint"]}, "'all_of' needs a multi question"),
            ({"q": "onset", "gte": 3}, "'gte' needs a number question"),
            ({"q": "age", "in": ["x"]}, "'in' needs a choice question"),
            ({"q": "age", "gte": 1.5}, "whole number"),
            ({"q": "age", "gte": True}, "whole number"),
            ({"q": "age", "answered": "yes"}, "'answered' needs true or false"),
            ({"q": "age", "gte": 1, "lte": 2}, "exactly one operator"),
            ({"q": "age", "between": [1, 2]}, "unknown operator"),
            ({"all": []}, "non-empty list of rules"),
            ({"any": "x"}, "non-empty list of rules"),
            ({"both": []}, "unknown rule shape"),
            ("q: onset", "a rule must be a mapping"),
        ],
    )
    def test_malformed_rules_fail_loudly(self, raw: object, message: str) -> None:
        with pytest.raises(RuleError, match=message.replace("(", r"\(").replace(")", r"\)")):
            rule(raw)

    def test_error_names_where_the_rule_is(self) -> None:
        with pytest.raises(RuleError, match=r"^flag x\.rule\.any\[1\]: unknown question"):
            compile_rule(
                {"any": [{"q": "age", "gte": 1}, {"q": "ghost", "in": ["a"]}]},
                QUESTIONS,
                "flag x.rule",
            )


class TestDispatch:
    DOMAINS = {
        "onset": ("sprint", "fall"),
        "pop": ("yes", "no", "not_sure"),
        "where": tuple(
            frozenset(s)
            for s in (
                {"buttock"},
                {"calf"},
                {"knee"},
                {"buttock", "calf"},
                {"calf", "knee"},
                {"buttock", "knee"},
                {"buttock", "calf", "knee"},
            )
        ),
        "age": tuple(range(12, 111)),
        "pain": tuple(range(11)),
    }

    def build(self, raws: list[object], merge=None):  # type: ignore[no-untyped-def]
        from rehabit.clinical.rules import Dispatch

        entries = [(rule(raw), f"{i}+", f"{i}-") for i, raw in enumerate(raws)]
        return entries, Dispatch.build(entries, self.DOMAINS, frozenset({"where"}), merge)

    RAWS: list[object] = [
        {"q": "onset", "in": ["sprint"]},
        {"q": "where", "in": ["calf"]},
        {"q": "where", "all_of": ["calf", "knee"]},
        {"q": "age", "gte": 50},
        {"any": [{"q": "age", "lte": 17}, {"q": "age", "gte": 80}]},
        {"all": [{"q": "pop", "in": ["yes"]}, {"q": "pain", "gte": 7}]},
        {"q": "pop", "answered": False},
    ]

    def test_tabulated_rules_give_the_same_items_as_evaluating_them(self) -> None:
        entries, dispatch = self.build(self.RAWS)
        tabulated = {qid for qid, _, _ in dispatch.tables}
        assert tabulated == {"onset", "where", "age"}
        assert len(dispatch.generic) == 2  # two questions, and a rule that is true when unanswered
        samples = [
            {},
            {"onset": "fall", "where": ["knee", "calf"], "age": 85, "pop": "yes", "pain": 8},
            {"onset": "sprint", "where": ["buttock"], "age": 30},
            {"age": 16, "pop": "no"},
        ]
        for answers in samples:
            expected = sorted(
                item
                for r, yes, no in entries
                for item in [
                    yes
                    if r.evaluate(answers) is True
                    else no
                    if r.evaluate(answers) is False
                    else None
                ]
                if item is not None
            )
            assert sorted(dispatch.collect(answers)) == expected, answers

    def test_merge_folds_the_items_of_one_answer(self) -> None:
        _, dispatch = self.build(self.RAWS[:3], merge=lambda items: "|".join(sorted(items)))
        assert sorted(dispatch.collect({"onset": "sprint", "where": ["calf"]})) == ["0+", "1+|2-"]


class TestTwoValuedSkipLogic:
    """show_if is two-valued: a condition about an unanswered question is false (FHIR
    enableWhen), so ``not`` of it is true and every client agrees on what is shown."""

    @staticmethod
    def skip(raw: object):  # type: ignore[no-untyped-def]
        return compile_rule(raw, QUESTIONS, two_valued=True)

    def test_a_condition_on_an_unanswered_question_is_false(self) -> None:
        for raw in (
            {"q": "onset", "in": ["sprint"]},
            {"q": "where", "all_of": ["calf"]},
            {"q": "where", "in": ["calf"]},
            {"q": "age", "gte": 1},
            {"q": "pain", "lte": 10},
        ):
            assert self.skip(raw).evaluate({}) is False
            assert rule(raw).evaluate({}) is None  # three-valued for flags and findings

    def test_not_of_an_unanswered_condition_is_true(self) -> None:
        raw = {"not": {"all": [{"q": "pop", "in": ["yes"]}, {"q": "onset", "in": ["fall"]}]}}
        assert self.skip(raw).evaluate({"onset": "fall"}) is True
        assert rule(raw).evaluate({"onset": "fall"}) is None
        assert self.skip(raw).evaluate({"onset": "fall", "pop": "yes"}) is False

    def test_any_and_all_combine_plain_booleans(self) -> None:
        raw = {"any": [{"q": "pop", "in": ["yes"]}, {"q": "age", "gte": 50}]}
        assert self.skip(raw).evaluate({"age": 20}) is False
        assert self.skip(raw).evaluate({"age": 60}) is True
