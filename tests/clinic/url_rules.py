"""Access rules for the clinic's URLs (messages, alerts, prescriptions, attendance), merged
into ``tests/security/url_rules.py``.

Lists of one's own (conversations, alerts, settings, what needs attention) are SELF
rules, checked by the security suite. Pages about one patient are RELATION rules, walked
by ``tests/clinic/test_url_authorization.py`` with a small practice
(``tests.clinic.support.make_clinic``): ``allowed`` names who may open the URL; everyone
else (another therapist, another patient, a therapist with the relationship but without
the patient's consent, anonymous) is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.security.url_rules import SELF, Rule

RELATION = "relation"
EVERYONE = ("patient", "therapist", "unshared", "stranger", "other_patient", "anonymous")


@dataclass(frozen=True)
class RelationRule(Rule):
    """A Rule whose ``build`` takes a ``tests.clinic.support.Clinic``."""

    allowed: tuple[str, ...] = ()
    method: str = "get"
    data: Callable[[Any], dict[str, Any]] | None = None
    refused: tuple[str, ...] = field(default=())

    def refused_visitors(self) -> tuple[str, ...]:
        return tuple(who for who in EVERYONE if who not in self.allowed)


def _thread(ctx: Any) -> Any:
    from rehabit.clinic.messaging import open_thread

    return open_thread(ctx.patient, therapist_id=ctx.therapist.pk)


def _alert(ctx: Any) -> Any:
    from rehabit.clinic.models import Alert, AlertKind, Urgency

    return Alert.objects.create(
        patient=ctx.patient,
        therapist=ctx.therapist,
        assessment=ctx.assessment,
        kind=AlertKind.WORSENING,
        urgency=Urgency.SOON,
    )


def _prescription_body(ctx: Any) -> dict[str, Any]:
    return {"items": [], "reason": "Back to the automatic program."}


def _clearance_body(ctx: Any) -> dict[str, Any]:
    return {"checked_by": "Dr Lee", "checked_on": "2026-01-02", "finding": "No clot.",
            "confirmed": True}  # fmt: skip


CLINIC_RULES: dict[str, Rule] = {
    # One's own lists: nobody else's data can show through them.
    "clinic:threads": Rule(SELF, lambda ctx: "/clinic/messages/"),
    "clinic:alerts": Rule(SELF, lambda ctx: "/clinic/alerts/", why="therapists only"),
    "clinic:settings": Rule(SELF, lambda ctx: "/clinic/settings/", why="therapists only"),
    "api:list_threads": Rule(SELF, lambda ctx: "/api/v1/messages/threads"),
    "api:start_thread": Rule(
        SELF, lambda ctx: "/api/v1/messages/threads", why="POST on the list's URL"
    ),
    "api:list_alerts": Rule(SELF, lambda ctx: "/api/v1/alerts", why="therapists only"),
    "api:attention": Rule(SELF, lambda ctx: "/api/v1/attention", why="therapists only"),
    # About one patient: the relationship (and for their record, their consent).
    "clinic:thread": RelationRule(
        RELATION,
        lambda ctx: f"/clinic/messages/{_thread(ctx).pk}/",
        why="the conversation's two participants, while related",
        allowed=("patient", "therapist"),
    ),
    "api:get_thread": RelationRule(
        RELATION,
        lambda ctx: f"/api/v1/messages/threads/{_thread(ctx).pk}",
        allowed=("patient", "therapist"),
    ),
    "api:send_message": RelationRule(
        RELATION,
        lambda ctx: f"/api/v1/messages/threads/{_thread(ctx).pk}/messages",
        allowed=("patient", "therapist"),
        method="post",
        data=lambda ctx: {"body": "When is my next session?"},
    ),
    "api:mark_thread_read": RelationRule(
        RELATION,
        lambda ctx: f"/api/v1/messages/threads/{_thread(ctx).pk}/read",
        allowed=("patient", "therapist"),
        method="post",
    ),
    "clinic:prescription": RelationRule(
        RELATION,
        lambda ctx: f"/clinic/patients/{ctx.patient.pk}/program/",
        why="the patient's record: relationship and consent",
        allowed=("therapist",),
    ),
    "api:get_prescription": RelationRule(
        RELATION,
        lambda ctx: f"/api/v1/patients/{ctx.patient.pk}/prescription",
        allowed=("therapist",),
    ),
    "api:put_prescription": RelationRule(
        RELATION,
        lambda ctx: f"/api/v1/patients/{ctx.patient.pk}/prescription",
        allowed=("therapist",),
        method="put",
        data=_prescription_body,
    ),
    "api:post_clearance": RelationRule(
        RELATION,
        lambda ctx: f"/api/v1/patients/{ctx.patient.pk}/clearance",
        allowed=("therapist",),
        method="post",
        data=_clearance_body,
    ),
    "api:withdraw_clearance": RelationRule(
        RELATION,
        lambda ctx: f"/api/v1/patients/{ctx.patient.pk}/clearance/withdraw",
        allowed=("therapist",),
        method="post",
        data=lambda ctx: {"reason": "Recorded by mistake."},
    ),
    "clinic:acknowledge_alert": RelationRule(
        RELATION,
        lambda ctx: f"/clinic/alerts/{_alert(ctx).pk}/acknowledge/",
        allowed=("therapist",),
        method="post",
    ),
    "api:acknowledge_alert": RelationRule(
        RELATION,
        lambda ctx: f"/api/v1/alerts/{_alert(ctx).pk}/acknowledge",
        allowed=("therapist",),
        method="post",
    ),
    "clinic:attendance": RelationRule(
        RELATION,
        lambda ctx: f"/clinic/appointments/{ctx.appointment.pk}/attendance/",
        why="the session's own therapist",
        allowed=("therapist",),
    ),
    "api:put_attendance": RelationRule(
        RELATION,
        lambda ctx: f"/api/v1/appointments/{ctx.appointment.pk}/attendance",
        allowed=("therapist",),
        method="put",
        data=lambda ctx: {"attendance": "attended"},
    ),
}
