"""Issue 6's "done when" end to end, through the HTTP API, the job runner and the staff portal on
a controlled clock:

a platform uploads a month of orders (the demo lake's generator) holding a brushing episode at a
merchant's shop → the daily detection job runs over the lake and raises the alert → the alert is
in the staff portal's queue → a regulator confirms it there → the merchant's file holds an
order_brushing record and, once the worker has run the evaluation the record enqueued, the
merchant's grade has changed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from ecredit.alert import jobs as alert_jobs
from ecredit.authz.principals import Role, Scope
from ecredit.demo.lake_apply import ndjson
from ecredit.demo.lake_orders import month_orders
from ecredit.demo.lake_plan import PlatformCast, month_before
from ecredit.kit.clock import FixedClock
from ecredit.models.jobs import Job, JobStatus
from ecredit.models.org import OrgKind
from tests.factories import alerts as shops
from tests.factories import orgs
from tests.factories import subjects as make
from tests.factories import webhooks as hooks
from tests.factories.api import Api
from tests.factories.records import noon
from tests.stories.support import StoryWorld, run_jobs
from tests.web import factories as portal

TODAY = date(2026, 4, 1)  # the morning after the month the platform uploads
MERCHANT = "本溪市刷单测试商贸有限公司"
SHOP = "BX0000001"
OTHER_SHOPS = tuple(f"BX{n:07d}" for n in range(2, 13))  # not registered: trade only
DEPARTMENT = (Scope.RECORD_READ, Scope.EVALUATION_RUN, Scope.ALERT_READ)


@pytest.fixture
def story_clock() -> FixedClock:
    """The day the record service sees; decisions are dated by it."""
    return FixedClock(noon(TODAY))


class World(StoryWorld):
    """A platform, a verified merchant with a shop on it, a department and its regulator."""

    def __init__(self, api: Api) -> None:
        with api.db.unit_of_work() as session:
            platform_org, platform = hooks.platform_org(session, api.vault)
            merchant = make.enterprise(session, api.vault, name=MERCHANT)
            shops.shop(session, platform, merchant, SHOP)
            department = orgs.organisation(session, OrgKind.DEPARTMENT)
            department.department = "samr"
            portal.verified(session, merchant, orgs.principal(department))  # a clean file: B
            portal.staff_user(session, "regulator", Role.VERIFIER)
            _key, department_key = orgs.api_key(session, department, DEPARTMENT)
            _key, platform_key = orgs.api_key(session, platform_org, (Scope.LAKE_UPLOAD,))
            self.platform_id, self.merchant_id = platform.id, merchant.id
        self.api = api
        self.department = {"X-API-Key": department_key}
        self.platform = {"X-API-Key": platform_key}


class TestBrushingToGradeStory:
    def test_merchant_is_recorded_and_graded_when_regulator_confirms_brushing(
        self, api: Api, story_clock: FixedClock
    ) -> None:
        world = World(api)
        world.call("POST", f"/subjects/{world.merchant_id}/evaluation", world.department)
        grade_before = world.grade()

        orders = self._upload_month(world)
        run_jobs(api, alert_jobs.DETECT_JOB)  # the daily detection run
        run_jobs(api, alert_jobs.DETECT_JOB)  # a second run raises nothing twice
        alert = self._brushing_alert(world)
        assert alert["evidence"]["orders"] == sorted(
            o["order_id"] for o in orders if o["buyer_id"] in alert["evidence"]["buyers"]
        )

        self._confirm_in_portal(world, alert)
        self._recorded_and_graded(world, alert["id"], grade_before)
        with api.db.unit_of_work() as session:  # the worker ran everything it was given
            failed = session.scalars(select(Job.name).where(Job.status != JobStatus.DONE))
            assert list(failed) == []

    def _upload_month(self, world: World) -> list[dict[str, Any]]:
        """The platform's month of orders, the episode at the merchant's shop among them."""
        cast = PlatformCast("本溪测试平台", 1, (SHOP, *OTHER_SHOPS), brushing=SHOP)
        orders, _shipments = month_orders(cast, month_before(TODAY), seed=6)
        url = f"/api/v1/lake/orders/batches?platform_id={world.platform_id}&batch_key=2026-03"
        headers = world.platform | {"Content-Type": "application/x-ndjson"}
        sent = world.api.client.post(url, content=ndjson(orders), headers=headers)
        assert sent.status_code == 201, sent.text
        counts = sent.json()
        assert (counts["rows_accepted"], counts["rows_rejected"]) == (len(orders), 0)
        return orders

    def _brushing_alert(self, world: World) -> dict[str, Any]:
        found = world.call("GET", "/alerts?status=open", world.department)["items"]
        assert sorted(a["detector"] for a in found) == ["account_ring", "brushing"]
        alert: dict[str, Any] = next(a for a in found if a["detector"] == "brushing")
        assert (alert["shop_code"], alert["subject_id"]) == (SHOP, world.merchant_id)
        assert alert["score"] == 5.0  # 15 orders from 3 buyers within the hour
        return alert

    def _confirm_in_portal(self, world: World, alert: dict[str, Any]) -> None:
        client = world.api.client
        portal.login(client, "regulator")
        queue = client.get("/staff/alerts").text
        assert MERCHANT in queue
        assert SHOP in queue
        token = portal.csrf_token(client, "/staff/alerts")
        form = {"note": "平台订单数据核查属实", "csrf_token": token}
        done = client.post(f"/staff/alerts/{alert['id']}/confirm", data=form,
                           follow_redirects=False)  # fmt: skip
        assert done.status_code == 303, done.text
        assert "confirmed" in done.headers["location"]

    def _recorded_and_graded(self, world: World, alert_id: int, grade_before: str) -> None:
        alert = world.call("GET", f"/alerts/{alert_id}", world.department)
        assert alert["status"] == "confirmed"
        record = world.call("GET", f"/records/{alert['record_id']}", world.department)
        assert (record["type_code"], record["subject_id"]) == ("order_brushing",
                                                               world.merchant_id)  # fmt: skip
        assert record["current"]["decision_no"] == f"ALERT-{alert_id}"
        assert record["current"]["decision_date"] == TODAY.isoformat()
        assert "平台订单数据核查属实" in record["current"]["summary"]
        run_jobs(world.api)  # the evaluation the new record enqueued
        assert (grade_before, world.grade()) == ("B", "C")
