"""What a result says, in the person's words and in a parent's words about their child.

The headlines, actions, safety nets, re-checks, severity and pain lines and the ranking's
sentences that ``triage.decide`` puts in a result (``Words``: one voice each). Kept apart
from the decisions so that a reviewer reads the adult and the child texts side by side.
Every text has a result code (``clinical/result_codes.py``) so a stored result keeps its
words.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from rehabit.clinical.child_wording import is_child

HEADLINES: Mapping[str, str] = {
    "emergency": "Call an ambulance or go to the emergency department now",
    "urgent": "See a doctor today",
    "soon": "Book an appointment with a physiotherapist in the next week or two",
    "self_care": "You can start with self-care at home",
}
SOON_DOCTOR = "Book an appointment with your doctor in the next week or two"
# A soon flag whose advice says "in the next few days" (red_flags.yaml ``within:
# few_days``): the headline says so too, where "in the next week or two" had stood above it.
SOON_DOCTOR_DAYS = "Book an appointment with your doctor in the next few days"
# The urgent level when every reason for it gives a day or two (red_flags.yaml ``within:
# two_days``: a suspected stress fracture, a torn-off tendon, a lump in a young person, an
# earlier cancer): its headline and action say the same as the flags' own advice, where
# "See a doctor today ... if you cannot be seen today, go to the emergency department"
# contradicted "See a doctor today or tomorrow" beneath it.
URGENT_DAYS = "See a doctor today or tomorrow"
URGENT_DAYS_ACTION = (
    "Contact your doctor for an appointment today or tomorrow. If you cannot be seen by then, "
    "go to an urgent care centre; if you get much worse, go to the emergency department."
)

ACTIONS: Mapping[str, str] = {
    "emergency": (
        "Call your emergency number now, or go to the nearest emergency department. Do not drive "
        "yourself."
    ),
    "urgent": (
        "Contact your doctor today for an urgent appointment, or go to an urgent care centre. "
        "If you cannot be seen today, or you get worse, go to the emergency department."
    ),
    "soon": (
        "This does not look like an emergency, but it is worth a proper check. Until then, keep "
        "moving gently and avoid what makes the pain much worse."
    ),
    "self_care": (
        "This looks like something that usually gets better with self-care. For the first 1 to 3 "
        "days, avoid moves that cause sharp pain, but keep walking gently. Then slowly return to "
        "your normal activities, letting pain guide you: mild pain (up to about 3 out of 10) that "
        "settles by the next day is fine."
    ),
}
# 2026.12.7: a clot that has moved to the lung, or a blocked artery, needs an ambulance,
# as the stop page and the plan say ("Call ... now. Do not drive yourself"), not a drive to
# the emergency department (a phone walk read the two side by side).
SAFETY_NET_EMERGENCY = (
    "Call your emergency number now if you get sudden breathlessness or chest pain, or a leg "
    "that suddenly turns cold, pale or very weak. Go to the emergency department straight away "
    "if you get numbness between your legs or around your bottom, new trouble peeing or leaking "
    "pee or poo, or new weakness or numbness in both legs."
)
SAFETY_NET_SAME_DAY = (
    "See a doctor the same day if your calf or whole leg becomes swollen, hot or red, you get a "
    "fever, the leg gets weaker, you can no longer stand on it, or the pain becomes much worse."
)
RECHECK_ACUTE = (
    "Check again in 48 to 72 hours. If the pain is not clearly easing by then, or walking is "
    "getting harder, book an appointment with a physiotherapist."
)
RECHECK_GRADUAL = (
    "Check again in 1 to 2 weeks. If the pain is not getting better by then, book an "
    "appointment with a physiotherapist."
)
RECHECK_SOON_ACUTE = (
    "While you wait, check again in 48 to 72 hours; if you are getting worse, be seen sooner."
)
RECHECK_SOON_GRADUAL = (
    "While you wait, check again in 1 to 2 weeks; if you are getting worse, be seen sooner."
)


# The same texts as a child's parent reads them: a parent or carer answers for a child aged
# 5-15 (child_wording.is_child), so "you" is the parent and the advice speaks of their child
# ("Have your child seen by a doctor today", "Your child limps when they walk."). Same
# levels, timeframes and places as the adult texts above; only the voice changes. BEST_FIT,
# RULE_OUT and NOT_A_DIAGNOSIS below speak only of whoever answered ("your answers"), so one
# text serves both (tests/clinical/test_triage_child_wording.py checks that every other text
# a child's result can show speaks of the child, and every adult text has a child version).
CHILD_HEADLINES: Mapping[str, str] = {
    "emergency": "Call an ambulance or take your child to the emergency department now",
    "urgent": "Have your child seen by a doctor today",
    "soon": "Book an appointment for your child with a physiotherapist in the next week or two",
    "self_care": "Your child can start with self-care at home",
}
CHILD_SOON_DOCTOR = "Book an appointment with your child's doctor in the next week or two"
CHILD_SOON_DOCTOR_DAYS = "Book an appointment with your child's doctor in the next few days"
CHILD_URGENT_DAYS = "Have your child seen by a doctor today or tomorrow"
CHILD_URGENT_DAYS_ACTION = (
    "Contact your child's doctor for an appointment today or tomorrow. If your child cannot be "
    "seen by then, take them to an urgent care centre; if they get much worse, take them to the "
    "emergency department."
)
CHILD_ACTIONS: Mapping[str, str] = {
    "emergency": (
        "Call your emergency number now, or take your child to the nearest emergency "
        "department. Do not drive your child yourself if they are very unwell: call an "
        "ambulance."
    ),
    "urgent": (
        "Contact your child's doctor today for an urgent appointment, or take your child to an "
        "urgent care centre. If your child cannot be seen today, or gets worse, take them to the "
        "emergency department."
    ),
    "soon": (
        "This does not look like an emergency, but it is worth a proper check. Until then, let "
        "your child keep moving gently and avoid what makes the pain much worse."
    ),
    "self_care": (
        "This looks like something that usually gets better with self-care. For the first 1 to 3 "
        "days, your child should avoid moves that cause sharp pain, but keep walking gently. "
        "Then let them slowly return to their normal activities, letting pain guide them: mild "
        "pain (up to about 3 out of 10) that settles by the next day is fine."
    ),
}
CHILD_SAFETY_NET_EMERGENCY = (
    "Call your emergency number now if your child gets sudden breathlessness or chest pain, or "
    "a leg that suddenly turns cold, pale or very weak. Take them to the emergency department "
    "straight away if they get numbness between their legs or around their bottom, new trouble "
    "peeing or leaking pee or poo, or new weakness or numbness in both legs."
)
CHILD_SAFETY_NET_SAME_DAY = (
    "Have your child seen by a doctor the same day if their calf or whole leg becomes swollen, "
    "hot or red, they get a fever, the leg gets weaker, they can no longer stand on it, or the "
    "pain becomes much worse."
)
CHILD_RECHECK_ACUTE = (
    "Check again in 48 to 72 hours. If your child's pain is not clearly easing by then, or "
    "walking is getting harder for them, book an appointment with a physiotherapist."
)
CHILD_RECHECK_GRADUAL = (
    "Check again in 1 to 2 weeks. If your child's pain is not getting better by then, book an "
    "appointment with a physiotherapist."
)
CHILD_RECHECK_SOON_ACUTE = (
    "While you wait, check again in 48 to 72 hours; if your child is getting worse, have them "
    "seen sooner."
)
CHILD_RECHECK_SOON_GRADUAL = (
    "While you wait, check again in 1 to 2 weeks; if your child is getting worse, have them "
    "seen sooner."
)

# When a warning sign at the level decided gives its own advice, that advice already says
# where to go and what to say there, so the level's action is not given beside it (phone
# walk 9 read "Call your emergency number now, or go to the nearest emergency department"
# and "Go to the emergency department now. Say you may have cauda equina syndrome ..." as
# two bullets saying the same). What the action adds to any sign's advice follows it: how
# to get there, and where to go if the doctor cannot see them in time.
ACTION_REST: Mapping[str, str] = {
    "emergency": "Do not drive yourself.",
    "urgent": (
        "If you cannot be seen today, go to an urgent care centre; if you get worse, go to the "
        "emergency department."
    ),
}
URGENT_DAYS_REST = (
    "If you cannot be seen by then, go to an urgent care centre; if you get much worse, go to "
    "the emergency department."
)
CHILD_ACTION_REST: Mapping[str, str] = {
    "emergency": "Do not drive your child yourself if they are very unwell: call an ambulance.",
    "urgent": (
        "If your child cannot be seen today, take them to an urgent care centre; if they get "
        "worse, take them to the emergency department."
    ),
}
CHILD_URGENT_DAYS_REST = (
    "If your child cannot be seen by then, take them to an urgent care centre; if they get much "
    "worse, take them to the emergency department."
)

# What severity() says, for the person (key) and for a parent about their child (key:child).
SEVERITY_REASONS: Mapping[str, str] = {
    "cannot_stand": "You cannot stand on the painful leg.",
    "could_not_walk": "You could not walk 10 steps.",
    "limp": "You limp when you walk.",
    "mild": "You walk normally, your pain is low and the leg does not feel weak.",
    "cannot_stand:child": "Your child cannot stand on the painful leg.",
    "could_not_walk:child": "Your child could not walk 10 steps.",
    "limp:child": "Your child limps when they walk.",
    "mild:child": "Your child walks normally, their pain is low and the leg does not feel weak.",
}
PAIN_NOW = "Your pain is {n} out of 10."
PAIN_WORST = "Your pain reached {n} out of 10 in the last day."
CHILD_PAIN_NOW = "Your child's pain is {n} out of 10."
CHILD_PAIN_WORST = "Your child's pain reached {n} out of 10 in the last day."
# Said to whoever answered, a parent included: their answers are their own.
BEST_FIT = "Your answers fit best with: {name}."
RULE_OUT = "Some of your answers fit {name}, which a doctor needs to rule out."
NOT_A_DIAGNOSIS = "This is not a diagnosis. It is a guide based on your answers."


class Words(NamedTuple):
    """Every text decide() can give, in one voice (the person's or a parent's)."""

    headlines: Mapping[str, str]
    actions: Mapping[str, str]
    soon_doctor: str
    soon_doctor_days: str
    urgent_days: str
    urgent_days_action: str
    safety_net_emergency: str
    safety_net_same_day: str
    recheck_acute: str
    recheck_gradual: str
    recheck_soon_acute: str
    recheck_soon_gradual: str
    action_rest: Mapping[str, str]
    urgent_days_rest: str


ADULT_WORDS = Words(
    HEADLINES, ACTIONS, SOON_DOCTOR, SOON_DOCTOR_DAYS, URGENT_DAYS, URGENT_DAYS_ACTION,
    SAFETY_NET_EMERGENCY, SAFETY_NET_SAME_DAY, RECHECK_ACUTE, RECHECK_GRADUAL,
    RECHECK_SOON_ACUTE, RECHECK_SOON_GRADUAL, ACTION_REST, URGENT_DAYS_REST,
)  # fmt: skip
CHILD_WORDS = Words(
    CHILD_HEADLINES, CHILD_ACTIONS, CHILD_SOON_DOCTOR, CHILD_SOON_DOCTOR_DAYS, CHILD_URGENT_DAYS,
    CHILD_URGENT_DAYS_ACTION, CHILD_SAFETY_NET_EMERGENCY, CHILD_SAFETY_NET_SAME_DAY,
    CHILD_RECHECK_ACUTE, CHILD_RECHECK_GRADUAL, CHILD_RECHECK_SOON_ACUTE,
    CHILD_RECHECK_SOON_GRADUAL, CHILD_ACTION_REST, CHILD_URGENT_DAYS_REST,
)  # fmt: skip


CHILD_HEADLINE_TEXTS = frozenset(
    (*CHILD_HEADLINES.values(), CHILD_SOON_DOCTOR, CHILD_SOON_DOCTOR_DAYS, CHILD_URGENT_DAYS)
)


def words_for(answers: Mapping[str, object]) -> Words:
    """The voice of a result: a parent's about their child when the age is a child's."""
    return CHILD_WORDS if is_child(answers.get("age")) else ADULT_WORDS
