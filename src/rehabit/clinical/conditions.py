"""The conditions the assessment can point to (``data/conditions.yaml``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from rehabit.clinical.questionnaire import load_yaml
from rehabit.clinical.triage import LEVELS, Level

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_KEYS = frozenset(
    {
        "id",
        "name",
        "serious",
        "default_disposition",
        "if_mild",
        "if_severe",
        "see",
        "summary",
        "source",
        "expert",
    }
)
CLINICIANS = frozenset({"physiotherapist", "doctor"})


class ConditionError(ValueError):
    """The conditions data is malformed."""


@dataclass(frozen=True, slots=True)
class Condition:
    id: str
    name: str
    serious: bool
    default_disposition: Level
    summary: str
    see: str = "physiotherapist"
    if_mild: Level | None = None
    if_severe: Level | None = None


def _level(raw: Mapping[str, Any], key: str, where: str, *, optional: bool = False) -> Level | None:
    value = raw.get(key)
    if value is None and optional:
        return None
    if value not in LEVELS:
        raise ConditionError(f"{where}: {key} must be one of {', '.join(LEVELS)}")
    return value  # type: ignore[no-any-return]


def parse_conditions(data: object) -> Mapping[str, Condition]:
    """Build the conditions (in file order) from parsed YAML."""
    if not isinstance(data, Mapping) or not isinstance(data.get("conditions"), list):
        raise ConditionError("conditions: top level needs a 'conditions' list")
    out: dict[str, Condition] = {}
    for index, raw in enumerate(data["conditions"]):
        where = f"conditions[{index}]"
        if not isinstance(raw, Mapping) or not _ID.match(str(raw.get("id", ""))):
            raise ConditionError(f"{where}: needs a snake_case id")
        if set(raw) - _KEYS:
            raise ConditionError(f"{where}: unknown keys {sorted(set(raw) - _KEYS)}")
        cid = str(raw["id"])
        if cid in out:
            raise ConditionError(f"{where}: duplicate id {cid!r}")
        for key in ("name", "summary"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise ConditionError(f"{where}: {key} must be non-empty text")
        if not isinstance(raw.get("serious"), bool):
            raise ConditionError(f"{where}: serious must be true or false")
        if not (raw.get("source") or raw.get("expert")):
            raise ConditionError(f"{where}: needs a source or an expert reason")
        see = raw.get("see", "physiotherapist")
        if see not in CLINICIANS:
            raise ConditionError(f"{where}: see must be one of {sorted(CLINICIANS)}")
        default = _level(raw, "default_disposition", where)
        assert default is not None
        out[cid] = Condition(
            id=cid,
            name=raw["name"].strip(),
            serious=raw["serious"],
            default_disposition=default,
            summary=raw["summary"].strip(),
            see=see,
            if_mild=_level(raw, "if_mild", where, optional=True),
            if_severe=_level(raw, "if_severe", where, optional=True),
        )
    return MappingProxyType(out)


@lru_cache(maxsize=1)
def load_conditions() -> Mapping[str, Condition]:
    """The packaged conditions, parsed once per process."""
    return parse_conditions(load_yaml("conditions.yaml"))
