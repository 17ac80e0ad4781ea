"""The job worker: runs due jobs and the schedule, as `ecredit worker` or inside the server."""

from __future__ import annotations

import threading

import structlog

from ecredit.config import Settings
from ecredit.jobs.registry import registry
from ecredit.jobs.service import JobService
from ecredit.kit.db import Database

log = structlog.get_logger(__name__)


def load_job_handlers() -> None:
    """Import every domain's jobs module so their handlers register."""
    import ecredit.alert.jobs
    import ecredit.commitment.jobs
    import ecredit.complaint.jobs
    import ecredit.ledger.jobs
    import ecredit.listing.jobs
    import ecredit.repair.jobs
    import ecredit.scoring.jobs
    import ecredit.subject.jobs
    import ecredit.subscription.jobs
    import ecredit.warning.jobs  # noqa: F401


def run_once(db: Database, jobs: JobService) -> int:
    with db.unit_of_work() as session:
        jobs.schedule_due(session)
    return jobs.run_due(db)


class BackgroundWorker:
    """A daemon thread that runs due jobs every `interval` seconds until stopped."""

    def __init__(self, db: Database, settings: Settings, interval: float = 5.0) -> None:
        load_job_handlers()
        self.db, self.interval = db, interval
        self.jobs = JobService(registry, settings=settings)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="ecredit-jobs", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 5)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                run_once(self.db, self.jobs)
            except Exception:
                log.exception("worker.loop_failed")
            self._stop.wait(self.interval)
