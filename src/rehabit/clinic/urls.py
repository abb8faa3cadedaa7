from django.urls import path

from rehabit.clinic.views import alerts, attendance, messages, program, settings

app_name = "clinic"

urlpatterns = [
    path("messages/", messages.threads, name="threads"),
    path("messages/<uuid:thread_id>/", messages.thread, name="thread"),
    path("alerts/", alerts.alerts, name="alerts"),
    path("alerts/<uuid:alert_id>/acknowledge/", alerts.acknowledge, name="acknowledge_alert"),
    path("patients/<int:patient_id>/program/", program.prescription, name="prescription"),
    path(
        "appointments/<uuid:appointment_id>/attendance/",
        attendance.attendance,
        name="attendance",
    ),
    path("settings/", settings.messaging_settings, name="settings"),
]
