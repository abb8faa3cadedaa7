"""The therapist's page for a patient's home program: see it, change one exercise at a
time (exercise and level, dosage, progression rule, note, reason), add one, stop one or
give one back to the automatic program. On a program withheld for safety: record that a
clinician has examined the patient and found exercise safe (or withdraw that record)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from rehabit.accounts.records import audit_record_read
from rehabit.accounts.roles import is_staff_role
from rehabit.booking.people import display_name
from rehabit.care import presenters
from rehabit.care.models import ProgressionRuleChoice
from rehabit.care.programs import CareProgram, program_for
from rehabit.care.selectors import sessions_of
from rehabit.clinic import clearing, prescribing
from rehabit.clinic.errors import FieldErrors, NotPossible, Refused
from rehabit.clinic.views.common import therapist_only
from rehabit.clinical.exercises import get_exercise
from rehabit.clinical.prescription import DOSAGE_FIELDS, DOSAGE_LIMITS

DOSAGE_ORDER = ("sets", "reps", "hold_seconds", "minutes", "rest_seconds", "per_day",
                "days_per_week")  # fmt: skip
RECENT_SESSIONS = 5


def dosage_labels() -> dict[str, str]:
    return {
        "sets": _("Sets"),
        "reps": _("Repetitions"),
        "hold_seconds": _("Hold (seconds)"),
        "minutes": _("Minutes"),
        "rest_seconds": _("Rest between (seconds)"),
        "per_day": _("Times a day"),
        "days_per_week": _("Days a week"),
    }


def _patient_or_404(patient_id: int) -> Any:
    patient = get_user_model().objects.filter(pk=patient_id, is_active=True).first()
    if patient is None or is_staff_role(patient):
        raise Http404(_("No such patient."))
    return patient


def _exercise_choices(care: CareProgram, family: str) -> list[tuple[str, str]]:
    found = sorted((e for e in care.library if e.family == family), key=lambda e: e.level)
    return [
        (e.id, _("Level %(level)s: %(name)s") % {"level": e.level, "name": presenters.tr(e.name)})
        for e in found
    ]


def _dosage_fields(
    values: dict[str, Any],
    errors: dict[str, list[str]],
    kinds: tuple[str, ...] | None = None,
    now: dict[str, int] | None = None,
) -> list[dict[str, Any]]:
    """The dosage boxes: only those of ``kinds`` when the exercise is known (a hold has no
    minutes, a walk no repetitions), each with the number in use now (``now``) shown as
    its placeholder; every box for an exercise still to be chosen."""
    labels = dosage_labels()
    return [
        {
            "key": key,
            "label": labels[key],
            "value": values.get(key, ""),
            "min": DOSAGE_LIMITS[key][0],
            "max": DOSAGE_LIMITS[key][1],
            "errors": errors.get(f"dosage.{key}", []),
            "now": (now or {}).get(key, ""),
        }
        for key in DOSAGE_ORDER
        # A box an error is about stays on the page, so that its message shows.
        if kinds is None or key in kinds or f"dosage.{key}" in errors
    ]


def _family_dosage_keys(care: CareProgram, family: str) -> tuple[str, ...]:
    """The dosage boxes any level of ``family`` uses."""
    kinds = {e.dosage.kind for e in care.library if e.family == family}
    return tuple(k for k in DOSAGE_ORDER if any(k in DOSAGE_FIELDS[kind] for kind in kinds))


def _dosage_now(item: Any) -> dict[str, int]:
    """The numbers the patient's dosage uses now, by box."""
    found = {}
    for key in DOSAGE_ORDER:
        value = item.dosage.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            found[key] = value
    return found


def _forms(
    care: CareProgram,
    sessions: list[Any],
    posted: dict[str, Any],
    errors: dict[str, list[str]],
) -> list[Any]:
    rows = []
    for item in care.items:
        mine = posted.get("family") == item.family and posted.get("action") != "reset"
        reset_errors = (
            errors.get("reason", [])
            if posted.get("family") == item.family and posted.get("action") == "reset"
            else []
        )
        prescription = item.prescription
        values = {
            "exercise": item.exercise.id,
            "rule": item.rule,
            "note": prescription.note if prescription is not None else "",
            "dosage": dict(prescription.dosage) if prescription is not None else {},
        }
        if mine:
            values = posted
        rows.append(
            {
                "item": item,
                "card": presenters.exercise_card(item.exercise),
                "dosage": presenters.dosage_lines(item.dosage),
                "explanation": presenters.explain_item(item, sessions),
                "choices": _exercise_choices(care, item.family),
                "values": values,
                "fields": _dosage_fields(
                    values["dosage"],
                    errors if mine else {},
                    _family_dosage_keys(care, item.family),
                    _dosage_now(item),
                ),
                "errors": errors if mine else {},
                "reset_errors": reset_errors,
                "reset_reason": posted.get("reason", "") if reset_errors else "",
                "open": (mine and bool(errors)) or bool(reset_errors),
                "kinds": DOSAGE_FIELDS[item.exercise.dosage.kind],
            }
        )
    return rows


def _add_choices(care: CareProgram) -> list[tuple[str, str]]:
    taken = {item.family for item in care.items}
    found = sorted(
        (e for e in care.library if e.family not in taken), key=lambda e: (e.family, e.level)
    )
    return [
        (e.id, _("%(name)s (level %(level)s)") % {"name": presenters.tr(e.name), "level": e.level})
        for e in found
    ]


def _posted(request: HttpRequest) -> dict[str, Any]:
    post = request.POST
    exercise = post.get("exercise", "")
    family = post.get("family", "")
    if post.get("action") == "add":
        try:
            family = get_exercise(exercise).family
        except KeyError:
            family = "_add"
    return {
        "action": post.get("action", ""),
        "family": family,
        "exercise": exercise,
        "rule": post.get("rule", "automatic"),
        "note": post.get("note", ""),
        "reason": post.get("reason", ""),
        "dosage": {k: post.get(f"dosage_{k}", "").strip() for k in DOSAGE_ORDER},
    }


