"""Two conflicting transitions of one entry at the same time: exactly one wins, the other is a
409, and only the winner's notice and events exist.

These tests need two real connections, so they work on a committed setup (not the rolled-back
`db` fixture) and delete what they made afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from ecredit.authz.principals import SYSTEM
from ecredit.kit.db import Database
from ecredit.kit.errors import AppError, Conflict
from ecredit.listing.service import ListingService
from ecredit.models.audit import ChangeRecord, TimelineEvent
from ecredit.models.jobs import Job
from ecredit.models.listing import ListEntry, ListStatus
from ecredit.models.notice import Notice
from ecredit.models.subject import Subject, SubjectKind
from tests.factories import lists
from tests.factories import subjects as make

# Deleted in this order afterwards: rows with an id above the one seen before the test.
MADE = (Notice, TimelineEvent, Job, ChangeRecord, ListEntry, Subject)


@dataclass
class Setup:
    db: Database
    entry_id: int


def _max_ids(session: Session) -> dict[type, int]:
    return {model: session.scalar(select(func.max(model.id))) or 0 for model in MADE}  # type: ignore[attr-defined]


@pytest.fixture
def committed(engine: Engine) -> Iterator[Setup]:
    db = Database(engine)
    with db.unit_of_work() as session:
        before = _max_ids(session)
        subject = Subject(
            kind=SubjectKind.MERCHANT, name="本溪并发测试有限公司", uscc=make.uscc_number()
        )
        session.add(subject)
        session.flush()
        entry = ListEntry(
            subject_id=subject.id,
            list_kind="ecommerce_serious_dishonesty",
            status=ListStatus.UNDER_REVIEW,
            origin="decision",
            reason="刷单炒信",
        )
        session.add(entry)
        session.flush()
        entry_id = entry.id
    try:
        yield Setup(db, entry_id)
    finally:
        with db.unit_of_work() as session:
            for model in MADE:
                session.execute(delete(model).where(model.id > before[model]))  # type: ignore[attr-defined]


def _outcome(db: Database, entry_id: int) -> tuple[ListStatus, int, list[str]]:
    with db.unit_of_work() as session:
        entry = session.get_one(ListEntry, entry_id)
        kinds = session.scalars(select(Notice.kind).where(Notice.entity_id == entry_id)).all()
        return entry.status, entry.version, list(kinds)


class TestConcurrentTransitions:
    def test_second_gets_conflict_when_first_committed_meanwhile(self, committed: Setup) -> None:
        service = lists.service_on()
        with committed.db.unit_of_work() as late:
            # Read (and hold) the entry before the other request commits.
            stale = late.get_one(ListEntry, committed.entry_id)
            with committed.db.unit_of_work() as first:
                service.transition(first, committed.entry_id, ListStatus.PUBLICISED, None, SYSTEM)
            assert stale.version == 1
            with pytest.raises(Conflict) as caught:
                service.transition(late, committed.entry_id, ListStatus.REJECTED, "驳回", SYSTEM)
            late.rollback()
        assert caught.value.status_code == 409
        assert _outcome(committed.db, committed.entry_id) == (
            ListStatus.PUBLICISED,
            2,
            ["list_publicised"],
        )

    def test_exactly_one_winner_when_two_threads_race(self, committed: Setup) -> None:
        service: ListingService = lists.service_on()
        barrier = threading.Barrier(2, timeout=30)
        results: dict[ListStatus, str] = {}

        def attempt(target: ListStatus) -> None:
            try:
                with committed.db.unit_of_work() as session:
                    held = session.get_one(ListEntry, committed.entry_id)
                    assert held.version == 1
                    barrier.wait()  # both have read version 1 before either writes
                    service.transition(session, committed.entry_id, target, "并发", SYSTEM)
                results[target] = "won"
            except AppError as exc:
                results[target] = f"{exc.status_code}"
            except Exception as exc:  # anything else is a failure the assertion shows
                results[target] = repr(exc)

        threads = [
            threading.Thread(target=attempt, args=(target,))
            for target in (ListStatus.PUBLICISED, ListStatus.REJECTED)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert sorted(results.values()) == ["409", "won"]
        [winner] = [target for target, result in results.items() if result == "won"]
        assert _outcome(committed.db, committed.entry_id) == (winner, 2, [f"list_{winner.value}"])
