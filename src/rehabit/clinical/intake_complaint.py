"""The presenting complaint in clinical words, for the opening sentence of the
therapist's intake summary (``intake.py``): who ("34-year-old woman"), where ("right mid
posterior thigh pain"), for how long ("6 days"), the mechanism of onset, any earlier pain
at the site and a pop. Pure, no Django; each phrase a ``Text`` (``phrases.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rehabit.clinical.phrases import Text, _, join, ngettext

# The mechanism in a sentence ("..., after sprinting").
MECHANISM: Mapping[str, Text] = {
    "sprinting": _("after sprinting"),
    "stretch_kick_split": _("after a forced stretch, high kick, slip or splits"),
    "jumping_landing": _("after jumping or landing"),
    "lifting": _("while lifting or carrying"),
    "bending_twisting": _("while bending or twisting"),
    "fall_or_blow": _("after a fall, crash or direct blow"),
    "ordinary_movement": _("with sudden onset during an ordinary movement"),
    "during_sport_no_moment": _("arising during sport without a single inciting moment"),
    "after_more_training": _("after an increase in training load"),
    "gradually": _("of insidious onset"),
    "after_sitting": _("after prolonged sitting"),
    "no_clear_reason": _("without a clear cause"),
}

POP: Mapping[str, Text] = {
    "yes": _("felt a pop"),
    "no": _("no pop"),
    "not_sure": _("not sure whether there was a pop"),
}

EARLIER_PAIN: Mapping[str, Text] = {
    "weeks_or_longer": _("on a background of an ache there for weeks or longer"),
    "on_and_off": _("on a background of intermittent pain there"),
}


def person(age: int | None, sex: str | None) -> Text:
    """ "34-year-old woman", "14-year-old girl", "adult, age not given"."""
    if age is None:
        return _("patient of unknown age")
    child = age < 16
    if sex == "female":
        return _("{age}-year-old girl", age=age) if child else _("{age}-year-old woman", age=age)
    if sex == "male":
        return _("{age}-year-old boy", age=age) if child else _("{age}-year-old man", age=age)
    if child:
        return _("{age}-year-old child (sex not stated)", age=age)
    return _("{age}-year-old (sex not stated)", age=age)


def duration(days: int) -> Text:
    """Days as a clinician says them: days up to 2 weeks, then weeks, months, years."""
    if days == 0:
        return _("less than a day")
    if days < 14:
        return ngettext("{count} day", "{count} days", days)
    if days < 60:
        return ngettext("{count} week", "{count} weeks", days // 7)
    if days < 730:
        return ngettext("{count} month", "{count} months", days // 30)
    return ngettext("{count} year", "{count} years", days // 365)


def side_pain(side: str | None, regions: Sequence[Text]) -> Text:
    """ "right mid posterior thigh pain"."""
    where = join(regions) if regions else _("posterior thigh")
    if side == "left":
        return _("left {regions} pain", regions=where)
    if side == "right":
        return _("right {regions} pain", regions=where)
    if side == "both":
        return _("bilateral {regions} pain", regions=where)
    return _("{regions} pain (side not given)", regions=where)
