"""Free text one person writes for another (a message, a reason, a note): one cleaning."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from rehabit.mail.words import clean

# C0 controls except tab, line feed and carriage return; DEL; C1 controls.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def their_words(raw: Any, *, limit: int, required: bool, what: str) -> tuple[str, str]:
    """(clean text, "") or ("", problem): refused with control characters (invisible codes
    that are not text), invisible format characters removed (``rehabit.mail.words``),
    lines trimmed; at most ``limit`` characters. ``what`` names the field in the message."""
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        return "", _("The %(what)s must be text.") % {"what": what}
    if CONTROL.search(raw):
        return "", _(
            "The %(what)s contains control characters (invisible codes that are not text). "
            "Remove them, or type it again."
        ) % {"what": what}
    text = clean(raw)
    if required and not text:
        return "", _("Write the %(what)s.") % {"what": what}
    if len(text) > limit:
        return "", _("Keep the %(what)s to %(max)s characters or fewer (it has %(n)s).") % {
            "what": what,
            "max": limit,
            "n": len(text),
        }
    return text, ""
