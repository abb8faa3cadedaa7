"""The packaged data files: how they are read (YAML 1.2 booleans) and how an entry cites
its source (``citation_problem``: references [1]..[94] of evidence.md, or [R1].. of
``data/references.yaml``, or an expert's reason), and the entries several files share (a
text field, a citation, a rule over the answers, a plan item), each raising the reading
module's own error. Every data module reads its file through here. Pure: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

from rehabit.clinical.rules import QuestionLike, Rule, RuleError, compile_rule


class DataFileError(ValueError):
    """A packaged data file that does not have the shape its reader needs."""


_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_REFERENCE = re.compile(r"\[(R?\d+)[a-z]?\]")
REFERENCE_COUNT = 94  # references [1]..[94] in evidence.md


def cited_references(source: str) -> list[str]:
    """The references a source cites, in order and as written: "12" for [12] (evidence.md),
    "R3" for [R3] (references.yaml); a letter after the number ([12a]) is dropped."""
    return _REFERENCE.findall(source)


@lru_cache(maxsize=1)
def extra_references() -> Mapping[str, str]:
    """References beyond evidence.md (``data/references.yaml``), cited as [R1], [R2], ..."""
    data = load_yaml("references.yaml")
    refs = data.get("references") if isinstance(data, Mapping) else None
    if not isinstance(refs, Mapping) or not all(
        isinstance(k, str) and re.fullmatch(r"R\d+", k) and isinstance(v, str) and v.strip()
        for k, v in refs.items()
    ):
        raise DataFileError("references.yaml: needs 'references' mapping R<n> to text")
    return MappingProxyType(dict(refs))


def _known_reference(ref: str) -> bool:
    if ref.startswith("R"):
        return ref in extra_references()
    return 1 <= int(ref) <= REFERENCE_COUNT


def citation_problem(raw: Mapping[str, Any]) -> str | None:
    """Why a data entry's citation is missing or malformed, or None when it is fine.

    An entry needs ``source`` naming references such as "[12]" (evidence.md) or "[R3]"
    (references.yaml), or "derived from Sens/Spec in [20]"; or ``expert`` with a short
    reason.
    """
    source, expert = raw.get("source"), raw.get("expert")
    if source is None and expert is None:
        return "needs 'source' (evidence.md references) or 'expert' (a short reason)"
    if source is not None:
        refs = cited_references(source) if isinstance(source, str) else []
        if not refs or not all(_known_reference(n) for n in refs):
            return (
                f"source {source!r} must cite references [1]..[{REFERENCE_COUNT}] "
                "or [R1].. from references.yaml"
            )
    if expert is not None and (not isinstance(expert, str) or len(expert.strip()) < 15):
        return "expert must be a short written reason"
    return None


_SafeLoader: type[yaml.SafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)  # libyaml if built


class DataLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """YAML 1.2 booleans: only true/false are booleans, so option values such as
    ``yes``, ``no``, ``on`` and ``off`` stay strings (YAML 1.1 would turn them into bools)."""


DataLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
}
DataLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def parse_yaml(text: str) -> Any:
    """Parse YAML text with the data-file rules (YAML 1.2 booleans)."""
    return yaml.load(text, Loader=DataLoader)  # noqa: S506 - DataLoader is a SafeLoader


def load_yaml(name: str) -> Any:
    """Parse one of the packaged data files (``data/<name>``)."""
    text = (
        resources.files("rehabit.clinical")
        .joinpath("data")
        .joinpath(name)
        .read_text(encoding="utf-8")
    )
    return parse_yaml(text)


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One piece of advice in the plan, with its evidence (the self-care plan and the medicine
    advice read theirs with ``plan_item``)."""

    id: str
    title: str
    text: str
    phase: str  # the stage it belongs to in the plan ("any" until the plan places it)
    kind: str
    steps: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()  # e.g. the medicine cautions that apply, listed under the text
    source: str | None = None
    expert: str | None = None
    # Cautions the person was not sure about: the advice plays safe, and says so (a "Not
    # sure" is never told back as a "yes").
    reasons_unsure: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"id": self.id, "title": self.title, "text": self.text}
        out.update(steps=list(self.steps), phase=self.phase, kind=self.kind)
        if self.reasons:
            out["reasons"] = list(self.reasons)
        if self.reasons_unsure:
            out["reasons_unsure"] = list(self.reasons_unsure)
        out.update(source=self.source, expert=self.expert)
        return out


# --- Helpers for the entries of a data file ------------------------------------------------


def text_field(
    raw: Mapping[str, Any], key: str, where: str, error: type[ValueError] = DataFileError
) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise error(f"{where}: {key!r} must be non-empty text")
    return value.strip()


def cited(
    raw: Mapping[str, Any], where: str, error: type[ValueError] = DataFileError
) -> tuple[str | None, str | None]:
    """(source, expert) of a data entry; raise ``error`` when its citation is missing."""
    problem = citation_problem(raw)
    if problem:
        raise error(f"{where}: {problem}")
    return raw.get("source"), raw.get("expert")


def answer_rule(
    raw: object,
    questions: Mapping[str, QuestionLike],
    where: str,
    error: type[ValueError] = DataFileError,
) -> Rule:
    """A rule over the assessment answers (``questions``: the questionnaire's, by id),
    compiled and checked."""
    try:
        return compile_rule(raw, questions, where)
    except RuleError as exc:
        raise error(str(exc)) from exc


def plan_item(
    raw: object, where: str, error: type[ValueError] = DataFileError, *, kind: str = ""
) -> PlanItem:
    """A plan item from data: id, title, text, optional steps, kind, and its citation."""
    if not isinstance(raw, Mapping) or not _ID.match(str(raw.get("id", ""))):
        raise error(f"{where}: needs a snake_case id")
    steps = raw.get("steps") or []
    if not isinstance(steps, list) or not all(isinstance(x, str) and x.strip() for x in steps):
        raise error(f"{where}: steps must be a list of text")
    source, expert = cited(raw, f"{where} {raw['id']!r}", error)
    return PlanItem(
        id=str(raw["id"]),
        title=text_field(raw, "title", where, error),
        text=text_field(raw, "text", where, error),
        phase="any",
        kind=kind or text_field(raw, "kind", where, error),
        steps=tuple(x.strip() for x in steps),
        source=source,
        expert=expert,
    )
