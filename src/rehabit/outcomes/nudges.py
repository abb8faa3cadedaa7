"""The gentle reminder to log: at the time the person chose, in their zone, never nagging.

- At most one a day (one outbox message per day, keyed by the day), and none on a day
  they have already logged.
- Only on days something is due (pain every day for the first two weeks, then weekly:
  ``rehabit.clinical.outcomes.due_measures``).
- After a week of reminders without a log they stop (``stopped_on``) and say nothing
  more; the next log starts them again.

Each reminder is a django-tasks task run by ``rehabit worker`` at its time; the task
decides at run time (``decide``), writes the e-mail into the outbox and sends it, then
queues the next one. A task whose time was replaced (the person changed the time) finds
its ``due`` no longer matches and does nothing, so two chains never run at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from rehabit.accounts.zones import page_zone
from rehabit.care.services import FieldErrors, Refused
from rehabit.clinical.child_wording import is_child
from rehabit.core.inputs import InputRefused, parse_time
from rehabit.core.timefmt import format_clock, readable_zone
from rehabit.outcomes.models import DiaryEntry, DiaryReminder, MeasureRecord
from rehabit.scheduling import UnknownTimeZone, validate_zone

QUIET_DAYS = 7  # a week of reminders without a log, then they stop
DEFAULT_TIME = time(19, 0)


@dataclass(frozen=True)
class Decision:
    send: bool
    reason: str  # send | sent_today | logged_today | no_response | not_due | off


def decide(
    *,
    today: date,
    enabled: bool,
    logged_today: bool,
    last_sent: date | None,
    unanswered_since: date | None,
    due: tuple[str, ...],
) -> Decision:
    """Whether today's reminder goes out (pure: the rule, unit-tested on its own)."""
    if not enabled:
        return Decision(False, "off")
    if last_sent is not None and last_sent >= today:
        return Decision(False, "sent_today")
    if logged_today:
        return Decision(False, "logged_today")
    if unanswered_since is not None and (today - unanswered_since).days >= QUIET_DAYS:
        return Decision(False, "no_response")
    if not due:
        return Decision(False, "not_due")
    return Decision(True, "send")


def next_time(local_time: time, zone: str, now: datetime) -> datetime:
    """The next instant (after ``now``) at ``local_time`` in ``zone``, across DST."""
    tz = ZoneInfo(zone)
    day = now.astimezone(tz).date()
    for offset in range(3):
        candidate = datetime.combine(day + timedelta(days=offset), local_time, tzinfo=tz)
        # A time that does not exist that day (clocks go forward) becomes the real instant
        # it names after the change; a repeated one (clocks go back) its first occurrence.
        instant = candidate.astimezone(ZoneInfo("UTC"))
        if instant > now:
            return instant
    raise AssertionError("unreachable")


# --- Reading and setting ------------------------------------------------------------------------


def reminder_of(assessment: Any) -> DiaryReminder | None:
    return DiaryReminder.objects.filter(assessment=assessment).first()


def can_remind(request: HttpRequest, assessment: Any) -> bool:
    """Reminders go by e-mail to the signed-in owner of the assessment."""
    user = getattr(request, "user", None)
    return bool(
        user is not None
        and user.is_authenticated
        and assessment.owner_id == user.pk
        and getattr(user, "email", "")
    )


def set_reminder(request: HttpRequest, assessment: Any, data: Mapping[str, Any]) -> DiaryReminder:
    """Turn the reminder on (at a time of day, in a zone) or off."""
    if not can_remind(request, assessment):
        raise Refused(_("Sign in to get reminders by e-mail."))
    enabled = str(data.get("enabled", "")).lower() in {"on", "yes", "true", "1"}
    errors: dict[str, list[str]] = {}
    at = DEFAULT_TIME
    raw_time = str(data.get("time") or "").strip()
    if enabled or raw_time:
        try:
            at = parse_time(raw_time)
        except (InputRefused, ValueError):
            errors["time"] = [_("Enter the time as hours and minutes, for example 19:30.")]
    zone = str(data.get("time_zone") or "").strip() or page_zone(request)[0]
    try:
        validate_zone(zone)
    except UnknownTimeZone:
        errors["time_zone"] = [_("Choose a time zone from the list.")]
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        item, _created = DiaryReminder.objects.select_for_update().get_or_create(
            assessment=assessment, defaults={"local_time": at, "time_zone": zone}
        )
        item.enabled, item.local_time, item.time_zone = enabled, at, zone
        item.stopped_on = None
        item.unanswered_since = None
        item.updated_at = timezone.now()
        item.save()
        schedule(item)
    return item


def schedule(item: DiaryReminder, *, now: datetime | None = None) -> None:
    """Queue the next reminder (after the transaction commits); none when it is off."""
    if not item.enabled or item.stopped_on is not None:
        DiaryReminder.objects.filter(pk=item.pk).update(next_due_at=None)
        item.next_due_at = None
        return
    due = next_time(item.local_time, item.time_zone, now or timezone.now())
    DiaryReminder.objects.filter(pk=item.pk).update(next_due_at=due)
    item.next_due_at = due
    assessment_id = str(item.pk)
    transaction.on_commit(
        lambda: send_diary_reminder.using(run_after=due).enqueue(assessment_id, due.isoformat())
    )


