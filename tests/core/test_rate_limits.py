"""Security review 2, findings 3 and 4: the shared counting of rate limits
(``rehabit.core.throttle``) that the PDF report, new assessments, messages and the care
writes use (``rehabit.core.rate_limits``), besides booking. Counted in the database, all
limits of an action together: a refused action is counted in none."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone

from rehabit.core import rate_limits, throttle
from rehabit.core.models import ThrottleBucket
from rehabit.core.throttle import RateLimited

pytestmark = pytest.mark.django_db

HOUR = 3600


def _request(ip: str = "203.0.113.5", user: Any = None, **meta: Any) -> Any:
    request = RequestFactory().get("/", REMOTE_ADDR=ip, **meta)
    request.user = user or AnonymousUser()
    return request


def test_a_burst_of_the_limit_then_one_more_every_window_over_limit() -> None:
    limits = [("t.scope", "a", 3)]
    assert [throttle.hit_all(limits, window=HOUR) for _ in range(3)] == [0, 0, 0]
    wait = throttle.hit_all(limits, window=HOUR)
    assert 1190 <= wait <= 1200  # one more every 20 minutes
    assert throttle.hit_all(limits, window=HOUR) == wait  # a refusal is not counted
    with time_machine.travel(timezone.now() + timedelta(seconds=wait + 1)):
        assert throttle.hit_all(limits, window=HOUR) == 0
        assert throttle.hit_all(limits, window=HOUR) > 0
    with time_machine.travel(timezone.now() + timedelta(seconds=2 * HOUR)):
        assert [throttle.hit_all(limits, window=HOUR) for _ in range(3)] == [0, 0, 0]


def test_an_action_is_counted_in_all_its_limits_or_in_none() -> None:
    person, network = ("t.user", "7", 5), ("t.address", "203.0.113.5", 2)
    assert throttle.hit_all([person, network], window=HOUR) == 0
    assert throttle.hit_all([person, network], window=HOUR) == 0
    # The network's limit refuses: the person's count is not moved either.
    assert throttle.hit_all([person, network], window=HOUR) > 0
    # (Two of five counted: three more, then one every 12 minutes.)
    assert [throttle.hit_all([person], window=HOUR) for _ in range(4)] == [0, 0, 0, 720]
    # Another network is not affected, and a limit of 0 is off.
    assert throttle.hit_all([("t.address", "198.51.100.9", 2)], window=HOUR) == 0
    assert all(throttle.hit_all([("t.off", "x", 0)], window=HOUR) == 0 for _ in range(9))


def test_the_usual_limits_are_the_person_s_and_the_network_s() -> None:
    anonymous = throttle.request_limits(_request(), "t", per_user=3, per_network=9)
    assert anonymous == [("t.address", "203.0.113.5", 9)]

    class Person:
        pk = 42
        is_authenticated = True

    signed_in = throttle.request_limits(
        _request("2001:db8:1:2:3:4:5:6", Person()), "t", per_user=3, per_network=9
    )
    # An IPv6 client's network is its /64 (one household or phone).
    assert signed_in == [("t.user", "42", 3), ("t.address", "2001:db8:1:2::/64", 9)]


def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(settings: Any) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    request = _request("10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert throttle.request_limits(request, "t", per_user=1, per_network=1) == [
        ("t.address", "198.51.100.20", 1)
    ]


def test_a_refusal_says_how_long_to_wait_in_words(settings: Any) -> None:
    settings.REHABIT_REPORTS_PER_NETWORK = 1
    rate_limits.count_report(_request())
    with pytest.raises(RateLimited) as refused:
        rate_limits.count_report(_request())
    assert refused.value.retry_after == HOUR
    assert refused.value.message == (
        "Many reports have been made here in a short time, so making them is paused for a "
        "moment. Please try again in 60 minutes."
    )
    assert throttle.wait_words(1) == "1 second" and throttle.wait_words(119) == "119 seconds"
    assert throttle.wait_words(121) == "3 minutes"


def test_stale_buckets_are_cleared_when_a_new_one_is_made() -> None:
    throttle.hit_all([("t.old", "a", 1)], window=60)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        throttle.hit_all([("t.old", "a", 1)], window=60)  # an old bucket: used as empty
        assert ThrottleBucket.objects.count() == 1
        throttle.hit_all([("t.new", "b", 1)], window=60)
        assert ThrottleBucket.objects.count() == 2  # the old one is in use again, kept
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        throttle.hit_all([("t.newer", "c", 1)], window=60)
        assert ThrottleBucket.objects.count() == 1


def test_a_clock_that_went_back_does_not_lock_anyone_out() -> None:
    limits = [("t.clock", "a", 3)]
    with time_machine.travel(timezone.now() + timedelta(days=7), tick=False):
        assert [throttle.hit_all(limits, window=HOUR) for _ in range(4)][-1] > 0
    # A week earlier again (a test, or a server's clock set back): counted afresh, not
    # refused for a week; the limit still holds from there.
    assert [throttle.hit_all(limits, window=HOUR) for _ in range(3)] == [0, 0, 0]
    assert throttle.hit_all(limits, window=HOUR) > 0
