"""Settings of the benchmark's Jangkau server (``make bench``): Jangkau's own settings, plus the floor's app
and URL, so that the intake and the floor run in the same settings, middleware and database."""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.floor"]
ROOT_URLCONF = "bench.urls"
# The in-process measurements (queue page) use Django's test client, which calls itself "testserver".
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
