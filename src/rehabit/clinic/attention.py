"""What needs a therapist's attention: for the therapist's home page (and the API).

``needs_attention(therapist)`` returns open alerts (for patients whose record the
therapist may see now) and conversations with unread messages from patients (patients
related to the therapist now), most urgent first, then newest. Each item says what it
is, about whom, how many, since when, and where to act; nothing of the patient's health
beyond what the alert kind says. That much comes from the patient's check-ins, so listing
an alert is a read of their record: audited once per patient and listing, as the alerts
page is (``rehabit.clinic.alerts.alerts_for``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from django.db.models import Count, Max, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import ngettext

from rehabit.audit.models import AuditAction
from rehabit.audit.services import record
from rehabit.booking.people import display_name
from rehabit.clinic.models import Alert, AlertKind, MessageThread, Urgency
from rehabit.clinic.relations import may_see_record, related_patient_ids, therapist_record

# Order on the home page: an emergency sign first, a "ready to step up" last.
RANK = {Urgency.EMERGENCY: 0, Urgency.URGENT: 1, Urgency.SOON: 2, "message": 3, Urgency.ROUTINE: 4}


@dataclass(frozen=True)
class AttentionItem:
    kind: Literal["alert", "messages"]
    urgency: str  # emergency | urgent | soon | routine (alerts), "message" (unread messages)
    title: str  # translated, e.g. "Warning sign reported", "2 unread messages"
    patient_id: int
    patient_name: str
    at: datetime  # when the alert was raised, or the newest unread message was sent (UTC)
    url: str  # the page where the therapist acts on it
    count: int = 1
    alert_id: str = ""  # for alerts: acknowledge at POST /clinic/alerts/<id>/acknowledge/
    alert_kind: str = ""  # warning_sign | worsening | ready
    thread_id: str = ""  # for messages

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "urgency": self.urgency,
            "title": self.title,
            "patient_id": self.patient_id,
            "patient_name": self.patient_name,
            "at": self.at,
            "url": self.url,
            "count": self.count,
            "alert_id": self.alert_id or None,
            "alert_kind": self.alert_kind or None,
            "thread_id": self.thread_id or None,
        }


def open_alerts(therapist: Any) -> list[Alert]:
    """Alerts not yet acknowledged, for patients whose record the therapist may see now
    (a patient who stopped sharing takes their alerts out of the list)."""
    found = therapist_record(therapist)
    if found is None:
        return []
    alerts = list(
        Alert.objects.filter(therapist=found, acknowledged_at__isnull=True, patient__is_active=True)
        .select_related("patient")
        .order_by("-raised_at")
    )
    allowed: dict[int, bool] = {}
    for alert in alerts:
        if alert.patient_id not in allowed:
            allowed[alert.patient_id] = may_see_record(found, alert.patient)
    return [a for a in alerts if allowed[a.patient_id]]


def unread_threads(therapist: Any) -> list[tuple[MessageThread, int, datetime]]:
    """(thread, unread count, newest unread) for each conversation with unread messages
    from a patient related to the therapist now."""
    found = therapist_record(therapist)
    if found is None:
        return []
    unread = Q(messages__from_patient=True, messages__read_at__isnull=True)
    threads = (
        MessageThread.objects.filter(therapist=found, patient__is_active=True)
        .annotate(
            unread=Count("messages", filter=unread), newest=Max("messages__sent_at", filter=unread)
        )
        .filter(unread__gt=0)
        .select_related("patient")
    )
    related = related_patient_ids(found)
    return [(t, t.unread, t.newest) for t in threads if t.patient_id in related]


def _alert_item(alert: Alert) -> AttentionItem:
    return AttentionItem(
        kind="alert",
        urgency=alert.urgency,
        title=str(AlertKind(alert.kind).label),
        patient_id=alert.patient_id,
        patient_name=display_name(alert.patient),
        at=alert.raised_at,
        url=reverse("clinic:alerts") + f"#alert-{alert.pk}",
        alert_id=str(alert.pk),
        alert_kind=alert.kind,
    )


def _thread_item(thread: MessageThread, count: int, newest: datetime) -> AttentionItem:
    return AttentionItem(
        kind="messages",
        urgency="message",
        title=ngettext("%(n)s unread message", "%(n)s unread messages", count) % {"n": count},
        patient_id=thread.patient_id,
        patient_name=display_name(thread.patient),
        at=newest,
        url=reverse("clinic:thread", args=[thread.pk]),
        count=count,
        thread_id=str(thread.pk),
    )


def _audit_alerts_listed(therapist: Any, alerts: list[Alert], request: HttpRequest | None) -> None:
    """One ``record.viewed`` per patient whose alerts are listed (by the therapist's
    account, with the request's address when there is one)."""
    found = therapist_record(therapist)
    listed: set[int] = set()
    for alert in alerts:
        if found is None or alert.patient_id in listed:
            continue
        listed.add(alert.patient_id)
        record(AuditAction.RECORD_VIEWED, request=request, actor=found.user,
               subject=alert.patient, target_type="alert", target_id=alert.pk)  # fmt: skip


def needs_attention(therapist: Any, *, request: HttpRequest | None = None) -> list[AttentionItem]:
    """Open alerts and unread messages for ``therapist`` (a therapist's account or their
    ``booking.Therapist``), most urgent first, then newest. Empty for anyone else. The
    alerts listed are audited as reads of their patients' records."""
    alerts = open_alerts(therapist)
    _audit_alerts_listed(therapist, alerts, request)
    items = [_alert_item(a) for a in alerts]
    items += [_thread_item(*row) for row in unread_threads(therapist)]
    items.sort(key=lambda i: -i.at.timestamp())
    items.sort(key=lambda i: RANK.get(i.urgency, len(RANK)))
    return items


def attention_summary(therapist: Any) -> str:
    """One line for a navigation badge, e.g. "2 alerts, 3 unread messages" ("" if none).
    It names no patient, so it reads no record (and writes no audit entry)."""
    alerts = len(open_alerts(therapist))
    messages = sum(count for _thread, count, _newest in unread_threads(therapist))
    parts = []
    if alerts:
        parts.append(ngettext("%(n)s alert", "%(n)s alerts", alerts) % {"n": alerts})
    if messages:
        parts.append(
            ngettext("%(n)s unread message", "%(n)s unread messages", messages) % {"n": messages}
        )
    return ", ".join(parts)


_WORKSPACE_KINDS = {
    AlertKind.WARNING_SIGN: "warning_sign",
    AlertKind.WORSENING: "worsening_check_in",
    AlertKind.READY: "ready_to_step_up",
}


def workspace_source(therapist: Any, since: datetime | None, now: datetime) -> list[Any]:
    """``needs_attention`` as a source of the therapist home page's list
    (``rehabit.booking.attention``; registered by ``ClinicConfig.ready``). Open alerts and
    unread messages are listed until acted on, whatever ``since`` says."""
    from rehabit.booking.attention import AttentionItem as HomeItem

    return [
        HomeItem(
            kind=_WORKSPACE_KINDS.get(i.alert_kind, "alert")
            if i.kind == "alert"
            else "unread_message",
            patient=i.patient_name,
            text=f"{i.patient_name}: {i.title}",
            url=i.url,
            at=i.at,
        )
        for i in needs_attention(therapist)
    ]
