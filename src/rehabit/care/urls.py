from django.urls import path

from rehabit.care import prevention_views, staff_views, views

app_name = "care"

urlpatterns = [
    path("exercises/", views.library, name="library"),
    path("exercises/<slug:exercise_id>/", views.exercise, name="exercise"),
    path("care/<uuid:assessment_id>/plan/", views.plan, name="plan"),
    path("care/<uuid:assessment_id>/program/", views.program, name="program"),
    path("care/<uuid:assessment_id>/session/", views.player, name="player"),
    path("staff/exercises/", staff_views.manage_exercises, name="manage_exercises"),
    path("prevention/", prevention_views.prevention, name="prevention"),
    path(
        "prevention/<slug:routine_id>/",
        prevention_views.prevention_session,
        name="prevention_session",
    ),
]
