"""What the stories share: the app on a story's clock, a world whose calls must succeed, and the
job runner as `ecredit worker` runs it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from ecredit.config import Settings
from ecredit.jobs.registry import registry
from ecredit.jobs.service import JobService
from ecredit.kit.clock import FixedClock
from ecredit.kit.db import Database
from tests.factories.api import Api, running_app


@contextmanager
def story_app(settings: Settings, db: Database, clock: FixedClock) -> Iterator[Api]:
    """The app on the test's database, its record service dating decisions by `clock`."""
    with running_app(settings, db) as running:
        running.app.state.records.clock = clock
        yield running


class StoryWorld:
    """A story's people; a department (its key in `department`) reads the merchant's grade."""

    api: Api
    department: dict[str, str]
    merchant_id: int

    def call(self, method: str, path: str, headers: dict[str, str], body: Any = None) -> Any:
        """An API call that must succeed; its JSON."""
        answer = self.api.client.request(method, f"/api/v1{path}", json=body, headers=headers)
        assert answer.status_code in (200, 201), answer.text
        return answer.json()

    def grade(self) -> str:
        found: str = self.call("GET", f"/subjects/{self.merchant_id}/evaluation",
                               self.department)["grade"]  # fmt: skip
        return found


def run_jobs(api: Api, *names: str) -> None:
    """`names` enqueued as their schedule would, then every job due, as `ecredit worker` runs
    them (a minute ahead: the ones just enqueued are due)."""
    runner = JobService(
        registry, clock=FixedClock(datetime.now(UTC) + timedelta(minutes=1)),
        settings=api.app.state.settings,
    )  # fmt: skip
    with api.db.unit_of_work() as session:
        for name in names:
            runner.enqueue(session, name)
    runner.run_due(api.db, limit=1000)
