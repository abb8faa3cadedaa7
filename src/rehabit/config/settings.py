"""Django settings for Rehabit, read from the environment.

``REHABIT_ENV`` picks the profile: ``development`` (the default, what ``rehabit serve``
runs on a laptop), ``production`` (secure defaults, refuses to start without an explicit
secret key and allowed hosts) or ``test`` (used by the test suite).
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _
from platformdirs import user_data_dir

from rehabit.config.env import (
    MissingSetting,
    env_bool,
    env_int,
    env_list,
    env_required,
    env_str,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent

# Under pytest the default profile is "test", so a bare `pytest` never touches real data.
ENV = env_str("REHABIT_ENV", "test" if "pytest" in sys.modules else "development")
if ENV not in {"development", "production", "test"}:
    raise MissingSetting(
        f"REHABIT_ENV must be development, production or test, not {ENV!r}."
    )
PRODUCTION = ENV == "production"
TESTING = ENV == "test"

DATA_DIR = Path(env_str("REHABIT_DATA_DIR", "") or user_data_dir("rehabit", appauthor=False))


def _development_secret_key() -> str:
    """A random key kept in the data folder, so sessions survive a restart."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


if PRODUCTION:
    SECRET_KEY = env_required(
        "REHABIT_SECRET_KEY", "production needs a long random secret key of its own."
    )
    ALLOWED_HOSTS = env_list("REHABIT_ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise MissingSetting(
            "REHABIT_ALLOWED_HOSTS must be set: production needs the host names it serves, "
            "separated by commas."
        )
elif TESTING:
    SECRET_KEY = env_str("REHABIT_SECRET_KEY", "test-only-" + "x" * 50)
    ALLOWED_HOSTS = env_list("REHABIT_ALLOWED_HOSTS", ["*"])
else:
    SECRET_KEY = env_str("REHABIT_SECRET_KEY", "") or _development_secret_key()
    ALLOWED_HOSTS = env_list("REHABIT_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

DEBUG = env_bool("REHABIT_DEBUG", False) and not PRODUCTION
SITE_URL = env_str("REHABIT_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("REHABIT_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "rehabit.core",
    "rehabit.education",
    "rehabit.assessments",
    "rehabit.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "rehabit.core.middleware.PrivateHealthDataMiddleware",
]

ROOT_URLCONF = "rehabit.config.urls"
WSGI_APPLICATION = "rehabit.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "rehabit.core.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# SQLite in the data folder by default (zero set-up); PostgreSQL via DATABASE_URL.
_default_sqlite = f"sqlite:///{DATA_DIR / 'rehabit.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "") or _default_sqlite,
        conn_max_age=env_int("REHABIT_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE transactions: writers queue instead of failing with
    # "database is locked" (engineering.md section 2.2); busy_timeout in ms.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
        ),
    }
    if TESTING:
        DATABASES["default"]["TEST"] = {"NAME": env_str("REHABIT_TEST_SQLITE_NAME", "")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "rehabit_cache",
    }
}
if TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Passwords ------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time ----------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("REHABIT_STATIC_ROOT", "") or DATA_DIR / "static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = TESTING

# --- Security -------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("REHABIT_SESSION_AGE_SECONDS", 60 * 60 * 12)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("REHABIT_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("REHABIT_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("REHABIT_HSTS_PRELOAD", False)
    if env_bool("REHABIT_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Content Security Policy (django-csp 4): no inline script anywhere; scripts carry no
# nonce because every script is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# --- E-mail ---------------------------------------------------------------------------
EMAIL_HOST = env_str("REHABIT_EMAIL_HOST", "")
EMAIL_PORT = env_int("REHABIT_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("REHABIT_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("REHABIT_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("REHABIT_EMAIL_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("REHABIT_FROM_EMAIL", "Rehabit <no-reply@rehabit.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
if PRODUCTION and not EMAIL_HOST:
    raise MissingSetting(
        "REHABIT_EMAIL_HOST must be set: production sends confirmations and reminders."
    )

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("REHABIT_LOG_LEVEL", "INFO")},
    "loggers": {"django.security.DisallowedHost": {"level": "ERROR"}},
}

# --- Rehabit --------------------------------------------------------------------------
REHABIT_EMERGENCY_NUMBER = env_str("REHABIT_EMERGENCY_NUMBER", "112")
# Functions that seed demo content into an empty database (`rehabit manage seed_demo`).
REHABIT_DEMO_SEEDERS: list[str] = []
