"""Job handlers by name, and the schedule of recurring jobs.

Domains register their handlers in their own jobs.py; the composition roots import those modules.
A lower domain that must cause work in a higher one enqueues a job by name instead of importing it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from ecredit.config import Settings
from ecredit.kit.clock import SHANGHAI
from ecredit.kit.db import Database

Handler = Callable[[Session, dict[str, Any]], None]
# Called after a failed run in a unit of work of its own (the handler's was rolled back):
# (session, payload, the exception, whether this was the last attempt).
FailureHook = Callable[[Session, dict[str, Any], BaseException, bool], None]


@dataclass(frozen=True)
class RetryPolicy:
    """How often a failing job runs again and how long it waits before each retry.

    Linear by default (backoff × attempts so far, 3 attempts); `exponential` doubles the wait
    after every attempt, up to `max_backoff`. `on_failure` lets a domain record the failure.
    """

    max_attempts: int = 3
    backoff: timedelta = timedelta(minutes=1)
    exponential: bool = False
    max_backoff: timedelta | None = None
    on_failure: FailureHook | None = None

    def delay(self, attempts: int) -> timedelta:
        """The wait before the next run, after `attempts` (≥ 1) failed runs."""
        wait = self.backoff * (2 ** (attempts - 1) if self.exponential else attempts)
        return min(wait, self.max_backoff) if self.max_backoff is not None else wait


DEFAULT_RETRY = RetryPolicy()


@dataclass(frozen=True)
class Recurring:
    """A job enqueued every `every`; with `at`, once a day at that time of day in Beijing (the
    first run waits for it), so that heavy work lands at night whenever the runner started."""

    name: str
    every: timedelta
    payload: dict[str, Any]
    at: time | None = None

    def first_due(self, now: datetime) -> datetime:
        return now if self.at is None else _next_local(now, self.at)

    def due_after(self, now: datetime) -> datetime:
        """When it is due next, having just been enqueued at `now`."""
        return now + self.every if self.at is None else _next_local(now, self.at)


def _next_local(now: datetime, at: time) -> datetime:
    """The first moment after `now` whose Beijing time of day is `at` (China keeps no DST)."""
    local = now.astimezone(SHANGHAI)
    candidate = datetime.combine(local.date(), at, tzinfo=SHANGHAI)
    if candidate <= local:
        candidate += timedelta(days=1)
    return candidate.astimezone(UTC)


class JobRegistry:
    def __init__(self) -> None:
        self.handlers: dict[str, Handler] = {}
        self.schedule: dict[str, Recurring] = {}
        self.retry: dict[str, RetryPolicy] = {}

    def handler(self, name: str, retry: RetryPolicy | None = None) -> Callable[[Handler], Handler]:
        """Decorator: `@registry.handler("subject.check_domain")`, optionally with a policy."""

        def register(function: Handler) -> Handler:
            if name in self.handlers:
                raise ValueError(f"job {name!r} registered twice")
            self.handlers[name] = function
            if retry is not None:
                self.retry[name] = retry
            return function

        return register

    def retry_policy(self, name: str) -> RetryPolicy:
        return self.retry.get(name, DEFAULT_RETRY)

    def every(self, name: str, interval: timedelta, payload: dict[str, Any] | None = None) -> None:
        self.schedule[name] = Recurring(name, interval, payload or {})

    def nightly(self, name: str, at: time, payload: dict[str, Any] | None = None) -> None:
        """Once a day at `at`, Beijing time."""
        self.schedule[name] = Recurring(name, timedelta(days=1), payload or {}, at)


registry = JobRegistry()


def job_settings(session: Session) -> Settings:
    """The settings of the runner executing the job (handlers get only session and payload)."""
    settings = session.info.get("settings")
    if not isinstance(settings, Settings):
        raise RuntimeError("job run without settings: use JobService(..., settings=...)")
    return settings


def job_database(session: Session) -> Database:
    """The database of the runner executing the job, for a handler whose work must commit in
    several steps (a long run that others must see while it runs)."""
    database = session.info.get("database")
    if not isinstance(database, Database):
        raise RuntimeError("job run without a database: run it through JobService.run_due")
    return database
