"""The therapist's workspace and the patient's side of it: prescriptions, messages, alerts,
attendance and what needs the therapist's attention.

The same services as the pages (``rehabit.clinic``). Every endpoint needs the site's
session sign-in (writes carry the CSRF token, ``X-CSRFToken``); anonymous callers get 403.
A prescription is read and changed only by a therapist who may see the patient's record
(an appointment relationship and the patient's share with them); messages need the
relationship only; a patient reads their own. Instants are ISO 8601 in UTC.
"""

from __future__ import annotations

from ninja import Router

from rehabit.api.clinic import alerts, messages, prescriptions

router = Router()
router.add_router("", prescriptions.router)
router.add_router("", messages.router)
router.add_router("", alerts.router)
