from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    name = "rehabit.booking"
    label = "booking"
    verbose_name = _("Booking online sessions")

    def ready(self) -> None:
        from allauth.account import signals as account_signals
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from rehabit.accounts.access import register_appointment_relation
        from rehabit.accounts.data_rights import Part, register_part
        from rehabit.accounts.erasure import account_erasure_begun, personal_data_erasing
        from rehabit.accounts.preferences import register_zone_source
        from rehabit.accounts.roles import role_changed
        from rehabit.accounts.staff_actions import register_deactivation_note
        from rehabit.accounts.zones import register_person_zone
        from rehabit.booking.access import BookingAppointmentRelation
        from rehabit.booking.deactivation import (
            booked_sessions_note,
            unlist_if_deactivated,
            unlist_if_no_longer_therapist,
        )
        from rehabit.booking.erasure import on_erasure_begun, on_personal_data_erasing
        from rehabit.booking.feeds import revoke_after_account_change, revoke_if_deactivated
        from rehabit.booking.people import therapist_zone, zone_of
        from rehabit.booking.personal_data import export_appointments, import_appointments
        from rehabit.booking.reminders import reminder_lag
        from rehabit.ops.readings import register_reading

        register_appointment_relation(BookingAppointmentRelation())
        register_reading(
            "rehabit_reminder_lag_seconds",
            "Seconds since the oldest due reminder that is not sent yet came due.",
            reminder_lag,
        )
        register_zone_source(therapist_zone)
        register_person_zone(zone_of)
        register_deactivation_note(booked_sessions_note)
        account_erasure_begun.connect(on_erasure_begun, dispatch_uid="booking.erasure_begun")
        personal_data_erasing.connect(
            on_personal_data_erasing, dispatch_uid="booking.forget_queued_work"
        )
        register_part(
            Part(
                "appointments",
                30,
                export_appointments,
                lambda user, section: import_appointments(user, section or []),
            )
        )
        post_save.connect(
            unlist_if_deactivated, sender=get_user_model(), dispatch_uid="booking.unlist"
        )
        role_changed.connect(unlist_if_no_longer_therapist, dispatch_uid="booking.unlist_role")
        post_save.connect(
            revoke_if_deactivated, sender=get_user_model(), dispatch_uid="booking.feed_inactive"
        )
        for name in ("password_changed", "password_set", "password_reset", "email_changed"):
            getattr(account_signals, name).connect(
                revoke_after_account_change, dispatch_uid=f"booking.feed_{name}"
            )
