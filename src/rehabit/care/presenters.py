"""What the care pages and API show: dosage in words, exercise details, the progression
explanations in the reader's language, and times in the reader's zone."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any, Literal, NamedTuple

from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from rehabit.care.models import ExerciseSession, ProgressionStep
from rehabit.clinical.conditions import load_conditions
from rehabit.clinical.exercises import ILLUSTRATION_DIR, Exercise, get_exercise
from rehabit.clinical.program import dosage_dict
from rehabit.clinical.progression import load_progression, next_step
from rehabit.clinical.selfcare_file import load_selfcare, stage_name
from rehabit.core.reviewed_text import tr

_VIEWBOX = re.compile(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"')


def phase_label(phase: str | None, *, child: bool = False) -> str:
    """The stage's title from the self-care data, translated (``child``: as a child's
    parent reads it, "Building back up: making your child's leg strong again")."""
    data = load_selfcare()
    titles = {**data.stage_titles, **(data.child_stage_titles if child else {})}
    return tr(titles[phase]) if phase in titles else ""


def phase_short(phase: str | None) -> str:
    """The stage's name alone (its title before the colon: "Building back up"), translated
    as a string of its own: cutting the translated title at a colon would cut a language
    that words it otherwise."""
    titles = load_selfcare().stage_titles
    return tr(stage_name(titles[phase])) if phase in titles else ""


@cache
def illustration_size(illustration: str) -> tuple[int, int]:
    """Width and height of an illustration (from its viewBox), for layout without jumps."""
    path = ILLUSTRATION_DIR / f"{illustration}.svg"
    match = _VIEWBOX.search(path.read_text(encoding="utf-8")[:500]) if path.is_file() else None
    if match is None:
        return 514, 200
    return round(float(match.group(1))), round(float(match.group(2)))


def condition_name(condition_id: str) -> str:
    condition = load_conditions().get(condition_id)
    return tr(condition.name) if condition is not None else condition_id


def illustration_url(exercise: Exercise) -> str:
    return static(f"exercises/{exercise.illustration}.svg")


def _seconds(n: int) -> str:
    return ngettext("%(n)s second", "%(n)s seconds", n) % {"n": n}


def dosage_lines(dosage: Mapping[str, object]) -> list[str]:
    """The dosage in short plain sentences, e.g. ["Hold for 30 seconds", "3 sets", ...]."""
    lines: list[str] = []
    kind = dosage.get("kind")
    sets, reps = dosage.get("sets"), dosage.get("reps")
    if kind == "hold" and isinstance(dosage.get("hold_seconds"), int):
        lines.append(_("Hold for %(time)s") % {"time": _seconds(int(dosage["hold_seconds"]))})  # type: ignore[call-overload]
        if isinstance(reps, int) and reps > 1:
            lines.append(ngettext("%(n)s hold", "%(n)s holds", reps) % {"n": reps})
    elif kind == "reps" and isinstance(reps, int):
        lines.append(ngettext("%(n)s repetition", "%(n)s repetitions", reps) % {"n": reps})
    elif kind == "duration" and isinstance(dosage.get("minutes"), int):
        minutes = int(dosage["minutes"])  # type: ignore[call-overload]
        lines.append(ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes})
    if isinstance(sets, int) and kind != "duration":
        lines.append(ngettext("%(n)s set", "%(n)s sets", sets) % {"n": sets})
    sides = dosage.get("sides")
    if sides == "both":
        lines.append(_("On each side"))
    elif sides == "affected":
        lines.append(_("On your sore side"))
    rest = dosage.get("rest_seconds")
    if isinstance(rest, int) and rest:
        lines.append(_("Rest %(time)s between") % {"time": _seconds(rest)})
    if dosage.get("tempo"):
        lines.append(tr(dosage["tempo"]))
    per_day, days = dosage.get("per_day"), dosage.get("days_per_week")
    if isinstance(per_day, int) and isinstance(days, int):
        daily = (
            _("Once a day")
            if per_day == 1
            else ngettext("%(n)s time a day", "%(n)s times a day", per_day) % {"n": per_day}
        )
        weekly = (
            _("every day")
            if days == 7
            else ngettext("%(n)s day a week", "%(n)s days a week", days) % {"n": days}
        )
        lines.append(_("%(daily)s, %(weekly)s") % {"daily": daily, "weekly": weekly})
    return lines


# When an avoid_when entry of a condition applies (the stage of recovery), as a phrase.
_IN_PHASE = {
    "early": gettext_noop("in the first days"),
    "middle": gettext_noop("while it settles"),
    "loading": gettext_noop("while building back up"),
}


def avoid_lines(exercise: Exercise) -> list[dict[str, str]]:
    """The exercise's "when not to do it", each naming who it is about: the condition (and
    the stages of recovery) for a condition's entry, so that a reason about one cause does
    not read as a reason against the exercise for everyone; a caution's reason says its
    situation itself ("Skip it if bending the knee this far hurts")."""
    lines: list[dict[str, Any]] = []
    for rule in exercise.avoid_when:
        reason = tr(rule.reason)
        if rule.condition is None:
            lines.append({"who": "", "reason": reason})
            continue
        same = next(
            (x for x in lines if x.get("condition") == rule.condition and x["reason"] == reason),
            None,
        )
        if same is not None and rule.phase is not None and same["phases"]:
            same["phases"].append(rule.phase)
            continue
        lines.append(
            {
                "condition": rule.condition,
                "phases": [rule.phase] if rule.phase else [],
                "reason": reason,
            }
        )
    for line in lines:
        if "condition" not in line:
            continue
        name = condition_name(line.pop("condition"))
        phases = [_(_IN_PHASE[p]) for p in line.pop("phases")]
        if not phases:
            line["who"] = name
        else:
            when = (
                phases[0]
                if len(phases) == 1
                else _("%(a)s and %(b)s")
                % {
                    "a": ", ".join(phases[:-1]),
                    "b": phases[-1],
                }
            )
            line["who"] = _("%(condition)s, %(when)s") % {"condition": name, "when": when}
    return lines


def exercise_card(exercise: Exercise) -> dict[str, Any]:
    """What the library and the exercise page show about one exercise."""
    return {
        "id": exercise.id,
        "name": tr(exercise.name),
        "summary": tr(exercise.summary),
        "steps": [tr(s) for s in exercise.steps],
        "dosage": dosage_lines(dosage_dict(exercise)),
        "should_feel": tr(exercise.should_feel),
        "should_not_feel": tr(exercise.should_not_feel),
        "max_pain": exercise.max_pain,
        "avoid": avoid_lines(exercise),
        "conditions": [(c, condition_name(c)) for c in exercise.conditions],
        "phases": [(p, phase_label(p)) for p in exercise.phases],
        "illustration_url": illustration_url(exercise),
        "width": illustration_size(exercise.illustration)[0],
        "height": illustration_size(exercise.illustration)[1],
        "alt": tr(exercise.alt),
        "level": exercise.level,
    }


def _level_name(level: int, ladder: Mapping[str, str]) -> str:
    rules = load_progression()
    exercise_id = ladder.get(str(level))
    if exercise_id:
        try:
            name = tr(get_exercise(exercise_id).name)
        except KeyError:
            name = ""
        if name and len(ladder) == 1:
            return name  # a family of one exercise has no levels to speak of (walking)
        if name:
            return tr(rules.level_name_with_exercise).format(level=level, exercise=name)
    return tr(rules.level_name).format(level=level)


def explain(
    template: str,
    params: Mapping[str, Any],
    from_level: int,
    to_level: int,
    *,
    child: bool = False,
) -> str:
    """A progression decision in the reader's language (``child``: in a parent's words
    about their child, also for a step stored with the adult's template)."""
    if child:
        template = load_progression().for_a_child(template)
    ladder = params.get("level_exercises") or {}
    values = {
        **params,
        "level_name": _level_name(from_level, ladder),
        "to_name": _level_name(to_level, ladder),
    }
    try:
        return tr(template).format(**values)
    except (KeyError, IndexError, ValueError):  # a translation with a broken placeholder
        return template.format(**values)


