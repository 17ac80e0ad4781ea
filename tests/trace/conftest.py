"""Fixtures of the traceability tests: the vault, the running app and a supply chain."""

from tests.factories.api import api, client  # noqa: F401
from tests.factories.subjects import vault  # noqa: F401
