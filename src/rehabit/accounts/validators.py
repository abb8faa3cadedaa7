"""Password rules beyond Django's: refuse passwords built from predictable pieces.

Offline only (no breach-list lookups over the network). Django's CommonPasswordValidator
refuses the 20,000 most common passwords; this validator refuses passwords whose
unpredictable remainder is too short once the site name, the person's e-mail address,
keyboard and alphabet runs, repeated characters and repeated chunks are taken out.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

KEYBOARD_ROWS = (
    "`1234567890-=",
    "qwertyuiop[]\\",
    "asdfghjkl;'",
    "zxcvbnm,./",
    "qwertzuiopü",
    "azertyuiop",
    "qsdfghjklm",
    "wxcvbn",
    "abcdefghijklmnopqrstuvwxyz",
    "0123456789",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
)
RUN_LENGTH = 3  # three or more neighbouring keys (or letters) in a row


def _runs(text: str) -> list[tuple[int, int]]:
    """Spans of text that follow a keyboard row or the alphabet, either direction."""
    sequences = [*KEYBOARD_ROWS, *(row[::-1] for row in KEYBOARD_ROWS)]
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        best = 0
        for seq in sequences:
            pos = seq.find(text[i])
            if pos < 0:
                continue
            length = 1
            while (
                i + length < len(text)
                and pos + length < len(seq)
                and seq[pos + length] == text[i + length]
            ):
                length += 1
            best = max(best, length)
        if best >= RUN_LENGTH:
            spans.append((i, i + best))
            i += best
        else:
            i += 1
    return spans


class PredictablePasswordValidator:
    def __init__(self, min_unpredictable: int = 8, site_names: tuple[str, ...] = ("rehabit",)):
        self.min_unpredictable = min_unpredictable
        self.site_names = tuple(name.lower() for name in site_names)

    def _personal_words(self, user: Any) -> list[str]:
        words: list[str] = []
        email = (getattr(user, "email", "") or "").lower() if user is not None else ""
        if email:
            local, _, domain = email.partition("@")
            words.append(email)
            words.extend(part for part in re.split(r"[._+\-]", local) if len(part) >= 3)
            if len(local) >= 3:
                words.append(local)
            words.extend(part for part in domain.split(".")[:-1] if len(part) >= 4)
        return words

    def reasons(self, password: str, user: Any = None) -> list[str]:
        text = password.lower()
        mask = [False] * len(text)
        reasons: list[str] = []

        def cover(start: int, end: int, reason: str) -> None:
            for k in range(start, end):
                mask[k] = True
            if reason not in reasons:
                reasons.append(reason)

        for name in self.site_names:
            for m in re.finditer(re.escape(name), text):
                cover(m.start(), m.end(), _("the name of this site"))
        for word in sorted(set(self._personal_words(user)), key=len, reverse=True):
            for m in re.finditer(re.escape(word), text):
                cover(m.start(), m.end(), _("your e-mail address"))
        for start, end in _runs(text):
            cover(start, end, _("keyboard or alphabet runs"))
        for m in re.finditer(r"(.)\1{2,}", text):
            cover(m.start(), m.end(), _("repeated characters"))
        # The same chunk over and over ("abcabcabc", "passpasspass").
        m = re.fullmatch(r"(.{1,}?)\1+", text)
        if m:
            cover(len(m.group(1)), len(text), _("repeated characters"))

        remainder = sum(1 for k, covered in enumerate(mask) if not covered and text[k].strip())
        return reasons if remainder < self.min_unpredictable and reasons else []

    def validate(self, password: str, user: Any = None) -> None:
        reasons = self.reasons(password, user)
        if reasons:
            raise ValidationError(
                _(
                    "This password is too easy to guess: it is mostly made of %(what)s. "
                    "Add words or characters that are hard to predict."
                ),
                code="password_predictable",
                params={"what": ", ".join(reasons)},
            )

    def get_help_text(self) -> str:
        return _(
            "Your password can’t be built mostly from this site’s name, your e-mail address, "
            "keyboard runs such as “qwerty” or “1234”, or repeated characters."
        )
