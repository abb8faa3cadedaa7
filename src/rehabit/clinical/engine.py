"""``assess(answers)``: validate, screen red flags, rank causes, decide the disposition."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from rehabit.clinical.conditions import Condition, load_conditions
from rehabit.clinical.differential import Cause, Differential, load_differential
from rehabit.clinical.questionnaire import Questionnaire, load_questionnaire
from rehabit.clinical.redflags import RedFlag, load_red_flags, screen
from rehabit.clinical.triage import SERIOUS_THRESHOLD, Disposition, RankedCause, decide
from rehabit.clinical.validation import validate_and_show

# Confidence (expert, a communication aid rather than a calibrated figure): half from how
# many of the questions that tell causes apart were answered, half from how far the most
# likely cause is ahead of the next one (a lead of 0.5 or more counts in full).
COVERAGE_WEIGHT = 0.5
FULL_LEAD = 0.5
HIGH, MODERATE = 0.7, 0.45


@dataclass(frozen=True, slots=True)
class Confidence:
    level: str  # "high" | "moderate" | "low"
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
    always_informative: frozenset[str]  # questions the findings look at, always shown
    conditional_informative: frozenset[str]  # ... and those shown by skip logic


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
        always_informative=frozenset(
            i for i in differential.informative_questions if q.questions[i].show_if is None
        ),
        conditional_informative=frozenset(
            i for i in differential.informative_questions if q.questions[i].show_if is not None
        ),
    )


def confidence(
    model: ClinicalModel,
    shown_conditional: frozenset[str],
    info: Mapping[str, object],
    causes: tuple[Cause, ...],
) -> Confidence:
    """How sure the ranking is: answered informative questions and the lead of the top cause."""
    visible = model.always_informative | (model.conditional_informative & shown_conditional)
    shown = len(visible)
    answered = len(visible.intersection(info))
    coverage = answered / shown if shown else 0.0
    first, second = _two_largest(c.probability for c in causes)
    lead = first - second
    score = round(
        COVERAGE_WEIGHT * coverage + (1 - COVERAGE_WEIGHT) * min(1.0, lead / FULL_LEAD), 3
    )
    level = "high" if score >= HIGH else "moderate" if score >= MODERATE else "low"
    if lead >= 0.4:
        spread = "one cause stands out clearly"
    elif lead >= 0.15:
        spread = "one cause is ahead, but others are close behind"
    else:
        spread = "several causes fit about equally well"
    text = (
        f"You gave useful answers to {answered} of the {shown} questions that help tell "
        f"causes apart, and {spread}."
    )
    if coverage < 0.8:
        text += " Answering the optional questions and self-tests would make this more certain."
    return Confidence(level, score, text)


def _two_largest(values: Iterable[float]) -> tuple[float, float]:
    first = second = 0.0
    for value in values:
        if value > first:
            first, second = value, first
        elif value > second:
            second = value
    return first, second


def _by_probability(cause: Cause) -> tuple[float, str]:
    return (-cause.probability, cause.id)


def assess(
    answers: Mapping[str, object], *, questionnaire: Questionnaire | None = None
) -> AssessmentResult:
    """Assess one person's answers. Raises ``AnswerErrors`` when they are not valid."""
    model = load_model(questionnaire)
    cleaned, shown = validate_and_show(model.questionnaire, answers)
    flags = screen(model.red_flags, cleaned)
    flagged = {f.condition for f in flags if f.condition is not None}
    info = model.differential.informative(cleaned)
    causes = model.differential.rank(info, flagged)
    # Triage needs the most likely cause and any serious one above its threshold.
    top = causes[0] if not flagged else min(causes, key=_by_probability)
    conditions = model.conditions
    serious = [
        c
        for c in causes
        if c is not top and c.probability >= SERIOUS_THRESHOLD and conditions[c.id].serious
    ]
    ranked = [
        RankedCause(conditions[c.id], c.probability)
        for c in [top, *sorted(serious, key=_by_probability)]
    ]
    disposition = decide(flags, ranked, cleaned)
    unanswered = tuple(
        qid
        for qid, conditional in model.optional
        if qid not in cleaned and (not conditional or qid in shown)
    )
    return AssessmentResult(
        questionnaire_version=model.questionnaire.version,
        disposition=disposition,
        red_flags=flags,
        causes=causes,
        confidence=confidence(model, shown, info, causes),
        unanswered=unanswered,
        answers=cleaned,
    )
