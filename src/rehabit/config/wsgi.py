"""WSGI entry point (gunicorn: ``rehabit.config.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehabit.config.settings")

application = get_wsgi_application()
