"""Words a person wrote (a name, a cancellation reason), made safe to show someone else.

Text typed by one person reaches another in e-mails and calendar files. Two things are
done to it, always here:

* ``clean``: invisible format characters are removed: the bidirectional controls
  (U+202A-U+202E, U+2066-U+2069, U+200E/F, U+061C) that can make "moc.evil" read as
  "evil.com", zero-width characters, soft hyphens, tag characters and other Unicode
  "Cf" characters, control characters, and the Hangul/Braille "blank" letters used to
  fake an empty name. A name becomes one line with single spaces.
* ``not_a_link``: anything a mail or calendar program would turn into a link (a URL,
  ``www.``, a bare host name, an e-mail address) is written so that it is not one:
  ``https[:]//evil[.]example/x``. The reader still sees what was written; nobody can
  click it as if Rehabit had sent it.

Showing the words as the person's own (quoted and attributed) is the letter's job
(``rehabit.mail.letter.Quote``).

``their_words`` is the one check of free text one person writes for another (a message, a
note, a reason a patient reads): the apps that take such text (clinic, care, booking) all
read it through here, so it is refused and cleaned the same way wherever it is typed.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _

from rehabit.core.inputs import field_problem

# Letters that draw nothing, used to make a name look empty or to hide text.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_DROPPED_CATEGORIES = frozenset({"Cf", "Cc", "Cs"})
_LINE_BREAKS = {"\r\n": "\n", "\r": "\n", "\u2028": "\n", "\u2029": "\n", "\x85": "\n"}

# Dots a browser accepts between the labels of a host name.
_DOT = r"[.\u3002\uff0e\uff61]"
_LABEL = r"[^\W_](?:[\w-]{0,62}[^\W_])?"
_LINKISH = re.compile(
    rf"""
    (?:\b[a-z][a-z0-9+.-]{{1,30}}:/{{1,3}}|\bwww{_DOT}|\bmailto:)[^\s<>"']+   # scheme, www., mailto
    |
    {_LABEL}(?:{_DOT}{_LABEL})*{_DOT}[^\W\d_]{{2,63}}\b(?:[/:?#][^\s<>"']*)?  # bare host name
    """,
    re.IGNORECASE | re.VERBOSE,
)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):(/*)", re.IGNORECASE)


def _visible(ch: str) -> bool:
    return unicodedata.category(ch) not in _DROPPED_CATEGORIES and ch not in _BLANK_LETTERS


def clean(text: str | None, *, one_line: bool = False) -> str:
    """``text`` without invisible format characters; lines trimmed, runs of blank lines
    kept to one; with ``one_line`` all whitespace becomes single spaces."""
    text = unicodedata.normalize("NFC", text or "")
    for old, new in _LINE_BREAKS.items():
        text = text.replace(old, new)
    text = text.replace("\t", " ")
    text = "".join(ch for ch in text if ch == "\n" or _visible(ch))
    if one_line:
        return " ".join(text.split())
    lines: list[str] = []
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip("\n")


def _defang(match: re.Match[str]) -> str:
    found = match.group(0)
    found = _SCHEME.sub(lambda m: f"{m.group(1)}[:]{m.group(2)}", found, count=1)
    found = found.replace("@", "[at]")
    return re.sub(_DOT, "[.]", found)


def not_a_link(text: str) -> str:
    """``text`` with every URL, host name and e-mail address made unclickable."""
    return _LINKISH.sub(_defang, text)


def name(text: str | None) -> str:
    """A person's name for someone else's e-mail: one clean line that links nowhere."""
    return not_a_link(clean(text, one_line=True))


def words(text: str | None) -> str:
    """Free text for someone else's e-mail: clean lines that link nowhere."""
    return not_a_link(clean(text))


def their_words(
    raw: Any, *, limit: int, required: bool, what: str, missing: str = ""
) -> tuple[str, str]:
    """(clean text, "") or ("", problem) for free text one person writes for another.

    Refused with a control character (``rehabit.core.inputs``, the rule every request is
    read under); invisible format characters removed and lines trimmed (``clean``), so a
    text of only invisible letters counts as empty; at most ``limit`` characters after
    cleaning. ``what`` names the field in the messages; ``missing`` replaces "Write the
    ..." where the field needs its own words (who will read it)."""
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        return "", _("The %(what)s must be text.") % {"what": what}
    problem = field_problem(what, raw, multiline=True)
    if problem is not None:
        return "", problem
    text = clean(raw)
    if required and not text:
        return "", missing or _("Write the %(what)s.") % {"what": what}
    if len(text) > limit:
        return "", _("Keep the %(what)s to %(max)s characters or fewer (it has %(n)s).") % {
            "what": what,
            "max": limit,
            "n": len(text),
        }
    return text, ""


def _up_to(limit: int) -> str:
    return _("Up to %(max)s characters.") % {"max": limit}


def up_to(limit: int, before: Any = None) -> Any:
    """A form field's hint "Up to N characters.", from the field's own limit, in the
    language of the page that shows it (made when shown, not when the form class is); after
    ``before`` (a lazy text: an example of what to write) when given."""
    hint = lazy(_up_to, str)(limit)
    return hint if before is None else format_lazy("{} {}", before, hint)
