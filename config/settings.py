"""Jangkau settings: one module, driven by environment variables (see README "Configuration")."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import (
    ConfigurationError,
    env_bool,
    env_list,
    make_fernet_key,
    make_secret_key,
    parse_email_url,
    secret_from_env_or_file,
    valid_fernet_key,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("JANGKAU_VAR_DIR", BASE_DIR / "var"))

DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"

SECRET_KEY, _secret_generated = secret_from_env_or_file(
    "SECRET_KEY", VAR_DIR / "secret_key", make_secret_key, allow_fallback=not PRODUCTION
)
FIELD_ENCRYPTION_KEY, _field_key_generated = secret_from_env_or_file(
    "FIELD_ENCRYPTION_KEY", VAR_DIR / "field_encryption_key", make_fernet_key, allow_fallback=not PRODUCTION
)
# Keys the hash chain of the audit trail; kept out of the database so a database writer cannot re-chain it.
AUDIT_CHAIN_KEY, _audit_key_generated = secret_from_env_or_file(
    "AUDIT_CHAIN_KEY", VAR_DIR / "audit_chain_key", make_secret_key, allow_fallback=not PRODUCTION
)
# Old keys, newest first, kept only while re-encrypting after a rotation (docs/key-rotation.md).
FIELD_ENCRYPTION_OLD_KEYS = env_list("FIELD_ENCRYPTION_OLD_KEYS", [])

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

if PRODUCTION:
    problems = []
    if _secret_generated:
        problems.append("SECRET_KEY is not set")
    if _field_key_generated:
        problems.append("FIELD_ENCRYPTION_KEY is not set")
    if _audit_key_generated:
        problems.append("AUDIT_CHAIN_KEY is not set")
    if DEBUG:
        problems.append("DEBUG is on")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS is empty")
    if not os.environ.get("EMAIL_URL", "").startswith(("smtp://", "smtps://")):
        problems.append("EMAIL_URL is not an smtp:// or smtps:// address")
    if not os.environ.get("JANGKAU_PUBLIC_URL", "").startswith("https://"):
        # Every message's links (tracking page, survey) are built on it: a localhost default would send
        # requesters links that lead nowhere.
        problems.append("JANGKAU_PUBLIC_URL is not an https:// address")
    if not _field_key_generated and not valid_fernet_key(FIELD_ENCRYPTION_KEY):
        problems.append("FIELD_ENCRYPTION_KEY is not 32 url-safe base64-encoded bytes (Fernet.generate_key())")
    if problems:
        raise ConfigurationError("DJANGO_ENV=production refuses development defaults: " + "; ".join(problems))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "jangkau.core",
    "jangkau.offices",
    "jangkau.accounts",
    "jangkau.procedures",
    "jangkau.cases",
    "jangkau.scheduling",
    "jangkau.surveys",
    "jangkau.audit",
    "jangkau.reports",
    "jangkau.privacy",
    "jangkau.notifications",
    "jangkau.portal",
    "jangkau.backoffice",
    "jangkau.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy; high up, so error pages of the middleware below get them.
    "jangkau.core.security_headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jangkau.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jangkau.audit.context.AuditContextMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "jangkau.accounts.middleware.SecondFactorRequired",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jangkau.notifications.context_processors.notification_counts",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'jangkau.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0 if DEBUG else 60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker read while the other writes; IMMEDIATE transactions
    # take the write lock up front, which is SQLite's stand-in for PostgreSQL's SELECT ... FOR UPDATE.
    # synchronous=FULL syncs the log at every commit: a request answered 201 survives a power cut, not only
    # a killed process (NORMAL may lose the last commits then), as PostgreSQL's synchronous_commit does.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "backoffice:login"
LOGIN_REDIRECT_URL = "backoffice:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
# Lock the pair (user, address): a stranger cannot lock an officer out from elsewhere, and officers behind
# one office router do not lock each other out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Behind a reverse proxy, the client's address is in X-Forwarded-For; say how many proxies to trust.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0")) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "backoffice/locked_out.html"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
if not PRODUCTION:
    # WhiteNoise warns about a missing root; in development `collectstatic` has usually not run.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

EMAIL_URL = os.environ.get("EMAIL_URL", "console://")
for _key, _value in parse_email_url(EMAIL_URL).items():
    globals()[_key] = _value
DEFAULT_FROM_EMAIL = globals().get("DEFAULT_FROM_EMAIL", "Jangkau <no-reply@jangkau.invalid>")

# Where messages' links point: the address the public reaches this installation at.
JANGKAU_PUBLIC_URL = os.environ.get("JANGKAU_PUBLIC_URL", "http://127.0.0.1:8000")
# WhatsApp and SMS go through HTTP gateways: a URL, a bearer token and a backend ("webhook", the generic JSON
# webhook; "whatsapp-cloud", the WhatsApp Business Cloud API; or a dotted path to a class of one's own).
NOTIFY_GATEWAYS = {
    channel: {
        "url": os.environ.get(f"NOTIFY_{channel.upper()}_URL", ""),
        "token": os.environ.get(f"NOTIFY_{channel.upper()}_TOKEN", ""),
        "backend": os.environ.get(f"NOTIFY_{channel.upper()}_BACKEND", "webhook"),
    }
    for channel in ("whatsapp", "sms")
}
# Attempts before a message is given up and shown to officers as failed (backoff: 1, 5, 15, 60 minutes).
NOTIFY_MAX_ATTEMPTS = int(os.environ.get("NOTIFY_MAX_ATTEMPTS", "5"))

# Security headers. In production every cookie is secure and HTTPS is enforced for a year.
# Content-Security-Policy (no inline script or style) and Permissions-Policy come from
# jangkau.core.security_headers.SecurityHeadersMiddleware; the rest from Django's own middleware.
SECURE_CONTENT_TYPE_NOSNIFF = True
# "same-origin": links within Jangkau keep the full referrer, links out send none. Page URLs carry
# registration numbers and back-office paths, which no outside site needs; nothing here depends on
# another site seeing where its visitors came from.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No page is ever framed: X-Frame-Options for old browsers, CSP frame-ancestors 'none' for current ones.
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Lax, not Strict: an officer following a notification e-mail's link to a case arrives signed in, a requester
# following a link from WhatsApp keeps the session that remembers their case; a cross-site POST still
# carries no cookie.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day, counted on the server whatever the browser keeps
# Service counters and requesters' phones are often shared: closing the browser ends the session (an
# officer's sign-in, a requester's access to their case, a half-filled intake with a NIK in it). The
# eight hours above still bound a browser that is never closed.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True  # only the server reads it (ChosenLanguageMiddleware)
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    if env_bool("BEHIND_HTTPS_PROXY"):
        # Only behind a proxy that sets (and strips client-sent) X-Forwarded-Proto; otherwise clients could
        # claim HTTPS.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Working days the survey link stays open after the service's survey window (POS step 6) has ended, for a
# requester who answers late; the step's own clock still ends with the window.
JANGKAU_SURVEY_GRACE_DAYS = int(os.environ.get("JANGKAU_SURVEY_GRACE_DAYS", "2"))

# On how many different working days contact must fail before a requester may be marked "unreachable"
# (POS step 4): three tries in one morning are not three days of trying.
JANGKAU_UNREACHABLE_AFTER_DAYS = int(os.environ.get("JANGKAU_UNREACHABLE_AFTER_DAYS", "3"))

# The office whose form ``/ajukan/`` opens and whose cases the API takes without an ``office`` field; the
# first active office when unset.
JANGKAU_DEFAULT_OFFICE = os.environ.get("JANGKAU_DEFAULT_OFFICE", "").strip()

# Submissions per hour from one client address on the public form and API; 0 turns the limit off.
INTAKE_RATE_LIMIT = int(os.environ.get("INTAKE_RATE_LIMIT", "20"))
