"""Account pages (next to allauth's under /account/), legal notices and staff pages."""

from django.urls import path

from rehabit.accounts import staff_views, views

app_name = "accounts"

urlpatterns = [
    path("account/", views.home, name="home"),
    path("account/profile/", views.profile, name="profile"),
    path("account/consent/", views.consent, name="consent"),
    path("account/access-log/", views.access_log, name="access_log"),
    path("account/data/", views.data, name="data"),
    path("account/data/export/", views.export, name="export"),
    path("account/data/delete/", views.delete, name="delete"),
    path("legal/terms/", views.terms, name="terms"),
    path("legal/privacy/", views.privacy, name="privacy"),
    path("staff/patients/<int:patient_id>/", staff_views.patient_record, name="patient_record"),
]
