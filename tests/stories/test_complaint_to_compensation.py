"""Issue 5's complaint story end to end, through the portal, the HTTP API and the job runner on
a controlled clock:

a consumer files a complaint in the portal and follows it by its tracking number → the platform
lets its settlement deadline pass, the hourly job escalates it to the department (once) → the
department accepts it and upholds it → the platform pays the consumer from its fund, referencing
the complaint → the seller's file holds the complaint_upheld record and, once the worker has run
the evaluation the record enqueued, the seller's grade has changed.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from ecredit.authz.principals import Scope
from ecredit.complaint import jobs as complaint_jobs
from ecredit.kit.clock import FixedClock
from ecredit.models.jobs import Job, JobStatus
from ecredit.models.org import OrgKind
from tests.factories import orgs
from tests.factories import webhooks as hooks
from tests.factories.api import Api
from tests.factories.records import noon
from tests.stories.support import StoryWorld, run_jobs
from tests.web.factories import csrf_token, verified

FILED = date(2026, 9, 30)  # the last working day before National Day 2026
PLATFORM_DUE = date(2026, 10, 20)  # 10 working days: 8-10 (a make-up Saturday), 12-16, 19, 20
PHONE = "13912345678"
NUMBER = re.compile(r'data-testid="tracking-number">([^<]+)<')
DEPARTMENT = (Scope.COMPLAINT_HANDLE, Scope.RECORD_READ, Scope.EVALUATION_RUN)
PLATFORM = (Scope.COMPLAINT_HANDLE, Scope.FUND_MANAGE, Scope.RECORD_READ)


@pytest.fixture
def story_clock(monkeypatch: pytest.MonkeyPatch) -> FixedClock:
    """The day the services and the escalation job see; it only moves when the story says."""
    clock = FixedClock(noon(FILED))
    monkeypatch.setattr(complaint_jobs, "clock", clock)
    return clock


class World(StoryWorld):
    """A market-regulation department, a platform with a consumer fund, a merchant on it."""

    def __init__(self, api: Api) -> None:
        with api.db.unit_of_work() as session:
            platform_org, platform = hooks.platform_org(session, api.vault)
            merchant = hooks.merchant_on(session, api.vault, platform)
            department = orgs.organisation(session, OrgKind.DEPARTMENT)
            department.department = "samr"
            verified(session, merchant, orgs.principal(department))  # a clean, verified file: B
            self.merchant_id = merchant.id
            _key, department_key = orgs.api_key(session, department, DEPARTMENT)
            _key, platform_key = orgs.api_key(session, platform_org, PLATFORM)
            self.platform_id = platform.id
        self.api = api
        self.department = {"X-API-Key": department_key}
        self.platform = {"X-API-Key": platform_key}


class TestComplaintToCompensationStory:
    def test_consumer_is_paid_and_seller_graded_when_platform_misses_deadline(
        self, api: Api, story_clock: FixedClock
    ) -> None:
        world = World(api)
        fund = world.call("POST", "/funds", world.platform,
                          {"platform_subject_id": world.platform_id})  # fmt: skip
        world.call("POST", f"/funds/{fund['id']}/contributions", world.platform,
                   {"amount": "20000.00", "idempotency_key": "deposit-2026"})  # fmt: skip
        world.call("POST", f"/subjects/{world.merchant_id}/evaluation", world.department)
        grade_before = world.grade()

        number = self._file_in_portal(world)
        assert "平台处理中" in api.client.get(f"/track/{number}").text

        story_clock.at = noon(PLATFORM_DUE)
        run_jobs(api, complaint_jobs.ESCALATE_JOB)  # the due day itself: nothing is late yet
        assert self._tracked(world, number)["status"] == "platform"
        story_clock.at = noon(PLATFORM_DUE + timedelta(days=1))
        run_jobs(api, complaint_jobs.ESCALATE_JOB)  # as the hourly schedule would
        run_jobs(api, complaint_jobs.ESCALATE_JOB)  # a second run escalates nothing twice
        tracked = self._tracked(world, number)
        assert (tracked["status"], tracked["escalation_level"]) == ("department", 1)
        assert [h["event"] for h in tracked["history"]] == ["platform", "overdue", "department"]

        for status in ("mediation", "upheld"):
            world.call("POST", f"/complaints/{number}/transitions", world.department,
                       {"status": status, "reason": "经调查，所售商品为假冒产品，情节严重",
                        "severity": "serious"})  # fmt: skip
        paid = world.call("POST", f"/complaints/{number}/compensation", world.platform,
                          {"amount": "399.00", "reason": "seller_refused"})  # fmt: skip
        self._paid_from_fund(world, fund["id"], number, paid)
        self._recorded_and_graded(world, number, grade_before)
        assert "属实" in api.client.get(f"/track/{number}").text
        with api.db.unit_of_work() as session:  # the worker ran everything it was given
            failed = session.scalars(select(Job.name).where(Job.status != JobStatus.DONE))
            assert list(failed) == []

    def _file_in_portal(self, world: World) -> str:
        client = world.api.client
        page = f"/complaints/new?respondent={world.merchant_id}"
        form = {"respondent_subject_id": str(world.merchant_id), "category": "quality",
                "order_ref": "ORD-20260930-0001", "amount": "399.00",
                "description": "购买的品牌电饭煲为假冒产品，商家拒绝退货退款。",
                "attachment_refs": "photo:label-1\nchat:refusal-1", "name": "欧阳娜娜",
                "phone": PHONE, "csrf_token": csrf_token(client, page)}  # fmt: skip
        receipt = client.post("/complaints/new", data=form)
        assert receipt.status_code == 201, receipt.text
        found = NUMBER.search(receipt.text)
        assert found is not None
        assert PLATFORM_DUE.isoformat() in receipt.text
        return found.group(1)

    def _tracked(self, world: World, number: str) -> dict[str, Any]:
        answer = world.api.client.get(f"/api/v1/public/complaints/{number}")
        assert answer.status_code == 200
        assert PHONE not in answer.text
        result: dict[str, Any] = answer.json()
        return result

    def _paid_from_fund(
        self, world: World, fund_id: int, number: str, paid: dict[str, Any]
    ) -> None:
        assert (paid["amount"], paid["consumer_masked"]) == ("399.00", "139****5678")
        again = world.api.client.post(f"/api/v1/complaints/{number}/compensation",
                                      json={"amount": "399.00", "reason": "seller_refused"},
                                      headers=world.platform)  # fmt: skip
        assert (again.status_code, again.json()["entry_id"]) == (200, paid["entry_id"])
        journal = world.call("GET", f"/funds/{fund_id}/entries", world.platform)["items"]
        assert [(e["kind"], e["complaint_ref"]) for e in journal] == [
            ("payout", number),
            ("contribution", None),
        ]  # newest first
        balances = world.call("GET", f"/funds/{fund_id}/balances", world.platform)
        assert balances["accounts"]["fund_cash"] == "19601.00"
        assert balances["receivables"] == [
            {"seller_subject_id": world.merchant_id, "receivable": "399.00"}
        ]
        detail = world.call("GET", f"/complaints/{number}", world.department)
        assert [p["entry_id"] for p in detail["payouts"]] == [paid["entry_id"]]

    def _recorded_and_graded(self, world: World, number: str, grade_before: str) -> None:
        detail = world.call("GET", f"/complaints/{number}", world.department)
        record = world.call("GET", f"/records/{detail['outcome_record_id']}", world.department)
        assert (record["type_code"], record["subject_id"]) == ("complaint_upheld",
                                                               world.merchant_id)  # fmt: skip
        assert (record["current"]["decision_no"], record["is_public"]) == (number, True)
        run_jobs(world.api)  # the evaluation the new record enqueued
        assert (grade_before, world.grade()) == ("B", "C")
