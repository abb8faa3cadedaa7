from django.urls import path

from rehabit.education import treatment_views, views

app_name = "education"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("<slug:condition_id>/", views.condition, name="condition"),
    path("<slug:condition_id>/treatments/", treatment_views.cause, name="treatments"),
]
