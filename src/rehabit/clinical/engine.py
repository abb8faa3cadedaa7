"""``assess(answers)``: validate, screen red flags, rank causes, decide the disposition."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from rehabit.clinical.child_wording import is_child
from rehabit.clinical.conditions import Condition, load_conditions
from rehabit.clinical.differential import Cause, Differential
from rehabit.clinical.differential_file import load_differential
from rehabit.clinical.questionnaire import Questionnaire
from rehabit.clinical.questionnaire_file import load_questionnaire
from rehabit.clinical.redflags import RedFlag, flag_evidence, flag_urgency, screen_as_told
from rehabit.clinical.redflags_file import load_red_flags
from rehabit.clinical.triage import Disposition, RankedCause, decide
from rehabit.clinical.validation import validate_and_show

# How sure: the probability of the first cause shown, read against what it meant on the
# tuning part of the published-case set (differential.yaml, calibration.bands): at each
# level, how often the first cause shown was the confirmed one. The statement is checked on
# the locked part in tests/clinical/test_published_cases.py (and its words are kept in
# assessments/result_texts.py's catalogue, for stored results).
CONFIDENCE = (
    "In published cases where Rehabit was this sure of its first suggestion, it was the "
    "confirmed cause in about {n} of 10."
)


@dataclass(frozen=True, slots=True)
class Confidence:
    level: str  # a level of calibration.bands: "moderate" | "low"
    score: float  # 0..1
    explanation: str

    def to_dict(self) -> dict[str, object]:
        return {"level": self.level, "score": self.score, "explanation": self.explanation}


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    questionnaire_version: str
    disposition: Disposition
    red_flags: tuple[RedFlag, ...]
    causes: tuple[Cause, ...]
    confidence: Confidence
    unanswered: tuple[str, ...]
    answers: Mapping[str, object]  # the cleaned answers (not part of to_dict)

    def to_dict(self) -> dict[str, object]:
        """JSON-serialisable and deterministic (independent of the answers' order)."""
        return {
            "questionnaire_version": self.questionnaire_version,
            "disposition": self.disposition.to_dict(),
            "red_flags": [f.to_dict() for f in self.red_flags],
            "causes": [c.to_dict() for c in self.causes],
            "confidence": self.confidence.to_dict(),
            "unanswered": list(self.unanswered),
        }


@dataclass(frozen=True, slots=True, eq=False)
class ClinicalModel:
    """Everything ``assess`` needs, compiled once per questionnaire."""

    questionnaire: Questionnaire
    red_flags: tuple[RedFlag, ...]
    differential: Differential
    conditions: Mapping[str, Condition]
    optional: tuple[tuple[str, bool], ...]  # optional questions: (id, conditional?)


@lru_cache(maxsize=8)
def load_model(questionnaire: Questionnaire | None = None) -> ClinicalModel:
    q = questionnaire if questionnaire is not None else load_questionnaire()
    differential = load_differential(q)
    return ClinicalModel(
        questionnaire=q,
        red_flags=load_red_flags(q),
        differential=differential,
        conditions=load_conditions(),
        optional=tuple(
            (i, x.show_if is not None) for i, x in q.questions.items() if not x.required
        ),
    )


def confidence(model: ClinicalModel, causes: tuple[Cause, ...]) -> Confidence:
    """How sure the ranking is, in words that match its measured calibration: the first
    cause shown (a cause linked to a warning sign can come before a likelier one), read
    against how often the first cause shown was the confirmed one at that probability."""
    top = causes[0].probability
    band = model.differential.band(top)
    return Confidence(band.level, round(top, 3), CONFIDENCE.format(n=band.right_in_10))


def _by_probability(cause: Cause) -> tuple[float, str]:
    return (-cause.probability, cause.id)


def assess(
    answers: Mapping[str, object], *, questionnaire: Questionnaire | None = None
) -> AssessmentResult:
    """Assess one person's answers. Raises ``AnswerErrors`` when they are not valid."""
    model = load_model(questionnaire)
    cleaned, shown = validate_and_show(model.questionnaire, answers)
    flags = screen_as_told(model.red_flags, cleaned)
    flagged = flag_urgency(flags)
    differential = model.differential
    info = differential.informative(cleaned)
    causes = differential.rank(
        info,
        flagged,
        flag_evidence(flags, differential.warning_sign_lr),
        child=is_child(cleaned.get("age")),  # the reasons in the words a parent reads
    )
    # Triage needs the most likely cause first, then every cause with a floor.
    top = causes[0] if not flagged else min(causes, key=_by_probability)
    conditions = model.conditions
    ranked = [RankedCause(conditions[top.id], top.probability)] + [
        RankedCause(conditions[c.id], c.probability)
        for c in sorted(causes, key=_by_probability)
        if c is not top and conditions[c.id].floors
    ]
    disposition = decide(flags, ranked, cleaned)
    # Optional questions that are always asked and were left out ("when useful" ones are
    # asked only when they matter, so leaving them out is not a gap).
    unanswered = tuple(
        qid
        for qid, conditional in model.optional
        if qid not in cleaned
        and model.questionnaire.questions[qid].ask == "always"
        and (not conditional or qid in shown)
    )
    return AssessmentResult(
        questionnaire_version=model.questionnaire.version,
        disposition=disposition,
        red_flags=flags,
        causes=causes,
        confidence=confidence(model, causes),
        unanswered=unanswered,
        answers=cleaned,
    )
