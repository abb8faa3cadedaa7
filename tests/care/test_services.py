"""The care services on a real database: plan and program as of today, logging with
field-level validation, the next-morning check-in and progression."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from rehabit.care.models import ExerciseSession, MedicationAnswers, ProgramLevel, ProgressionStep
from rehabit.care.programs import days_since_onset, medication_questions, plan_for, program_for
from rehabit.care.services import (
    FieldErrors,
    Refused,
    check_in,
    log_session,
    save_medication_answers,
)
from rehabit.clinical.program import build_program
from tests.care.helpers import make_assessment, session_data, suppressing_vignettes

pytestmark = pytest.mark.django_db


def later(hours: float) -> Any:
    return time_machine.travel(timezone.now() + timedelta(hours=hours), tick=False)


@pytest.mark.parametrize("case", suppressing_vignettes(), ids=lambda c: c["id"])
def test_red_flags_suppress_the_plan_and_the_program(case: dict[str, Any]) -> None:
    assessment = make_assessment(answers=case["answers"])
    plan = plan_for(assessment)
    assert plan["suppressed"] and plan["urgent_first"] and plan["notice"]
    assert plan["phase"] is None
    # Until seen: the medicine screen's cautions only, never a painkiller suggested; after
    # an emergency result no medicine screen at all (self-care 2026.12.11).
    if plan["disposition"] == "emergency":
        assert plan["medication"] is None
    else:
        medication = [i["id"] for i in plan["medication"]["items"]]
        assert medication[0] == "painkillers_until_seen"
        assert not {"paracetamol_first", "nsaid_if_chosen", "nsaid_not_routine"} & set(medication)
    assert [i["kind"] for i in plan["items"]] == ["safety"]
    program = program_for(assessment)
    assert program.suppressed and program.items == []
    with pytest.raises(Refused):
        log_session(
            assessment,
            {
                "exercise_ids": ["glute_bridge"],
                "pain_during": 1,
                "pain_after": 1,
                "difficulty": "about_right",
            },
        )
    assert not ExerciseSession.objects.exists()


def test_days_since_onset_are_counted_to_today() -> None:
    assessment = make_assessment()
    start = assessment.answers["days_since_onset"]
    assert days_since_onset(assessment) == start
    assert days_since_onset(assessment, assessment.created_at + timedelta(days=10, hours=1)) == (
        start + 10
    )
    early = program_for(assessment).phase
    later_program = program_for(assessment, now=assessment.created_at + timedelta(days=30))
    assert (early, later_program.phase) == ("middle", "loading")


def test_the_program_starts_each_family_where_the_clinical_core_does() -> None:
    assessment = make_assessment()
    core = build_program(
        assessment.result, assessment.answers, days_since_onset=None, pain_now=None
    ).to_dict()
    care = program_for(assessment)
    assert [i.exercise.id for i in care.items] == [i["exercise_id"] for i in core["items"]]
    assert [i.max_pain for i in care.items] == [i["max_pain"] for i in core["items"]]
    assert [i.dosage for i in care.items] == [i["dosage"] for i in core["items"]]


def test_every_field_of_a_log_is_checked_with_its_own_message() -> None:
    assessment = make_assessment()
    with pytest.raises(FieldErrors) as caught:
        log_session(
            assessment,
            {
                "exercise_ids": ["not_an_exercise"],
                "pain_during": 11,
                "pain_after": "a lot",
                "difficulty": "meh",
                "note": "x" * 1001,
            },
        )
    errors = caught.value.errors
    assert set(errors) == {"exercise_ids", "pain_during", "pain_after", "difficulty", "note"}
    assert "not_an_exercise" in errors["exercise_ids"][0]
    assert "0 to 10" in errors["pain_during"][0] and "0 to 10" in errors["pain_after"][0]
    assert "1000" in errors["note"][0] and "1001" in errors["note"][0]
    with pytest.raises(FieldErrors) as caught:
        log_session(assessment, {})
    assert set(caught.value.errors) == {"exercise_ids", "pain_during", "pain_after", "difficulty"}
    with pytest.raises(FieldErrors):
        log_session(assessment, session_data(program_for(assessment), pain_during=True))
    assert not ExerciseSession.objects.exists()


def test_a_log_stores_what_was_done_at_which_level_in_utc() -> None:
    assessment = make_assessment()
    program = program_for(assessment)
    ids = [i.exercise.id for i in reversed(program.items)]
    session, created = log_session(
        assessment,
        session_data(program, exercise_ids=ids, pain_during="3", note="  Felt fine.  "),
    )
    assert created and session.pain_during == 3 and session.note == "Felt fine."
    assert session.exercise_ids == [i.exercise.id for i in program.items]  # program order
    assert [e["level"] for e in session.exercises] == [i.level for i in program.items]
    assert session.logged_at.utcoffset() == timedelta(0)


def test_a_retry_with_the_same_key_does_not_log_twice() -> None:
    assessment = make_assessment()
    data = session_data(program_for(assessment))
    first, created = log_session(assessment, data, idempotency_key="abc")
    again, created_again = log_session(assessment, data, idempotency_key="abc")
    assert created and not created_again and first.pk == again.pk
    log_session(assessment, data)
    log_session(assessment, data)
    assert ExerciseSession.objects.count() == 3


def test_the_check_in_opens_the_next_morning_and_only_once() -> None:
    assessment = make_assessment()
    session, _ = log_session(assessment, session_data(program_for(assessment)))
    answer = {"next_morning": "better", "settled_within_24h": "yes"}
    with pytest.raises(Refused, match="too early"):
        check_in(assessment, session.pk, answer)
    with later(9):
        with pytest.raises(FieldErrors) as caught:
            check_in(assessment, session.pk, {"next_morning": "great"})
        assert set(caught.value.errors) == {"next_morning", "settled_within_24h"}
        check_in(assessment, session.pk, answer)
        with pytest.raises(Refused, match="already"):
            check_in(assessment, session.pk, answer)
    session.refresh_from_db()
    assert session.next_morning == "better" and session.settled_within_24h is True


def _session_and_check_in(
    assessment: Any, family: str, pain: int, morning: str, settled: bool = True
) -> list[ProgressionStep]:
    program = program_for(assessment)
    item = program.item_for(family)
    session, _ = log_session(
        assessment, session_data(program, exercise_ids=[item.exercise.id], pain_during=pain)
    )
    with later(9):
        steps = check_in(
            assessment, session.pk, {"next_morning": morning, "settled_within_24h": settled}
        )
    ExerciseSession.objects.filter(pk=session.pk).update(
        logged_at=session.logged_at - timedelta(days=1)
    )  # keep the history in order for the next one
    return steps


def test_progression_steps_up_one_level_at_a_time_and_never_past_the_top() -> None:
    assessment = make_assessment()
    program = program_for(assessment)
    item = next(i for i in program.items if len(i.levels) > 1)
    seen = [item.level]
    for _ in range(len(item.levels) + 2):
        [step] = _session_and_check_in(assessment, item.family, pain=1, morning="same")
        seen.append(step.to_level)
        assert abs(step.to_level - step.from_level) <= 1
    assert seen[: len(item.levels)] == list(item.levels)
    assert seen[-1] == max(item.levels)
    level = ProgramLevel.objects.get(assessment=assessment, family=item.family).level
    assert level == max(item.levels)
    assert program_for(assessment).item_for(item.family).exercise.id == item.ladder[level]


def test_high_pain_steps_down_and_two_worse_mornings_suggest_a_physiotherapist() -> None:
    assessment = make_assessment()
    item = next(i for i in program_for(assessment).items if len(i.levels) > 1)
    _session_and_check_in(assessment, item.family, pain=0, morning="better")
    [step] = _session_and_check_in(assessment, item.family, pain=9, morning="same")
    assert (step.action, step.from_level, step.to_level) == ("step_down", 2, 1)
    assert step.reason == "high_pain"
    [step] = _session_and_check_in(assessment, item.family, pain=1, morning="worse")
    assert step.action == "hold" and step.reason == "worse_morning_lowest"
    [step] = _session_and_check_in(assessment, item.family, pain=1, morning="same", settled=False)
    assert step.action == "book_pt" and step.to_level == 1


def test_medicine_answers_need_every_question_and_change_the_advice() -> None:
    assessment = make_assessment()
    questions = [q.id for q in medication_questions(assessment)]
    assert questions and "age_65_plus" not in questions  # the assessment asked the age
    assert plan_for(assessment)["medication"]["status"] == "unanswered"
    with pytest.raises(FieldErrors) as caught:
        save_medication_answers(assessment, {questions[0]: "maybe"})
    assert set(caught.value.errors) == set(questions)
    assert not MedicationAnswers.objects.exists()
    save_medication_answers(assessment, dict.fromkeys(questions, "no"))
    assert plan_for(assessment)["medication"]["status"] == "clear"
    save_medication_answers(assessment, {**dict.fromkeys(questions, "no"), "kidney": "not_sure"})
    medication = plan_for(assessment)["medication"]
    assert medication["status"] == "caution"
    # Not sure plays safe, and says it was "not sure" (never a "yes").
    assert any(item.get("reasons_unsure") for item in medication["items"])


def test_the_log_exports_and_imports_without_loss(patient: Any) -> None:
    from rehabit.assessments.models import Assessment
    from rehabit.care.personal_data import export_care, import_care

    assessment = make_assessment(owner=patient)
    make_assessment()  # someone else's, never exported
    program = program_for(assessment)
    item = next(i for i in program.items if len(i.levels) > 1)
    _session_and_check_in(assessment, item.family, pain=1, morning="better")
    log_session(assessment, session_data(program, note="Second"))
    questions = [q.id for q in medication_questions(assessment)]
    save_medication_answers(assessment, dict.fromkeys(questions, "no"))
    exported = export_care(patient)
    assert len(exported["exercise_sessions"]) == 2 and len(exported["progression_steps"]) == 1
    snapshot = Assessment.objects.get(pk=assessment.pk)
    fields = {f.name: getattr(snapshot, f.name) for f in snapshot._meta.concrete_fields}
    Assessment.objects.filter(pk=assessment.pk).delete()  # cascades to the whole log
    assert not ExerciseSession.objects.filter(assessment_id=assessment.pk).exists()
    Assessment.objects.create(**fields)
    import_care(exported)
    assert export_care(patient) == exported
