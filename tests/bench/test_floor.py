import pytest
from django.urls import NoReverseMatch, reverse


def test_floor_view_exists_only_for_the_bench(client, settings):
    """The minimal view `make bench` compares pages with is routed by bench/urls.py (bench/settings.py)
    only: the site has no such page."""
    with pytest.raises(NoReverseMatch):
        reverse("bench_floor")
    assert client.get("/bench-floor/").status_code == 404
    assert client.get("/dashboard/bench-floor/").status_code == 404
    settings.ROOT_URLCONF = "bench.urls"
    assert client.get(reverse("bench_floor")).content == b"ok"
