"""Issue 10, storage: a result is kept as codes and numbers and shown exactly as before.

``old_format_assessments.json`` is a frozen copy of rows stored the old way (the whole
result dictionary): eight written by the code of a319dbd (questionnaire 2026.12.1) and
three by the code of d2aeb01 (questionnaire 2026.11.1, whose sentences are no longer in
the data files). Never regenerate it: it is what existing databases hold.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rehabit.assessments import result_texts
from rehabit.assessments.result_texts import Catalogue, current_catalogue
from rehabit.assessments.stored import FORMAT, codes, compact, expand
from rehabit.clinical import assess
from rehabit.clinical.engine import load_model
from tests.support import completed, vignettes

OLD_ROWS = json.loads((Path(__file__).parent / "old_format_assessments.json").read_text())


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON: same keys, same order in lists, same types (True is not 1)."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def _sentences(stored: dict[str, Any]) -> list[str]:
    """The sentences a stored result keeps word for word (those no catalogue entry has)."""
    headline, reasons, advice = stored["d"]
    refs = [headline, *reasons, *advice, stored["n"][2]]
    for _fid, label, _level, said in stored.get("f", ()):
        refs += [label, said]
    for entry in stored["c"]:
        if isinstance(entry, list):
            refs += [*(entry[1] if len(entry) > 1 else []), *(entry[2] if len(entry) > 2 else [])]
    return [r for r in refs if isinstance(r, str)]


def _answers() -> list[dict[str, Any]]:
    return [case["answers"] for case in vignettes()]


def _results() -> list[dict[str, Any]]:
    return [assess(answers).to_dict() for answers in _answers()]


def test_every_result_of_todays_model_is_stored_as_codes_and_shown_exactly_as_given() -> None:
    found = current_catalogue()
    for result in _results():
        version, level = result["questionnaire_version"], result["disposition"]["level"]
        stored = compact(result, version=version, level=level, found=found)
        assert stored["v"] == FORMAT
        # Every sentence today's model can say has a code: a reworded sentence in
        # rehabit.clinical.triage shows up here (it would be stored word for word).
        assert _sentences(stored) == []
        assert _same(expand(stored, version=version, level=level, found=found), result)
        # Small: the sentences are in the catalogue, not in the row.
        assert len(json.dumps(stored, separators=(",", ":"))) < 1000


def test_the_old_rows_are_stored_compactly_and_shown_exactly_as_before() -> None:
    found = current_catalogue()
    for row in OLD_ROWS:
        version, level = row["questionnaire_version"], row["disposition"]
        stored = compact(row["result"], version=version, level=level, found=found)
        assert stored["v"] == FORMAT
        assert _same(expand(stored, version=version, level=level, found=found), row["result"])
        # Small: what has a code is stored as one. (Sentences no catalogue entry has are kept
        # word for word and not counted: one row kept four, and its size then hung on how many
        # digits the other codes took.)
        kept = sum(len(json.dumps(sentence)) for sentence in _sentences(stored))
        assert len(json.dumps(stored)) - kept < len(json.dumps(row["result"])) / 4
        if version == "2026.11.1":  # sentences the data files no longer have: kept as said
            assert _sentences(stored)


def test_a_result_compact_cannot_reproduce_is_kept_whole_and_read_back_unchanged() -> None:
    found = current_catalogue()
    result = assess(_answers()[0]).to_dict()
    odd = [
        {},
        {**result, "extra": 1},  # a key some other code added
        {**result, "causes": [{**result["causes"][0], "probability": 1}]},  # an int
        {**result, "red_flags": [{"id": "x", "label": "y"}]},  # a flag without advice
    ]
    for value in odd:
        stored = compact(value, version="v", level="soon", found=found)
        assert stored == value and "v" not in stored
        assert expand(stored, version="v", level="soon") == value


def test_codes_are_named_after_the_data_not_after_positions() -> None:
    found = current_catalogue()
    model = load_model()
    finding_ids = {f.id for f in model.differential.contexts + model.differential.findings}
    reasons = [c for c in found.texts if c.endswith((":present", ":absent"))]
    assert reasons and all(c.rsplit(":", 1)[0] in finding_ids for c in reasons)
    assert {f"flag:{f.id}" for f in model.red_flags} <= set(found.texts)
    assert {f"cause:{c}" for c in model.differential.ids} <= set(found.texts)
    # The same data make the same catalogue, whatever order they come in.
    texts = dict(found.texts)
    assert Catalogue.of(dict(reversed(list(texts.items())))).key == found.key
    reworded = {**texts, reasons[0]: texts[reasons[0]] + " (reworded)"}
    assert Catalogue.of(reworded).key != found.key
    result = next(r for r in _results() if r["causes"][0]["why_for"])
    stored = compact(result, version="v", level=result["disposition"]["level"], found=found)
    listed = codes(stored, found)
    assert f"cause:{result['causes'][0]['id']}" in listed
    assert any(code.endswith(":present") for code in listed)
    assert all(code in found.texts for code in listed)
    assert found.texts[listed[0]] == result["disposition"]["headline"]


@pytest.mark.django_db
def test_a_stored_result_keeps_its_words_after_the_data_files_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A reason reworded in a later release: results stored before keep the words they
    were given (their catalogue is in the database); new results get the new words."""
    from rehabit.assessments.models import Assessment, ResultTexts
    from rehabit.assessments.services import record_assessment

    answers = next(a for a in _answers() if assess(a).causes[0].why_for)
    before = record_assessment(answers)
    shown_before = before.result
    assert ResultTexts.objects.filter(key=current_catalogue().key).exists()

    # The next release: one reason's sentence changes.
    old = current_catalogue()
    reason = shown_before["causes"][0]["why_for"][0]
    code = next(c for c, t in old.texts.items() if t == reason and c.endswith(":present"))
    new = Catalogue.of({**old.texts, code: "A new sentence for the same finding."})
    monkeypatch.setattr(result_texts, "current_catalogue", lambda: new)
    result_texts.forget_saved()  # a fresh process: nothing known but the database

    again = Assessment.objects.get(pk=before.pk)
    assert _same(again.result, shown_before)
    assert again.stored_result["t"] == old.key

    result = assess(answers).to_dict()
    result["causes"][0]["why_for"][0] = "A new sentence for the same finding."
    row = Assessment.objects.create(
        questionnaire_version=result["questionnaire_version"],
        answers=answers,
        result=result,
        disposition=result["disposition"]["level"],
    )
    assert row.stored_result["t"] == new.key
    assert ResultTexts.objects.count() == 2
    result_texts.forget_saved()
    assert _same(Assessment.objects.get(pk=row.pk).result, result)


