from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from rehabit.accounts.admin_site import reading_and_sending_only, staff_with_mfa
from rehabit.api.urls import api

# The admin signs people in through allauth (so its MFA applies) and lets in only staff
# whose session passed two-factor authentication.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.has_permission = staff_with_mfa  # type: ignore[method-assign]
reading_and_sending_only(admin.site)

urlpatterns = [
    # The API first: its prefix is one match for every other page, and the hot public
    # paths (the questionnaire, the conditions) no longer try every page pattern first.
    path("api/v1/", api.urls),
    path("", include("rehabit.core.urls")),
    path("conditions/", include("rehabit.education.urls")),
    path("treatments/", include("rehabit.education.treatment_urls")),
    path("assessment/", include("rehabit.assessments.urls")),
    path("booking/", include("rehabit.booking.urls")),
    path("therapist/", include("rehabit.booking.workspace_urls")),
    path("therapist/patients/", include("rehabit.charts.urls")),
    path("", include("rehabit.care.urls")),
    path("", include("rehabit.outcomes.urls")),
    path("clinic/", include("rehabit.clinic.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("rehabit.accounts.urls")),
    path("account/", include("allauth.urls")),
    path(settings.REHABIT_ADMIN_PATH, admin.site.urls),
]

# 400, 403 and 404 are Django's own handlers with our templates (core/templates/4xx.html,
# one styled page: core/error.html); 500 renders without the request's context, so it
# needs no session or database.
handler500 = "rehabit.core.views.server_error"
