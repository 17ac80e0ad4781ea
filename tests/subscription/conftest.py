"""Fixtures of the subscription tests: the vault, the running app, the receiver and the runner."""

from tests.factories.api import api, client  # noqa: F401
from tests.factories.subjects import vault  # noqa: F401
from tests.factories.webhooks import clock, hook_settings, receiver, runner  # noqa: F401
