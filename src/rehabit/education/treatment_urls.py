from django.urls import path

from rehabit.education import treatment_views

app_name = "treatments"

urlpatterns = [
    path("", treatment_views.index, name="index"),
    path("<slug:treatment_id>/", treatment_views.detail, name="detail"),
]
