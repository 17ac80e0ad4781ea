"""Browser tests need Debian's Chromium: skip them without it, unless the run requires them.

`ECREDIT_REQUIRE_BROWSER=1` (CI) turns a missing browser into failures, so a broken image can
never pass by skipping every browser test.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
REQUIRE_ENV = "ECREDIT_REQUIRE_BROWSER"
_MISSING = pytest.StashKey[str]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing"
    required = os.environ.get(REQUIRE_ENV) == "1"
    for item in items:
        if item.get_closest_marker("browser") is None:
            continue
        if required:
            item.stash[_MISSING] = f"{reason} and {REQUIRE_ENV}=1 requires browser tests"
        else:
            item.add_marker(pytest.mark.skip(reason=f"{reason} (set up Chromium to run)"))


def pytest_runtest_setup(item: pytest.Item) -> None:
    # At setup, before a fixture tries to launch the browser: reported as an error, never a skip.
    if _MISSING in item.stash:
        pytest.fail(item.stash[_MISSING], pytrace=False)
