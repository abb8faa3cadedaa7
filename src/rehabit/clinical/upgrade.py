"""Answers given to an earlier questionnaire version, read as the current version.

Stored assessments keep the answers exactly as the person gave them (a health record is
never rewritten). Code that needs answers in today's shape (the self-care plan, the
exercise program, the therapist's intake) reads them through ``current_answers``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

Answers = Mapping[str, object]

CURRENT = "2026.12.1"


def _from_2026_11_1(old: Answers) -> dict[str, object]:
    new = dict(old)
    # Two questions became one.
    breathless = new.pop("breathless", None)
    chest = new.pop("chest_pain_or_coughing_blood", None)
    if breathless is not None or chest is not None:
        values = {breathless, chest}
        new["breathless_or_chest_pain"] = (
            "yes" if "yes" in values else "not_sure" if "not_sure" in values else "no"
        )
    # "A lump that is getting bigger" became a lump question with its features. A "yes"
    # says both; "not sure" says the person was not sure of a lump; a "no" said only that
    # no lump was growing, so nothing is carried over.
    growing = new.pop("growing_lump", None)
    if growing == "yes":
        new["lump"], new["lump_features"] = "yes", ["growing"]
    elif growing == "not_sure":
        new["lump"] = "not_sure"
    # "Is one spot tender?" became a choice of what pressing shows: a "yes" is one spot; a
    # "no" did not say whether the muscle was tender all along, so it is not carried over.
    tender = new.pop("tenderness", None)
    if tender in ("yes", "not_sure"):
        new["tenderness"] = "one_spot" if tender == "yes" else "not_sure"
    # "A stiff hip, or trouble with socks and shoes" was split in two; the old answer does
    # not say which, so neither is guessed.
    new.pop("hip_stiffness", None)
    return new


UPGRADES: Mapping[str, tuple[str, Callable[[Answers], dict[str, object]]]] = {
    "2026.11.1": ("2026.12.1", _from_2026_11_1),
}


def current_answers(version: str, answers: Answers) -> dict[str, object]:
    """``answers`` given to questionnaire ``version``, in the current questionnaire's ids.

    Questions the person was never asked stay unanswered: nothing is guessed.
    """
    out = dict(answers)
    while version != CURRENT:
        if version not in UPGRADES:
            raise ValueError(f"No upgrade from questionnaire version {version!r}.")
        version, step = UPGRADES[version]
        out = step(out)
    return out