def after_log(assessment: Any) -> None:
    """A log answers the reminders: clear the quiet count; start stopped ones again."""
    item = reminder_of(assessment)
    if item is None:
        return
    restart = item.stopped_on is not None
    DiaryReminder.objects.filter(pk=item.pk).update(unanswered_since=None, stopped_on=None)
    if restart and item.enabled:
        item.stopped_on = None
        schedule(item)


# --- Sending (the task's work) -------------------------------------------------------------------


def _logged_on(assessment: Any, day: date) -> bool:
    return (
        DiaryEntry.objects.filter(assessment=assessment, entry_date=day).exists()
        or MeasureRecord.objects.filter(assessment=assessment, taken_on=day).exists()
    )


def run(assessment_id: str, due_iso: str) -> str:
    """Decide and send today's reminder, then queue the next. Returns what happened."""
    from rehabit.outcomes.progress import summary_for

    with transaction.atomic():
        item = (
            DiaryReminder.objects.select_for_update(of=("self",))
            .select_related("assessment__owner")
            .filter(pk=assessment_id)
            .first()
        )
        if item is None or item.next_due_at is None or item.next_due_at.isoformat() != due_iso:
            return "superseded"
        owner = item.assessment.owner
        if owner is None or not owner.is_active or not owner.email:
            item.enabled = False
            item.save(update_fields=["enabled"])
            return "no recipient"
        with timezone.override(ZoneInfo(item.time_zone)):
            today = timezone.localdate()
            summary = summary_for(item.assessment, today=today)
            decision = decide(
                today=today,
                enabled=item.enabled,
                logged_today=_logged_on(item.assessment, today),
                last_sent=item.last_sent_on,
                unanswered_since=item.unanswered_since,
                due=summary.due,
            )
            if decision.reason == "no_response":
                item.stopped_on = today
                item.save(update_fields=["stopped_on"])
                schedule(item)
                return "stopped"
            message_id = None
            if decision.send:
                message_id = _post(item, today, summary.due).pk
                item.last_sent_on = today
                item.unanswered_since = item.unanswered_since or today
                item.save(update_fields=["last_sent_on", "unanswered_since"])
            schedule(item, now=max(timezone.now(), item.next_due_at) + timedelta(seconds=1))
    if message_id is None:
        return decision.reason
    from rehabit.mail import outbox

    return outbox.deliver(message_id, "diary-reminder")


@task()
def send_diary_reminder(assessment_id: str, due: str) -> str:
    """Today's gentle reminder to log, if one is due (``run``); run by ``rehabit worker``
    at its time. Defined with the work it does, which queues the next one (``schedule``).
    """
    return run(assessment_id, due)


def _post(item: DiaryReminder, today: date, due: tuple[str, ...]) -> Any:
    from rehabit.booking.people import display_name, language_of
    from rehabit.core.links import absolute_url
    from rehabit.mail import outbox
    from rehabit.mail.letter import new_letter
    from rehabit.mail.words import name as their_name

    owner = item.assessment.owner
    key = f"diary-reminder.{item.pk}.{today.isoformat()}"
    found = outbox.find(key)
    if found is not None:
        return found
    with translation.override(language_of(owner)):
        # The subject shows on a locked phone and in a shared inbox: it names no body part
        # and no condition (security review 2, finding 6), as no other subject does.
        weekly = "psfs" in due or "bridge" in due
        # A child's check (a parent answers): the letter speaks of the child's pain.
        child = is_child(item.assessment.answers.get("age"))
        subject = _("Your weekly check-in") if weekly else _("Your daily check-in")
        letter = new_letter(subject, their_name(display_name(owner)))
        letter.add(_nudge_text(weekly=weekly, child=child))
        url = absolute_url(reverse("outcomes:diary", args=[item.pk]))
        letter.link(_("Open your child's pain diary") if child else _("Open your pain diary"), url)
        # The time on the reader's clock ("19:30", or "7:30 PM" in American English), with
        # its zone named as people read it.
        letter.add(
            _(
                "This reminder comes at most once a day, at %(time)s (%(zone)s), and stops by "
                "itself after a quiet week. You can change the time or turn it off on the "
                "diary page."
            )
            % {"time": format_clock(item.local_time), "zone": readable_zone(item.time_zone)}
        )
        letter.add(_("Rehabit"))
        message = letter.email(owner.email, key)
    return outbox.post(message, key=key, kind="diary_reminder", recipient=owner, about=owner)


def _nudge_text(*, weekly: bool, child: bool) -> str:
    """What the reminder asks for: the week's check or today's pain, of the reader's own
    body or, for a child's check, of their child's."""
    if weekly and child:
        return _(
            "It is time for your child's weekly check: their pain, and how their activities "
            "are going. It takes a few minutes."
        )
    if weekly:
        return _(
            "It is time for your weekly check: your pain, and how your activities "
            "are going. It takes a few minutes."
        )
    if child:
        return _(
            "If you have a minute, note how your child's pain is today. Every entry helps you, "
            "your child and their physiotherapist see the trend, and a missed day does not "
            "matter."
        )
    return _(
        "If you have a minute, note how your pain is today. Every entry helps you "
        "and your physiotherapist see the trend, and a missed day does not matter."
    )
