"""The patient's summary on an appointment's page, for the appointment's therapist.

What it holds (the latest assessment, its intake summary, the exercise log), and whether
the therapist may see it (the patient's consent, two-factor authentication, the audit
entry), belong to the charts app, which hands its function over at start-up
(``register_patient_summary``): booking imports nothing of charts. Without it the page
shows no summary.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

_summary: list[Callable[[HttpRequest, Any], Any]] = []


def register_patient_summary(summary: Callable[[HttpRequest, Any], Any]) -> None:
    """``summary(request, appointment)``: what this request may see of the patient, or
    None (for anyone but the appointment's therapist)."""
    _summary[:] = [summary]


def patient_summary(request: HttpRequest, appointment: Any) -> Any:
    return _summary[0](request, appointment) if _summary else None
