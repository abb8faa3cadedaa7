"""The clinic's e-mails: each says only that something is waiting, never what.

A new message, a changed exercise program, an alert for the therapist: the e-mail names
no health detail, no message text and nobody else, and links to the page (sign-in
needed) where the person reads it. Written into the outbox (``rehabit.mail.outbox``) in
the caller's transaction, so it is sent (and retried) only if the change commits.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from rehabit.booking.people import display_name, language_of
from rehabit.core.links import absolute_url
from rehabit.mail import outbox
from rehabit.mail.letter import new_letter
from rehabit.mail.models import OutgoingMessage
from rehabit.mail.words import name as their_name


def _post(recipient: Any, key: str, kind: str, about: Any, build: Any) -> OutgoingMessage | None:
    if recipient is None or not recipient.is_active or not recipient.email:
        return None
    found = outbox.find(key)
    if found is not None:
        return found
    with translation.override(language_of(recipient)):
        letter = build(new_letter, their_name(display_name(recipient)))
        message = letter.email(recipient.email, key)
    return outbox.post(message, key=key, kind=kind, recipient=recipient, about=about)


def post_message_waiting(recipient: Any, thread: Any, message: Any) -> OutgoingMessage | None:
    """ "You have a new message": to the other side of ``thread``."""

    def build(new: Any, greeting: str) -> Any:
        letter = new(_("A new message is waiting for you"), greeting)
        letter.add(
            _("You have a new message on Rehabit."),
            _("For your privacy we never put messages in e-mails. Sign in to read it."),
        )
        letter.link(_("Read it here:"), absolute_url(reverse("clinic:thread", args=[thread.pk])))
        letter.add(_("Messages are not for emergencies."), _("Rehabit"))
        return letter

    key = f"clinic.message.{message.pk}.{recipient.pk}"
    return _post(recipient, key, "message", thread.patient, build)


def post_program_changed(patient: Any, assessment: Any, change_key: str) -> OutgoingMessage | None:
    """ "Your exercise program has changed": to the patient."""

    def build(new: Any, greeting: str) -> Any:
        letter = new(_("Your exercise program has changed"), greeting)
        letter.add(
            _("Your physiotherapist has changed your home exercise program."),
            _("Sign in to see the change and their reason before your next session."),
        )
        letter.link(
            _("See your program:"), absolute_url(reverse("care:program", args=[assessment.pk]))
        )
        letter.add(_("Rehabit"))
        return letter

    return _post(patient, f"clinic.program.{change_key}", "program", patient, build)


def post_exercise_paused(therapist_user: Any, alert: Any) -> OutgoingMessage | None:
    """ "An exercise you prescribed is out of use": to the therapist, naming nobody."""

    def build(new: Any, greeting: str) -> Any:
        letter = new(_("An exercise you prescribed is out of use"), greeting)
        letter.add(
            _(
                "The clinic has taken an exercise out of use that you prescribed to one of "
                "your patients. Their prescription of it is paused until it is back in use."
            ),
            _("The details are on Rehabit only. Sign in to see them."),
        )
        letter.link(_("See your alerts:"), absolute_url(reverse("clinic:alerts")))
        letter.add(_("Rehabit"))
        return letter

    return _post(therapist_user, f"clinic.alert.{alert.pk}", "alert", alert.patient, build)


def post_alert(therapist_user: Any, alert: Any) -> OutgoingMessage | None:
    """ "A patient's check-in needs your attention": to the therapist, naming nobody."""

    def build(new: Any, greeting: str) -> Any:
        letter = new(_("A patient's check-in needs your attention"), greeting)
        letter.add(
            _("One of your patients reported something in a check-in that you should see."),
            _("The details are on Rehabit only. Sign in to see them."),
        )
        letter.link(_("See your alerts:"), absolute_url(reverse("clinic:alerts")))
        letter.add(_("Rehabit"))
        return letter

    return _post(therapist_user, f"clinic.alert.{alert.pk}", "alert", alert.patient, build)
