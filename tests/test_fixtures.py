"""The shared fixtures themselves: per-test rollback that survives commits, the browser rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from ecredit.kit.db import Database
from ecredit.models import Parameter
from tests.support import browser

HOOKS = "from tests.support.browser import pytest_collection_modifyitems, pytest_runtest_setup\n"
BROWSER_TESTS = """
import pytest

@pytest.mark.browser
def test_in_browser():
    pass

def test_without_browser():
    pass
"""


def _parameters(db: Database) -> int:
    with db.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(Parameter)) or 0


class TestDatabaseFixtures:
    def test_commit_stays_inside_the_test_when_unit_of_work_commits(
        self, db: Database, engine: Engine
    ) -> None:
        with db.unit_of_work() as session:
            session.add(Parameter(key="search.fuzzy_min_score", value=70))
        assert _parameters(db) == 1
        with engine.connect() as outsider:
            assert outsider.scalar(select(func.count()).select_from(Parameter)) == 0

    def test_starts_empty_when_previous_test_committed(self, db: Database) -> None:
        with db.unit_of_work() as session:
            session.add(Parameter(key="search.fuzzy_min_score", value=70))
        assert _parameters(db) == 1

    def test_keeps_earlier_commits_when_a_later_unit_of_work_fails(self, db: Database) -> None:
        with db.unit_of_work() as session:
            session.add(Parameter(key="search.fuzzy_min_score", value=70))

        def failing_unit_of_work() -> None:
            with db.unit_of_work() as session:
                session.add(Parameter(key="domain.recheck_days", value=10))
                session.flush()
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError):
            failing_unit_of_work()
        assert _parameters(db) == 1


class TestBrowserRule:
    @pytest.fixture(autouse=True)
    def _no_chromium(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "no-chromium")
        monkeypatch.delenv(browser.REQUIRE_ENV, raising=False)

    def test_skips_browser_tests_when_chromium_missing(self, pytester: pytest.Pytester) -> None:
        pytester.makeconftest(HOOKS)
        pytester.makepyfile(BROWSER_TESTS)
        result = pytester.runpytest_inprocess("-o", "markers=browser: x", "-rs")
        result.assert_outcomes(passed=1, skipped=1)
        result.stdout.fnmatch_lines(["*no-chromium is missing*"])

    def test_fails_browser_tests_when_chromium_missing_and_required(
        self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv(browser.REQUIRE_ENV, "1")
        pytester.makeconftest(HOOKS)
        pytester.makepyfile(BROWSER_TESTS)
        result = pytester.runpytest_inprocess("-o", "markers=browser: x")
        # Failed at setup, before any fixture tries to launch the missing browser: an error.
        result.assert_outcomes(passed=1, errors=1)
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        result.stdout.fnmatch_lines(["*ECREDIT_REQUIRE_BROWSER=1 requires browser tests*"])
