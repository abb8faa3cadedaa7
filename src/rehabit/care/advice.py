"""What a check-in tells the person to do at once, in the clinical core's own words.

A warning sign ticked at a check-in gets its own action from the plan's "signs to watch
for" (``selfcare.yaml``: "Go to the emergency department now", "See a doctor today"),
most urgent first; a progression decision of ``book_pt`` (worse after two sessions in a
row) gets its explanation, which suggests booking a physiotherapist.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rehabit.care.models import ExerciseSession, ProgressionStep
from rehabit.care.presenters import explain_step
from rehabit.clinical.selfcare_file import load_selfcare
from rehabit.core.reviewed_text import tr

_LEVEL_ORDER = ("emergency", "urgent", "soon")


def advice_for(
    session: ExerciseSession,
    steps: Iterable[ProgressionStep] | None = None,
    *,
    for_child: bool = False,
) -> list[dict[str, Any]]:
    """[{"kind": "sign", "id", "level", "sign", "action"} ..., {"kind": "book", "family",
    "text"} ...] for one checked-in session; empty when nothing needs doing at once.
    ``for_child``: a child's parent reads each in their words about their child (the
    caller decides by ``care.selectors.read_by_a_parent``); otherwise the patient's own
    words, also for the treating therapist or an admin reading a child's program."""
    age = session.assessment.answers.get("age") if for_child else None
    watch = {w.id: w.worded_for(age) for w in load_selfcare().watch_for}
    signs = [watch[s] for s in session.warning_signs or () if s in watch]
    signs.sort(key=lambda w: _LEVEL_ORDER.index(w.level) if w.level in _LEVEL_ORDER else 9)
    out: list[dict[str, Any]] = [
        {"kind": "sign", "id": w.id, "level": w.level, "sign": tr(w.sign), "action": tr(w.action)}
        for w in signs
    ]
    found = steps if steps is not None else session.progression_steps.all()
    out += [
        {"kind": "book", "family": s.family, "text": explain_step(s, child=for_child)}
        for s in found
        if s.action == "book_pt"
    ]
    return out


def urgent(advice: list[dict[str, Any]]) -> bool:
    """Does the advice send the person to emergency care now?"""
    return any(a["kind"] == "sign" and a["level"] == "emergency" for a in advice)
