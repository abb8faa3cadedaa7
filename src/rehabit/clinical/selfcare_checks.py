"""Checks of the self-care plan's texts at load (``selfcare_file.parse_selfcare`` passes
its error): a parent's wording about their child wherever a child's parent can be shown a
text that says "you", and one mild-pain limit wherever a text states it. Pure: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rehabit.clinical.child_wording import speaks_to_the_patient
from rehabit.clinical.datafiles import PlanItem

# "up to about 3 out of 10", "no more than about 3 out of 10": the mild-pain limit as a
# plan text states it.
_MILD_LIMIT = re.compile(r"(?:up to|no more than|at or below) about (\d+) out of 10")


def check_pain_numbers(
    worded: Sequence[tuple[str, PlanItem, PlanItem | None, bool]],
    mild: int,
    error: type[ValueError],
) -> None:
    """Every plan text that states the mild-pain limit states ``mild_pain_up_to``: the pain
    guide's "fine up to about 3 out of 10" and the stage that calls resting pain above it
    "still fairly strong" use one threshold (a runner at 3/10 read both)."""
    for where, item, child, _ in worded:
        for one in (item, child):
            if one is None:
                continue
            for text in (one.title, one.text, *one.steps):
                for said in _MILD_LIMIT.findall(text):
                    if int(said) != mild:
                        raise error(
                            f"{where}: says {said} out of 10 is mild; stages.mild_pain_up_to "
                            f"is {mild}"
                        )


def check_plan_wording(
    own: Sequence[tuple[str, PlanItem, PlanItem | None, bool]],
    texts: Sequence[tuple[str, str, str | None]],
    error: type[ValueError],
) -> None:
    """Refuse a text of the plan a child's parent can be shown (a stage title or reason,
    a plan item's title, text or steps, the notice) that speaks to "you" without
    ``for_a_child`` wording, the way a parent reads it about their child ("Raise your
    child's leg when they rest"); child wording that still speaks to "you" without naming
    the child; and child wording on an item a child is never shown (unused).

    ``own``: (where, item, its child wording, whether a child can be shown it);
    ``texts``: (where, text, its child wording)."""
    for where, item, child, shown in own:
        if not shown:
            if child is not None:
                raise error(f"{where}: for_a_child, but a child is never shown it")
            continue
        for key in ("title", "text", "steps"):
            mine, theirs = getattr(item, key), getattr(child, key) if child else None
            said = " ".join(mine) if key == "steps" else mine
            if speaks_to_the_patient(said) and (theirs is None or theirs == mine):
                raise error(
                    f'{where}: its {key} speaks to "you", and a child\'s parent can be shown '
                    f"it: give for_a_child.{key}, the wording a parent reads about their child"
                )
            if theirs is not None and theirs != mine:
                told = " ".join(theirs) if key == "steps" else str(theirs)
                if speaks_to_the_patient(told):
                    raise error(
                        f'{where}: for_a_child.{key} still speaks to "you" without the child'
                    )
    for where, text, child_text in texts:
        if child_text is None and speaks_to_the_patient(text):
            raise error(
                f'{where}: speaks to "you", and a child\'s parent can be shown it: give its '
                "for_a_child wording, the wording a parent reads about their child"
            )
        if child_text is not None and speaks_to_the_patient(child_text):
            raise error(f'{where}: its for_a_child still speaks to "you"')