def _stopped_row(prescription: Any, posted: dict[str, Any], errors: dict[str, Any]) -> Any:
    """A stopped exercise, with the problem of a refused "Restore" of it (an empty reason)."""
    row = dict(presenters.stopped_row(prescription))
    refused = posted.get("action") == "reset" and posted.get("family") == prescription.family
    row["errors"] = errors.get("reason", []) if refused else []
    row["reason"] = posted.get("reason", "") if refused else ""
    return row


CHANGED = _lazy("The program is changed. The patient has been told by e-mail (without details).")


def _save(request: HttpRequest, patient: Any, posted: dict[str, Any]) -> str:
    """Change the program; returns the message for the therapist. Raises FieldErrors (keys
    without the "items.0." prefix), Refused or NotPossible."""
    reason_errors: dict[str, list[str]] = {}
    try:
        reason = prescribing.clean_reason(posted["reason"])
    except FieldErrors as exc:
        reason, reason_errors = "", exc.errors
    if posted["action"] == "reset":
        if reason_errors:
            raise FieldErrors(reason_errors)
        prescribing.prescribe(request, patient, [], reason, reset=[posted["family"]])
        return CHANGED
    stop = posted["exercise"] == "stop"
    raw = {
        "family": posted["family"],
        "exercise_id": None if stop else posted["exercise"],
        "dosage": {} if stop else {k: v for k, v in posted["dosage"].items() if v},
        "rule": posted["rule"],
        "note": posted["note"],
    }
    try:
        items = prescribing.clean_items([raw])
    except FieldErrors as exc:
        errors = {k.removeprefix("items.0.").removeprefix("items.0"): v
                  for k, v in exc.errors.items()}  # fmt: skip
        if posted["action"] == "add" and ("family" in errors or "exercise_id" in errors):
            errors = {"exercise": [_("Choose an exercise from the list.")]}
        raise FieldErrors({**errors, **reason_errors}) from None
    if reason_errors:
        raise FieldErrors(reason_errors)
    prescribing.prescribe(request, patient, items, reason)
    return CHANGED


CLEARANCE_ACTIONS = ("clear", "withdraw_clearance")
CLEARANCE_FIELDS = ("checked_by", "checked_on", "finding", "confirmed")


def _clearance_posted(request: HttpRequest) -> dict[str, Any]:
    return {
        "action": request.POST.get("action", ""),
        **{key: request.POST.get(key, "") for key in CLEARANCE_FIELDS},
        "reason": request.POST.get("reason", ""),
    }


def _save_clearance(request: HttpRequest, patient: Any, posted: dict[str, Any]) -> str:
    """Record or withdraw a clearance; returns the message for the therapist. Raises
    FieldErrors, Refused or NotPossible."""
    if posted["action"] == "withdraw_clearance":
        clearing.withdraw_clearance(request, patient, clearing.clean_withdrawal(posted["reason"]))
        return _("The clearance is withdrawn: the program is withheld again.")
    clearing.clear(request, patient, posted)
    return _("The clinician's findings are recorded. You can now set the patient's exercises.")


@require_http_methods(["GET", "POST"])
@therapist_only
def prescription(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient_or_404(patient_id)
    assessment = prescribing.current_assessment(patient)
    if not audit_record_read(request, patient, target=assessment):
        raise Http404(_("No such patient."))
    errors: dict[str, list[str]] = {}
    posted: dict[str, Any] = {}
    if request.method == "POST":
        clearance = request.POST.get("action") in CLEARANCE_ACTIONS
        posted = _clearance_posted(request) if clearance else _posted(request)
        try:
            done = (_save_clearance if clearance else _save)(request, patient, posted)
        except FieldErrors as exc:
            errors = exc.errors
        except (Refused, NotPossible) as exc:
            flash.error(request, str(exc))
            return redirect("clinic:prescription", patient_id=patient.pk)
        else:
            flash.success(request, done)
            anchor = "#clearance" if clearance else "#program"
            return redirect(reverse("clinic:prescription", args=[patient.pk]) + anchor)
    context: dict[str, Any] = {
        "patient": patient,
        "patient_name": display_name(patient),
        "assessment": assessment,
        "errors": errors,
        "posted": posted,
        "rules": ProgressionRuleChoice.choices,
        "zone_name": presenters.zone_name(),
        "today": timezone.localdate(),
        "clearance_errors": errors if posted.get("action") in CLEARANCE_ACTIONS else {},
        "clearance_posted": posted if posted.get("action") in CLEARANCE_ACTIONS else {},
    }
    if assessment is not None:
        care = program_for(assessment)
        sessions = list(sessions_of(assessment))
        context.update(
            care=care,
            rows=_forms(care, sessions, posted, errors),
            add_choices=_add_choices(care),
            add_errors=errors if posted.get("action") == "add" else {},
            add_values=posted
            if posted.get("action") == "add"
            else {"rule": "automatic", "dosage": {}},
            add_fields=_dosage_fields(
                posted.get("dosage", {}) if posted.get("action") == "add" else {},
                errors if posted.get("action") == "add" else {},
            ),
            stopped=[_stopped_row(p, posted, errors) for p in care.stopped],
            phase_label=presenters.phase_label(care.phase),
            recent=[presenters.session_row(s) for s in sessions[:RECENT_SESSIONS]],
            withheld_by=clearing.withheld_by(assessment, care)
            if care.clearance or not care.prescribable
            else [],
        )
    return render(request, "clinic/prescription.html", context, status=422 if errors else 200)
