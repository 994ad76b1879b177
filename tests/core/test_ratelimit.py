"""The fixed-window rate limit: per scope, per client, per window; 0 turns it off."""

from datetime import timedelta

import pytest

from jangkau.core import clock
from jangkau.core.models import RateWindow
from jangkau.core.ratelimit import rate_limit_exceeded, rate_limit_reached

pytestmark = pytest.mark.django_db


def attempts(n, **kwargs):
    return [rate_limit_exceeded(**kwargs) for _ in range(n)]


def test_the_attempt_after_the_limit_is_refused(frozen):
    assert attempts(4, scope="intake", client="198.51.100.7", limit=3) == [False, False, False, True]


def test_clients_and_scopes_count_separately(frozen):
    attempts(3, scope="intake", client="198.51.100.7", limit=3)

    assert rate_limit_exceeded(scope="intake", client="198.51.100.8", limit=3) is False
    assert rate_limit_exceeded(scope="track", client="198.51.100.7", limit=3) is False
    assert rate_limit_exceeded(scope="intake", client="198.51.100.7", limit=3) is True


def test_a_new_window_starts_afresh_and_old_windows_are_deleted(frozen):
    attempts(4, scope="intake", client="198.51.100.7", limit=3)

    with clock.frozen_at(clock.now() + timedelta(hours=2)):
        assert rate_limit_exceeded(scope="intake", client="198.51.100.7", limit=3) is False
        assert RateWindow.objects.count() == 1


def test_zero_turns_the_limit_off_and_stores_nothing(frozen):
    assert attempts(50, scope="intake", client="198.51.100.7", limit=0) == [False] * 50
    assert RateWindow.objects.count() == 0


def test_the_address_is_not_stored_in_clear(frozen):
    rate_limit_exceeded(scope="intake", client="198.51.100.7", limit=3)

    assert "198.51.100.7" not in RateWindow.objects.get().key


def test_clients_without_an_address_share_one_bucket(frozen):
    attempts(2, scope="intake", client=None, limit=2)

    assert rate_limit_exceeded(scope="intake", client=None, limit=2) is True


def test_peeking_at_the_limit_counts_nothing(frozen):
    assert rate_limit_reached(scope="lookup", client="198.51.100.7", limit=2) is False
    attempts(2, scope="lookup", client="198.51.100.7", limit=2)

    assert rate_limit_reached(scope="lookup", client="198.51.100.7", limit=2) is True
    assert RateWindow.objects.get().count == 2
    assert rate_limit_reached(scope="lookup", client="198.51.100.7", limit=0) is False
