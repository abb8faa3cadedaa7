"""How fast anyone may ask for the PDF report, start self-checks, send messages and write
to the diary, the measures and the exercise log (security review 2, findings 3 and 4).

Each function counts one action, in the database (``rehabit.core.throttle``: every process
and node sees the same count), and raises ``throttle.RateLimited`` (the sentence, the
seconds to wait) when a limit is reached; a refused action is counted nowhere and its
caller stores nothing. The limits are settings (``REHABIT_REPORTS_PER_USER`` ...), all in
``REHABIT_RATE_LIMIT_WINDOW_SECONDS``; why each is what it is: the settings module.

Callers count once per request, after their own input checks where they can: an
assessment is counted after its answers are found valid (``record_assessment``'s
``admit``), a message after its text and its retry token are checked (``messaging.send``).
Pages answer a refusal with 429 and the page again, what was typed kept
(``rehabit.core.views.too_many_requests`` where there is no form); the API with 429,
``{"detail", "retry_after"}`` and ``Retry-After`` (``rehabit.api.schemas.too_many``).
Booking's own limits are ``rehabit.booking.limits``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from rehabit.core import throttle
from rehabit.core.throttle import RateLimited

__all__ = ["RateLimited", "count_assessment", "count_care_write", "count_message", "count_report"]

REPORT_REFUSAL = gettext_lazy(
    "Many reports have been made here in a short time, so making them is paused for a "
    "moment. Please try again in %(wait)s."
)
ASSESSMENT_REFUSAL = gettext_lazy(
    "Many checks have been sent from here in a short time, so new ones are paused for a "
    "moment. Please try again in %(wait)s. Nothing was stored."
)
MESSAGE_REFUSAL = gettext_lazy(
    "You have sent many messages in this conversation in a short time, so sending is "
    "paused for a moment. Please try again in %(wait)s. This message was not sent."
)
CARE_WRITE_REFUSAL = gettext_lazy(
    "That is many entries in a short time, so saving is paused for a moment. Please try "
    "again in %(wait)s. Nothing was saved."
)


def _window() -> int:
    return int(settings.REHABIT_RATE_LIMIT_WINDOW_SECONDS)


def _count_request(request: HttpRequest, scope: str, refusal: Any) -> None:
    """One action of ``scope`` by this person and from this network, against the settings
    ``REHABIT_<SCOPE>S_PER_USER`` and ``REHABIT_<SCOPE>S_PER_NETWORK``."""
    name = scope.upper()
    limits = throttle.request_limits(
        request,
        scope,
        per_user=getattr(settings, f"REHABIT_{name}S_PER_USER"),
        per_network=getattr(settings, f"REHABIT_{name}S_PER_NETWORK"),
    )
    throttle.count(limits, window=_window(), refusal=refusal)


def count_report(request: HttpRequest) -> None:
    """One PDF report (about a second of CPU): per person and per client network."""
    _count_request(request, "report", REPORT_REFUSAL)


def count_assessment(request: HttpRequest) -> None:
    """One new assessment: per signed-in person and per client network."""
    _count_request(request, "assessment", ASSESSMENT_REFUSAL)


def count_message(sender: Any, thread: Any) -> None:
    """One message from ``sender`` in the conversation ``thread`` (see the settings for why
    per conversation)."""
    subject = f"{sender.pk}:{thread.pk}"
    limits = [("message.conversation", subject, int(settings.REHABIT_MESSAGES_PER_CONVERSATION))]
    throttle.count(limits, window=_window(), refusal=MESSAGE_REFUSAL)


def count_care_write(request: HttpRequest, assessment: Any) -> None:
    """One diary day, measure, logged session or check-in: per signed-in person, or per
    assessment nobody owns (written by whoever holds its link)."""
    user = request.user
    subject = f"user:{user.pk}" if user.is_authenticated else f"assessment:{assessment.pk}"
    limits = [("care.write", subject, int(settings.REHABIT_CARE_WRITES_PER_PERSON))]
    throttle.count(limits, window=_window(), refusal=CARE_WRITE_REFUSAL)
