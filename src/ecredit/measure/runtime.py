"""The check's in-process machinery: a cache of answers, its invalidation, and the check log
buffer.

Cache: answers are kept per (query, caller's organisation kind, department) under an *epoch*.
The epoch changes — which drops every answer at once — when
- this process flushes a change to a list entry, grade, evaluation, subject, organisation or API
  key (an ORM `after_flush` listener: immediate, before the commit even), or
- the global change marker read from the database (`MeasureRepository.change_marker`) differs
  from the last one read, or the date in China changes (validity ends at midnight).
The marker is read every `poll_interval` (0.2 s) by a background thread in each server process,
so a change committed by any process reaches every process's answers within ~0.2 s (+ the time
of one read). If the thread falls behind (or does not run: a `Database` bound to one connection,
as the tests' rolled-back database is, cannot be shared with a thread) the first request that
finds the marker older than `stale_after` reads it inline before answering.

An answer computed while the epoch changed is not stored (it may predate the change).

Check log: each check appends a row to a buffer; the thread writes the buffer in one batch every
`flush_interval`, and `stop()` (the app's shutdown) writes what is left.
"""

from __future__ import annotations

import gc
import itertools
import threading
import time
from collections.abc import Hashable
from datetime import date
from typing import Any

import structlog
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from ecredit.authz import keycache
from ecredit.kit.clock import local_date
from ecredit.kit.db import Database
from ecredit.measure.repository import KEYS, CheckRow, measure_repository
from ecredit.models.base import utcnow
from ecredit.models.listing import ListEntry
from ecredit.models.org import ApiKey, Organisation
from ecredit.models.scoring import Evaluation, SubjectGrade
from ecredit.models.subject import Subject

log = structlog.get_logger(__name__)

WATCHED = (ListEntry, SubjectGrade, Evaluation, Subject, Organisation, ApiKey)
MAX_ANSWERS = 500_000

_local_changes = itertools.count(1)
_local_seen = [0]
_listening = threading.Lock()
_installed = [False]


def _after_flush(session: Session, _context: Any) -> None:
    touched = itertools.chain(session.new, session.dirty, session.deleted)
    if any(isinstance(item, WATCHED) for item in touched):
        _local_seen[0] = next(_local_changes)


def install_local_invalidation() -> None:
    with _listening:
        if not _installed[0]:
            event.listen(Session, "after_flush", _after_flush)
            _installed[0] = True


class CheckRuntime:
    """Answer cache + change marker + check log buffer of one server process."""

    def __init__(
        self,
        db: Database,
        poll_interval: float = 0.2,
        stale_after: float = 0.5,
        flush_interval: float = 0.5,
    ) -> None:
        install_local_invalidation()
        self.db = db
        self.poll_interval, self.stale_after = poll_interval, stale_after
        self.flush_interval = flush_interval
        self._answers: dict[Hashable, tuple[tuple[int, int], Any]] = {}
        self._marker: tuple[Any, ...] | None = None
        self._marker_epoch, self.last_poll, self._today = 0, 0.0, date.min
        self._log: list[tuple[float, CheckRow]] = []
        self._log_lock, self._poll_lock = threading.Lock(), threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ── the cache ────────────────────────────────────────────────────────────────────
    def epoch(self) -> tuple[int, int]:
        return (_local_seen[0], self._marker_epoch)

    def get(self, key: Hashable) -> Any | None:
        entry = self._answers.get(key)
        if entry is None or entry[0] != self.epoch():
            return None
        return entry[1]

    def put(self, key: Hashable, value: Any, epoch: tuple[int, int]) -> None:
        """Keep `value`, computed under `epoch` (taken before reading), unless it moved since."""
        if epoch != self.epoch():
            return
        if len(self._answers) >= MAX_ANSWERS:
            self._answers = {}
        self._answers[key] = (epoch, value)

    def today(self) -> date:
        return self._today if self._today != date.min else local_date(utcnow())

    # ── the change marker ────────────────────────────────────────────────────────────
    def ensure_fresh(self, session: Session) -> None:
        """Read the marker inline when the last read is older than `stale_after`."""
        if time.monotonic() - self.last_poll <= self.stale_after:
            return
        if self._poll_lock.acquire(blocking=False):
            try:
                self._poll(session)
            finally:
                self._poll_lock.release()

    def poll(self, session: Session) -> None:
        with self._poll_lock:
            self._poll(session)

    def _poll(self, session: Session) -> None:
        started = time.monotonic()
        marker = measure_repository.change_marker(session)
        today = local_date(utcnow())
        if self._marker is not None and marker[KEYS] != self._marker[KEYS]:
            keycache.bump_generation()  # a key or organisation changed somewhere: re-read keys
        elif self._marker is not None:
            keycache.confirm_all(started)
        if marker != self._marker or today != self._today:
            self._marker, self._today = marker, today
            self._marker_epoch += 1
            self._answers = {}
        self.last_poll = started

    # ── the check log ────────────────────────────────────────────────────────────────
    def record(self, row: CheckRow) -> None:
        with self._log_lock:
            self._log.append((time.monotonic(), row))

    def pending(self) -> int:
        return len(self._log)

    def flush(self, session: Session) -> int:
        """Write the buffered check log rows in `session` (the caller commits)."""
        with self._log_lock:
            rows, self._log = self._log, []
        measure_repository.add_checks(session, [row for _queued, row in rows])
        return len(rows)

    def flush_due(self, session: Session) -> None:
        """Inline flush (no background thread): when the oldest buffered row is old enough."""
        due = self._log and time.monotonic() - self._log[0][0] >= self.flush_interval
        if self._thread is None and due:
            self.flush(session)

    # ── the background thread ────────────────────────────────────────────────────────
    @property
    def threaded(self) -> bool:
        return isinstance(self.db.session_factory.kw.get("bind"), Engine)

    def start(self) -> None:
        # Start-up objects (routes, models, catalogues) live forever: freezing them keeps full
        # garbage collections from walking them under load, which showed as p99 spikes.
        gc.freeze()
        if self.threaded and self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="ecredit-check", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self._log:
            with self.db.unit_of_work() as session:
                self.flush(session)

    def _loop(self) -> None:
        # A fixed cadence: the marker is read every `poll_interval` however long the log write
        # takes, so the fast path (which needs a marker younger than `stale_after`) never lapses.
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                with self.db.unit_of_work() as session:
                    self.poll(session)
                with self.db.unit_of_work() as session:
                    self.flush(session)  # small batches, often: short GIL holds
            except Exception:
                log.exception("check.runtime_loop_failed")
            self._stop.wait(max(0.0, self.poll_interval - (time.monotonic() - started)))
