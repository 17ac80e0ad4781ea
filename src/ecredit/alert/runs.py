"""Recorded detection runs: the detectors one by one over the lake, each one's findings raised
as alerts and its counts and time recorded as a step of the run.

Unlike other services this one commits, in several units of work on the Database it is given
(as the job runner does), because a run takes minutes and
- other processes must see that it is running: a second run is refused while one runs, through
  the unique `running_slot`, which only a committed row holds for everyone;
- when a detector fails, the alerts of the detectors before it stay, and the run says which
  detector failed and why.
Order: claim the slot and record the thresholds in force (commit) → for each detector: run it
outside any transaction with the thresholds read at the claim, then raise its findings and
record its step (commit) → end the run and free the slot (commit). A process that dies leaves
its run marked running; after `detection.run_stale_hours` without a finished detector the next
claim marks it failed as abandoned.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ecredit.alert import run_repository as repo
from ecredit.alert import thresholds
from ecredit.alert.service import alert_service
from ecredit.audit.context import actor_of
from ecredit.authz.policies import may_oversee_detection
from ecredit.authz.principals import Principal
from ecredit.detection.engine import Lake
from ecredit.detection.finding import Finding
from ecredit.detection.run import Detector, DetectorSettings, plan, run_detector
from ecredit.jobs.registry import registry
from ecredit.jobs.service import JobService
from ecredit.kit.clock import Clock, SystemClock
from ecredit.kit.db import Database
from ecredit.kit.errors import Conflict, InvalidInput, NotFound
from ecredit.kit.paging import Page, PageRequest
from ecredit.models.detection import DetectionRun, DetectionStep, RunStatus, RunTrigger
from ecredit.models.jobs import Job, JobPriority
from ecredit.parameters.service import parameter_service

DETECT_JOB = "alert.detect"  # handled in ecredit.alert.jobs
STALE_PARAMETER = "detection.run_stale_hours"
ERROR_LENGTH = 4000
log = structlog.get_logger(__name__)


class RunProgress(Protocol):
    """What the caller is told while a run goes on (the CLI draws its progress bar from it)."""

    def planned(self, detectors: list[str]) -> None: ...

    def started(self, detector: str) -> None: ...

    def finished(self, step: DetectionStep) -> None: ...


class Quiet:
    """Progress nobody watches (the job)."""

    def planned(self, detectors: list[str]) -> None:
        pass

    def started(self, detector: str) -> None:
        pass

    def finished(self, step: DetectionStep) -> None:
        pass


@dataclass(frozen=True)
class _RunContext:
    """What the steps of one run share: its id, the thresholds in force when it started (as
    recorded, and as each detector's parameters) and the findings of the detectors so far."""

    run_id: int
    values: dict[str, Any]
    settings: DetectorSettings
    found: dict[str, list[Finding]]


@dataclass(frozen=True)
class RunRequest:
    trigger: RunTrigger
    detectors: Sequence[str] = ()  # empty: all
    requested_by: str | None = None  # default: the identity acting when the run starts


def planned(names: Sequence[str]) -> list[Detector]:
    """The detectors to run for `names`; an unknown name is refused naming the field."""
    try:
        return plan(names)
    except ValueError as exc:
        raise InvalidInput("detectors", "known_detector", str(exc)) from exc


def describe(exc: BaseException) -> str:
    """The exception's type and message, as a person reads it on the runs page."""
    text = "".join(traceback.format_exception_only(exc)).strip()
    return text[:ERROR_LENGTH] or type(exc).__name__


class DetectionRunService:
    def __init__(self, clock: Clock | None = None) -> None:
        self.clock = clock or SystemClock()

    def run(
        self, db: Database, lake: Lake, request: RunRequest, progress: RunProgress | None = None
    ) -> DetectionRun:
        """Run the requested detectors, raise their findings and record the run; returns it
        ended, succeeded or failed. Refused (409) before anything runs while another runs."""
        detectors = planned(request.detectors)
        run_id, values = self._claim(db, lake, request, [detector.name for detector in detectors])
        watcher = progress or Quiet()
        watcher.planned([detector.name for detector in detectors])
        context = _RunContext(run_id, values, thresholds.settings(values), {})
        for position, detector in enumerate(detectors):
            watcher.started(detector.name)
            try:
                step = self._step(db, lake, context, position, detector)
            except BaseException as exc:
                self._end(db, run_id, detector.name, describe(exc))
                if not isinstance(exc, Exception):
                    raise  # interrupted (Ctrl-C, shutdown): recorded, then let through
                log.exception("detection.failed", run_id=run_id, detector=detector.name)
                return self.ended(db, run_id)
            watcher.finished(step)
        self._end(db, run_id)
        return self.ended(db, run_id)

    def _claim(
        self, db: Database, lake: Lake, request: RunRequest, detectors: list[str]
    ) -> tuple[int, dict[str, Any]]:
        """The run recorded as running, with the thresholds in force for `detectors`."""
        now = self.clock.now()
        with db.unit_of_work() as session:
            self._abandon_stale(session, now)
            values = thresholds.read(session, detectors)
            run = DetectionRun(
                engine=lake.engine.value, trigger=request.trigger,
                requested=list(dict.fromkeys(request.detectors)),
                requested_by=request.requested_by or actor_of(session), parameters=values,
                status=RunStatus.RUNNING, running_slot=True, started_at=now, heartbeat_at=now,
            )  # fmt: skip
            try:
                with session.begin_nested():
                    session.add(run)
            except IntegrityError as exc:
                raise Conflict(_busy(repo.running(session))) from exc
            return run.id, values

    def _abandon_stale(self, session: Session, now: datetime) -> None:
        """Runs whose process died: failed, with the reason, and their slot freed."""
        hours = int(parameter_service.get(session, STALE_PARAMETER))
        for run in repo.stale(session, now - timedelta(hours=hours)):
            run.status, run.running_slot, run.finished_at = RunStatus.FAILED, None, now
            run.error = (
                f"abandoned: no detector finished for {hours} h after "
                f"{run.heartbeat_at:%Y-%m-%d %H:%M} UTC; its process had ended"
            )
        session.flush()

    def _step(
        self, db: Database, lake: Lake, run: _RunContext, position: int, detector: Detector
    ) -> DetectionStep:
        """One detector, then its alerts and its step in one transaction: they never disagree."""
        started = time.perf_counter()
        result = run_detector(lake, detector, run.found, run.settings)
        run.found[detector.name] = result.findings
        used = thresholds.of_detector(run.values, detector.name)
        with db.unit_of_work() as session:
            counts = alert_service.raise_findings(
                session, thresholds.stamped(result.findings, run.run_id, used)
            )
            step = DetectionStep(
                run_id=run.run_id, position=position, detector=detector.name,
                findings=len(result.findings), skipped=result.skipped,
                seconds=round(time.perf_counter() - started, 3), **counts.model_dump(),
            )  # fmt: skip
            session.add(step)
            session.get_one(DetectionRun, run.run_id).heartbeat_at = self.clock.now()
        return step

    def _end(
        self, db: Database, run_id: int, failed: str | None = None, error: str | None = None
    ) -> None:
        with db.unit_of_work() as session:
            run = session.get_one(DetectionRun, run_id)
            run.status = RunStatus.FAILED if error is not None else RunStatus.SUCCEEDED
            run.failed_detector, run.error = failed, error
            run.finished_at, run.running_slot = self.clock.now(), None

    def ended(self, db: Database, run_id: int) -> DetectionRun:
        """The run as recorded, with its steps (readable after the session closed)."""
        with db.unit_of_work() as session:
            return session.get_one(DetectionRun, run_id)

    def request(self, session: Session, principal: Principal, detectors: list[str]) -> Job:
        """Queue the job `alert.detect` for `detectors` on behalf of `principal` (flush only);
        409 while a run is running or one is already queued."""
        may_oversee_detection(principal).enforce()
        planned(detectors)
        self._abandon_stale(session, self.clock.now())
        busy = repo.running(session)
        if busy is not None:
            raise Conflict(_busy(busy))
        queued = repo.queued_job(session, DETECT_JOB)
        if queued is not None:
            raise Conflict(f"detectors: a detection run is already queued (job {queued.id}, "
                           f"due {queued.run_at:%Y-%m-%d %H:%M} UTC)")  # fmt: skip
        payload = {"only": detectors, "trigger": RunTrigger.API.value,
                   "requested_by": principal.actor}  # fmt: skip
        # Someone is waiting for it: ahead of any backlog of background jobs.
        return JobService(registry, self.clock).enqueue(
            session, DETECT_JOB, payload, priority=JobPriority.INTERACTIVE
        )

    def page(
        self, session: Session, principal: Principal, request: PageRequest
    ) -> Page[DetectionRun]:
        """Runs newest first."""
        may_oversee_detection(principal).enforce()
        return repo.page(session, request)

    def get(self, session: Session, run_id: int, principal: Principal) -> DetectionRun:
        may_oversee_detection(principal).enforce()
        run = session.get(DetectionRun, run_id)
        if run is None:
            raise NotFound(f"no detection run {run_id}")
        return run


def _busy(running: DetectionRun | None) -> str:
    if running is None:  # it ended between our insert and this read
        return "detectors: another detection run started at the same moment; try again"
    return (f"detectors: detection run {running.id} is running since "
            f"{running.started_at:%Y-%m-%d %H:%M:%S} UTC ({running.trigger.value}, "
            f"{running.requested_by}); wait for it to end")  # fmt: skip


detection_runs = DetectionRunService()
