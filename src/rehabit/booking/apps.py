from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    name = "rehabit.booking"
    label = "booking"
    verbose_name = _("Booking online sessions")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from rehabit.accounts.access import register_appointment_relation
        from rehabit.accounts.preferences import register_zone_source
        from rehabit.booking.access import BookingAppointmentRelation
        from rehabit.booking.deactivation import unlist_if_deactivated
        from rehabit.booking.people import therapist_zone
        from rehabit.booking.reminders import reminder_lag
        from rehabit.ops.readings import register_reading

        register_appointment_relation(BookingAppointmentRelation())
        register_reading(
            "rehabit_reminder_lag_seconds",
            "Seconds since the oldest due reminder that is not sent yet came due.",
            reminder_lag,
        )
        register_zone_source(therapist_zone)
        post_save.connect(
            unlist_if_deactivated, sender=get_user_model(), dispatch_uid="booking.unlist"
        )
