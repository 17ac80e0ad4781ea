"""Fixtures of the registry tests: the vault, the running app and the local proof-file server."""

from tests.factories.api import api, client  # noqa: F401
from tests.factories.subjects import vault  # noqa: F401
from tests.factories.website import proof_server, website_settings  # noqa: F401
