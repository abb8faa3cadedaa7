"""The conditions the assessment can point to (``data/conditions.yaml``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from rehabit.clinical.datafiles import load_yaml
from rehabit.clinical.levels import LEVELS, Level

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
        "floors",
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
    # Can't-miss floors: at or above each probability, the disposition is at least that
    # level, most urgent first (a serious cause sets a floor from its probability, not only
    # from single red flags).
    floors: tuple[tuple[Level, float], ...] = ()

    def floor(self, probability: float) -> Level | None:
        for level, threshold in self.floors:
            if probability >= threshold:
                return level
        return None


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
            floors=_floors(raw.get("floors"), where),
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


def _floors(raw: object, where: str) -> tuple[tuple[Level, float], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, Mapping) or not raw:
        raise ConditionError(f"{where}: floors must map a disposition to a probability")
    floors = []
    for level, threshold in raw.items():
        if level not in LEVELS or level == "self_care":
            raise ConditionError(f"{where}: floors take emergency, urgent or soon, not {level!r}")
        if isinstance(threshold, bool) or not isinstance(threshold, float) or not 0 < threshold < 1:
            raise ConditionError(f"{where}: floor {level} must be a probability in (0, 1)")
        floors.append((level, threshold))
    floors.sort(key=lambda f: LEVELS.index(f[0]))
    for (_, higher), (_, lower) in zip(floors, floors[1:], strict=False):
        if higher < lower:
            raise ConditionError(f"{where}: a more urgent floor needs a higher probability")
    return tuple(floors)


@lru_cache(maxsize=1)
def load_conditions() -> Mapping[str, Condition]:
    """The packaged conditions, parsed once per process."""
    return parse_conditions(load_yaml("conditions.yaml"))
