"""The words of a result, addressed by stable codes (issue 10, storage).

A stored result keeps codes, not sentences: ``"<finding id>:present"`` for "why it fits"
and "why it may not", ``"flag:<id>"`` for a warning sign, ``"headline:urgent"`` and so on.
The sentences they stand for live in one **catalogue** per revision of the texts: every
code the current clinical model can produce, with its English sentence (the message id
that pages, the API and e-mails translate into the reader's language when they are made).

A catalogue is named by a hash of its contents and is written once to the database
(``ResultTexts``) the first time a result refers to it; it is never changed. Each stored
result names its catalogue, so it shows exactly the words it was given, whatever the data
files say later (a reworded reason is a new catalogue; an old result keeps the old one).
Codes are built from the data's own ids, never from list positions, so the same finding
keeps the same code from one release to the next.

A sentence no catalogue knows (a result of an older questionnaire whose texts are gone, a
sentence with a number in it) is kept word for word in the stored result instead.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from rehabit.clinical.result_codes import build_texts


@dataclass(frozen=True)
class Catalogue:
    """Codes and their English sentences, in one immutable revision.

    Its entries are numbered in code order; a stored result refers to an entry by that
    number, which stays valid because the revision never changes (its key is a hash of
    its contents): the number stands for the code, the code for the sentence.
    """

    key: str
    texts: Mapping[str, str]  # code -> sentence, in code order
    codes: tuple[str, ...] = field(repr=False)  # entry number -> code
    numbers: Mapping[str, int] = field(repr=False)  # sentence -> entry number (the first)
    code_numbers: Mapping[str, int] = field(repr=False)  # code -> entry number

    @classmethod
    def of(cls, texts: Mapping[str, str], key: str | None = None) -> Catalogue:
        ordered = dict(sorted(texts.items()))
        if key is None:
            canonical = json.dumps(ordered, ensure_ascii=False, separators=(",", ":"))
            key = hashlib.sha256(canonical.encode()).hexdigest()[:16]
        numbers: dict[str, int] = {}
        for number, text in enumerate(ordered.values()):
            numbers.setdefault(text, number)
        return cls(
            key,
            MappingProxyType(ordered),
            tuple(ordered),
            MappingProxyType(numbers),
            MappingProxyType({code: i for i, code in enumerate(ordered)}),
        )

    def text(self, number: int) -> str:
        return self.texts[self.codes[number]]


@lru_cache(maxsize=1)
def current_catalogue() -> Catalogue:
    """The catalogue of today's clinical model (built once per process)."""
    return Catalogue.of(build_texts())


# Catalogues are immutable and named by their contents, so a process may keep every one it
# has read: no other node can change one behind its back.
_known: dict[str, Catalogue] = {}
_saved: set[str] = set()
_lock = threading.Lock()


def catalogue(key: str) -> Catalogue:
    """The catalogue named ``key`` (read from the database once per process)."""
    found = _known.get(key)
    if found is not None:
        return found
    current = current_catalogue()
    if key == current.key:
        found = current
    else:
        row = _result_texts().objects.filter(key=key).values_list("texts", flat=True).first()
        if row is None:
            raise LookupError(f"No result texts named {key!r}.")
        found = Catalogue.of(row, key)
    with _lock:
        _known[key] = found
    return found


def save_catalogue(found: Catalogue) -> None:
    """Write ``found`` to the database, in the caller's transaction, unless this process
    already saw it committed: one query on the first result after a start, none after.
    Safe when several nodes do it at once (the key is unique; a second insert is ignored).
    """
    if found.key in _saved:
        return
    from django.db import transaction

    model = _result_texts()
    model.objects.bulk_create(
        [model(key=found.key, texts=dict(found.texts))], ignore_conflicts=True
    )
    # Remembered only once it is committed: a rolled-back first result must not leave
    # later results pointing at a catalogue that was never written.
    transaction.on_commit(lambda: _remember(found))


def is_saved(found: Catalogue) -> bool:
    """Whether this process saw ``found`` committed (``save_catalogue`` would do nothing)."""
    return found.key in _saved


def _remember(found: Catalogue) -> None:
    with _lock:
        _saved.add(found.key)
        _known[found.key] = found


def forget_saved() -> None:
    """For tests that empty the database: the next result writes its catalogue again."""
    with _lock:
        _saved.clear()
        _known.clear()


def _result_texts() -> Any:
    """The ``ResultTexts`` model, by its label: the model's module imports this one (an
    assessment saves the catalogue its result points to), so this one does not import it.
    """
    from django.apps import apps

    return apps.get_model("assessments", "ResultTexts")
