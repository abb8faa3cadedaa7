"""The booking app's answer to the accounts app's question "are these two related?"."""

from __future__ import annotations

from datetime import datetime
from typing import Any


class BookingAppointmentRelation:
    """``rehabit.accounts.access.AppointmentRelation``, backed by appointments."""

    def has_appointment_since(self, therapist: Any, patient: Any, since: datetime) -> bool:
        from rehabit.booking.models import Appointment

        return (
            Appointment.objects.active()
            .filter(therapist__user=therapist, patient=patient, end__gte=since)
            .exists()
        )

    def therapists_of(self, patient: Any) -> list[Any]:
        from django.contrib.auth import get_user_model

        from rehabit.booking.models import Appointment

        ids = Appointment.objects.filter(patient=patient, therapist__user__isnull=False).values(
            "therapist__user"
        )
        return list(get_user_model().objects.filter(pk__in=ids))
