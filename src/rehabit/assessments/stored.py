"""A result as stored (codes and numbers) and as shown (``AssessmentResult.to_dict()``).

``compact`` turns the clinical core's result into what is kept; ``expand`` gives back the
very same dictionary, sentence for sentence, from the stored form and the catalogue it
names (``rehabit.assessments.result_texts``). About 0.8 KB instead of 7-15 KB: the English
of every reason is no longer repeated in every row.

The stored form (format 2), in JSON::

    {"v": 2,                                 format
     "t": "<catalogue key>",                 the revision of the words
     "d": [headline, [reasons], [advice]],   the disposition (its level is a column)
     "f": [[flag id, label, level, advice], ...]       warning signs (left out if none)
     "c": [cause, ...],                      causes in the order shown
     "p": "<base64>",                        their probabilities: IEEE 754 doubles,
                                             little-endian, in the same order (exact)
     "n": [confidence level, score, explanation],
     "u": [question ids left unanswered]}    (left out if none)

A sentence is a number, the entry of the catalogue whose code stands for it (for example
the entry of ``"sharp_pain:present"``), or, when no entry has that sentence, the sentence
itself. A cause is the number of its ``"cause:<id>"`` entry (its id and name) when it has
no reasons and no warning sign, else ``[cause, [for], [against], red flag, name]`` with the
usual trailing parts left out; a cause the catalogue does not know is its id (a string)
with its name at the end. ``q`` and ``l`` are added only when the result's questionnaire
version or level differ from the row's own columns. ``codes`` lists a stored result's
codes (for queries and exports).

``compact`` checks its own work: if expanding does not give back exactly the dictionary it
was given (a result shaped by some older code, say), it keeps that dictionary as it is, and
``expand`` returns such a stored dictionary (format 1: no ``"v"``) unchanged.
"""

from __future__ import annotations

import base64
import struct
from collections.abc import Mapping, Sequence
from typing import Any

from rehabit.assessments.result_texts import Catalogue, catalogue

FORMAT = 2
Ref = int | str


def _refs(found: Catalogue, texts: Sequence[str]) -> list[Ref]:
    numbers = found.numbers
    return [numbers.get(t, t) if isinstance(t, str) else t for t in texts]


def _ref(found: Catalogue, text: str) -> Ref:
    return found.numbers.get(text, text) if isinstance(text, str) else text


def _pack(probabilities: Sequence[float]) -> str:
    if not all(type(p) is float for p in probabilities):
        raise TypeError("probabilities must be floats")
    return base64.b64encode(struct.pack(f"<{len(probabilities)}d", *probabilities)).decode()


def _unpack(packed: str) -> tuple[float, ...]:
    raw = base64.b64decode(packed)
    return struct.unpack(f"<{len(raw) // 8}d", raw)


def compact(
    result: Mapping[str, Any], *, version: str, level: str, found: Catalogue
) -> dict[str, Any]:
    """The stored form of ``result`` (a dict from ``AssessmentResult.to_dict()``) for a
    row whose questionnaire version and level columns hold ``version`` and ``level``."""
    try:
        stored = _compact(result, version, level, found)
        if expand(stored, version=version, level=level, found=found) == result:
            return stored
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, struct.error):
        pass
    return dict(result)


def _cause(cause: Mapping[str, Any], found: Catalogue) -> int | str | list[Any]:
    number = found.code_numbers.get(f"cause:{cause['id']}")
    known = number is not None and found.text(number) == cause["name"]
    if known and not (cause["why_for"] or cause["why_against"] or cause["red_flag"]):
        return number  # most causes: their entry alone (as the trimming below would give)
    ref: int | str = number if known and number is not None else cause["id"]
    entry: list[Any] = [
        ref,
        _refs(found, cause["why_for"]),
        _refs(found, cause["why_against"]),
        int(cause["red_flag"]),
        None if known else cause["name"],
    ]
    while len(entry) > 1 and not entry[-1]:  # the usual parts, left out
        entry.pop()
    return entry[0] if len(entry) == 1 and isinstance(ref, int) else entry


