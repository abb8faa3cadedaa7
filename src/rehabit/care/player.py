"""The guided player's script: each exercise's dosage turned into timed steps.

The browser (``static/care/player.js``) only plays these steps; what a session consists of
is decided here, in one place that tests can read. Steps:

- ``hold``: hold a position for ``seconds`` (a countdown);
- ``reps``: do ``reps`` repetitions at the person's own pace (a rep counter);
- ``duration``: keep going for ``seconds`` (e.g. a walk);
- ``rest``: rest for ``seconds`` between holds, sides or sets;
- ``switch``: change to the other side (a short countdown to get into position).

For a child's program (``child``: a parent or carer reads the player beside their child) the
steps speak of the child ("Your child's sore side", "at their own pace").

For an exercise done on both sides, every set does all its repetitions on the left, then
switches to the right; rests come between holds and between sets as the dosage says.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

SWITCH_SECONDS = 5  # expert choice: enough time to turn round or change legs


def _sides(sides: object) -> list[str | None]:
    if sides == "both":
        return ["left", "right"]
    if sides == "affected":
        return ["affected"]
    return [None]


def side_label(side: str | None, *, child: bool = False) -> str:
    return {
        "left": _("Left side"),
        "right": _("Right side"),
        "affected": _("Your child's sore side") if child else _("Your sore side"),
    }.get(side or "", "")


def _detail(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


def _spoken(detail: str) -> str:
    """The detail as a screen reader should say it (commas, not middle dots)."""
    return detail.replace(" · ", ", ")


def _hold_count(hold: int, holds: int) -> str:
    """Which hold of the set this is ("reps" of a hold dosage are holds, not repetitions)."""
    return _("Hold %(hold)s of %(holds)s") % {"hold": hold, "holds": holds} if holds > 1 else ""


def _set(number: int, sets: int) -> str:
    return _("Set %(set)s of %(sets)s") % {"set": number, "sets": sets} if sets > 1 else ""


def _seconds(n: int) -> str:
    return ngettext("%(n)s second", "%(n)s seconds", n) % {"n": n}


def _int(dosage: Mapping[str, object], key: str, default: int) -> int:
    value = dosage.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def session_steps(dosage: Mapping[str, object], *, child: bool = False) -> list[dict[str, Any]]:
    """The steps of one exercise, in order, each with what to show and to announce
    (``child``: in a parent's words about their child)."""
    kind = dosage.get("kind")
    if kind == "duration":
        seconds = _int(dosage, "minutes", 1) * 60
        return [
            {
                "kind": "duration",
                "seconds": seconds,
                "title": _("Keep going"),
                "detail": "",
                "announce": _("Start now. %(time)s.")
                % {
                    "time": ngettext("%(n)s minute", "%(n)s minutes", seconds // 60)
                    % {"n": seconds // 60}
                },
            }
        ]
    sets = _int(dosage, "sets", 1)
    reps = _int(dosage, "reps", 1)
    # Sets may differ in repetitions (the Nordic plan's 12, 10, 8): ``reps_per_set``.
    per_set = dosage.get("reps_per_set")
    if (
        isinstance(per_set, list | tuple)
        and per_set
        and all(isinstance(r, int) and not isinstance(r, bool) and r > 0 for r in per_set)
    ):
        sets = len(per_set)
    else:
        per_set = [reps] * sets
    rest = _int(dosage, "rest_seconds", 0)
    hold = _int(dosage, "hold_seconds", 0)
    sides = _sides(dosage.get("sides"))
    steps: list[dict[str, Any]] = []
    for number in range(1, sets + 1):
        reps = per_set[number - 1]
        for index, side in enumerate(sides):
            if kind == "hold":
                for rep in range(1, reps + 1):
                    count = _hold_count(rep, reps)
                    detail = _detail(count, _set(number, sets), side_label(side, child=child))
                    if count:  # "Hold 2 of 5, Set 1 of 2, Left side. 30 seconds."
                        # Translators: a hold's details (they start with "Hold 2 of 5"),
                        # then how long it lasts.
                        announce = _("%(detail)s. %(time)s.") % {
                            "detail": _spoken(detail),
                            "time": _seconds(hold),
                        }
                    else:
                        announce = _("Hold. %(detail)s. %(time)s.") % {
                            "detail": _spoken(detail) or _("Once"),
                            "time": _seconds(hold),
                        }
                    steps.append(
                        {
                            "kind": "hold",
                            "seconds": hold,
                            "rep": rep,
                            "reps": reps,
                            "set": number,
                            "sets": sets,
                            "side": side,
                            "title": _("Hold"),
                            "detail": detail,
                            "announce": announce,
                        }
                    )
                    if rep < reps and rest:
                        steps.append(_rest(rest))
            else:
                detail = _detail(_set(number, sets), side_label(side, child=child))
                at_own_pace = (
                    _("Your child does %(reps)s repetitions at their own pace. %(detail)s.")
                    if child
                    else _("Do %(reps)s repetitions at your own pace. %(detail)s.")
                )
                steps.append(
                    {
                        "kind": "reps",
                        "reps": reps,
                        "set": number,
                        "sets": sets,
                        "side": side,
                        "title": _("Do %(reps)s repetitions") % {"reps": reps},
                        "detail": detail,
                        "announce": at_own_pace
                        % {"reps": reps, "detail": _spoken(detail) or _("One set")},
                    }
                )
            if index + 1 < len(sides):
                next_side = sides[index + 1]
                get_ready = (
                    _("Switch sides: your child gets ready on their %(side)s.")
                    if child
                    else _("Switch sides: get ready on your %(side)s.")
                )
                steps.append(
                    {
                        "kind": "switch",
                        "seconds": SWITCH_SECONDS,
                        "side": next_side,
                        "title": _("Switch sides"),
                        "detail": side_label(next_side, child=child),
                        "announce": get_ready
                        % {"side": _("right side") if next_side == "right" else _("other side")},
                    }
                )
        if number < sets and rest:
            steps.append(_rest(rest))
    return steps


def _rest(seconds: int) -> dict[str, Any]:
    return {
        "kind": "rest",
        "seconds": seconds,
        "title": _("Rest"),
        "detail": "",
        "announce": _("Rest. %(time)s.") % {"time": _seconds(seconds)},
    }


def total_seconds(steps: list[dict[str, Any]]) -> int:
    """The timed part of an exercise (repetitions at one's own pace not counted)."""
    return sum(int(step.get("seconds", 0)) for step in steps)


def player_strings(*, child: bool = False) -> dict[str, str]:
    """The guided player's own words, translated here (player.js only shows them);
    ``child``: a parent reads them about their child's session."""
    if child:
        note_prefix = _("A note from your child's physiotherapist:")
        session_done = _(
            "Session complete. Tell us how it went for your child below, then save it to their log."
        )
    else:
        note_prefix = _("Your physiotherapist's note:")
        session_done = _("Session complete. Tell us how it went below, then save it to your log.")
    return {
        "exercise_of": _("Exercise {n} of {total}"),
        "step_of": _("Step {n} of {total}"),
        "get_ready": _("Get ready"),
        "press_start": _("When you are ready to begin, press Start."),
        "start": _("Start"),
        "pause": _("Pause"),
        "resume": _("Resume"),
        "paused": _("Paused."),
        "resumed": _("Resumed."),
        "skip": _("Skip this step"),
        "skip_rest": _("Skip the rest"),
        "set_done": _("Set done"),
        "seconds_left": _("{n} seconds left"),
        "second_left": _("1 second left"),
        "reps_counted": _("{n} of {total} repetitions done"),
        "next_up": _("Well done. Next exercise: {name}."),
        "note_prefix": note_prefix,
        "session_done": session_done,
    }


LOGGED_FIELDS = ("pain_during", "pain_after", "difficulty", "note")


def posted_session(post: Any, *extra: str) -> dict[str, Any]:
    """What a person sent from the player's log form (the program's and the prevention
    session's alike), kept as typed so that a refused form shows it again."""
    values: dict[str, Any] = {"exercise_ids": post.getlist("exercise_ids")}
    for name in (*LOGGED_FIELDS, *extra):
        values[name] = post.get(name, "")
    return values
