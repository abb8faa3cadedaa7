from django.urls import path

from rehabit.assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.start, name="start"),
    path("step/<slug:section_id>/", views.step, name="step"),
    path("result/<uuid:assessment_id>/", views.result, name="result"),
    path("result/<uuid:assessment_id>/print/", views.result_print, name="print"),
]