@pytest.mark.django_db
def test_the_site_stores_the_compact_form_and_shows_the_core_result() -> None:
    from django.db import connection

    from rehabit.assessments.models import Assessment
    from rehabit.assessments.services import record_assessment

    answers = _answers()[3]
    assessment = record_assessment(answers)
    stored = Assessment.objects.values_list("stored_result", flat=True).get(pk=assessment.pk)
    assert stored["v"] == FORMAT and "causes" not in stored
    if connection.vendor == "sqlite":  # the bytes as SQLite keeps them
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT result FROM assessments_assessment WHERE id = %s", [assessment.pk.hex]
            )
            raw = cursor.fetchone()[0]
        assert ", " not in raw and len(raw) < 1000  # no spaces: every byte counts
    assert _same(Assessment.objects.get(pk=assessment.pk).result, assess(answers).to_dict())


def test_a_child_s_reasons_are_stored_as_their_own_codes() -> None:
    """A child's result gives its reasons in a parent's words (differential 2026.12.10):
    each is a catalogue entry of its own ("<finding>:present:child"), so the row keeps
    codes, not sentences, and shows the same words again."""
    found = current_catalogue()
    seen = 0
    for answers in _answers():
        child = completed({**answers, "age": 9})
        result = assess(child).to_dict()
        version, level = result["questionnaire_version"], result["disposition"]["level"]
        stored = compact(result, version=version, level=level, found=found)
        assert stored["v"] == FORMAT
        reasons = [r for c in result["causes"] for r in c["why_for"] + c["why_against"]]
        assert not set(reasons) & set(_sentences(stored))
        assert _same(expand(stored, version=version, level=level, found=found), result)
        child_codes = [c for c in codes(stored, found) if c.endswith(":child")]
        if any(r.startswith("Your child") for r in reasons):
            assert child_codes
        seen += len(child_codes)
    assert seen > 10


@pytest.mark.parametrize("age", [9, 14])
def test_a_child_s_headline_action_and_advice_are_stored_as_their_own_codes(age: int) -> None:
    """Triage speaks to a child's parent ("Have your child seen by a doctor today", "Your
    child limps when they walk."): each sentence is a catalogue entry of its own
    ("headline:urgent:child", "severity:limp:child", "pain_now:6:child"), so the row keeps
    codes, not sentences, and shows the same words again."""
    found = current_catalogue()
    child_codes: set[str] = set()
    for answers in _answers():
        result = assess(completed({**answers, "age": age})).to_dict()
        version, level = result["questionnaire_version"], result["disposition"]["level"]
        stored = compact(result, version=version, level=level, found=found)
        assert _sentences(stored) == []
        assert _same(expand(stored, version=version, level=level, found=found), result)
        child_codes |= {c for c in codes(stored, found) if c.endswith(":child")}
    for code in ("headline:urgent:child", "action:urgent:child", "safety_net:emergency:child"):
        assert code in child_codes
    assert any(c.startswith("severity:") for c in child_codes)
    assert any(c.startswith("pain_now:") for c in child_codes)
