"""Issue 4's story end to end, through the HTTP API, the job runner and a real webhook receiver:

a department records a serious penalty → the black list is proposed by criteria, reviewed,
publicised and made effective → a department's check answers the punishments for its kind of
organisation, it reports one applied and the feedback counts show it → the merchant files a
repair, staff grant it within the deadline, the entry is removed → the subscribed platform got
every change once, and the public view told the right story at every step.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from ecredit.authz.principals import Scope
from ecredit.config import Settings
from ecredit.jobs.registry import registry
from ecredit.jobs.service import JobService
from ecredit.kit.clock import FixedClock
from ecredit.kit.db import Database
from ecredit.listing.service import listing_service
from ecredit.models.org import OrgKind
from ecredit.models.subject import Subject
from ecredit.subscription.signing import verify
from tests.factories import orgs
from tests.factories import webhooks as hooks
from tests.factories.api import Api, running_app
from tests.factories.webhooks import Receiver
from tests.factories.webhooks import receiver as receiver  # a fixture, used by name

PUBLIC = "/api/v1/public"
DEPARTMENT_SCOPES = (
    Scope.RECORD_READ, Scope.RECORD_WRITE, Scope.LIST_PROPOSE, Scope.LIST_DECIDE,
    Scope.CHECK_READ, Scope.MEASURE_FEEDBACK, Scope.REPAIR_DECIDE,
)  # fmt: skip


@pytest.fixture
def story_clock(monkeypatch: pytest.MonkeyPatch) -> FixedClock:
    """One clock for the services that date things. The story starts 30 days ago, so that the
    publicity period has ended by today (the check and the jobs run on the real clock)."""
    clock = FixedClock(datetime.now(UTC) - timedelta(days=30))
    monkeypatch.setattr(listing_service, "clock", clock)
    return clock


@pytest.fixture
def api(settings: Settings, db: Database, story_clock: FixedClock) -> Iterator[Api]:
    allowed = settings.model_copy(update={"webhook_allow_http": True})
    with running_app(allowed, db) as running:
        running.app.state.records.clock = story_clock
        yield running


class World:
    """The people of the story: a market-regulation department, a platform and its merchant."""

    def __init__(self, api: Api, receiver: Receiver) -> None:
        with api.db.unit_of_work() as session:
            platform_org, platform = hooks.platform_org(session, api.vault)
            self.merchant: Subject = hooks.merchant_on(session, api.vault, platform)
            department = orgs.organisation(session, OrgKind.DEPARTMENT)
            department.department = "samr"
            _key, self.key = orgs.api_key(session, department, DEPARTMENT_SCOPES)
            _subscription, self.secret = hooks.subscribe(
                session, api.settings, api.vault, platform_org, receiver.url
            )
        self.api, self.headers = api, {"X-API-Key": self.key}

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = self.api.client.post(f"/api/v1{path}", json=body, headers=self.headers)
        assert answer.status_code in (200, 201), answer.text
        result: dict[str, Any] = answer.json()
        return result

    def get(self, path: str, **params: Any) -> Any:
        answer = self.api.client.get(f"/api/v1{path}", params=params, headers=self.headers)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def public_lists(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.get(f"/public/subjects/{self.merchant.id}/lists")
        return result

    def move(self, entry_id: int, status: str) -> dict[str, Any]:
        return self.post(f"/list-entries/{entry_id}/transitions", {"status": status,
                                                                   "reason": "经审查"})  # fmt: skip


def run_jobs(api: Api) -> None:
    """Every job due now (a minute ahead, so the ones just enqueued are due)."""
    clock = FixedClock(datetime.now(UTC) + timedelta(minutes=1))
    runner = JobService(registry, clock=clock, settings=api.app.state.settings)
    runner.run_due(api.db, limit=1000)


def penalty(world: World, today: date) -> dict[str, Any]:
    return {
        "subject_id": world.merchant.id,
        "type_code": "administrative_penalty",
        "severity": "serious",
        "legal_basis": "《中华人民共和国电子商务法》第七十七条",
        "decision_no": "本市监罚〔2026〕88号",
        "decision_date": today.isoformat(),
        "penalty_kind": "fine",
        "amount": "200000.00",
        "summary": "组织虚假交易、编造用户评价",
    }


class TestBlackListToRepairStory:
    def test_every_step_is_told_right_and_delivered_once(
        self, api: Api, receiver: Receiver, story_clock: FixedClock
    ) -> None:
        world = World(api, receiver)
        today = api.app.state.records.today()
        world.post("/records", penalty(world, today))
        run_jobs(api)  # evaluation, then the list proposal by criteria

        queue = world.get("/list-entries", status="proposed")["items"]
        proposed = [e for e in queue if e["subject_id"] == world.merchant.id]
        # The serious penalty proposes the black list; the grade it causes (D), the watch list.
        kinds = {e["list_kind"]: e["id"] for e in proposed}
        assert sorted(kinds) == ["ecommerce_serious_dishonesty", "watch_list"]
        entry_id = kinds["ecommerce_serious_dishonesty"]
        assert world.public_lists() == []  # a proposal is not public

        world.move(entry_id, "under_review")
        publicised = world.move(entry_id, "publicised")
        assert [m["status"] for m in world.public_lists()] == ["publicised"]

        story_clock.at = datetime.now(UTC)  # today: the publicity period is over
        world.move(entry_id, "effective")
        assert [m["status"] for m in world.public_lists()] == ["effective"]
        assert publicised["publicity_until"] < story_clock.now().date().isoformat()

        self._check_and_report(world, entry_id)
        self._repair(world, entry_id, story_clock)
        assert world.public_lists() == []

        run_jobs(api)
        run_jobs(api)  # a second run must deliver nothing twice
        self._delivered_once(world, receiver)

    def _check_and_report(self, world: World, entry_id: int) -> None:
        code = world.merchant.uscc
        check = world.get("/checks", code=code)
        assert [m["entry_id"] for m in check["memberships"]] == [entry_id]
        assert check["measures"], "a department must be told its punishments"
        assert all(m["kind"] == "punishment" for m in check["measures"])
        measure = check["measures"][0]["code"]
        report = {"list_entry_id": entry_id, "measure_code": measure, "outcome": "applied",
                  "check_id": check["check_id"]}  # fmt: skip
        world.post("/measure-feedback", report)
        rows = {row["key"]: row for row in world.get("/measure-stats", by="measure")}
        assert rows[measure]["applied"] == 1

    def _repair(self, world: World, entry_id: int, clock: FixedClock) -> None:
        filing = {
            "kind": "repair", "target": "list_entry", "list_entry_id": entry_id,
            "grounds": "已全额缴纳罚款并完成整改", "evidence_refs": ["缴款凭证-001"],
            "uscc": world.merchant.uscc, "contact_name": "王经理", "contact_phone": "13800138000",
        }  # fmt: skip
        receipt = world.api.client.post(f"{PUBLIC}/subjects/{world.merchant.id}/cases", json=filing)
        assert receipt.status_code == 201, receipt.text
        case_id = receipt.json()["id"]
        world.post(f"/repair-cases/{case_id}/acknowledge", {})
        decided = world.post(f"/repair-cases/{case_id}/decision",
                             {"decision": "granted", "reason": "整改到位"})  # fmt: skip
        assert decided["status"] == "granted"
        assert decided["decision_due"] >= clock.now().date().isoformat()
        entry = world.get(f"/list-entries/{entry_id}")
        assert entry["status"] == "removed"

    def _delivered_once(self, world: World, receiver: Receiver) -> None:
        got = receiver.succeeded
        types = [item.headers["X-Ecredit-Event-Type"] for item in got]
        for step in ("under_review", "publicised", "effective", "removed"):
            assert types.count(f"list_entry.{step}") == 1, types
        ids = [item.headers["X-Ecredit-Event-Id"] for item in got]
        assert len(ids) == len(set(ids))
        for item in got:
            timestamp = item.headers["X-Ecredit-Timestamp"]
            signature = item.headers["X-Ecredit-Signature"]
            assert verify(world.secret, timestamp, item.body, signature)