def explain_step(step: ProgressionStep, *, child: bool = False) -> str:
    return explain(step.template, step.params, step.from_level, step.to_level, child=child)


def _when(moment: Any) -> str:
    """An instant in the reader's zone, with the zone named (the site's one format)."""
    from rehabit.core.timefmt import format_when

    return format_when(moment)


def _check_in_does(rule: str, child: bool = False) -> str:
    """What the check-in of a logged session will do to the level, under the family's rule
    (``clinical.progression``: a hold never steps up, a flare always steps down)."""
    if child and rule == "hold":
        return _(
            "Your child's physiotherapist holds this level, so it stays the same, or gets "
            "easier if the exercise made your child's pain worse."
        )
    if child and rule == "with_therapist":
        return _(
            "Your child's physiotherapist decides when it gets harder: if it went well, they "
            "are told your child may be ready; if it made your child's pain worse, it gets "
            "easier."
        )
    if rule == "hold":
        return _(
            "Your physiotherapist holds this level, so it stays the same, or gets easier if "
            "the exercise made your pain worse."
        )
    if rule == "with_therapist":
        return _(
            "Your physiotherapist decides when it gets harder: if it went well, they are told "
            "you may be ready; if it made your pain worse, it gets easier."
        )
    return _("We will then make it harder, keep it the same or make it easier.")


class CheckInQuestion(NamedTuple):
    """Which pain a session's check-in can truly ask about when answered now, by the days
    of the page's zone: ``this_morning`` on the day after the session; ``morning_after``
    (``morning`` named) two or more days after; ``now`` on the session's own day (the
    check-in opens ``CHECK_IN_AFTER`` after the session, which after a morning session is
    the same afternoon, before any morning after)."""

    about: Literal["this_morning", "morning_after", "now"]
    morning: date  # the morning after the session


def check_in_question(logged_at: datetime, now: datetime) -> CheckInQuestion:
    zone = timezone.get_current_timezone()
    morning = logged_at.astimezone(zone).date() + timedelta(days=1)
    today = now.astimezone(zone).date()
    if today == morning:
        return CheckInQuestion("this_morning", morning)
    if today > morning:
        return CheckInQuestion("morning_after", morning)
    return CheckInQuestion("now", morning)


