"""Booking API: therapists, their free slots, and the signed-in person's appointments.

The same slot engine and booking actions as the pages (``rehabit.booking``). Times go out
in ISO 8601 with the viewer's UTC offset; times coming in must carry an offset. Field
errors are 422 in the shape of ``ValidationErrorOut``; "that time was just taken" and
other state conflicts are 409 with the nearest free alternatives.

By subject: therapists and their free slots (``therapists``), booking a session and the
list of one's upcoming appointments (``book``), reading, moving and cancelling one
appointment (``changes``), with the appointment's shape and the refusals in
``appointments`` and the sign-in and zone checks in ``common``. Every operation names the
id it had when this was one module (``rehabit_api_booking_<function>``), so the OpenAPI
document, and any client generated from it, stays the same.
"""

from __future__ import annotations

from ninja import Router

from rehabit.api.booking import book, changes, therapists

router = Router()
router.add_router("", therapists.router)
router.add_router("", book.router)
router.add_router("", changes.router)
