import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def language_put_back():
    """A request through LocaleMiddleware leaves its language active in this thread: these tests switch to
    Quechua, so put the previous language back for the tests that run after them."""
    before = translation.get_language()
    yield
    if before:
        translation.activate(before)
    else:
        translation.deactivate_all()
