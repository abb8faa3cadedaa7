"""The tele-examination: what a physiotherapist can examine by video, as structured
fields with free text for each section.

Observation, active range of motion performed by the patient, strength against the
resistance the patient (or someone with them) can provide, neural tension tests that can
be done on camera (slump, a straight leg raise with a helper) and other tests feasible by
video (Puranen-Orava, bent-knee stretch, taking off a shoe, single-leg squat, patient-led
palpation). Values are stored as given, by field id (``ClinicalNote.exam``); ``clean``
checks them and says what is wrong with each.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TEXT_MAX = 2000
NOT_TESTED = "not_tested"


@dataclass(frozen=True)
class ExamField:
    id: str
    label: Promise
    kind: str = "choice"  # choice | number | text
    choices: tuple[tuple[str, Promise], ...] = ()
    minimum: int = 0
    maximum: int = 0
    unit: Promise | None = None
    help: Promise | None = None


@dataclass(frozen=True)
class ExamSection:
    id: str
    title: Promise
    fields: tuple[ExamField, ...]
    kinds: tuple[str, ...] = ("first_assessment", "follow_up")


def _not_tested() -> tuple[str, Promise]:
    return (NOT_TESTED, _("Not tested"))


_PAIN_RANGE = (
    ("full_painless", _("Full, pain-free")),
    ("full_painful", _("Full, painful")),
    ("limited_painless", _("Limited, pain-free")),
    ("limited_painful", _("Limited, painful")),
    _not_tested(),
)
_STRENGTH = (
    ("strong_painless", _("Strong and pain-free")),
    ("strong_painful", _("Strong and painful")),
    ("weak_painless", _("Weak and pain-free")),
    ("weak_painful", _("Weak and painful")),
    _not_tested(),
)
_TEST = (
    ("negative", _("Negative")),
    ("positive", _("Positive")),
    ("equivocal", _("Equivocal")),
    _not_tested(),
)


def _text(field_id: str, label: Promise) -> ExamField:
    return ExamField(field_id, label, kind="text")


SECTIONS: tuple[ExamSection, ...] = (
    ExamSection(
        "observation",
        _("Observation"),
        (
            ExamField(
                "gait",
                _("Gait"),
                choices=(
                    ("normal", _("Normal")),
                    ("antalgic", _("Antalgic")),
                    ("aid", _("With a walking aid")),
                    ("unable", _("Unable to walk")),
                    _not_tested(),
                ),
            ),
            ExamField(
                "sit_to_stand",
                _("Sit to stand"),
                choices=(
                    ("normal", _("Normal")),
                    ("painful", _("Painful")),
                    ("uses_arms", _("Needs the arms")),
                    ("unable", _("Unable")),
                    _not_tested(),
                ),
            ),
            _text(
                "observation_notes",
                _("Posture, swelling, bruising, muscle bulk (as seen on camera)"),
            ),
        ),
    ),
    ExamSection(
        "range_of_motion",
        _("Active range of motion (performed by the patient)"),
        (
            ExamField("lumbar_flexion", _("Lumbar flexion"), choices=_PAIN_RANGE),
            ExamField("lumbar_extension", _("Lumbar extension"), choices=_PAIN_RANGE),
            ExamField("hip_flexion", _("Hip flexion (supine, knee bent)"), choices=_PAIN_RANGE),
            ExamField(
                "active_knee_extension",
                _("Active knee extension (supine, hip at 90 degrees)"),
                choices=_PAIN_RANGE,
            ),
            ExamField(
                "knee_extension_lag",
                _("Knee extension short of straight (estimated)"),
                kind="number",
                maximum=90,
                unit=_("degrees"),
            ),
            _text("rom_notes", _("Range of motion: notes")),
        ),
    ),
    ExamSection(
        "strength",
        _("Strength against resistance the patient can provide"),
        (
            ExamField(
                "knee_flexion",
                _("Knee flexion (prone, resisted by the other leg or a helper)"),
                choices=_STRENGTH,
            ),
            ExamField(
                "hip_extension",
                _("Hip extension (bridge or prone, resisted by a helper)"),
                choices=_STRENGTH,
            ),
            ExamField(
                "single_leg_bridge_affected",
                _("Single-leg bridge, affected side (repetitions)"),
                kind="number",
                maximum=100,
            ),
            ExamField(
                "single_leg_bridge_other",
                _("Single-leg bridge, other side (repetitions)"),
                kind="number",
                maximum=100,
            ),
            ExamField(
                "heel_toe_walk",
                _("Heel and toe walking"),
                choices=(
                    ("normal", _("Normal")),
                    ("heel_weak", _("Cannot walk on the heel")),
                    ("toe_weak", _("Cannot walk on the toes")),
                    _not_tested(),
                ),
            ),
            _text("strength_notes", _("Strength: notes")),
        ),
    ),
    ExamSection(
        "neural",
        _("Neural tension (by video)"),
        (
            ExamField(
                "slump",
                _("Slump test"),
                choices=(
                    ("negative", _("Negative")),
                    ("posterior_thigh", _("Reproduces posterior thigh pain")),
                    ("below_knee", _("Reproduces pain or tingling below the knee")),
                    ("differentiates", _("Positive, eased by neck extension")),
                    _not_tested(),
                ),
            ),
            ExamField(
                "straight_leg_raise",
                _("Straight leg raise (with a helper)"),
                choices=_TEST,
            ),
            ExamField(
                "straight_leg_raise_angle",
                _("Straight leg raise: angle at symptoms (estimated)"),
                kind="number",
                maximum=90,
                unit=_("degrees"),
            ),
            _text("neural_notes", _("Neural tension: notes")),
        ),
    ),
    ExamSection(
        "other_tests",
        _("Other tests feasible by video"),
        (
            ExamField("puranen_orava", _("Puranen-Orava test"), choices=_TEST),
            ExamField("bent_knee_stretch", _("Bent-knee stretch test"), choices=_TEST),
            ExamField("taking_off_shoe", _("Taking off the shoe test"), choices=_TEST),
            ExamField(
                "single_leg_squat",
                _("Single-leg squat"),
                choices=(
                    ("good", _("Good control")),
                    ("poor", _("Poor control (knee drifts in, trunk leans)")),
                    ("painful", _("Painful")),
                    _not_tested(),
                ),
            ),
            _text(
                "palpation_notes",
                _("Palpation guided by the therapist (where the patient finds it tender)"),
            ),
            _text("other_notes", _("Other tests: notes")),
        ),
        kinds=("first_assessment",),
    ),
    ExamSection(
        "safety",
        _("Safety check on the call"),
        (
            ExamField(
                "red_flags_rechecked",
                _("Red flags asked again on the call"),
                choices=(
                    ("none", _("Asked: none")),
                    ("present", _("Asked: present (see notes and plan)")),
                    ("not_asked", _("Not asked")),
                ),
            ),
            _text("safety_notes", _("Safety: notes")),
        ),
    ),
)

FIELDS: Mapping[str, ExamField] = {f.id: f for s in SECTIONS for f in s.fields}


def sections_for(kind: str) -> tuple[ExamSection, ...]:
    return tuple(s for s in SECTIONS if kind in s.kinds)


def clean(data: Mapping[str, Any], kind: str) -> tuple[dict[str, Any], dict[str, str]]:
    """(the values to store, an error message per field). Empty values are dropped;
    unknown fields are an error (nothing is silently lost)."""
    allowed = {f.id for s in sections_for(kind) for f in s.fields}
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, raw in data.items():
        if key not in allowed:
            errors[str(key)] = str(_("This field is not part of this note's examination."))
            continue
        field = FIELDS[key]
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        if field.kind == "choice":
            if raw not in {value for value, _label in field.choices}:
                errors[key] = str(_("Choose one of the options."))
            else:
                values[key] = raw
        elif field.kind == "number":
            try:
                number = int(str(raw).strip())
            except ValueError:
                errors[key] = str(_("Enter a whole number."))
                continue
            if not field.minimum <= number <= field.maximum:
                errors[key] = str(
                    _("Enter a number from %(low)s to %(high)s.")
                    % {"low": field.minimum, "high": field.maximum}
                )
            else:
                values[key] = number
        else:
            text = str(raw).strip()
            if len(text) > TEXT_MAX:
                errors[key] = str(
                    _("At most %(max)s characters (this has %(count)s).")
                    % {"max": TEXT_MAX, "count": len(text)}
                )
            else:
                values[key] = text
    return values, errors


def readable(exam: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    """The recorded examination by section, for the note page, print and PDF."""
    out = []
    for section in sections_for(kind):
        rows = []
        for field in section.fields:
            if field.id not in exam:
                continue
            value = exam[field.id]
            if field.kind == "choice":
                value = dict(field.choices).get(value, value)
            elif field.kind == "number" and field.unit is not None:
                value = f"{value} {field.unit}"
            rows.append({"label": field.label, "value": value, "text": field.kind == "text"})
        if rows:
            out.append({"title": section.title, "rows": rows})
    return out
