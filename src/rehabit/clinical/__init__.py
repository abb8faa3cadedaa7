"""Rehabit's clinical core: pure Python, no Django.

``assess(answers)`` validates a person's answers to the questionnaire, screens red flags,
ranks the likely causes and decides what to do next. The medical knowledge lives in the
reviewed data files under ``data/``.
"""

from rehabit.clinical.engine import AssessmentResult, assess
from rehabit.clinical.questionnaire import Questionnaire
from rehabit.clinical.questionnaire_file import load_questionnaire
from rehabit.clinical.validation import AnswerErrors, validate_answers

__all__ = [
    "AnswerErrors",
    "AssessmentResult",
    "Questionnaire",
    "assess",
    "load_questionnaire",
    "validate_answers",
]
