"""An e-mail as blocks of content, written out once as plain text and once as HTML.

The wording is composed in Python (translated there); the two parts are only layouts of
the same blocks, so they cannot say different things. Three kinds of block:

* ``Paragraph``: Rehabit's own sentences (names inside them already passed through
  ``words.name``).
* ``Link``: a label and one of Rehabit's own addresses, the only thing ever made a link.
* ``Quote``: another person's words, attributed to them. Plain text: ``> `` before each
  line; HTML: an escaped ``<blockquote dir="auto">`` (its own bidirectional context).
  Either way anything link-like in it is written so it cannot be clicked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from rehabit.mail import words


@dataclass
class Paragraph:
    lines: list[str]
    kind: str = "paragraph"

    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class Link:
    label: str
    url: str
    kind: str = "link"

    def text(self) -> str:
        return f"{self.label}\n{self.url}"


@dataclass
class Quote:
    """Someone's own words: ``attribution`` says whose; ``said`` is what they wrote."""

    attribution: str
    said: str
    kind: str = "quote"
    lines: list[str] = field(init=False)
    note: str = field(init=False)

    def __post_init__(self) -> None:
        cleaned = words.clean(self.said)
        shown = words.not_a_link(cleaned)
        self.lines = shown.split("\n")
        self.note = (
            _("(Links in these words are shown so that they cannot be opened by accident.)")
            if shown != cleaned
            else ""
        )

    def text(self) -> str:
        quoted = "\n".join(f"> {line}".rstrip() for line in self.lines)
        return "\n".join(part for part in (self.attribution, quoted, self.note) if part)


Block = Paragraph | Link | Quote


@dataclass
class Letter:
    subject: str
    blocks: list[Block]

    def add(self, *lines: str) -> None:
        """A paragraph of the given lines (empty ones left out)."""
        kept = [line for line in lines if line]
        if kept:
            self.blocks.append(Paragraph(kept))

    def link(self, label: str, url: str) -> None:
        self.blocks.append(Link(label, url))

    def quote(self, attribution: str, said: str) -> None:
        if words.clean(said):
            self.blocks.append(Quote(attribution, said))

    def text(self) -> str:
        return "\n\n".join(block.text() for block in self.blocks) + "\n"

    def html(self) -> str:
        language = translation.get_language() or settings.LANGUAGE_CODE
        return render_to_string(
            "mail/letter.html",
            {
                "subject": self.subject,
                "blocks": self.blocks,
                "language": language,
                "direction": "rtl" if translation.get_language_bidi() else "ltr",
            },
        )

    def email(
        self, to: str, message_id: str, attachments: list[MIMEBase] | None = None
    ) -> EmailMultiAlternatives:
        """The message: plain text first, the HTML alternative, then any attachments.
        ``message_id`` is stable, so a copy sent again is recognisably the same message."""
        message = EmailMultiAlternatives(subject=self.subject, body=self.text(), to=[to])
        message.attach_alternative(self.html(), "text/html")
        message.extra_headers["Message-ID"] = f"<{message_id}@rehabit>"
        for part in attachments or []:
            message.attach(part)
        return message


def new_letter(subject: str, greeting_name: str) -> Letter:
    letter = Letter(subject=subject, blocks=[])
    letter.add(_("Hello %(name)s,") % {"name": greeting_name})
    return letter


__all__ = ["Letter", "Link", "Paragraph", "Quote", "new_letter"]