def _compact(
    result: Mapping[str, Any], version: str, level: str, found: Catalogue
) -> dict[str, Any]:
    disposition = result["disposition"]
    stored: dict[str, Any] = {"v": FORMAT, "t": found.key}
    stored["d"] = [
        _ref(found, disposition["headline"]),
        _refs(found, disposition["reasons"]),
        _refs(found, disposition["advice"]),
    ]
    if result["red_flags"]:
        stored["f"] = [
            [f["id"], _ref(found, f["label"]), f["disposition"], _ref(found, f["advice"])]
            for f in result["red_flags"]
        ]
    stored["c"] = [_cause(cause, found) for cause in result["causes"]]
    stored["p"] = _pack([cause["probability"] for cause in result["causes"]])
    confidence = result["confidence"]
    stored["n"] = [
        confidence["level"],
        confidence["score"],
        _ref(found, confidence["explanation"]),
    ]
    if result["unanswered"]:
        stored["u"] = list(result["unanswered"])
    if result["questionnaire_version"] != version:
        stored["q"] = result["questionnaire_version"]
    if disposition["level"] != level:
        stored["l"] = disposition["level"]
    return stored


def expand(
    stored: Mapping[str, Any], *, version: str, level: str, found: Catalogue | None = None
) -> dict[str, Any]:
    """The result as ``AssessmentResult.to_dict()`` gave it, from its stored form."""
    if stored.get("v") != FORMAT:
        return dict(stored)  # format 1: the whole dictionary was stored
    words = found or catalogue(stored["t"])
    texts, entries = words.texts, words.codes

    def text(ref: Ref) -> str:
        return ref if isinstance(ref, str) else texts[entries[ref]]

    causes = []
    for entry, probability in zip(stored["c"], _unpack(stored["p"]), strict=True):
        if isinstance(entry, int):  # most causes: known, without reasons
            code = entries[entry]
            causes.append(
                {
                    "id": code.removeprefix("cause:"),
                    "name": texts[code],
                    "probability": probability,
                    "why_for": [],
                    "why_against": [],
                    "red_flag": False,
                }
            )
            continue
        parts = entry if isinstance(entry, list) else [entry]
        ref, size = parts[0], len(parts)
        if isinstance(ref, int):
            cid, name = entries[ref].removeprefix("cause:"), text(ref)
        else:
            cid, name = ref, parts[4]
        causes.append(
            {
                "id": cid,
                "name": name,
                "probability": probability,
                "why_for": [text(r) for r in parts[1]] if size > 1 else [],
                "why_against": [text(r) for r in parts[2]] if size > 2 else [],
                "red_flag": bool(parts[3]) if size > 3 else False,
            }
        )
    headline, reasons, advice = stored["d"]
    confidence_level, score, explanation = stored["n"]
    return {
        "questionnaire_version": stored.get("q", version),
        "disposition": {
            "level": stored.get("l", level),
            "headline": text(headline),
            "reasons": [text(r) for r in reasons],
            "advice": [text(r) for r in advice],
        },
        "red_flags": [
            {"id": fid, "label": text(label), "disposition": flag_level, "advice": text(said)}
            for fid, label, flag_level, said in stored.get("f", ())
        ],
        "causes": causes,
        "confidence": {
            "level": confidence_level,
            "score": score,
            "explanation": text(explanation),
        },
        "unanswered": list(stored.get("u", ())),
    }


def codes(stored: Mapping[str, Any], found: Catalogue | None = None) -> list[str]:
    """The stable codes a stored result refers to, in order of first use (``"sharp_pain:
    present"``, ``"flag:cauda_equina"``, ``"cause:sciatica"`` ...)."""
    if stored.get("v") != FORMAT:
        return []
    words = found or catalogue(stored["t"])
    seen: dict[str, None] = {}

    def walk(value: object) -> None:
        if isinstance(value, bool):
            return
        if isinstance(value, int):
            seen.setdefault(words.codes[value])
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(stored["d"])
    for _fid, label, _level, advice in stored.get("f", ()):
        walk([label, advice])
    for entry in stored["c"]:
        parts = entry if isinstance(entry, list) else [entry]
        walk(parts[:3])
    walk([stored["n"][2]])
    return list(seen)
