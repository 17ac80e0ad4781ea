"""Credit records over HTTP: status codes, error bodies naming the rule, scopes, history."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ecredit.authz.principals import Scope
from ecredit.catalog.loader import load_catalog
from ecredit.kit.clock import FixedClock
from ecredit.models.org import OrgKind
from ecredit.models.record import PenaltyKind, Severity
from ecredit.record.schemas import RecordCreate
from tests.factories import records as rec
from tests.factories import subjects as make
from tests.factories.api import Api
from tests.record.conftest import TODAY, counts

RECORDS = "/api/v1/records"
RW = (Scope.RECORD_WRITE, Scope.RECORD_READ)


def _body(data: RecordCreate, **changes: Any) -> dict[str, Any]:
    return data.model_dump(mode="json", exclude_none=True) | changes


def _merchant(api: Api) -> int:
    with api.db.unit_of_work() as session:
        return make.enterprise(session, api.vault).id


def _assert_error_shape(body: dict[str, Any], error: str) -> None:
    assert set(body) == {"error", "message", "problems"}
    assert body["error"] == error
    assert body["message"]
    for problem in body["problems"]:
        assert set(problem) == {"field", "rule", "message"}


@pytest.fixture
def dept(api: Api) -> dict[str, str]:
    return {"X-API-Key": api.key(RW, OrgKind.DEPARTMENT)}


def _post(api: Api, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    response = api.client.post(RECORDS, json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


class TestSubmitApi:
    def test_created_with_its_window_when_penalty_posted(
        self, api: Api, clocked: FixedClock, dept: dict[str, str]
    ) -> None:
        body = _body(rec.penalty(_merchant(api), TODAY, severity=Severity.MINOR))
        created = _post(api, dept, body)
        current = created["current"]
        assert (current["public_from"], current["public_until"]) == ("2026-03-10", "2026-06-10")
        assert (created["status"], created["is_public"], created["type_name"]) == (
            "in_force",
            True,
            "行政处罚",
        )
        assert [e["action"] for e in created["history"]] == ["original"]
        assert created["source_org"]
        assert current["decision_no"] == body["decision_no"]

    def test_names_missing_fields_when_required_absent(
        self, api: Api, dept: dict[str, str]
    ) -> None:
        body = {"subject_id": _merchant(api), "type_code": "administrative_penalty"}
        response = api.client.post(RECORDS, json=body, headers=dept)
        assert response.status_code == 422
        _assert_error_shape(response.json(), "invalid_input")
        problems = [(p["field"], p["rule"]) for p in response.json()["problems"]]
        required = load_catalog().get("administrative_penalty").required_fields
        assert problems == [(name, "required") for name in required]

    def test_invalid_input_shape_when_payload_malformed(
        self, api: Api, dept: dict[str, str]
    ) -> None:
        body = {"type_code": "administrative_penalty", "amount": "-1"}
        response = api.client.post(RECORDS, json=body, headers=dept)
        assert response.status_code == 422
        _assert_error_shape(response.json(), "invalid_input")
        assert "amount" in [p["field"] for p in response.json()["problems"]]

    def test_forbidden_naming_the_rule_when_platform_posts_penalty(self, api: Api) -> None:
        body = _body(rec.penalty(_merchant(api), TODAY))
        before = counts(api.db)
        headers = {"X-API-Key": api.key(RW, OrgKind.PLATFORM)}
        response = api.client.post(RECORDS, json=body, headers=headers)
        assert response.status_code == 403
        _assert_error_shape(response.json(), "forbidden")
        assert "administrative_penalty" in response.json()["message"]
        assert counts(api.db) == before

    def test_conflict_when_decision_number_posted_twice(
        self, api: Api, dept: dict[str, str]
    ) -> None:
        body = _body(rec.penalty(_merchant(api), TODAY))
        _post(api, dept, body)
        response = api.client.post(RECORDS, json=body, headers=dept)
        assert response.status_code == 409
        _assert_error_shape(response.json(), "conflict")
        assert response.json()["message"].startswith("decision_no:")

    def test_unauthorised_when_no_key_sent(self, api: Api) -> None:
        body = _body(rec.penalty(_merchant(api), TODAY))
        response = api.client.post(RECORDS, json=body)
        assert response.status_code == 401
        _assert_error_shape(response.json(), "unauthorized")

    def test_forbidden_when_key_lacks_record_write(self, api: Api) -> None:
        body = _body(rec.penalty(_merchant(api), TODAY))
        before = counts(api.db)
        headers = {"X-API-Key": api.key((Scope.RECORD_READ,), OrgKind.DEPARTMENT)}
        response = api.client.post(RECORDS, json=body, headers=headers)
        assert response.status_code == 403
        assert "record:write" in response.json()["message"]
        assert counts(api.db) == before


class TestReadApi:
    def test_history_listed_when_record_corrected(
        self, api: Api, clocked: FixedClock, dept: dict[str, str]
    ) -> None:
        created = _post(api, dept, _body(rec.penalty(_merchant(api), TODAY)))
        url = f"{RECORDS}/{created['id']}"
        correction = {"reason": "金额笔误", "amount": "800.00"}
        corrected = api.client.post(f"{url}/corrections", json=correction, headers=dept)
        assert corrected.status_code == 201, corrected.text
        read = api.client.get(url, headers={"X-API-Key": api.key((Scope.RECORD_READ,))})
        assert read.status_code == 200
        body = read.json()
        assert [e["action"] for e in body["history"]] == ["original", "correction"]
        assert (body["current"]["amount"], body["history"][0]["amount"]) == ("800.00", "5000.00")
        by_entry = api.client.get(f"{RECORDS}/{body['current']['id']}", headers=dept).json()
        assert by_entry["id"] == created["id"]

    def test_not_found_when_record_unknown(self, api: Api, dept: dict[str, str]) -> None:
        response = api.client.get(f"{RECORDS}/987654", headers=dept)
        assert response.status_code == 404
        _assert_error_shape(response.json(), "not_found")

    def test_internal_file_includes_hidden_records_when_staff_read(
        self, api: Api, clocked: FixedClock, dept: dict[str, str]
    ) -> None:
        subject_id = _merchant(api)
        shown = _post(api, dept, _body(rec.penalty(subject_id, TODAY)))
        warning = rec.samr_penalty(subject_id, PenaltyKind.WARNING, TODAY)
        hidden = _post(api, dept, _body(warning))
        old = rec.penalty(subject_id, date(2025, 1, 10), severity=Severity.MINOR)
        expired = _post(api, dept, _body(old))
        revoked = _post(api, dept, _body(rec.penalty(subject_id, TODAY)))
        api.client.post(
            f"{RECORDS}/{revoked['id']}/revocations", json={"reason": "撤销"}, headers=dept
        )
        file = api.client.get(f"/api/v1/subjects/{subject_id}/records", headers=dept)
        assert file.status_code == 200
        rows = [(r["id"], r["status"], r["is_public"]) for r in file.json()]
        assert rows == [
            (shown["id"], "in_force", True),
            (hidden["id"], "in_force", False),
            (expired["id"], "expired", False),
            (revoked["id"], "revoked", False),
        ]
        public = api.client.get(f"/api/v1/public/subjects/{subject_id}/file").json()
        assert [r["id"] for g in public["groups"] for r in g["records"]] == [shown["id"]]

    def test_unauthorised_when_internal_file_read_without_key(self, api: Api) -> None:
        response = api.client.get(f"/api/v1/subjects/{_merchant(api)}/records")
        assert response.status_code == 401


class TestAmendApi:
    def test_revoked_then_conflict_when_revoked_record_corrected(
        self, api: Api, clocked: FixedClock, dept: dict[str, str]
    ) -> None:
        created = _post(api, dept, _body(rec.penalty(_merchant(api), TODAY)))
        url = f"{RECORDS}/{created['id']}"
        revoked = api.client.post(f"{url}/revocations", json={"reason": "复议撤销"}, headers=dept)
        assert revoked.status_code == 201, revoked.text
        assert (revoked.json()["status"], revoked.json()["is_public"]) == ("revoked", False)
        before = counts(api.db)
        again = api.client.post(
            f"{url}/corrections", json={"reason": "更正", "amount": "1.00"}, headers=dept
        )
        assert again.status_code == 409
        _assert_error_shape(again.json(), "conflict")
        assert counts(api.db) == before

    def test_hidden_after_effective_date_when_publicity_ended(
        self, api: Api, clocked: FixedClock, dept: dict[str, str]
    ) -> None:
        created = _post(api, dept, _body(rec.penalty(_merchant(api), TODAY)))
        url = f"{RECORDS}/{created['id']}/publicity-end"
        body = {"reason": "信用修复", "effective": "2026-03-09"}
        ended = api.client.post(url, json=body, headers=dept)
        assert ended.status_code == 201, ended.text
        assert (ended.json()["status"], ended.json()["is_public"]) == ("expired", False)
        assert [e["action"] for e in ended.json()["history"]] == ["original", "expiry"]
        assert ended.json()["public_until"] == "2026-03-09"
        assert ended.json()["public_from"] == created["public_from"]

    def test_forbidden_when_another_department_corrects(
        self, api: Api, dept: dict[str, str]
    ) -> None:
        created = _post(api, dept, _body(rec.penalty(_merchant(api), TODAY)))
        other = {"X-API-Key": api.key(RW, OrgKind.DEPARTMENT)}
        response = api.client.post(
            f"{RECORDS}/{created['id']}/corrections",
            json={"reason": "更正", "amount": "1.00"},
            headers=other,
        )
        assert response.status_code == 403
        _assert_error_shape(response.json(), "forbidden")

    def test_credit_office_corrects_when_not_the_recorder(
        self, api: Api, dept: dict[str, str]
    ) -> None:
        created = _post(api, dept, _body(rec.penalty(_merchant(api), TODAY)))
        office = {"X-API-Key": api.key(RW, OrgKind.CREDIT_OFFICE)}
        response = api.client.post(
            f"{RECORDS}/{created['id']}/corrections",
            json={"reason": "更正", "severity": "serious"},
            headers=office,
        )
        assert response.status_code == 201, response.text
        assert response.json()["current"]["severity"] == "serious"


class TestCatalogueApi:
    def test_lists_every_type_in_catalogue_order_when_asked_publicly(self, api: Api) -> None:
        response = api.client.get("/api/v1/public/catalog/record-types")
        assert response.status_code == 200
        catalog = load_catalog()
        body = response.json()
        assert [t["code"] for t in body] == list(catalog.codes())
        penalty = next(t for t in body if t["code"] == "administrative_penalty")
        assert penalty["submitters"] == ["department", "credit_office"]
        assert penalty["required_fields"] == list(
            catalog.get("administrative_penalty").required_fields
        )
