"""A clinical note as PDF: the print template rendered by WeasyPrint (the PDF library the
project already uses for the progress report; fonts from the system, nothing fetched)."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@cache
def print_css() -> str:
    """The print view's stylesheet, which the PDF carries inline (WeasyPrint fetches nothing)."""
    return (Path(__file__).parent / "static" / "charts" / "note_print.css").read_text("utf-8")


def note_pdf(request: HttpRequest | None, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    context = {**context, "for_pdf": True, "print_css": print_css()}
    html = render_to_string("charts/note_print.html", context, request)
    return bytes(HTML(string=html, base_url=None).write_pdf())


def note_pdf_response(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    note = context["note"]
    response = HttpResponse(note_pdf(request, context), content_type="application/pdf")
    day = timezone.localdate(note.signed_at or note.created_at).isoformat()
    status = "signed" if note.is_signed else "draft"
    response["Content-Disposition"] = (
        f'attachment; filename="rehabit-note-{day}-{status}-{str(note.pk)[:8]}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response
