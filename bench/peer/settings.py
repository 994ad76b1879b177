"""Settings of the peer: a minimal, production-like Django project that serves django-helpdesk 2.6.1.

Only the peer venv (var/bench/peer-venv) imports this. The database comes from PEER_DATABASE_URL, set by
bench/peer/helpdesk.py for every process it starts.
"""

from bench.peer.common import database_url, parse_database_url

# A fixed key is fine here: the database is created and dropped by each benchmark run.
SECRET_KEY = "bench-peer-not-secret-3b1f0c6e9d2a4f58a7c1e0d94b6a2f71"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # helpdesk builds the links in its e-mails from the current Site.
    "django.contrib.sites",
    # helpdesk's templates load the humanize tags.
    "django.contrib.humanize",
    # helpdesk's API and the ticket list's JSON endpoint are rest_framework views.
    "rest_framework",
    "helpdesk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "bench.peer.urls"
WSGI_APPLICATION = "bench.peer.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Persistent connections as Jangkau runs in production (conn_max_age=60), so neither side pays a
# PostgreSQL connection per request.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        **parse_database_url(database_url()),
        "CONN_MAX_AGE": 60,
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
SITE_ID = 1

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# The pages link to static files, but the benchmark never fetches them: no collectstatic, nothing served.
STATIC_URL = "/static/"
MEDIA_URL = "/media/"
MEDIA_ROOT = "/tmp/bench-peer-media"

LOGIN_URL = "helpdesk:login"
LOGIN_REDIRECT_URL = "helpdesk:list"

# helpdesk renders and "sends" a mail to the submitter of every new ticket; the dummy backend keeps that work
# (the template rendering) but drops the message instead of talking to an SMTP server that is not there.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
DEFAULT_FROM_EMAIL = "helpdesk@example.org"

# helpdesk settings. Teams mode is on by default and needs pinax-teams, an optional extra that this install
# leaves out; without it the knowledge base is still on by default.
HELPDESK_TEAMS_MODE_ENABLED = False
# Anonymous visitors may open tickets through /helpdesk/tickets/submit/ (these are helpdesk's defaults,
# written out because the benchmark depends on them).
HELPDESK_SUBMIT_A_TICKET_PUBLIC = True
HELPDESK_REDIRECT_TO_LOGIN_BY_DEFAULT = False
HELPDESK_ANON_ACCESS_RAISES_404 = False

# Without this, a server error in a gunicorn worker would leave no trace (DEBUG is off and ADMINS is empty).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["stderr"], "level": "ERROR"}},
}
