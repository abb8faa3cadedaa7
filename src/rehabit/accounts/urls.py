"""Account pages (next to allauth's under /account/), legal notices and staff pages."""

from django.urls import path

from rehabit.accounts import earlier_views, invitation_views, staff_views, views

app_name = "accounts"

urlpatterns = [
    path("account/", views.home, name="home"),
    path("account/profile/", views.profile, name="profile"),
    path("account/consent/", views.consent, name="consent"),
    path("account/access-log/", views.access_log, name="access_log"),
    path("account/data/", views.data, name="data"),
    path("account/data/export/", views.export, name="export"),
    path("account/data/delete/", views.delete, name="delete"),
    path("account/is-this-yours/", earlier_views.earlier_work, name="earlier"),
    path("legal/terms/", views.terms, name="terms"),
    path("legal/privacy/", views.privacy, name="privacy"),
    path("staff/patients/<int:patient_id>/", staff_views.patient_record, name="patient_record"),
    path("staff/invitations/", invitation_views.manage, name="invitations"),
    path("invitation/", invitation_views.accept, name="invitation_accept"),
    path("invitation/<str:token>/", invitation_views.open_link, name="invitation"),
]
