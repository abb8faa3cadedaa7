"""Access rules for the patient chart and clinical notes (pages and API), merged into
``tests/security/url_rules.py``.

The patient list is the therapist's own (THERAPIST: tests/security/
test_workspace_authorization.py). Everything about one patient is a RELATION rule walked
by ``tests/clinic/test_url_authorization.py`` with its small practice
(``tests.clinic.support.make_clinic``): only the therapist the patient booked *and*
shares with gets through; another therapist, a therapist the patient booked without
sharing, the patient, another patient and anonymous visitors are refused.
"""

from __future__ import annotations

from typing import Any

from tests.clinic.url_rules import RELATION, RelationRule
from tests.security.url_rules import THERAPIST, Rule

THE_THERAPIST = ("therapist",)


def signed_note(ctx: Any) -> Any:
    """A note by the patient's therapist, signed (the note pages need one to exist)."""
    from rehabit.charts import notes

    note = notes.start_note(None, ctx.therapist.user, ctx.patient, "follow_up")
    return notes.sign(
        None,
        ctx.therapist.user,
        note,
        {"assessment": "Improving strain.", "plan": "Continue the program."},
        revision=note.revision,
    )


def _note_url(ctx: Any, tail: str = "") -> str:
    note = signed_note(ctx)
    return f"/therapist/patients/{ctx.patient.pk}/notes/{note.pk}/{tail}"


def _api_note(ctx: Any, tail: str = "") -> str:
    note = signed_note(ctx)
    return f"/api/v1/patients/{ctx.patient.pk}/notes/{note.pk}{tail}"


def _draft_url(ctx: Any) -> str:
    """A draft of the patient's therapist (for saving and signing through the API)."""
    from rehabit.charts import notes

    note = notes.start_note(None, ctx.therapist.user, ctx.patient, "follow_up")
    return f"/api/v1/patients/{ctx.patient.pk}/notes/{note.pk}"


def _relation(build: Any, **kwargs: Any) -> RelationRule:
    return RelationRule(RELATION, build, allowed=THE_THERAPIST, **kwargs)


CHARTS_RULES: dict[str, Rule] = {
    "charts:patients": Rule(THERAPIST, lambda ctx: "/therapist/patients/"),
    "api:list_patients": Rule(THERAPIST, lambda ctx: "/api/v1/patients"),
    "charts:chart": _relation(
        lambda ctx: f"/therapist/patients/{ctx.patient.pk}/",
        why="the patient's record: a session with them and their share",
    ),
    "charts:note_new": _relation(
        lambda ctx: f"/therapist/patients/{ctx.patient.pk}/notes/new/",
        method="post",
        data=lambda ctx: {"kind": "first_assessment"},
    ),
    "charts:note": _relation(_note_url),
    "charts:note_print": _relation(lambda ctx: _note_url(ctx, "print/")),
    "charts:note_pdf": _relation(lambda ctx: _note_url(ctx, "note.pdf")),
    "api:patient_chart": _relation(lambda ctx: f"/api/v1/patients/{ctx.patient.pk}/chart"),
    "api:list_notes": _relation(lambda ctx: f"/api/v1/patients/{ctx.patient.pk}/notes"),
    "api:create_note": _relation(
        lambda ctx: f"/api/v1/patients/{ctx.patient.pk}/notes",
        method="post",
        data=lambda ctx: {"kind": "follow_up"},
    ),
    "api:get_note": _relation(_api_note),
    "api:update_note": _relation(
        _draft_url, method="patch", data=lambda ctx: {"revision": 1, "plan": "Review."}
    ),
    "api:sign_note": _relation(
        lambda ctx: _draft_url(ctx) + "/sign",
        method="post",
        data=lambda ctx: {"revision": 1, "assessment": "Settling.", "plan": "Review."},
    ),
    "api:add_addendum": _relation(
        lambda ctx: _api_note(ctx, "/addenda"),
        method="post",
        data=lambda ctx: {"text": "Also advised ice."},
    ),
}
