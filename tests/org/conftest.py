"""Fixtures of the organisation tests: the running app."""

from tests.factories.api import api, client  # noqa: F401
