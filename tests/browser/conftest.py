"""Browser fixtures live in tests/conftest.py so that any app's tests can drive Chromium."""
