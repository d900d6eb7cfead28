"""Values whose key names their content, kept in the process's memory beside the cache
(kallpanchis/core/caching.py, `_seen`): only those nobody can change in place, and never longer texts."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache

from kallpanchis.core import caching

pytestmark = [pytest.mark.redis]


def counted(value):
    calls = []

    def compute():
        calls.append(1)
        return value

    return compute, calls


def test_a_text_or_a_count_is_read_from_the_process_after_the_first_time():
    for key, value in (("block:seen:table", "<table><tr><td>Pucyura</td></tr></table>"), ("list:seen:n", 7)):
        compute, calls = counted(value)
        assert caching.kept(key, compute, here=True) == value
        cache.delete(key)  # gone from the cache, not from the process: its key still names this value
        assert caching.kept(key, compute, here=True) == value
        assert calls == [1]
        # without `here` (a key that does not name its content), the cache alone
        compute, calls = counted(value)
        caching.kept(key + ":plain", compute)
        cache.delete(key + ":plain")
        caching.kept(key + ":plain", compute)
        assert calls == [1, 1]


def test_what_could_be_changed_in_place_or_is_long_comes_from_the_cache_each_time():
    for key, value in (
        ("value:seen:rows", [{"code": "milk", "actual": Decimal("12.5")}]),
        ("block:seen:long", "x" * (caching.SEEN_LONGEST + 1)),
    ):
        compute, calls = counted(value)
        first = caching.kept(key, compute, here=True)
        assert caching.kept(key, compute, here=True) == first == value
        assert calls == [1]  # the second from the cache
        cache.delete(key)
        caching.kept(key, compute, here=True)
        assert calls == [1, 1]  # not kept by the process: computed again


@pytest.mark.parametrize(
    ("value", "unchanging"),
    [
        ("texto", True),
        (12, True),
        ([(1, "Reunión", datetime.date(2026, 3, 10), Decimal("2.5"), None)], True),
        ((1, (2, 3)), True),
        ([[1, 2]], False),  # a list inside: whoever is given it could change it
        ({"a": 1}, False),
        ([{"a": 1}], False),
        (object(), False),
    ],
)
def test_which_values_cannot_be_changed_in_place(value, unchanging):
    assert caching._unchanging(value) is unchanging


def test_clearing_the_cache_forgets_what_the_process_kept():
    compute, calls = counted("<p>kept</p>")
    caching.kept("block:seen:cleared", compute, here=True)
    cache.clear()
    caching.kept("block:seen:cleared", compute, here=True)
    assert calls == [1, 1]


def test_the_process_keeps_texts_within_its_budget_the_least_recently_used_dropped():
    seen = caching._Weighed(most=10, budget=1000)
    for name in "abc":
        seen.put(name, name * 400)  # the third takes the total to 1,200 characters: "a" goes
    assert seen.get("a") is None and seen.get("b") == "b" * 400 and seen.weight == 800
    seen.put("b", "b" * 100)  # replaced: its weight with it
    assert seen.weight == 500
    for n in range(20):
        seen.put(n, n)  # numbers weigh little, but at most ten values are kept
    assert len(seen) == 10 and seen.get("c") is None


@pytest.mark.django_db
def test_a_queryset_is_built_once_per_access_and_filters_and_each_caller_gets_its_own_copy(
    municipalities, technician_anta, technician_chumbivilcas
):
    from spaces.models import Meeting
    from tests.spaces.factories import anta_space, held, lima

    builds = []

    def listed(user, key=()):
        def build():
            builds.append((user.pk, key))
            return Meeting.objects.visible_to(user).order_by("pk")

        return caching.built("test:meetings", user=user, key=key, build=build)

    space = anta_space(municipalities["anta"])
    first = held(space, when=lima(2026, 1, 1))
    assert list(listed(technician_anta)) == [first]
    second = held(space, when=lima(2026, 2, 1))
    assert list(listed(technician_anta)) == [first, second]  # a copy of the query, read again: not stale
    assert builds == [(technician_anta.pk, ())]
    assert list(listed(technician_chumbivilcas)) == []  # another access: its own scope
    listed(technician_anta, key=("held",))
    assert len(builds) == 3
    caching.forget_seen()
    listed(technician_anta)
    assert len(builds) == 4
