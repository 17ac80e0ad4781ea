"""POST /api/v1/records/batch: per-row statuses, valid rows stored, a retry stores nothing twice."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from ecredit.audit.service import audit_service
from ecredit.authz.principals import Scope
from ecredit.kit.clock import FixedClock
from ecredit.ledger.canonical import canonical_record
from ecredit.models.jobs import Job, JobStatus
from ecredit.models.ledger import LedgerEntry, LedgerHead
from ecredit.models.org import OrgKind
from ecredit.models.record import CreditRecord, PenaltyKind
from ecredit.record.schemas import MAX_BATCH, RecordCreate
from tests.factories import records as rec
from tests.factories import subjects as make
from tests.factories.api import Api
from tests.record.conftest import TODAY, Desk, counts

BATCH = "/api/v1/records/batch"
WRITE = (Scope.RECORD_WRITE, Scope.RECORD_READ)


def _row(data: RecordCreate, **changes: Any) -> dict[str, Any]:
    return data.model_dump(mode="json", exclude_none=True) | changes


def _merchant(api: Api) -> int:
    with api.db.unit_of_work() as session:
        return make.enterprise(session, api.vault).id


def _mixed_rows(subject_id: int) -> list[dict[str, Any]]:
    valid = _row(rec.penalty(subject_id, TODAY))
    no_number = _row(rec.penalty(subject_id, TODAY))
    del no_number["decision_no"]
    return [
        valid,
        _row(rec.penalty(subject_id, TODAY), type_code="no_such_type"),
        {k: v for k, v in _row(rec.penalty(subject_id, TODAY)).items() if k != "summary"},
        no_number,
        valid | {"summary": "同一决定书再次出现"},
        _row(rec.samr_penalty(subject_id, PenaltyKind.FINE, TODAY)),
    ]


def _outcome(body: dict[str, Any]) -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (item["status"], [(p["field"], p["rule"]) for p in item["problems"]])
        for item in body["items"]
    ]


@pytest.fixture
def department_key(api: Api) -> dict[str, str]:
    return {"X-API-Key": api.key(WRITE, OrgKind.DEPARTMENT)}


class TestBatch:
    def test_reports_each_row_when_batch_mixed(
        self, api: Api, clocked: FixedClock, department_key: dict[str, str]
    ) -> None:
        rows = _mixed_rows(_merchant(api))
        before = counts(api.db)
        response = api.client.post(BATCH, json={"records": rows}, headers=department_key)
        assert response.status_code == 200, response.text
        body = response.json()
        assert _outcome(body) == [
            ("created", []),
            ("error", [("type_code", "catalogue")]),
            ("error", [("summary", "required")]),
            ("error", [("decision_no", "required")]),
            ("error", [("decision_no", "unique")]),
            ("created", []),
        ]
        assert (body["created"], body["duplicates"], body["errors"]) == (2, 0, 4)
        assert counts(api.db) == (before[0] + 2, before[1] + 2)
        created = [body["items"][i]["record_id"] for i in (0, 5)]
        for record_id, row in zip(created, (rows[0], rows[5]), strict=True):
            stored = api.client.get(f"/api/v1/records/{record_id}", headers=department_key)
            assert stored.json()["current"]["decision_no"] == row["decision_no"]
            assert stored.json()["current"]["summary"] == row["summary"]

    def test_valid_rows_reported_duplicate_when_batch_sent_again(
        self, api: Api, clocked: FixedClock, department_key: dict[str, str]
    ) -> None:
        rows = _mixed_rows(_merchant(api))
        first = api.client.post(BATCH, json={"records": rows}, headers=department_key).json()
        before = counts(api.db)
        again = api.client.post(BATCH, json={"records": rows}, headers=department_key)
        assert again.status_code == 200, again.text
        body = again.json()
        assert [item["status"] for item in body["items"]] == [
            "duplicate",
            "error",
            "error",
            "error",
            "duplicate",  # same number as row 0, which now exists
            "duplicate",
        ]
        ids = [body["items"][i]["record_id"] for i in (0, 4, 5)]
        first_ids = [first["items"][i]["record_id"] for i in (0, 0, 5)]
        assert ids == first_ids
        assert (body["created"], body["duplicates"], body["errors"]) == (0, 3, 3)
        assert counts(api.db) == before

    def test_row_forbidden_when_platform_batches_a_penalty(
        self, api: Api, clocked: FixedClock
    ) -> None:
        subject_id = _merchant(api)
        rows = [
            _row(rec.penalty(subject_id, TODAY)),
            _row(rec.dishonest(subject_id, TODAY, decision_no="平台处置〔2026〕1号")),
        ]
        headers = {"X-API-Key": api.key(WRITE, OrgKind.PLATFORM)}
        body = api.client.post(BATCH, json={"records": rows}, headers=headers).json()
        assert [item["status"] for item in body["items"]] == ["error", "created"]
        [problem] = body["items"][0]["problems"]
        assert problem["rule"] == "forbidden"
        assert "administrative_penalty" in problem["message"]

    def test_refused_whole_when_batch_exceeds_limit(
        self, api: Api, department_key: dict[str, str]
    ) -> None:
        row = _row(rec.penalty(_merchant(api), TODAY))
        rows = [row | {"decision_no": f"罚〔2026〕{n}号"} for n in range(MAX_BATCH + 1)]
        before = counts(api.db)
        response = api.client.post(BATCH, json={"records": rows}, headers=department_key)
        assert response.status_code == 422
        body = response.json()
        assert body["error"] == "invalid_input"
        assert [p["field"] for p in body["problems"]] == ["records"]
        assert counts(api.db) == before

    def test_accepted_when_batch_has_exactly_the_limit(
        self, api: Api, clocked: FixedClock, department_key: dict[str, str]
    ) -> None:
        row = _row(rec.penalty(_merchant(api), TODAY))
        rows = [row | {"decision_no": f"罚〔2026〕{n}号"} for n in range(MAX_BATCH)]
        response = api.client.post(BATCH, json={"records": rows}, headers=department_key)
        assert response.status_code == 200, response.text
        assert response.json()["created"] == MAX_BATCH

    def test_forbidden_when_key_lacks_record_write(self, api: Api) -> None:
        row = _row(rec.penalty(_merchant(api), TODAY))
        headers = {"X-API-Key": api.key((Scope.RECORD_READ,), OrgKind.DEPARTMENT)}
        response = api.client.post(BATCH, json={"records": [row]}, headers=headers)
        assert response.status_code == 403
        assert "record:write" in response.json()["message"]


class TestBatchStorage:
    """The batch path writes plain rows: what it stores must be what a single submission
    stores, read back through the ORM as every other reader does."""

    def test_ledger_hashes_record_as_read_back_when_rows_stored_in_bulk(self, desk: Desk) -> None:
        other = make.enterprise(desk.session, desk.vault)
        items = [
            rec.penalty(desk.merchant.id, TODAY, summary='虚构交易\t"编造"\\评价\n'),
            rec.penalty(other.uscc or "", TODAY, amount=Decimal("1E+3"), evidence_refs=["卷宗1"]),
            rec.samr_penalty(desk.merchant.id, PenaltyKind.CONFISCATION, TODAY),
        ]
        result = desk.records.submit_batch(desk.session, items, desk.department)
        assert result.created == 3
        ids = [item.record_id for item in result.items]
        desk.session.expire_all()
        for record_id in ids:
            record = desk.session.get_one(CreditRecord, record_id)
            entry = desk.session.scalars(
                select(LedgerEntry).where(LedgerEntry.record_id == record_id)
            ).one()
            assert entry.canonical.encode() == canonical_record(record)
        assert desk.session.get_one(CreditRecord, ids[1]).amount == Decimal("1000.00")
        head = desk.session.get_one(LedgerHead, 1)
        assert head.size == desk.counts()[1]

    def test_timeline_and_jobs_as_single_submission_when_rows_stored_in_bulk(
        self, desk: Desk
    ) -> None:
        items = [rec.penalty(desk.merchant.id, TODAY) for _ in range(3)]
        result = desk.records.submit_batch(desk.session, items, desk.department)
        single = desk.records.submit(desk.session, rec.penalty(desk.merchant.id, TODAY),
                                     desk.department)  # fmt: skip
        events = audit_service.timeline(desk.session, "subject", desk.merchant.id)
        stored = [(e.kind, e.summary, e.data) for e in events if e.kind == "record_original"]
        expected = [
            ("record_original", f"信用记录 administrative_penalty #{rid} original",
             {"record_id": rid})
            for rid in [*(item.record_id for item in result.items), single.id]
        ]  # fmt: skip
        assert stored == expected
        queued = desk.session.scalars(select(Job).where(Job.status == JobStatus.QUEUED))
        names = sorted(
            job.name for job in queued if job.payload == {"subject_id": desk.merchant.id}
        )
        assert names == ["listing.propose_for_subject", "scoring.evaluate_subject"]
