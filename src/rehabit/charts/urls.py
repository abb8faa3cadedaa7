"""The therapist's patients and clinical notes, under /therapist/patients/ (namespace
``charts``)."""

from django.urls import path

from rehabit.charts import patient_views as patients
from rehabit.charts import views

app_name = "charts"

urlpatterns = [
    path("", patients.patient_list, name="patients"),
    path("<int:patient_id>/", patients.patient_chart, name="chart"),
    path("<int:patient_id>/notes/new/", views.note_new, name="note_new"),
    path("<int:patient_id>/notes/<uuid:note_id>/", views.note_page, name="note"),
    path("<int:patient_id>/notes/<uuid:note_id>/print/", views.note_print, name="note_print"),
    path("<int:patient_id>/notes/<uuid:note_id>/note.pdf", views.note_pdf, name="note_pdf"),
]
