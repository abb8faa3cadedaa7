from django.urls import path

from rehabit.booking.views import (
    appointments,
    availability,
    calendar,
    search,
    therapist_sessions,
    waitlist,
)

app_name = "booking"

urlpatterns = [
    path("", search.search, name="search"),
    path("therapists/<int:therapist_id>/", search.therapist, name="therapist"),
    path("therapists/<int:therapist_id>/book/", appointments.book, name="book"),
    path(
        "therapists/<int:therapist_id>/availability/",
        availability.edit,
        name="therapist_availability",
    ),
    path(
        "therapists/<int:therapist_id>/sessions/",
        therapist_sessions.therapist_sessions,
        name="therapist_sessions",
    ),
    path("availability/", availability.edit, name="availability"),
    path("appointments/", appointments.appointments, name="appointments"),
    path("appointments/<uuid:appointment_id>/", appointments.appointment, name="appointment"),
    path(
        "appointments/<uuid:appointment_id>/reschedule/",
        appointments.reschedule,
        name="reschedule",
    ),
    path("appointments/<uuid:appointment_id>/cancel/", appointments.cancel, name="cancel"),
    path("appointments/<uuid:appointment_id>/join/", appointments.join, name="join"),
    path(
        "appointments/<uuid:appointment_id>/session.ics",
        calendar.appointment_file,
        name="calendar_file",
    ),
    path("waitlist/", waitlist.waitlist_page, name="waitlist"),
    path("waitlist/<int:entry_id>/leave/", waitlist.leave_waitlist, name="leave_waitlist"),
    path("offers/<str:token>/", waitlist.offer, name="offer"),
    path("calendar/", calendar.settings_page, name="feed_settings"),
    path("calendar/<str:token>.ics", calendar.feed, name="feed"),
]
