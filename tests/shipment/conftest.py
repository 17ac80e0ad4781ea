"""Fixtures of the logistics tests: the vault and the running app."""

from tests.factories.api import api, client  # noqa: F401
from tests.factories.subjects import vault  # noqa: F401
