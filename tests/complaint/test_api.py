"""The JSON API: public filing with clear 422s, tracking by number, the handlers' routes and
who may call them, the logged contact read, advance compensation once per upheld complaint."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from ecredit.authz.principals import SYSTEM, Scope
from ecredit.complaint.tracking import PATTERN, normalise
from ecredit.fund.schemas import ContributionCreate
from ecredit.fund.service import fund_service
from ecredit.models.org import OrgKind
from tests.complaint.conftest import PHONE
from tests.factories import subjects as make
from tests.factories.api import Api
from tests.factories.commitments import shop

PUBLIC = "/api/v1/public"
HANDLER = (Scope.COMPLAINT_HANDLE, Scope.FUND_MANAGE)


@dataclass
class Parties:
    api: Api
    merchant_id: int
    platform_id: int
    department: dict[str, str]
    platform: dict[str, str]
    other_platform: dict[str, str]

    def file(self, **values: Any) -> dict[str, Any]:
        body = {"respondent_subject_id": self.merchant_id, "category": "after_sales",
                "order_ref": "ORD-1", "amount": "120.00", "description": "七日无理由退货被拒绝。",
                "name": "欧阳娜娜", "phone": PHONE} | values  # fmt: skip
        answer = self.api.client.post(f"{PUBLIC}/complaints", json=body)
        assert answer.status_code == 201, answer.text
        result: dict[str, Any] = answer.json()
        return result

    def move(self, number: str, status: str, headers: dict[str, str] | None = None) -> Any:
        return self.api.client.post(
            f"/api/v1/complaints/{number}/transitions",
            json={"status": status, "reason": "经查属实"}, headers=headers or self.department,
        )  # fmt: skip


@pytest.fixture
def parties(api: Api) -> Parties:
    with api.db.unit_of_work() as session:
        merchant, platform = make.enterprise(session, api.vault), make.platform(session, api.vault)
        other = make.platform(session, api.vault)
        shop(session, platform, merchant)
        fund = fund_service.create(session, SYSTEM, platform.id)
        money = ContributionCreate(amount=Decimal("5000.00"), idempotency_key="seed")
        fund_service.contribute(session, SYSTEM, fund.id, money)
        ids = merchant.id, platform.id, other.id
    department = {"X-API-Key": api.key(HANDLER, OrgKind.DEPARTMENT)}
    mine = {"X-API-Key": api.key(HANDLER, OrgKind.PLATFORM, subject_id=ids[1])}
    theirs = {"X-API-Key": api.key(HANDLER, OrgKind.PLATFORM, subject_id=ids[2])}
    return Parties(api, ids[0], ids[1], department, mine, theirs)


class TestFiling:
    def test_receipt_has_number_and_deadlines_but_no_contact_when_filed(
        self, parties: Parties
    ) -> None:
        receipt = parties.file()
        assert PATTERN.match(receipt["tracking_no"])
        assert receipt["status"] == "platform"
        assert [d["step"] for d in receipt["deadlines"]] == ["platform"]
        assert PHONE not in str(receipt)
        assert "欧阳" not in str(receipt)

    @pytest.mark.parametrize(
        ("change", "field", "words"),
        [
            ({"order_ref": None}, "", "order_ref: give the order number or the waybill number"),
            ({"phone": "12345"}, "phone", "11-digit mainland mobile number"),
            ({"description": "太差"}, "description", "at least 10 characters"),
            ({"respondent_subject_id": 99999}, "respondent_subject_id", "no subject 99999"),
            ({"category": "rude"}, "category", "category"),
        ],
    )
    def test_names_field_and_rule_when_input_bad(
        self, parties: Parties, change: dict[str, Any], field: str, words: str
    ) -> None:
        body = {"respondent_subject_id": parties.merchant_id, "category": "quality",
                "order_ref": "O-1", "description": "商品与描述严重不符。", "name": "张三",
                "phone": PHONE} | change  # fmt: skip
        answer = parties.api.client.post(f"{PUBLIC}/complaints", json=body)
        assert answer.status_code == 422
        assert words in answer.json()["message"]
        assert field in [p["field"] for p in answer.json()["problems"]]

    def test_anonymous_report_refuses_contact_when_given(self, parties: Parties) -> None:
        body = {"respondent_subject_id": parties.merchant_id, "category": "fake_reviews",
                "description": "组织刷单并发布虚假好评。", "anonymous": True,
                "phone": PHONE}  # fmt: skip
        answer = parties.api.client.post(f"{PUBLIC}/reports", json=body)
        assert answer.status_code == 422
        assert "anonymous report carries no name" in answer.json()["message"]

    def test_numbers_are_random_when_filed_one_after_another(self, parties: Parties) -> None:
        numbers = [parties.file()["tracking_no"] for _ in range(5)]
        assert len(set(numbers)) == 5
        assert len({n[3:7] for n in numbers}) > 1  # no shared counter prefix


class TestTracking:
    def test_shows_status_and_deadlines_when_number_typed_loosely(self, parties: Parties) -> None:
        number = parties.file()["tracking_no"]
        typed = number.lower().replace("-", " ")
        body = parties.api.client.get(f"{PUBLIC}/complaints/{typed}").json()
        assert (body["tracking_no"], body["status"]) == (number, "platform")
        assert [h["event"] for h in body["history"]] == ["platform"]
        assert PHONE not in str(body)

    def test_not_found_when_number_unknown_or_malformed(self, parties: Parties) -> None:
        for number in ("TS-0000-0000-0000", "12345"):
            assert parties.api.client.get(f"{PUBLIC}/complaints/{number}").status_code == 404

    def test_normalises_letters_people_confuse(self) -> None:
        assert normalise("ts-oil1-2345-6789") == "TS-0111-2345-6789"
        assert normalise("XX-1234-5678-9ABC") is None

    def test_filer_withdraws_only_with_own_phone(self, parties: Parties) -> None:
        number = parties.file()["tracking_no"]
        url = f"{PUBLIC}/complaints/{number}/withdraw"
        wrong = parties.api.client.post(url, json={"phone": "13800000000", "reason": "已和解"})
        assert wrong.status_code == 403
        right = parties.api.client.post(url, json={"phone": PHONE, "reason": "已和解"})
        assert (right.status_code, right.json()["status"]) == (200, "withdrawn")


class TestHandlers:
    def test_platform_sees_only_its_own_when_listing(self, parties: Parties) -> None:
        number = parties.file()["tracking_no"]
        client = parties.api.client
        mine = client.get("/api/v1/complaints", headers=parties.platform).json()
        theirs = client.get("/api/v1/complaints", headers=parties.other_platform).json()
        assert [c["tracking_no"] for c in mine] == [number]
        assert theirs == []
        detail = client.get(f"/api/v1/complaints/{number}", headers=parties.other_platform)
        assert detail.status_code == 403

    def test_conflict_names_the_rule_when_move_forbidden(self, parties: Parties) -> None:
        number = parties.file()["tracking_no"]
        answer = parties.move(number, "upheld")
        assert answer.status_code == 409
        assert "cannot move from 'platform' to 'upheld'" in answer.json()["message"]

    def test_platform_cannot_decide_when_at_department(self, parties: Parties) -> None:
        number = parties.file()["tracking_no"]
        assert parties.move(number, "department", parties.platform).status_code == 200
        assert parties.move(number, "mediation", parties.platform).status_code == 403

    def test_contact_needs_personal_scope_when_read(self, parties: Parties) -> None:
        number = parties.file()["tracking_no"]
        url = f"/api/v1/complaints/{number}/contact"
        assert parties.api.client.get(url, headers=parties.department).status_code == 403
        reader = {"X-API-Key": parties.api.key((Scope.PERSONAL_READ,), OrgKind.DEPARTMENT)}
        assert parties.api.client.get(url, headers=reader).json()["phone"] == PHONE


class TestCompensation:
    def _upheld(self, parties: Parties) -> str:
        number: str = parties.file()["tracking_no"]
        for status in ("department", "mediation", "partly_upheld"):
            assert parties.move(number, status).status_code == 200
        return number

    def test_pays_once_and_shows_payout_when_upheld(self, parties: Parties) -> None:
        number, client = self._upheld(parties), parties.api.client
        url = f"/api/v1/complaints/{number}/compensation"
        body = {"amount": "120.00", "reason": "seller_refused"}
        first = client.post(url, json=body, headers=parties.platform)
        again = client.post(url, json=body, headers=parties.platform)
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json()["entry_id"] == again.json()["entry_id"]
        assert first.json()["consumer_masked"] == "139****5678"
        detail = client.get(f"/api/v1/complaints/{number}", headers=parties.department).json()
        assert [(p["amount"], p["reason"]) for p in detail["payouts"]] == [
            ("120.00", "seller_refused")
        ]

    def test_conflict_when_complaint_not_upheld(self, parties: Parties) -> None:
        number = parties.file()["tracking_no"]
        body = {"amount": "50.00", "reason": "seller_unreachable"}
        answer = parties.api.client.post(
            f"/api/v1/complaints/{number}/compensation", json=body, headers=parties.department
        )
        assert answer.status_code == 409
        assert "only on an upheld" in answer.json()["message"]

    def test_refused_when_more_than_claimed_or_other_platform_pays(self, parties: Parties) -> None:
        number, client = self._upheld(parties), parties.api.client
        url = f"/api/v1/complaints/{number}/compensation"
        too_much = client.post(url, json={"amount": "999.00", "reason": "seller_refused"},
                               headers=parties.department)  # fmt: skip
        assert too_much.status_code == 422
        assert too_much.json()["problems"][0]["field"] == "amount"
        body = {"amount": "10.00", "reason": "seller_refused"}
        assert client.post(url, json=body, headers=parties.other_platform).status_code == 403
