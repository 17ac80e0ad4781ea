"""The app every story runs against, on the clock its module's `story_clock` fixture sets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ecredit.config import Settings
from ecredit.kit.clock import FixedClock
from ecredit.kit.db import Database
from tests.factories.api import Api
from tests.stories.support import story_app


@pytest.fixture
def api(settings: Settings, db: Database, story_clock: FixedClock) -> Iterator[Api]:
    with story_app(settings, db, story_clock) as running:
        yield running
