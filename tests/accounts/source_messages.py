"""The project's translatable messages, read from its sources as makemessages would: the
string arguments of the gettext calls in the Python files (``_``, ``_lazy``, ``gettext``,
``gettext_lazy``, ``gettext_noop``, ``ngettext``, ``pgettext`` and their lazy forms; the
reviewed data's texts are among them, through the generated ``core/content_strings.py``),
and of the templates' ``{% translate %}`` and ``{% blocktranslate %}`` tags (through
Django's own ``templatize``, which turns a template into the calls xgettext reads).

Pure Python, so the test run needs no GNU gettext."""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation.template import templatize

import rehabit

SOURCE = Path(rehabit.__file__).resolve().parent  # src/rehabit
# Each gettext function: the positions of its context, message and plural arguments.
_SINGULAR = (None, 0, None)
KEYWORDS: dict[str, tuple[int | None, int, int | None]] = {
    "_": _SINGULAR,
    "_lazy": _SINGULAR,
    "gettext": _SINGULAR,
    "gettext_lazy": _SINGULAR,
    "gettext_noop": _SINGULAR,
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}


@dataclass(frozen=True)
class Message:
    msgid: str
    plural: str | None = None
    context: str | None = None


def _message(name: str, args: list[str | None]) -> Message | None:
    context, singular, plural = KEYWORDS[name]

    def arg(index: int | None) -> str | None:
        return args[index] if index is not None and index < len(args) else None

    msgid = arg(singular)
    if msgid is None:
        return None
    return Message(msgid, arg(plural), arg(context))


def python_messages(source: str) -> Iterator[Message]:
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name in KEYWORDS:
            args = [
                a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                for a in node.args
            ]
            if (message := _message(name, args)) is not None:
                yield message


def template_messages(source: str) -> Iterator[Message]:
    # templatize keeps the template's lines (blanked out) between the calls; their
    # indentation means nothing, and would trip the tokenizer.
    code = "\n".join(line.lstrip() for line in templatize(source).splitlines())
    skip = {tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT}
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(code).readline) if t.type not in skip]
    for i, token in enumerate(tokens[:-1]):
        if token.type != tokenize.NAME or token.string not in KEYWORDS:
            continue
        if tokens[i + 1].string != "(":
            continue
        args: list[str | None] = []
        current: str | None = None
        j = i + 2
        while j < len(tokens) and tokens[j].type == tokenize.STRING:
            current = (current or "") + ast.literal_eval(tokens[j].string)
            j += 1
            if j < len(tokens) and tokens[j].string == ",":
                args.append(current)
                current = None
                j += 1
        if current is not None:
            args.append(current)
        if (message := _message(token.string, args)) is not None:
            yield message


@cache
def source_messages() -> dict[Message, tuple[str, ...]]:
    """Every message in src/rehabit, with the files (relative to it) that hold it."""
    found: dict[Message, list[str]] = {}
    for path in sorted(SOURCE.rglob("*")):
        if path.suffix == ".py":
            messages = python_messages(path.read_text(encoding="utf-8"))
        elif path.suffix in {".html", ".txt"} and "templates" in path.parts:
            messages = template_messages(path.read_text(encoding="utf-8"))
        else:
            continue
        for message in messages:
            found.setdefault(message, []).append(str(path.relative_to(SOURCE)))
    return {message: tuple(files) for message, files in found.items()}
