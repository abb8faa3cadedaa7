"""Loads the reviewed education content (``clinical/data/education/*.yaml``)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

CONTENT_DIR = Path(__file__).resolve().parent.parent / "clinical" / "data" / "education"


@cache
def load_overview() -> dict[str, Any]:
    with (CONTENT_DIR / "overview.yaml").open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    data["intro_paragraphs"] = _paragraphs(data.get("intro", ""))
    data["anatomy_paragraphs"] = _paragraphs(data.get("anatomy", ""))
    return data


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


@cache
def load_condition_pages() -> dict[str, dict[str, Any]]:
    pages: dict[str, dict[str, Any]] = {}
    for path in sorted(CONTENT_DIR.glob("*.yaml")):
        if path.stem == "overview":
            continue
        with path.open(encoding="utf-8") as fh:
            page: dict[str, Any] = yaml.safe_load(fh)
        page["paragraphs"] = _paragraphs(page["what_it_is"])
        pages[page["id"]] = page
    return pages


def get_condition_page(condition_id: str) -> dict[str, Any] | None:
    return load_condition_pages().get(condition_id)
