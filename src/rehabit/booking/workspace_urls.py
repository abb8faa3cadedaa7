"""The therapist's workspace under /therapist/ (namespace ``workspace``). The
availability page stays at /booking/availability/ (``booking:availability``)."""

from django.urls import path

from rehabit.booking.views import onboarding, workspace

app_name = "workspace"

urlpatterns = [
    path("", workspace.home, name="home"),
    path("schedule/", workspace.schedule, name="schedule"),
    path("profile/", workspace.profile, name="profile"),
    path("welcome/", onboarding.welcome, name="welcome"),
    path("welcome/two-factor/", onboarding.two_factor, name="welcome_two_factor"),
    path("welcome/recovery-codes/", onboarding.recovery_codes, name="welcome_codes"),
    path("welcome/profile/", onboarding.profile_step, name="welcome_profile"),
    path("welcome/availability/", onboarding.availability_step, name="welcome_availability"),
]
