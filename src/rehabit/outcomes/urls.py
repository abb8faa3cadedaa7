from django.urls import path

from rehabit.outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("care/<uuid:assessment_id>/diary/", views.diary, name="diary"),
    path("care/<uuid:assessment_id>/diary.csv", views.diary_csv, name="diary_csv"),
    path("care/<uuid:assessment_id>/progress/", views.progress, name="progress"),
    path("care/<uuid:assessment_id>/progress/activities/", views.activities, name="activities"),
    path("care/<uuid:assessment_id>/progress/bridge/", views.bridge, name="bridge"),
    path("care/<uuid:assessment_id>/report.pdf", views.report_pdf, name="report"),
]
