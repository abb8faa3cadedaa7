"""A bare Django project in one module: the yardstick for ``bench/http_bench.py``.

One view returning a small JSON document (``JsonResponse``) behind Django's stock
middleware (what ``startproject`` generates: Security, Session, Common, CSRF, Auth,
Messages, XFrame), no database query. This is the "bare Django view returning JSON" of
issue 10 and engineering.md §3.2 (about 4,300 requests/s with gunicorn, 2 sync workers).

Served by ``bench/http_bench.py`` exactly like ``rehabit serve``: gunicorn, sync workers, the
access log on (to /dev/null). Run by hand with::

    .venv/bin/gunicorn --chdir bench -w 2 -k sync -b 127.0.0.1:8001 bare_app:application
"""

from __future__ import annotations

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, JsonResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-only-" + "x" * 50,
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "django.contrib.messages",
    ],
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    USE_TZ=True,
)
django.setup()


def hello(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok", "service": "bare django"})


urlpatterns = [path("json", hello)]

application = get_wsgi_application()
