import io

import pytest


@pytest.fixture
def indicators(db):
    """The demo's indicators and targets (and a first, empty, rebuild of the figures)."""
    from kallpanchis.dashboard import demo

    demo.seed(io.StringIO())


@pytest.fixture
def world(municipalities, indicators):
    from kallpanchis.dashboard.services import facts_refresh
    from tests.dashboard.factories import small_world

    data = small_world(municipalities)
    facts_refresh()
    return data
