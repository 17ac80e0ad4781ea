"""Job handlers by name, and the schedule of recurring jobs.

Domains register their handlers in their own jobs.py; the composition roots import those modules.
A lower domain that must cause work in a higher one enqueues a job by name instead of importing it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from ecredit.config import Settings

Handler = Callable[[Session, dict[str, Any]], None]


@dataclass(frozen=True)
class Recurring:
    name: str
    every: timedelta
    payload: dict[str, Any]


class JobRegistry:
    def __init__(self) -> None:
        self.handlers: dict[str, Handler] = {}
        self.schedule: dict[str, Recurring] = {}

    def handler(self, name: str) -> Callable[[Handler], Handler]:
        """Decorator: `@registry.handler("subject.check_domain")`."""

        def register(function: Handler) -> Handler:
            if name in self.handlers:
                raise ValueError(f"job {name!r} registered twice")
            self.handlers[name] = function
            return function

        return register

    def every(self, name: str, interval: timedelta, payload: dict[str, Any] | None = None) -> None:
        self.schedule[name] = Recurring(name, interval, payload or {})


registry = JobRegistry()


def job_settings(session: Session) -> Settings:
    """The settings of the runner executing the job (handlers get only session and payload)."""
    settings = session.info.get("settings")
    if not isinstance(settings, Settings):
        raise RuntimeError("job run without settings: use JobService(..., settings=...)")
    return settings
