"""Clinical note pages: start a note from a template, edit and sign a draft, read a signed
note with its addenda and add one, print it, download it as PDF.

Thin: access through ``access.open_chart`` (the record rule, audited), the rules in
``notes``. A refused or stale save keeps everything that was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rehabit.booking.models import Therapist
from rehabit.booking.people import display_name, zone_of
from rehabit.booking.views.therapist_access import therapist_page
from rehabit.charts import access, exam, notes
from rehabit.charts.chart import chart_context, chosen_assessment
from rehabit.charts.models import ClinicalNote, NoteKind
from rehabit.charts.note_templates import hints, prefill
from rehabit.charts.pdf import note_pdf_response
from rehabit.core.timefmt import current_zone_name


def in_therapist_zone(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run a page with times in the therapist's zone (their working clock), named on the
    page as ``zone_name``."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with timezone.override(zone_of(request.user)):
            return view(request, *args, **kwargs)

    return wrapper


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(
        request,
        template,
        {**context, "zone_name": current_zone_name()},
        status=status,
    )


def _open_note(request: HttpRequest, patient_id: int, note_id: Any) -> tuple[Any, ClinicalNote]:
    def pick(patient: Any) -> ClinicalNote | None:
        try:
            return notes.note_for(request.user, patient, note_id)
        except notes.NoteNotFound:
            return None

    try:
        patient, note = access.open_chart(request, patient_id, target=pick)
    except access.NoChart:
        raise Http404(_("No such patient.")) from None
    if note is None:
        raise Http404(_("No such note."))
    return patient, note


def _note_url(note: ClinicalNote) -> str:
    return reverse("charts:note", args=[note.patient_id, note.pk])


@require_POST
@therapist_page
@in_therapist_zone
def note_new(request: HttpRequest, therapist: Therapist, patient_id: int) -> HttpResponse:
    kind = request.POST.get("kind", "")
    appointment_id = request.POST.get("appointment") or None
    try:
        patient, assessment = access.open_chart(
            request, patient_id, target=lambda p: chosen_assessment(p)
        )
    except access.NoChart:
        raise Http404(_("No such patient.")) from None
    chart = chart_context(request.user, patient, assessment)
    try:
        note = notes.start_note(
            request,
            request.user,
            patient,
            kind,
            appointment_id=appointment_id,
            prefill=prefill(kind, chart) if kind in NoteKind.values else None,
        )
    except notes.FieldErrors as refused:
        for problems in refused.errors.values():
            for problem in problems:
                messages.error(request, problem)
        return redirect(reverse("charts:chart", args=[patient.pk]) + "#notes")
    return redirect(_note_url(note))


def _exam_form(note: ClinicalNote, values: dict[str, Any], errors: dict[str, list[str]]) -> Any:
    return [
        {
            "section": section,
            "fields": [
                {
                    "field": field,
                    "name": f"exam-{field.id}",
                    "value": values.get(field.id, ""),
                    "errors": errors.get(f"exam.{field.id}", []),
                }
                for field in section.fields
            ],
        }
        for section in exam.sections_for(note.kind)
    ]


def _posted(request: HttpRequest) -> dict[str, Any]:
    data: dict[str, Any] = {key: request.POST.get(key, "") for key in notes.SOAP}
    data["exam"] = {
        key[len("exam-") :]: value for key, value in request.POST.items() if key.startswith("exam-")
    }
    return data


def _revision(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("revision", ""))
    except ValueError:
        return None


def _edit(
    request: HttpRequest,
    patient: Any,
    note: ClinicalNote,
    data: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    values = data or {**{k: getattr(note, k) for k in notes.SOAP}, "exam": note.exam}
    errors = errors or {}
    context = {
        "patient": patient,
        "patient_name": display_name(patient),
        "note": note,
        "soap": [
            {
                "key": key,
                "label": ClinicalNote._meta.get_field(key).verbose_name,
                "value": values.get(key, ""),
                "hint": hints(note.kind)[key],
                "errors": errors.get(key, []),
            }
            for key in notes.SOAP
        ],
        "exam_form": _exam_form(note, values.get("exam") or {}, errors),
        "problem": problem,
        "has_errors": bool(errors or problem),
        "revision": request.POST.get("revision", note.revision) if data else note.revision,
    }
    return render_page(request, "charts/note_edit.html", context, status=status)


def _read(request: HttpRequest, patient: Any, note: ClinicalNote, **extra: Any) -> HttpResponse:
    context = {
        "patient": patient,
        "patient_name": display_name(patient),
        "note": note,
        "exam": exam.readable(note.exam, note.kind),
        "verified": notes.verify(note),
        "addendum_text": extra.get("addendum_text", ""),
        "addendum_errors": extra.get("addendum_errors", []),
    }
    return render_page(request, "charts/note.html", context, status=extra.get("status", 200))


@require_http_methods(["GET", "POST"])
@therapist_page
@in_therapist_zone
def note_page(
    request: HttpRequest, therapist: Therapist, patient_id: int, note_id: Any
) -> HttpResponse:
    patient, note = _open_note(request, patient_id, note_id)
    editable = not note.is_signed and note.author_id == request.user.pk
    if request.method == "GET":
        return _edit(request, patient, note) if editable else _read(request, patient, note)
    action = request.POST.get("action", "")
    if action == "addendum":
        return _addendum(request, patient, note)
    if action == "discard":
        try:
            notes.discard_draft(request, request.user, note)
        except notes.NoteError as refused:
            messages.error(request, str(refused))
            return redirect(_note_url(note))
        messages.success(request, _("The draft was discarded."))
        return redirect(reverse("charts:chart", args=[patient.pk]) + "#notes")
    data = _posted(request)
    try:
        if action == "sign":
            note = notes.sign(request, request.user, note, data, revision=_revision(request))
            messages.success(request, _("The note is signed. It can no longer be changed."))
        else:
            note = notes.save_draft(request, request.user, note, data, revision=_revision(request))
            messages.success(request, _("Draft saved."))
    except notes.FieldErrors as refused:
        return _edit(request, patient, note, data, refused.errors, status=422)
    except (notes.Conflict, notes.NotAuthor, notes.NotYet) as refused:
        return _edit(request, patient, note, data, problem=str(refused), status=409)
    return redirect(_note_url(note))


def _addendum(request: HttpRequest, patient: Any, note: ClinicalNote) -> HttpResponse:
    text = request.POST.get("text", "")
    try:
        notes.add_addendum(request, request.user, note, text)
    except notes.FieldErrors as refused:
        return _read(
            request,
            patient,
            note,
            addendum_text=text,
            addendum_errors=refused.errors.get("text", []),
            status=422,
        )
    except notes.Conflict as refused:
        return _read(
            request, patient, note, addendum_text=text, addendum_errors=[str(refused)], status=409
        )
    messages.success(request, _("Addendum added."))
    return redirect(_note_url(note) + "#addenda")


def _print_context(patient: Any, note: ClinicalNote) -> dict[str, Any]:
    return {
        "patient": patient,
        "patient_name": display_name(patient),
        "note": note,
        "exam": exam.readable(note.exam, note.kind),
        "verified": notes.verify(note),
    }


@require_GET
@therapist_page
@in_therapist_zone
def note_print(
    request: HttpRequest, therapist: Therapist, patient_id: int, note_id: Any
) -> HttpResponse:
    patient, note = _open_note(request, patient_id, note_id)
    return render_page(request, "charts/note_print.html", _print_context(patient, note))


@require_GET
@therapist_page
@in_therapist_zone
def note_pdf(
    request: HttpRequest, therapist: Therapist, patient_id: int, note_id: Any
) -> HttpResponse:
    patient, note = _open_note(request, patient_id, note_id)
    context = {**_print_context(patient, note), "zone_name": current_zone_name()}
    return note_pdf_response(request, context)
