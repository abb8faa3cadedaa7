from django.urls import path

from rehabit.care import views

app_name = "care"

urlpatterns = [
    path("exercises/", views.library, name="library"),
    path("exercises/<slug:exercise_id>/", views.exercise, name="exercise"),
    path("care/<uuid:assessment_id>/plan/", views.plan, name="plan"),
    path("care/<uuid:assessment_id>/program/", views.program, name="program"),
    path("care/<uuid:assessment_id>/session/", views.player, name="player"),
]
