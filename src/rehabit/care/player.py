"""The guided player's script: each exercise's dosage turned into timed steps.

The browser (``static/care/player.js``) only plays these steps; what a session consists of
is decided here, in one place that tests can read. Steps:

- ``hold``: hold a position for ``seconds`` (a countdown);
- ``reps``: do ``reps`` repetitions at the person's own pace (a rep counter);
- ``duration``: keep going for ``seconds`` (e.g. a walk);
- ``rest``: rest for ``seconds`` between holds, sides or sets;
- ``switch``: change to the other side (a short countdown to get into position).

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


def side_label(side: str | None) -> str:
    return {
        "left": _("Left side"),
        "right": _("Right side"),
        "affected": _("Your sore side"),
    }.get(side or "", "")


def _detail(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


def _spoken(detail: str) -> str:
    """The detail as a screen reader should say it (commas, not middle dots)."""
    return detail.replace(" · ", ", ")


def _rep(rep: int, reps: int) -> str:
    return _("Rep %(rep)s of %(reps)s") % {"rep": rep, "reps": reps} if reps > 1 else ""


def _set(number: int, sets: int) -> str:
    return _("Set %(set)s of %(sets)s") % {"set": number, "sets": sets} if sets > 1 else ""


def _seconds(n: int) -> str:
    return ngettext("%(n)s second", "%(n)s seconds", n) % {"n": n}


def _int(dosage: Mapping[str, object], key: str, default: int) -> int:
    value = dosage.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def session_steps(dosage: Mapping[str, object]) -> list[dict[str, Any]]:
    """The steps of one exercise, in order, each with what to show and to announce."""
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
    rest = _int(dosage, "rest_seconds", 0)
    hold = _int(dosage, "hold_seconds", 0)
    sides = _sides(dosage.get("sides"))
    steps: list[dict[str, Any]] = []
    for number in range(1, sets + 1):
        for index, side in enumerate(sides):
            if kind == "hold":
                for rep in range(1, reps + 1):
                    detail = _detail(_rep(rep, reps), _set(number, sets), side_label(side))
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
                            "announce": _("Hold. %(detail)s. %(time)s.")
                            % {"detail": _spoken(detail) or _("Once"), "time": _seconds(hold)},
                        }
                    )
                    if rep < reps and rest:
                        steps.append(_rest(rest))
            else:
                detail = _detail(_set(number, sets), side_label(side))
                steps.append(
                    {
                        "kind": "reps",
                        "reps": reps,
                        "set": number,
                        "sets": sets,
                        "side": side,
                        "title": _("Do %(reps)s repetitions") % {"reps": reps},
                        "detail": detail,
                        "announce": _("Do %(reps)s repetitions at your own pace. %(detail)s.")
                        % {"reps": reps, "detail": _spoken(detail) or _("One set")},
                    }
                )
            if index + 1 < len(sides):
                next_side = sides[index + 1]
                steps.append(
                    {
                        "kind": "switch",
                        "seconds": SWITCH_SECONDS,
                        "side": next_side,
                        "title": _("Switch sides"),
                        "detail": side_label(next_side),
                        "announce": _("Switch sides: get ready on your %(side)s.")
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
