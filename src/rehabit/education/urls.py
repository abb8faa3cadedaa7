from django.urls import path

from rehabit.education import views

app_name = "education"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("<slug:condition_id>/", views.condition, name="condition"),
]
