"""Django settings for Rehabit, read from the environment.

``REHABIT_ENV`` picks the profile: ``development`` (the default, what ``rehabit serve``
runs on a laptop), ``production`` (secure defaults, refuses to start without an explicit
secret key and allowed hosts) or ``test`` (used by the test suite).
"""

from __future__ import annotations

import secrets
import sys
import tempfile
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
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
from rehabit.ops.queues import BACKENDS, backend_path

PACKAGE_DIR = Path(__file__).resolve().parent.parent

# Under pytest the default profile is "test", so a bare `pytest` never touches real data.
ENV = env_str("REHABIT_ENV", "test" if "pytest" in sys.modules else "development")
if ENV not in {"development", "production", "test"}:
    raise MissingSetting(f"REHABIT_ENV must be development, production or test, not {ENV!r}.")
PRODUCTION = ENV == "production"
TESTING = ENV == "test"

DATA_DIR = Path(
    env_str("REHABIT_DATA_DIR", "")
    or (
        Path(tempfile.gettempdir()) / "rehabit-test"
        if TESTING
        else user_data_dir("rehabit", appauthor=False)
    )
)


def _development_secret_key() -> str:
    """A random key kept in the data folder, so sessions survive a restart."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


# Django's own measure of a usable key (security.W009), enforced instead of warned about:
# production refuses to start with a key an attacker could guess or brute-force.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 5


def _checked_secret_key(key: str) -> str:
    if (
        len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_DISTINCT
        or key.startswith("django-insecure-")
    ):
        raise MissingSetting(
            f"REHABIT_SECRET_KEY is too weak: production needs at least "
            f"{SECRET_KEY_MIN_LENGTH} characters with at least {SECRET_KEY_MIN_DISTINCT} "
            f"different ones, not starting with 'django-insecure-' (this one has {len(key)} "
            f"characters, {len(set(key))} different). Generate one with: "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    return key


if PRODUCTION:
    SECRET_KEY = _checked_secret_key(
        env_required("REHABIT_SECRET_KEY", "production needs a long random secret key of its own.")
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
    "django_tasks",
    "django_tasks_db",
    "rehabit.core",
    "rehabit.education",
    "rehabit.assessments",
    "rehabit.api",
    "rehabit.booking",
    "rehabit.mail",
    "rehabit.care",
    "rehabit.outcomes",
    "rehabit.clinic",
    "rehabit.charts",
    # Before allauth, so our templates override allauth's.
    "rehabit.accounts",
    "rehabit.audit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
]

MIDDLEWARE = [
    # First: the request id, the probes (before any host or HTTPS check: load balancers
    # call them by address), /metrics and the request's latency (rehabit.ops).
    "rehabit.ops.middleware.OpsMiddleware",
    # Anonymous calls to the public API (no session cookie) take a short path from here:
    # host and security checks, input rules, language, headers (rehabit.core.lean).
    "rehabit.core.lean.PublicApiMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "rehabit.accounts.middleware.StaffSecurityMiddleware",
    "rehabit.accounts.middleware.AccountPreferencesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "rehabit.core.middleware.PrivateHealthDataMiddleware",
    # Last, so its refusals get every header above; before any view reads the query or
    # the body: no control characters anywhere (rehabit.core.inputs).
    "rehabit.core.middleware.InputMiddleware",
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
# SQLite in the data folder by default (zero set-up); PostgreSQL via DATABASE_URL, the
# production database. Connections: persistent (REHABIT_DB_CONN_MAX_AGE, checked before
# reuse) or, on PostgreSQL, psycopg's pool (REHABIT_DB_POOL); the two exclude each other.
# bench/db_pool.py measures them against new connections per request (README, "Running
# more than one node").
_default_sqlite = f"sqlite:///{DATA_DIR / 'rehabit.sqlite3'}"
DB_POOL = env_bool("REHABIT_DB_POOL", False)
if DB_POOL and env_int("REHABIT_DB_CONN_MAX_AGE", 0):
    raise MissingSetting(
        "REHABIT_DB_POOL and REHABIT_DB_CONN_MAX_AGE exclude each other: a pooled connection "
        "goes back to the pool after each request. Unset REHABIT_DB_CONN_MAX_AGE (or set 0)."
    )
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "") or _default_sqlite,
        conn_max_age=0 if DB_POOL else env_int("REHABIT_DB_CONN_MAX_AGE", 60),
        conn_health_checks=env_bool("REHABIT_DB_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DB_POOL:
        raise MissingSetting("REHABIT_DB_POOL needs PostgreSQL (DATABASE_URL=postgres://...).")
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
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    # A database that does not answer fails a request (and /readyz) in seconds.
    _pg_options.setdefault("connect_timeout", env_int("REHABIT_DB_CONNECT_TIMEOUT", 5))
    if DB_POOL:
        # One pool per process (gunicorn's sync workers serve one request at a time, so
        # min 1 / max 2 holds one connection per worker and one spare for a thread).
        _pg_options["pool"] = {
            "min_size": env_int("REHABIT_DB_POOL_MIN_SIZE", 1),
            "max_size": env_int("REHABIT_DB_POOL_MAX_SIZE", 2),
            "timeout": env_int("REHABIT_DB_POOL_TIMEOUT", 10),
        }
    if env_bool("REHABIT_DB_EXTERNAL_POOLER", False):
        # PgBouncer and the like in transaction mode: a cursor cannot outlive a transaction.
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------
# Shared by every process and node (allauth's rate limits live here): the database by
# default, Redis with REHABIT_CACHE_URL=redis://host:6379/1. Never a process's memory,
# except in tests, which run in one process.
REHABIT_CACHE_URL = env_str("REHABIT_CACHE_URL", "")
if REHABIT_CACHE_URL:
    if not REHABIT_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise MissingSetting(
            f"REHABIT_CACHE_URL must be a Redis address (redis://host:6379/1), not "
            f"{REHABIT_CACHE_URL!r}."
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REHABIT_CACHE_URL,
            "KEY_PREFIX": env_str("REHABIT_CACHE_KEY_PREFIX", "rehabit"),
            "OPTIONS": {"socket_connect_timeout": 3, "socket_timeout": 5},
        }
    }
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "rehabit_cache",
        }
    }
# Sessions live in the database (Django's default engine), so any node serves anyone.

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
    {"NAME": "rehabit.accounts.validators.PredictablePasswordValidator"},
]

# --- Language and time ----------------------------------------------------------------
# The source strings are British English: "en-gb", the default. American English ("en-us":
# chosen on the profile, or sent by the browser as Accept-Language: en-US) has a catalogue
# (locale/en_US) holding only the words that differ ("physical therapist", "urgent care
# center"), every other string falls back to the source; its formats (config/formats/en_US)
# give the 12-hour clock. Any other English (en, en-AU, en-IE...) reads British.
# Why "en-gb" and not plain "en": Python's gettext reads "en" as "en_US" (locale.normalize),
# so with an en_US catalogue a plain "en" would read American too.
LANGUAGE_CODE = "en-gb"
# Languages with a complete message catalogue. Every user-facing string, including the
# reviewed data files, is marked for translation (see `extract_content_strings`).
LANGUAGES = [("en-gb", _("British English")), ("en-us", _("American English"))]
# Django names "en-gb" but not "en-us": without this the language switcher
# (get_language_info) would name it, and give its value, as plain "en".
LANG_INFO.setdefault(
    "en-us",
    {"bidi": False, "code": "en-us", "name": "American English", "name_local": "American English"},
)
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# The project's date and time formats per language (24-hour clock and day before month in
# English, "en"; 12-hour clock and month first in American English, "en_US"), before
# Django's own.
FORMAT_MODULE_PATH = ["rehabit.config.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
# Generated exercise illustrations live in the package, outside any app.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
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
if TESTING:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # keeps WhiteNoise quiet in tests

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
    SECURE_HSTS_PRELOAD = env_bool("REHABIT_HSTS_PRELOAD", True)
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
# Every line carries the request id (X-Request-ID, rehabit.ops): JSON objects, one a line,
# in production by default; plain text elsewhere. REHABIT_ACCESS_LOG writes one line per
# request (method, path without the query, status, duration), the server's access log.
REHABIT_LOG_FORMAT = env_str("REHABIT_LOG_FORMAT", "json" if PRODUCTION else "plain").lower()
if REHABIT_LOG_FORMAT not in {"json", "plain"}:
    raise MissingSetting(f"REHABIT_LOG_FORMAT must be json or plain, not {REHABIT_LOG_FORMAT!r}.")
REHABIT_ACCESS_LOG = env_bool("REHABIT_ACCESS_LOG", not TESTING)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "rehabit.ops.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "rehabit.ops.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": REHABIT_LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("REHABIT_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.security.DisallowedHost": {"level": "ERROR"},
        # RQ's worker says hello and goodbye every round: only its warnings.
        "rq": {"level": "WARNING"},
    },
}

# --- Operations: probes and metrics (rehabit.ops) --------------------------------------
# /healthz (the process answers) and /readyz (database and queue reachable) are open;
# /metrics (Prometheus) only with `Authorization: Bearer <REHABIT_METRICS_TOKEN>` or from
# an address in REHABIT_METRICS_ALLOWED_NETWORKS (the peer address, never a forwarded
# one); with neither set it answers 404.
REHABIT_METRICS_TOKEN = env_str("REHABIT_METRICS_TOKEN", "")
REHABIT_METRICS_ALLOWED_NETWORKS = env_list("REHABIT_METRICS_ALLOWED_NETWORKS", [])
if PRODUCTION and REHABIT_METRICS_TOKEN and len(REHABIT_METRICS_TOKEN) < 32:
    raise MissingSetting("REHABIT_METRICS_TOKEN must be at least 32 characters long.")

# --- Accounts (django-allauth: account + mfa) ------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "core:home"
ACCOUNT_ADAPTER = "rehabit.accounts.adapter.AccountAdapter"
# allauth's forms with our wording (rehabit.accounts.allauth_forms); sign-up adds consent.
_OUR_FORMS = "rehabit.accounts.allauth_forms."
ACCOUNT_FORMS = {
    "signup": "rehabit.accounts.forms.SignupForm",
    "login": _OUR_FORMS + "LoginForm",
    "reset_password": _OUR_FORMS + "ResetPasswordForm",
    "reset_password_from_key": _OUR_FORMS + "ResetPasswordKeyForm",
    "change_password": _OUR_FORMS + "ChangePasswordForm",
    "set_password": _OUR_FORMS + "SetPasswordForm",
    "add_email": _OUR_FORMS + "AddEmailForm",
    "change_email": _OUR_FORMS + "ChangeEmailForm",
    "reauthenticate": _OUR_FORMS + "ReauthenticateForm",
}
MFA_FORMS = {
    "authenticate": _OUR_FORMS + "AuthenticateForm",
    "reauthenticate": _OUR_FORMS + "MFAReauthenticateForm",
    "activate_totp": _OUR_FORMS + "ActivateTOTPForm",
    "deactivate_totp": _OUR_FORMS + "DeactivateTOTPForm",
    "generate_recovery_codes": _OUR_FORMS + "GenerateRecoveryCodesForm",
}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_USER_DISPLAY = "rehabit.accounts.preferences.display_name"
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True  # one address; a new one replaces it once verified
# Changing the address (and so where password resets go) asks for the password again when
# the person has not given it in the last five minutes: a session left open on a shared
# computer must not be enough to take the account (security review 2, finding 2).
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_NOTIFICATIONS = True  # tell people about password and e-mail changes
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # a link in an e-mail must not change state by itself
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Rehabit: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# Cache-based throttles (the cache is in the database outside tests, so they hold across
# processes). No per-account ("key") limit on failed sign-ins: counted across all
# addresses it would let anyone lock anyone out; rehabit.accounts.lockout throttles per
# account and address in the database instead.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "20/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
    "confirm_email": "1/3m/key",
}
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("REHABIT_TRUSTED_PROXY_COUNT", 0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Rehabit"
USERSESSIONS_TRACK_ACTIVITY = False

# Sign-in throttling (rehabit.accounts.lockout): nobody can lock someone else out.
# Failures to one account from one network before each further try from there waits:
REHABIT_LOCKOUT_FAILURES = env_int("REHABIT_LOCKOUT_FAILURES", 5)
# The first wait, doubled after each further failure, and the longest wait:
REHABIT_LOCKOUT_DELAY_SECONDS = env_int("REHABIT_LOCKOUT_DELAY_SECONDS", 30)
REHABIT_LOCKOUT_SECONDS = env_int("REHABIT_LOCKOUT_SECONDS", 15 * 60)
# Failures to one account from all addresses before tries from unfamiliar ones wait too:
REHABIT_LOCKOUT_ACCOUNT_FAILURES = env_int("REHABIT_LOCKOUT_ACCOUNT_FAILURES", 100)
# Counts start again this long after the first failure:
REHABIT_LOCKOUT_WINDOW_SECONDS = env_int("REHABIT_LOCKOUT_WINDOW_SECONDS", 24 * 60 * 60)
# An address the account completed a sign-in from within this many days is never slowed
# by the account-wide count:
REHABIT_LOCKOUT_USUAL_ADDRESS_DAYS = env_int("REHABIT_LOCKOUT_USUAL_ADDRESS_DAYS", 90)
# Staff are signed out after this long without a request (ASVS V7: 15-30 min for health data).
REHABIT_STAFF_IDLE_TIMEOUT_SECONDS = env_int("REHABIT_STAFF_IDLE_TIMEOUT_SECONDS", 30 * 60)
# A therapist may read a consenting patient's record until this many days after their
# last appointment together.
REHABIT_THERAPIST_ACCESS_DAYS = env_int("REHABIT_THERAPIST_ACCESS_DAYS", 30)
# A therapist invitation link works once, for this many days (at most 30).
REHABIT_INVITATION_DAYS = env_int("REHABIT_INVITATION_DAYS", 7)
REHABIT_MINIMUM_AGE = env_int("REHABIT_MINIMUM_AGE", 18)
# How long the audit log is kept (6 years: HIPAA 45 CFR 164.316; DPDP asks at least 1).
# `rehabit worker` removes older entries once a day (rehabit.audit.retention).
REHABIT_AUDIT_RETENTION_DAYS = env_int("REHABIT_AUDIT_RETENTION_DAYS", 6 * 365)
if REHABIT_AUDIT_RETENTION_DAYS < 1:
    raise MissingSetting(
        "REHABIT_AUDIT_RETENTION_DAYS must be at least 1 (days the audit log is kept), "
        f"not {REHABIT_AUDIT_RETENTION_DAYS}."
    )
# An assessment made without an account (reached by its address alone) is erased, with
# everything logged on it, once this many days have passed since it was made and since it
# was last used (rehabit.assessments.retention; `rehabit worker`, once a day); so is a
# prevention session logged without an account (rehabit.care.retention). 90 days
# outlasts the programmes a visitor follows: return to full training after a hamstring
# strain took 28 days with lengthening exercises and 51 with conventional ones [5], and
# the Nordic prevention plan runs 10 weeks [57] (shared/clinical/evidence.md, cited in
# clinical/data); signing in keeps everything in the account.
REHABIT_UNCLAIMED_ASSESSMENT_DAYS = env_int("REHABIT_UNCLAIMED_ASSESSMENT_DAYS", 90)
if REHABIT_UNCLAIMED_ASSESSMENT_DAYS < 1:
    raise MissingSetting(
        "REHABIT_UNCLAIMED_ASSESSMENT_DAYS must be at least 1 (days an assessment without "
        f"an account is kept after its last use), not {REHABIT_UNCLAIMED_ASSESSMENT_DAYS}."
    )
# On sign-in or sign-up, what this browser did without an account (a check, a prevention
# session) goes into the account by itself only if it was made this many minutes ago or
# less (rehabit.accounts.earlier); anything older is listed by date and time and the
# person is asked "Is this yours?". On a shared computer (a library, a family's) the
# browser may hold someone else's health answers. An hour covers doing a check (about 7
# minutes for the median person, README) and then signing up or in to keep it; one from
# an earlier visit, perhaps someone else's, is asked about. 0 asks about everything.
REHABIT_CLAIM_WITHOUT_ASKING_MINUTES = env_int("REHABIT_CLAIM_WITHOUT_ASKING_MINUTES", 60)
if REHABIT_CLAIM_WITHOUT_ASKING_MINUTES < 0:
    raise MissingSetting(
        "REHABIT_CLAIM_WITHOUT_ASKING_MINUTES must be 0 or more (minutes after which what "
        "a browser did without an account is asked about), not "
        f"{REHABIT_CLAIM_WITHOUT_ASKING_MINUTES}."
    )
# Classes implementing rehabit.accounts.access.AppointmentRelation (the booking app).
REHABIT_APPOINTMENT_RELATIONS: list[str] = []


def _admin_path() -> str:
    """The admin site's URL prefix. Production without REHABIT_ADMIN_PATH derives an
    unguessable one from the secret key (`rehabit manage admin_url` prints it)."""
    import hashlib
    import hmac
    import re

    raw = env_str("REHABIT_ADMIN_PATH", "").strip().strip("/")
    if not raw:
        if not PRODUCTION:
            return "staff-admin/"
        digest = hmac.new(SECRET_KEY.encode(), b"rehabit.admin-path", hashlib.sha256)
        return f"admin-{digest.hexdigest()[:16]}/"
    if not re.fullmatch(r"[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*", raw) or raw == "admin":
        raise MissingSetting(
            "REHABIT_ADMIN_PATH must be a URL path such as 'back-office-7f3a/' "
            "(letters, digits, - . _ ~ and /), and not the default 'admin/'."
        )
    return raw + "/"


REHABIT_ADMIN_PATH = _admin_path()

# --- Rehabit --------------------------------------------------------------------------
# API request bodies larger than this are refused with 413 before they are read.
REHABIT_API_MAX_BODY_BYTES = env_int("REHABIT_API_MAX_BODY_BYTES", 256 * 1024)
REHABIT_EMERGENCY_NUMBER = env_str("REHABIT_EMERGENCY_NUMBER", "112")
# The address the contact page gives for anything that is not about a session (empty: the
# page says none is published yet).
REHABIT_CONTACT_EMAIL = env_str("REHABIT_CONTACT_EMAIL", "")
# Functions that seed demo content into an empty database (`rehabit manage seed_demo`,
# and `rehabit serve` on first start). Never in production unless asked for: patients would
# see and book the demo therapists.
REHABIT_DEMO_SEEDERS: list[str] = (
    ["rehabit.booking.seed.seed_demo_therapists"]
    if not PRODUCTION or env_bool("REHABIT_SEED_DEMO", False)
    else []
)

# --- Booking --------------------------------------------------------------------------
# Background work (e-mails, reminders, waitlist offers), run by `rehabit worker`: the
# database queue by default ("database", nothing else to run), or Redis through RQ
# ("redis", with REHABIT_REDIS_URL), or any django-tasks backend by its class path. The
# claims in the database stay the guard: each e-mail is sent once with either queue.
_tasks_backend = backend_path(env_str("REHABIT_TASKS_BACKEND", "database"))
TASKS: dict[str, dict[str, object]] = {"default": {"BACKEND": _tasks_backend}}
REHABIT_REDIS_URL = env_str("REHABIT_REDIS_URL", "")
if _tasks_backend == BACKENDS["redis"]:
    if not REHABIT_REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise MissingSetting(
            "REHABIT_TASKS_BACKEND=redis needs REHABIT_REDIS_URL, the queue's Redis "
            "(e.g. redis://127.0.0.1:6379/0)."
        )
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REHABIT_REDIS_URL, "DEFAULT_TIMEOUT": 300}}
    TASKS["default"]["QUEUES"] = ["default"]
# Patients may cancel or move an appointment online until this many hours before it starts
# (staff are not limited); every message states the deadline exactly as enforced.
REHABIT_PATIENT_CHANGE_WINDOW_HOURS = env_int("REHABIT_PATIENT_CHANGE_WINDOW_HOURS", 24)
# A patient may hold at most this many upcoming sessions at once, and at most
# REHABIT_MAX_ACTIVE_BOOKINGS_PER_THERAPIST of them with one therapist (checked inside the
# booking transaction, so two bookings at once cannot both pass).
REHABIT_MAX_ACTIVE_BOOKINGS = env_int("REHABIT_MAX_ACTIVE_BOOKINGS", 4)
REHABIT_MAX_ACTIVE_BOOKINGS_PER_THERAPIST = env_int("REHABIT_MAX_ACTIVE_BOOKINGS_PER_THERAPIST", 2)
# Booking writes (book, move, cancel, waitlist) per person and per client address in
# REHABIT_BOOKING_WRITES_WINDOW_SECONDS, counted in the database (every process sees them).
REHABIT_BOOKING_WRITES_PER_USER = env_int("REHABIT_BOOKING_WRITES_PER_USER", 20)
REHABIT_BOOKING_WRITES_PER_ADDRESS = env_int("REHABIT_BOOKING_WRITES_PER_ADDRESS", 60)
REHABIT_BOOKING_WRITES_WINDOW_SECONDS = env_int("REHABIT_BOOKING_WRITES_WINDOW_SECONDS", 60 * 60)
# The other writes and the PDF report (security review 2, findings 3 and 4), counted the
# same way (rehabit.core.rate_limits) in REHABIT_RATE_LIMIT_WINDOW_SECONDS: the whole
# allowance at once, then one more every window / limit; 0 turns a limit off. Set so that
# a loop is stopped and no real use meets them:
# - The PDF report costs about a second of CPU. A patient downloads theirs a few times a
#   week, a therapist each patient's once before a session (a full day is 8-12): 20 per
#   person. Per network 60, for a clinic whose therapists share one address; 60 reports is
#   a minute of one core an hour, which no longer ties up two workers.
# - A self-check takes a person minutes to answer: 30 new ones per signed-in person; per
#   network 60, for a family at home or a clinic's waiting room on one address (one a
#   minute after the first 60), where 300 anonymous posts had taken 5.8 s.
# - Messages: 30 from one person in one conversation (a patient writes a few a week; a
#   therapist answering many patients in an hour writes one or two in each conversation,
#   so it is not counted across conversations); 200 long messages in a row are stopped.
# - Diary days, measures, logged exercise sessions and check-ins: 300 per signed-in
#   person, or per assessment nobody owns (a day's use is a handful of writes).
REHABIT_RATE_LIMIT_WINDOW_SECONDS = env_int("REHABIT_RATE_LIMIT_WINDOW_SECONDS", 60 * 60)
REHABIT_REPORTS_PER_USER = env_int("REHABIT_REPORTS_PER_USER", 20)
REHABIT_REPORTS_PER_NETWORK = env_int("REHABIT_REPORTS_PER_NETWORK", 60)
REHABIT_ASSESSMENTS_PER_USER = env_int("REHABIT_ASSESSMENTS_PER_USER", 30)
REHABIT_ASSESSMENTS_PER_NETWORK = env_int("REHABIT_ASSESSMENTS_PER_NETWORK", 60)
REHABIT_MESSAGES_PER_CONVERSATION = env_int("REHABIT_MESSAGES_PER_CONVERSATION", 30)
REHABIT_CARE_WRITES_PER_PERSON = env_int("REHABIT_CARE_WRITES_PER_PERSON", 300)
# A reminder or e-mail claimed by a worker that died before sending is retried after this long.
REHABIT_REMINDER_LEASE_SECONDS = env_int("REHABIT_REMINDER_LEASE_SECONDS", 300)
# Outgoing e-mail (rehabit.mail.outbox): a failed send is retried after this many seconds,
# twice as long after each further failure (at most an hour), and given up on after
# REHABIT_MAIL_ATTEMPTS attempts; sent and given-up messages are listed for staff this long.
REHABIT_MAIL_RETRY_SECONDS = env_int("REHABIT_MAIL_RETRY_SECONDS", 30)
REHABIT_MAIL_ATTEMPTS = env_int("REHABIT_MAIL_ATTEMPTS", 10)
REHABIT_MAIL_KEEP_DAYS = env_int("REHABIT_MAIL_KEEP_DAYS", 30)
# Video sessions: one Jitsi Meet room per appointment, optionally with a signed JWT.
REHABIT_JITSI_BASE_URL = env_str("REHABIT_JITSI_BASE_URL", "https://meet.jit.si").rstrip("/")
REHABIT_JITSI_JWT_SECRET = env_str("REHABIT_JITSI_JWT_SECRET", "")
REHABIT_JITSI_APP_ID = env_str("REHABIT_JITSI_APP_ID", "")
REHABIT_VIDEO_OPENS_MINUTES_BEFORE = env_int("REHABIT_VIDEO_OPENS_MINUTES_BEFORE", 10)
