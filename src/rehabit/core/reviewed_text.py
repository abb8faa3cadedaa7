"""Text from the reviewed data files (questionnaire, conditions, exercises, advice), in the
reader's language.

The data files are written in English; their strings are extracted into the message
catalogue by ``rehabit manage extract_content_strings`` (``core/content_strings.py``), so
translators see them. Pages (the ``tr`` template filter), e-mails, PDFs and the API all
translate them here."""

from __future__ import annotations

from django.utils.translation import gettext


def tr(text: object) -> str:
    """``text`` translated; None as "", anything that is not text as itself."""
    if not isinstance(text, str) or not text:
        return "" if text is None else str(text)
    return gettext(text)
