from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from jangkau.core import clock

from .builders import make_world

JKT = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def world(db):
    """An office with the seed POS, the default office hours, a service and one staff member per role."""
    return make_world()


@pytest.fixture
def other_world(db):
    return make_world("bbpmp-jatim")


@pytest.fixture
def frozen():
    """Freezes the clock on a Monday morning inside office hours; tests move it with clock.advance()."""
    with clock.frozen_at(datetime(2025, 1, 6, 8, 0, tzinfo=JKT)):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests create many users and never attack their hashes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _indonesian_by_default():
    # LocaleMiddleware leaves the last request's language active in the thread; each test starts in the
    # default language, as a fresh request would.
    from django.utils import translation

    translation.activate("id")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """``client.force_login(user)`` stands for a complete staff sign-in: the password and the authenticator
    code. Tests of the sign-in itself go through the login and code pages instead (tests/accounts)."""
    from django.test import Client

    from tests.builders import pass_second_factor_in_session

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        pass_second_factor_in_session(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _queue_keys_follow_every_case(request):
    """After every database test, each case's stored queue key (``cases.queue_keys``) must be the one its status,
    urgency and open step give: the database orders the officers' queue by it, so a service path that changes
    a case without refreshing the key would put the case in the wrong place, and this finds that path."""
    names = set(request.fixturenames)
    database = next((name for name in ("transactional_db", "db") if name in names), None)
    if database is None and request.node.get_closest_marker("django_db") is not None:
        database = "db"
    if database is None or request.node.get_closest_marker("browser") is not None:
        yield
        return
    request.getfixturevalue(database)
    yield
    from jangkau.cases.models import Case
    from jangkau.cases.queue_keys import BATCH, rebuild_queue_keys

    cases = Case.objects.all()
    if cases.count() > BATCH:  # the benchmark-size tests check their own keys
        return
    stored = dict(cases.values_list("pk", "queue_group"))
    stale = rebuild_queue_keys(cases)
    assert stale == 0, f"{stale} case(s) kept a stale queue key; stored groups were {stored}"
