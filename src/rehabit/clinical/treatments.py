"""Professional treatments and what a clinician may offer for each cause
(``data/treatments.yaml``): reviewed data, validated when loaded.

Pure Python, no Django. Every statement about an effect is a :class:`Claim` with a
GRADE-style certainty and a citation (evidence.md ``[n]`` or references.yaml ``[Rn]``);
only a ``no_trials`` claim may rest on a written expert reason instead. Text outside the
claims holds no digits, so every number a reader sees sits in a cited claim. Every
condition in ``conditions.yaml`` has a section. Anything malformed raises
:class:`TreatmentDataError` naming the entry, so a bad edit fails the first import and the
test run instead of reaching a patient.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Literal, cast

from rehabit.clinical.conditions import load_conditions
from rehabit.clinical.datafiles import citation_problem, cited_references, load_yaml

Grade = Literal["high", "moderate", "low", "very_low", "no_trials"]
Verdict = Literal["first_choice", "may_help", "uncertain", "not_recommended", "urgent"]
Group = Literal[
    "physical_therapy", "medicines", "injections", "devices", "complementary", "surgery"
]

GRADES: tuple[Grade, ...] = ("high", "moderate", "low", "very_low", "no_trials")
VERDICTS: tuple[Verdict, ...] = (
    "first_choice",
    "may_help",
    "uncertain",
    "not_recommended",
    "urgent",
)
GROUPS: tuple[Group, ...] = (
    "physical_therapy",
    "medicines",
    "injections",
    "devices",
    "complementary",
    "surgery",
)

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_DIGIT = re.compile(r"\d")
_TREATMENT_KEYS = frozenset(
    {"id", "group", "name", "summary", "what_happens", "source", "benefits", "harms", "questions"}
)
_CAUSE_KEYS = frozenset({"intro", "source", "options", "questions"})
_CLAIM_KEYS = frozenset({"text", "grade", "source", "expert"})
_OPTION_KEYS = _CLAIM_KEYS | {"treatment", "name", "verdict"}


class TreatmentDataError(ValueError):
    """The treatments data is malformed."""


@dataclass(frozen=True, slots=True)
class Claim:
    """One statement about an effect, with how certain it is and where it comes from."""

    text: str
    grade: Grade
    source: str | None = None
    expert: str | None = None

    @property
    def references(self) -> tuple[str, ...]:
        """The references cited ("51", "R15"), in order, without repeats."""
        return tuple(dict.fromkeys(cited_references(self.source or "")))


@dataclass(frozen=True, slots=True)
class Treatment:
    id: str
    group: Group
    name: str
    summary: str
    what_happens: str
    source: str
    benefits: tuple[Claim, ...]
    harms: tuple[Claim, ...]
    questions: tuple[str, ...]

    def claims(self) -> Iterator[Claim]:
        yield from self.benefits
        yield from self.harms


@dataclass(frozen=True, slots=True)
class CauseOption:
    """Something a clinician may offer for a cause: a treatment page or a named option."""

    claim: Claim
    verdict: Verdict
    treatment: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class CauseTreatments:
    condition_id: str
    intro: str
    source: str
    options: tuple[CauseOption, ...]
    questions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TreatmentGuide:
    version: str
    treatments: Mapping[str, Treatment]
    causes: Mapping[str, CauseTreatments]

    def by_group(self) -> list[tuple[Group, list[Treatment]]]:
        """Treatments grouped in the order of GROUPS (file order within a group)."""
        return [
            (group, [t for t in self.treatments.values() if t.group == group])
            for group in GROUPS
            if any(t.group == group for t in self.treatments.values())
        ]

    def causes_offering(self, treatment_id: str) -> list[str]:
        """Condition ids whose section offers this treatment, in conditions.yaml order."""
        return [
            cid
            for cid, section in self.causes.items()
            if any(o.treatment == treatment_id for o in section.options)
        ]

    def claims(self) -> Iterator[tuple[str, Claim]]:
        """Every claim with where it is, for checks and reviews."""
        for treatment in self.treatments.values():
            for claim in treatment.claims():
                yield f"treatments.{treatment.id}", claim
        for cid, section in self.causes.items():
            for option in section.options:
                yield f"causes.{cid}", option.claim


def _fail(where: str, message: str) -> TreatmentDataError:
    return TreatmentDataError(f"{where}: {message}")


def _text(raw: Mapping[str, Any], key: str, where: str, *, plain: bool = False) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, f"{key} must be non-empty text")
    if plain and _DIGIT.search(value):
        raise _fail(where, f"{key} must not contain digits (numbers belong in cited claims)")
    return value.strip()


def _source(raw: Mapping[str, Any], where: str) -> str:
    problem = citation_problem(raw)
    if problem or "source" not in raw:
        raise _fail(where, problem or "needs a 'source' citing references")
    return str(raw["source"])


def parse_claim(raw: object, where: str, keys: frozenset[str] = _CLAIM_KEYS) -> Claim:
    if not isinstance(raw, Mapping):
        raise _fail(where, "a claim must be a mapping")
    if unknown := set(raw) - keys:
        raise _fail(where, f"unknown keys {sorted(unknown)}")
    grade = raw.get("grade")
    if grade not in GRADES:
        raise _fail(where, f"grade must be one of {', '.join(GRADES)}")
    problem = citation_problem(raw)
    if problem:
        raise _fail(where, problem)
    if grade != "no_trials" and raw.get("source") is None:
        raise _fail(where, "only a no_trials claim may rest on an expert reason; cite a source")
    return Claim(
        text=_text(raw, "text", where),
        grade=cast(Grade, grade),
        source=raw.get("source"),
        expert=raw.get("expert"),
    )


def _claims(raw: Mapping[str, Any], key: str, where: str) -> tuple[Claim, ...]:
    items = raw.get(key)
    if not isinstance(items, list) or not items:
        raise _fail(where, f"{key} must be a non-empty list of claims")
    return tuple(parse_claim(item, f"{where} {key}[{n}]") for n, item in enumerate(items))


def _questions(raw: Mapping[str, Any], where: str) -> tuple[str, ...]:
    items = raw.get("questions")
    if not isinstance(items, list) or not 1 <= len(items) <= 6:
        raise _fail(where, "questions must list 1 to 6 questions to ask")
    return tuple(_text({"q": q}, "q", f"{where} questions", plain=True) for q in items)


def _treatment(raw: object, index: int) -> Treatment:
    where = f"treatments[{index}]"
    if not isinstance(raw, Mapping) or not _ID.match(str(raw.get("id", ""))):
        raise _fail(where, "needs a snake_case id")
    where = f"treatment {raw['id']!r}"
    if missing := _TREATMENT_KEYS - set(raw):
        raise _fail(where, f"missing keys {sorted(missing)}")
    if unknown := set(raw) - _TREATMENT_KEYS:
        raise _fail(where, f"unknown keys {sorted(unknown)}")
    if raw["group"] not in GROUPS:
        raise _fail(where, f"group must be one of {', '.join(GROUPS)}")
    return Treatment(
        id=str(raw["id"]),
        group=cast(Group, raw["group"]),
        name=_text(raw, "name", where, plain=True),
        summary=_text(raw, "summary", where, plain=True),
        what_happens=_text(raw, "what_happens", where, plain=True),
        source=_source(raw, where),
        benefits=_claims(raw, "benefits", where),
        harms=_claims(raw, "harms", where),
        questions=_questions(raw, where),
    )


def _option(raw: object, where: str, treatments: Collection[str]) -> CauseOption:
    if not isinstance(raw, Mapping):
        raise _fail(where, "an option must be a mapping")
    claim = parse_claim(raw, where, _OPTION_KEYS)
    verdict = raw.get("verdict")
    if verdict not in VERDICTS:
        raise _fail(where, f"verdict must be one of {', '.join(VERDICTS)}")
    treatment, name = raw.get("treatment"), raw.get("name")
    if (treatment is None) == (name is None):
        raise _fail(where, "an option names either a treatment (its page) or its own name")
    if treatment is not None and treatment not in treatments:
        raise _fail(where, f"unknown treatment {treatment!r}")
    return CauseOption(
        claim=claim,
        verdict=cast(Verdict, verdict),
        treatment=treatment,
        name=_text(raw, "name", where, plain=True) if name is not None else None,
    )


def _cause(
    cid: str, raw: object, treatments: Collection[str], conditions: Collection[str]
) -> CauseTreatments:
    where = f"causes.{cid}"
    if cid not in conditions:
        raise _fail(where, "is not a condition in conditions.yaml")
    if not isinstance(raw, Mapping):
        raise _fail(where, "must be a mapping")
    if set(raw) != _CAUSE_KEYS:
        raise _fail(where, f"needs exactly the keys {sorted(_CAUSE_KEYS)}")
    options = raw["options"]
    if not isinstance(options, list) or not options:
        raise _fail(where, "options must be a non-empty list")
    return CauseTreatments(
        condition_id=cid,
        intro=_text(raw, "intro", where, plain=True),
        source=_source(raw, where),
        options=tuple(
            _option(o, f"{where} options[{n}]", treatments) for n, o in enumerate(options)
        ),
        questions=_questions(raw, where),
    )


def parse_treatments(data: object, conditions: Collection[str]) -> TreatmentGuide:
    """Build the guide from parsed YAML; ``conditions`` are the ids every cause section
    must cover (conditions.yaml)."""
    if not isinstance(data, Mapping) or set(data) != {"version", "treatments", "causes"}:
        raise TreatmentDataError("treatments.yaml: needs exactly version, treatments, causes")
    if not isinstance(data["version"], str) or not data["version"].strip():
        raise TreatmentDataError("treatments.yaml: version must be text")
    if not isinstance(data["treatments"], list) or not data["treatments"]:
        raise TreatmentDataError("treatments.yaml: treatments must be a non-empty list")
    treatments: dict[str, Treatment] = {}
    for index, raw in enumerate(data["treatments"]):
        treatment = _treatment(raw, index)
        if treatment.id in treatments:
            raise _fail(f"treatment {treatment.id!r}", "is listed twice")
        treatments[treatment.id] = treatment
    raw_causes = data["causes"]
    if not isinstance(raw_causes, Mapping):
        raise TreatmentDataError("treatments.yaml: causes must map condition ids to sections")
    missing = [cid for cid in conditions if cid not in raw_causes]
    if missing:
        raise TreatmentDataError(f"treatments.yaml: no treatments section for {missing}")
    order = list(conditions)
    causes = {
        cid: _cause(str(cid), raw_causes[cid], treatments, conditions)
        for cid in sorted(raw_causes, key=lambda c: order.index(c) if c in order else len(order))
    }
    return TreatmentGuide(
        version=data["version"].strip(),
        treatments=MappingProxyType(treatments),
        causes=MappingProxyType(causes),
    )


@lru_cache(maxsize=1)
def load_treatments() -> TreatmentGuide:
    """The packaged treatments guide, parsed and checked once per process."""
    return parse_treatments(load_yaml("treatments.yaml"), list(load_conditions()))
