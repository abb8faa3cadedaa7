from django.urls import path

from rehabit.assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.start, name="start"),
    path("step/<slug:page_id>/", views.step, name="step"),
    path("stop/", views.stop, name="stop"),
    path("result/<uuid:assessment_id>/", views.result, name="result"),
    path("result/<uuid:assessment_id>/print/", views.result_print, name="print"),
]
