"""Answers given to an earlier questionnaire version, read as the current version.

Stored assessments keep the answers exactly as the person gave them (a health record is
never rewritten). Code that needs answers in today's shape (the self-care plan, the
exercise program, the therapist's intake) reads them through ``current_answers``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

Answers = Mapping[str, object]

CURRENT = "2026.12.11"


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


# 2026.12.1's clot-risk questions -> their choice in 2026.12.2's clot_risks.
CLOT_RISKS = {
    "recent_surgery_or_immobile": "surgery_or_immobile",
    "long_travel": "long_travel",
    "previous_blood_clot": "earlier_clot",
}


def _from_2026_12_1(old: Answers) -> dict[str, object]:
    new = dict(old)
    # "Do you limp when you walk?", asked after "yes" to standing and taking 4 steps,
    # became an answer to that question: "Yes, but I limp" (limping); "yes" now also says
    # "without a limp". A "not sure" is read as a limp, the reading that keeps every
    # warning sign a limp is part of. Answers from before the limp question (2026.11.1)
    # say a limp only through the walking self-test ("I limped"); otherwise their "yes"
    # stays "yes" (the intake reads it as weight-bearing, not as a normal gait).
    limp = new.pop("limp", None)
    limped = limp in ("yes", "not_sure") or (limp is None and new.get("walk_test") == "limp")
    if new.get("bear_weight") == "yes" and limped:
        new["bear_weight"] = "limping"
    # "Does the leg feel weak?" is no longer asked once the warning signs called the leg
    # weak (it would say the same again), so such an answer is not read.
    if new.get("leg_weakness") in ("weak_not_worse", "slowly", "suddenly"):
        new.pop("weakness", None)
    # Three yes/no questions about the risks of a clot became one multiple choice: the
    # "yes" answers are its choices; three "no" are "none of these"; a "not sure" with no
    # "yes" is "not sure"; anything less (a question left out) leaves it unanswered.
    said = {old_id: new.pop(old_id, None) for old_id in CLOT_RISKS}
    ticked = [value for old_id, value in CLOT_RISKS.items() if said[old_id] == "yes"]
    if ticked:
        new["clot_risks"] = ticked
    elif "not_sure" in said.values():
        new["clot_risks"] = ["not_sure"]
    elif all(answer == "no" for answer in said.values()):
        new["clot_risks"] = ["none"]
    return new


UPGRADES: Mapping[str, tuple[str, Callable[[Answers], dict[str, object]]]] = {
    "2026.11.1": ("2026.12.1", _from_2026_11_1),
    "2026.12.1": ("2026.12.2", _from_2026_12_1),
    # 2026.12.3 changed only wording (a child's parent is not asked about sex, smoking or
    # injecting drugs): the answers mean what they meant.
    "2026.12.2": ("2026.12.3", dict),
    # 2026.12.4 added an answer to what a lump is like (it tingles when tapped): an earlier
    # answer, without it, means what it meant.
    "2026.12.3": ("2026.12.4", dict),
    # 2026.12.7 no longer asks the hop test of someone 65 or older, with weak bones or on
    # steroids, or with constant night pain: an answer given before stays, as every answer.
    "2026.12.4": ("2026.12.7", dict),
    # 2026.12.8 changed only wording (a child's parent reads "Yes, but my child limps", not
    # "Yes, but I limp"): the answers mean what they meant.
    "2026.12.7": ("2026.12.8", dict),
    # 2026.12.9 changed only wording (a child's parent reads "Where does your child feel the
    # pain?", not "Where do you feel the pain?"): the answers mean what they meant.
    "2026.12.8": ("2026.12.9", dict),
    # 2026.12.10 changed only wording (a child's parent reads the headings "Your child's
    # pain", "Your child's health and activity"): the answers mean what they meant.
    "2026.12.9": ("2026.12.10", dict),
    # 2026.12.11 asks the sex at birth in the health section, once the age says whether a
    # parent is answering, instead of beside the age: the answers mean what they meant.
    "2026.12.10": ("2026.12.11", dict),
}


# Questions that are no longer asked -> the last questionnaire version that asked them (an
# answer to one, sent without its version, is an earlier version's answer).
RETIRED: Mapping[str, str] = {
    "breathless": "2026.11.1",
    "chest_pain_or_coughing_blood": "2026.11.1",
    "growing_lump": "2026.11.1",
    "hip_stiffness": "2026.11.1",
    "limp": "2026.12.1",
    **dict.fromkeys(CLOT_RISKS, "2026.12.1"),
}


# Answers of a check still being filled in that a step cannot read yet: (question, value,
# follow-up). A draft can stop between a question and its follow-up; under 2026.12.1 a
# "yes" to standing was not finished until the limp question was answered, and today's
# "yes" also says "without a limp", so such a "yes" is asked again.
UNFINISHED: Mapping[str, tuple[tuple[str, str, str], ...]] = {
    "2026.12.1": (("bear_weight", "yes", "limp"),),
}


def current_answers(version: str, answers: Answers) -> dict[str, object]:
    """``answers`` given to questionnaire ``version``, in the current questionnaire's ids.

    Questions the person was never asked stay unanswered: nothing is guessed.
    """
    return _upgrade(version, answers, draft=False)


def draft_answers(version: str, answers: Answers) -> dict[str, object]:
    """The answers of a check still being filled in under ``version``, in today's ids:
    like ``current_answers``, but an answer whose follow-up was not reached yet is left out
    (``UNFINISHED``), so the guided pages ask it again. Raises ``ValueError`` for a version
    with no upgrade."""
    return _upgrade(version, answers, draft=True)


def _upgrade(version: str, answers: Answers, *, draft: bool) -> dict[str, object]:
    out = dict(answers)
    while version != CURRENT:
        if version not in UPGRADES:
            raise ValueError(f"No upgrade from questionnaire version {version!r}.")
        if draft:
            for qid, value, follow_up in UNFINISHED.get(version, ()):
                if out.get(qid) == value and follow_up not in out:
                    del out[qid]
        version, step = UPGRADES[version]
        out = step(out)
    return out
