"""In one process: a committed change reaches the check's answer on the very next request."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.measure.repository import CheckRow
from ecredit.measure.runtime import CheckRuntime
from ecredit.models.listing import ListEntry, ListStatus
from ecredit.models.org import ApiKey, OrgKind
from ecredit.models.scoring import Grade
from ecredit.org.service import organisation_service
from tests.factories import subjects
from tests.factories.api import Api
from tests.measure import helpers

CHECKS = "/api/v1/checks"


def _check(api: Api, code: str, headers: dict[str, str]) -> dict[str, Any]:
    response = api.client.get(CHECKS, params={"code": code}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


class TestInProcessInvalidation:
    def test_membership_appears_when_entry_becomes_effective(self, api: Api, vault: Vault) -> None:
        with api.db.unit_of_work() as session:
            subject = subjects.enterprise(session, vault)
            entry = helpers.list_entry(session, subject.id, status=ListStatus.PUBLICISED)
        _org, headers = helpers.org_key(api, OrgKind.PLATFORM)
        assert _check(api, subject.uscc or "", headers)["memberships"] == []
        assert _check(api, subject.uscc or "", headers)["memberships"] == []  # now cached
        with api.db.unit_of_work() as session:
            stored = session.get(ListEntry, entry.id)
            assert stored is not None
            stored.status, stored.effective_from = ListStatus.EFFECTIVE, helpers.today()
        body = _check(api, subject.uscc or "", headers)
        assert [m["entry_id"] for m in body["memberships"]] == [entry.id]

    def test_grade_follows_when_re_evaluated(self, api: Api, vault: Vault) -> None:
        with api.db.unit_of_work() as session:
            subject = subjects.enterprise(session, vault)
            helpers.grade(session, subject.id, Grade.B, 700)
        _org, headers = helpers.org_key(api, OrgKind.DEPARTMENT, "samr")
        assert _check(api, subject.uscc or "", headers)["grade"]["grade"] == "B"
        with api.db.unit_of_work() as session:
            helpers.grade(session, subject.id, Grade.A, 910)
        assert _check(api, subject.uscc or "", headers)["grade"]["grade"] == "A"

    def test_unauthorized_at_once_when_key_revoked(self, api: Api, vault: Vault) -> None:
        with api.db.unit_of_work() as session:
            subject = subjects.enterprise(session, vault)
        _org, headers = helpers.org_key(api, OrgKind.PLATFORM)
        _check(api, subject.uscc or "", headers)
        with api.db.unit_of_work() as session:
            key = session.query(ApiKey).order_by(ApiKey.id.desc()).first()
            assert key is not None
            organisation_service.revoke_api_key(session, key.id)
        response = api.client.get(CHECKS, params={"code": subject.uscc}, headers=headers)
        assert response.status_code == 401


class TestRuntime:
    def test_cached_answer_dropped_when_marker_changes(self, db: Database, vault: Vault) -> None:
        runtime = CheckRuntime(db)
        with db.unit_of_work() as session:
            subject = subjects.enterprise(session, vault)
            runtime.poll(session)
            runtime.put("k", "answer", runtime.epoch())
            assert runtime.get("k") == "answer"
        # A change this process did not flush (as if another process committed it): only the
        # marker can tell. Written with Core, which bypasses the ORM flush listener.
        with db.unit_of_work() as session:
            _insert_entry_with_core(session, subject.id)
            assert runtime.get("k") == "answer"
            runtime.poll(session)
            assert runtime.get("k") is None

    def test_answer_not_kept_when_epoch_moved_while_computing(self, db: Database) -> None:
        runtime = CheckRuntime(db)
        epoch = runtime.epoch()
        with db.unit_of_work() as session:
            helpers.organisation(session, OrgKind.PLATFORM)
        runtime.put("k", "stale", epoch)
        assert runtime.get("k") is None

    def test_checks_flushed_inline_when_no_thread(self, db: Database) -> None:
        runtime = CheckRuntime(db, flush_interval=0.0)
        assert not runtime.threaded  # the test database is one connection: no thread
        with db.unit_of_work() as session:
            org = helpers.organisation(session, OrgKind.PLATFORM)
            runtime.record(_log_row(org.id))
            runtime.flush_due(session)
        assert runtime.pending() == 0


def _insert_entry_with_core(session: Session, subject_id: int) -> None:
    values = {
        "subject_id": subject_id, "list_kind": "watch_list", "status": "effective",
        "origin": "decision", "reason": "core", "version": 1,
        "created_at": helpers.utcnow(), "updated_at": helpers.utcnow(),
    }  # fmt: skip
    session.execute(ListEntry.__table__.insert().values(**values))


def _log_row(org_id: int) -> CheckRow:
    return (org_id, None, "code:x", "[]", "[]", helpers.utcnow())