def _logged_note(item: Any, logged: list[ExerciseSession], child: bool = False) -> str:
    """What the log says about a family no check-in has moved yet: the latest session and
    when its check-in opens (the level moves only after that check-in). The check-in opens
    ``CHECK_IN_AFTER`` after the session, which after a morning session is the same
    afternoon: the note gives the time, never "the next morning"."""
    latest = logged[0]
    count = len(logged)
    if child:
        text = ngettext(
            "Your child's log has %(n)s session with this exercise, the latest on %(when)s.",
            "Your child's log has %(n)s sessions with this exercise, the latest on %(when)s.",
            count,
        ) % {"n": count, "when": _when(latest.logged_at)}
    else:
        text = ngettext(
            "You have logged %(n)s session with this exercise, the latest on %(when)s.",
            "You have logged %(n)s sessions with this exercise, the latest on %(when)s.",
            count,
        ) % {"n": count, "when": _when(latest.logged_at)}
    if latest.checked_in_at is not None:
        return text
    from rehabit.care.services import check_in_opens_at

    opens = _("You can tell us how it felt from %(opens)s, best after a night's sleep.") % {
        "opens": _when(check_in_opens_at(latest))
    }
    return f"{text} {opens} {_check_in_does(item.rule, child)}"


def explain_item(
    item: Any, sessions: Sequence[ExerciseSession] = (), *, child: bool = False
) -> str:
    """The latest decision for a program item; sessions logged since (newest first in
    ``sessions``) that still wait for their next-morning check-in are named, so the page
    never says "no session is logged yet" after one was."""
    logged = [s for s in sessions if item.family in s.families]
    step = item.latest_step
    if step is not None:
        text = explain_step(step, child=child)
        pending = [s for s in logged if s.checked_in_at is None and s.logged_at > step.decided_at]
        if pending:
            text += " " + _logged_note(item, pending, child)
        return text
    if logged:
        return _logged_note(item, logged, child)
    decision = next_step([], item.level, item.levels, ceiling=item.max_pain)
    ladder = {str(lv): ex for lv, ex in item.ladder.items()}
    return explain(decision.template, {**decision.params, "level_exercises": ladder},
                   decision.from_level, decision.to_level, child=child)  # fmt: skip


# The progression core's sentences about a therapist's hold
# (``clinical.progression.PRESCRIPTION_MESSAGES``), for the message catalogue; ``explain``
# translates them like the messages of programs.yaml.
PRESCRIPTION_STRINGS = (
    gettext_noop(
        "Your physiotherapist asked you to stay at {level_name} for now, so it stays the same."
    ),
    gettext_noop(
        "That went well. Your physiotherapist decides when you move on from {level_name}, "
        "and has been told that you may be ready."
    ),
)
# The same for a child's parent (``PRESCRIPTION_MESSAGES_FOR_A_CHILD``).
PRESCRIPTION_STRINGS_FOR_A_CHILD = (
    gettext_noop(
        "Your child's physiotherapist asked for your child to stay at {level_name} for now, "
        "so it stays the same."
    ),
    gettext_noop(
        "That went well. Your child's physiotherapist decides when your child moves on from "
        "{level_name}, and has been told that your child may be ready."
    ),
)


def family_name(family: str) -> str:
    """A family by its first (easiest) exercise's name, e.g. for a stopped family."""
    from rehabit.clinical.exercises import load_exercises

    first = min((e for e in load_exercises() if e.family == family), key=lambda e: e.level,
                default=None)  # fmt: skip
    return tr(first.name) if first is not None else family


def stopped_row(prescription: Any) -> dict[str, Any]:
    return {"name": family_name(prescription.family), "prescription": prescription}


def zone_name() -> str:
    """The zone times are shown in (the signed-in person's profile zone, else UTC), named as
    people read it."""
    from rehabit.core.timefmt import current_zone_name

    return current_zone_name()


def session_row(session: ExerciseSession) -> dict[str, Any]:
    names = []
    for item in session.exercises:
        try:
            names.append(tr(get_exercise(str(item["exercise_id"])).name))
        except KeyError:
            names.append(str(item["exercise_id"]))
    return {"session": session, "exercise_names": names}


def session_out(session: ExerciseSession) -> dict[str, Any]:
    """A logged session for the API (instants in UTC, ISO 8601)."""
    return {
        "id": session.id,
        "logged_at": session.logged_at.astimezone(UTC).isoformat(),
        "exercises": [
            {
                "exercise_id": str(item["exercise_id"]),
                "family": str(item["family"]),
                "level": int(item["level"]),
            }
            for item in session.exercises
        ],
        "pain_during": session.pain_during,
        "pain_after": session.pain_after,
        "difficulty": session.difficulty,
        "note": session.note,
        "next_morning": session.next_morning or None,
        "settled_within_24h": session.settled_within_24h,
        "checked_in_at": (
            session.checked_in_at.astimezone(UTC).isoformat() if session.checked_in_at else None
        ),
    }
