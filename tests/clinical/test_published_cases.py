"""Accuracy on published cases (tests/clinical/cases): the locked part, scored with its
thresholds, never tuned on.

The thresholds are the floors measured when the locked part was first scored
(bench/clinical_cases.py --part locked), so a change that makes the assessment worse on cases
it was never tuned on fails here. They are below the project's targets (confirmed cause in
the top three >= 95 %, first >= 85 %, no urgent or emergency case under-triaged, Brier score
<= 0.35): see the clinical issue's closing note for the gap.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from rehabit.clinical.conditions import load_conditions
from tests.clinical.cases.score import (
    Outcome,
    Report,
    cases,
    clinician_first,
    entered,
    entries,
    score,
)

# Recorded when the set was split and entered: the locked cases, their labels and their
# answers as entered. Any edit to the locked part changes it (and must be explained, not
# tuned).
LOCKED_FINGERPRINT = "f69e261c5c50b09e31e0803bc7c4882328639ceafcaf2405d73bf91a7c00f62b"


def locked_fingerprint() -> str:
    locked = sorted(c.id for c in cases().values() if c.split == "locked")
    payload = {
        "labels": [[i, cases()[i].cause, cases()[i].triage] for i in locked],
        "answers": {kind: {i: entered(kind).get(i) for i in locked} for kind in entries_kinds()},
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def entries_kinds() -> tuple[str, ...]:
    return ("story", "selftests")


@pytest.fixture(scope="module", params=entries_kinds())
def locked(request: pytest.FixtureRequest) -> Report:
    return score("locked", request.param)


def test_the_locked_part_is_large_enough_and_unchanged() -> None:
    locked = [c for c in cases().values() if c.split == "locked"]
    assert len(locked) >= 50
    assert len({c.cause for c in locked}) >= 20  # every kind of cause is scored
    assert locked_fingerprint() == LOCKED_FINGERPRINT


def test_every_case_was_entered_twice() -> None:
    for kind in entries_kinds():
        assert set(entries(kind)) == set(cases()), kind


def test_cause_ranking_on_the_locked_part(locked: Report) -> None:
    assert locked.top3 >= 0.65, locked.top3
    assert locked.top1 >= 0.42, locked.top1


def test_triage_on_the_locked_part(locked: Report) -> None:
    # 7 / 5 (story / self-tests) since a child's fever with a leg the child will not stand
    # on is an emergency (8 / 6 before).
    assert len(locked.urgent_under_triaged) <= 7, locked.urgent_under_triaged
    assert locked.not_under_triaged >= 0.88, locked.not_under_triaged
    # Raised from 0.17 on purpose: three same-day warning signs built on the tuning part
    # (severe pain growing without an injury, pain still growing days after a fall, a sore
    # lump in a child) caught two more urgent locked cases and over-triaged three more. A
    # missed urgent case is the worse error (red_flags.yaml), so the trade was kept; the
    # project's target (<= 0.15) is not met.
    assert locked.over_triage <= 0.21, locked.over_triage


def test_calibration_on_the_locked_part(locked: Report) -> None:
    # 0.754 / 0.767 (story / self-tests) since a warning sign is evidence for the causes it
    # names (differential.yaml, calibration.warning_sign_lr); 0.817 / 0.810 before.
    assert locked.brier <= 0.80, locked.brier
    # Within 0.08 either way: -0.055 / +0.003 with the warning sign's evidence (it was
    # -0.107 / -0.055 before, underconfident, the safe side).
    assert -0.08 <= locked.overconfidence <= 0.08, locked.overconfidence
    assert max(p for o in locked.outcomes for _, p in o.causes) <= 0.85


def test_the_confidence_statement_matches_what_was_measured(locked: Report) -> None:
    """Each level's "right in about N of 10" holds on the locked part within 2 in 10,
    where a level has enough cases to say."""
    from rehabit.clinical.engine import load_model

    bands = load_model().differential.bands
    low = 0.0
    for band in bands:
        inside = [o for o in locked.outcomes if low <= o.causes[0][1] < band.below]
        low = band.below
        if len(inside) < 10:
            continue
        right = sum(o.rank_of_truth == 1 for o in inside) / len(inside)
        assert abs(right - band.right_in_10 / 10) <= 0.2, (band, right, len(inside))


def test_the_guided_pages_are_short(locked: Report) -> None:
    # The project's target (median questions shown <= 30), met since questionnaire 2026.12.2.
    assert locked.median_shown <= 30, locked.median_shown


def test_every_answer_scoring_reads_old_entries_through_todays_skip_logic() -> None:
    """`bench/clinical_cases.py --all-questions` scores each entry with every answer that
    applies today: an answer whose question's skip logic changed since the entry is left out
    instead of being refused."""
    from rehabit.clinical.flow import prune

    report = score("tuning", "story", guided=False)
    assert report.n == sum(c.split == "tuning" for c in cases().values())
    answers = entries("story")
    dropped = sum(len(answers[o.case.id]) - o.shown for o in report.outcomes)
    assert dropped > 0  # some entered answers no longer apply (e.g. thigh_tense_hard)
    assert all(o.shown == len(prune(answers[o.case.id])) for o in report.outcomes)


def test_a_first_cause_counts_as_a_clinicians_only_where_the_blind_label_names_it() -> None:
    """The measure beside "confirmed cause first": the first cause is the confirmed one or
    one a clinician named first from the story alone (clinician_first.yaml)."""
    judged = clinician_first()
    tuning = [c for c in cases().values() if c.split == "tuning"]
    other = next(c for c in tuning if any(x != c.cause for x in judged[c.id]))
    named = next(x for x in judged[other.id] if x != other.cause)
    ids = sorted(load_conditions())
    neither = next(x for x in ids if x != other.cause and x not in judged[other.id])
    report = Report("tuning", "story")
    for first in (other.cause, named, neither):
        report.outcomes.append(Outcome(other, "soon", [(first, 0.5), ("doms", 0.1)], 10))
    assert report.top1 == pytest.approx(1 / 3)
    assert report.top1_or_clinician_first == pytest.approx(2 / 3)
    right = judged[other.id][0] == other.cause
    assert report.clinician_top1 == (1.0 if right else 0.0)
