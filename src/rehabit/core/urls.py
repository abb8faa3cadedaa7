from django.urls import path

from rehabit.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("contact/", views.contact, name="contact"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("emergency-numbers.js", views.emergency_numbers, name="emergency_numbers"),
    path("healthz", views.health, name="health"),
]
