from django.contrib import admin
from django.urls import include, path

from rehabit.api.urls import api

urlpatterns = [
    path("", include("rehabit.core.urls")),
    path("conditions/", include("rehabit.education.urls")),
    path("assessment/", include("rehabit.assessments.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
