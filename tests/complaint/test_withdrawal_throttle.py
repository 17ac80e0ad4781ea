"""Guessing the filer's phone at the public withdrawal: wrong phones are counted per tracking
number and per client address in the database, past the limits every answer (a right one too)
is 429 with Retry-After until the lockout ends, a right phone clears the count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ecredit.kit.clock import FixedClock
from ecredit.models.throttle import AttemptCounter
from ecredit.parameters.registry import SPECS
from ecredit.parameters.service import parameter_service
from tests.complaint.conftest import FILED, PHONE
from tests.factories import subjects as make
from tests.factories.api import Api, running_app
from tests.factories.records import fixed_service

PUBLIC = "/api/v1/public"
LIMIT = SPECS["throttle.failures_per_target"].default
LOCKOUT = timedelta(minutes=SPECS["throttle.lockout_minutes"].default)
WRONG = ("13800000000", "13912345679", "139 1234 5670", "13700000001", "15900000000")


@dataclass
class Counter:
    """The public withdrawal of one app on a fixed clock, from any client address."""

    api: Api
    clock: FixedClock
    merchant_id: int

    def file(self, client: TestClient | None = None) -> str:
        body = {"respondent_subject_id": self.merchant_id, "category": "after_sales",
                "order_ref": "ORD-1", "amount": "120.00", "description": "七日无理由退货被拒绝。",
                "name": "欧阳娜娜", "phone": PHONE}  # fmt: skip
        answer = (client or self.api.client).post(f"{PUBLIC}/complaints", json=body)
        assert answer.status_code == 201, answer.text
        number: str = answer.json()["tracking_no"]
        return number

    def anonymous_report(self) -> str:
        body = {"respondent_subject_id": self.merchant_id, "category": "fake_reviews",
                "description": "该店铺组织刷单，雇人发布虚假好评。", "anonymous": True}  # fmt: skip
        answer = self.api.client.post(f"{PUBLIC}/reports", json=body)
        assert answer.status_code == 201, answer.text
        number: str = answer.json()["tracking_no"]
        return number

    def withdraw(self, number: str, phone: str, client: TestClient | None = None) -> httpx.Response:
        url = f"{PUBLIC}/complaints/{number}/withdraw"
        return (client or self.api.client).post(url, json={"phone": phone, "reason": "已和解"})

    def guesses(self, number: str, count: int, client: TestClient | None = None) -> list[int]:
        return [self.withdraw(number, WRONG[i % len(WRONG)], client).status_code
                for i in range(count)]  # fmt: skip

    def elsewhere(self, host: str) -> TestClient:
        """The same running app seen from another client address."""
        return TestClient(self.api.app, client=(host, 50000))


@pytest.fixture
def counter(api: Api) -> Counter:
    api.app.state.records, clock = fixed_service(FILED)
    with api.db.unit_of_work() as session:
        merchant = make.enterprise(session, api.vault)
    return Counter(api, clock, merchant.id)


def _refusal(answer: httpx.Response) -> dict[str, Any]:
    assert answer.status_code == 429, answer.text
    body: dict[str, Any] = answer.json()
    return {"error": body["error"], "rule": body["problems"][0]["rule"],
            "field": body["problems"][0]["field"],
            "retry_after": int(answer.headers["Retry-After"])}  # fmt: skip


class TestPerTrackingNumber:
    def test_refused_with_retry_after_when_wrong_phones_reach_the_limit(
        self, counter: Counter
    ) -> None:
        number = counter.file()
        assert counter.guesses(number, LIMIT) == [403] * LIMIT
        refused = counter.withdraw(number, WRONG[0])
        assert _refusal(refused) == {
            "error": "too_many_attempts", "rule": "throttle.failures_per_target",
            "field": "tracking_no", "retry_after": int(LOCKOUT.total_seconds()),
        }  # fmt: skip
        assert "5 wrong answers for this tracking_no within 15 minutes" in refused.json()["message"]

    def test_right_phone_refused_until_lockout_ends_when_locked(self, counter: Counter) -> None:
        number = counter.file()
        counter.guesses(number, LIMIT)
        counter.clock.advance(LOCKOUT - timedelta(seconds=1))
        still = counter.withdraw(number, PHONE)
        assert _refusal(still)["retry_after"] == 1
        counter.clock.advance(timedelta(seconds=1))
        done = counter.withdraw(number, PHONE)
        assert (done.status_code, done.json()["status"]) == (200, "withdrawn")

    def test_right_phone_works_and_clears_the_count_when_below_the_limit(
        self, counter: Counter
    ) -> None:
        first, second = counter.file(), counter.file()
        assert counter.guesses(first, LIMIT - 1) == [403] * (LIMIT - 1)
        assert counter.withdraw(first, PHONE).status_code == 200
        # cleared: the next wrong answers about it start from zero (a closed complaint still
        # checks the phone first, so the count is observable on it)
        assert counter.guesses(first, LIMIT) == [403] * LIMIT
        assert counter.withdraw(first, PHONE).status_code == 429
        assert counter.withdraw(second, PHONE).status_code == 200

    def test_other_tracking_number_unaffected_when_one_is_locked(self, counter: Counter) -> None:
        locked, other = counter.file(), counter.file()
        counter.guesses(locked, LIMIT + 3)
        assert counter.withdraw(other, WRONG[0]).status_code == 403
        assert counter.withdraw(other, PHONE).status_code == 200

    def test_count_restarts_when_window_passes_without_reaching_limit(
        self, counter: Counter
    ) -> None:
        number = counter.file()
        counter.guesses(number, LIMIT - 1)
        counter.clock.advance(timedelta(minutes=SPECS["throttle.window_minutes"].default))
        assert counter.guesses(number, LIMIT - 1) == [403] * (LIMIT - 1)
        assert counter.withdraw(number, PHONE).status_code == 200

    def test_counts_every_kind_of_wrong_answer_but_not_malformed_input(
        self, counter: Counter
    ) -> None:
        number, report = counter.file(), counter.anonymous_report()
        malformed = [counter.withdraw(number, phone).status_code
                     for phone in ("", "1380000000", "phone", "+86 139 1234 5678")]  # fmt: skip
        assert malformed == [422] * 4  # input alone decides these: no guess was made
        spaced = counter.withdraw(number, "139-1234-5670")  # one digit off, written differently
        assert spaced.status_code == 403
        assert counter.guesses(number, LIMIT - 1) == [403] * (LIMIT - 1)
        assert counter.withdraw(number, "139 1234 5678").status_code == 429
        assert counter.guesses(report, LIMIT) == [403] * LIMIT  # a report with no phone at all
        assert counter.withdraw(report, PHONE).status_code == 429

    def test_right_phone_accepted_when_written_with_spaces(self, counter: Counter) -> None:
        done = counter.withdraw(counter.file(), "139 1234-5678")
        assert (done.status_code, done.json()["status"]) == (200, "withdrawn")


class TestPerAddress:
    def test_address_refused_across_tracking_numbers_when_it_reaches_its_limit(
        self, counter: Counter
    ) -> None:
        with counter.api.db.unit_of_work() as session:
            parameter_service.set(session, "throttle.failures_per_address", 6, "test")
        numbers = [counter.file() for _ in range(3)]
        assert [counter.guesses(n, 2) for n in numbers] == [[403, 403]] * 3
        fresh = counter.file()
        refused = counter.withdraw(fresh, PHONE)
        assert _refusal(refused)["rule"] == "throttle.failures_per_address"
        assert _refusal(refused)["field"] == "client_address"
        elsewhere = counter.elsewhere("198.51.100.7")
        assert counter.withdraw(fresh, PHONE, elsewhere).status_code == 200

    def test_address_keeps_its_failures_when_a_right_phone_passes(self, counter: Counter) -> None:
        with counter.api.db.unit_of_work() as session:
            parameter_service.set(session, "throttle.failures_per_address", 4, "test")
        numbers = [counter.file() for _ in range(3)]
        counter.guesses(numbers[0], 2)
        assert counter.withdraw(numbers[1], PHONE).status_code == 200
        assert counter.guesses(numbers[2], 3) == [403, 403, 429]


class TestStorage:
    def test_lockout_holds_in_another_server_when_counted_in_the_first(
        self, counter: Counter
    ) -> None:
        number = counter.file()
        counter.guesses(number, LIMIT)
        with running_app(counter.api.settings, counter.api.db) as restarted:
            restarted.app.state.records = counter.api.app.state.records  # the same clock
            answer = restarted.client.post(f"{PUBLIC}/complaints/{number}/withdraw",
                                           json={"phone": PHONE, "reason": "已和解"})  # fmt: skip
        assert answer.status_code == 429

    def test_counters_are_rows_keyed_by_blind_index_when_counted(self, counter: Counter) -> None:
        number = counter.file()
        counter.guesses(number, 2)
        with counter.api.db.unit_of_work() as session:
            rows = list(session.scalars(select(AttemptCounter)))
        assert sorted(r.failures for r in rows) == [2, 2]
        assert all(number not in r.key and "testclient" not in r.key for r in rows)

    def test_expired_counters_are_pruned_when_later_attempts_come(self, counter: Counter) -> None:
        counter.guesses(counter.file(), 2)
        counter.clock.advance(timedelta(days=1))
        counter.guesses(counter.file(), 1)
        with counter.api.db.unit_of_work() as session:
            count = session.scalar(select(func.count()).select_from(AttemptCounter))
        assert count == 2  # the new target's and the address's; the old target's is gone
