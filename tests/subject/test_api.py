"""The registry over HTTP: status codes, error bodies that name the rule, audit trails."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from ecredit.authz.principals import Scope
from ecredit.config import Settings
from ecredit.kit.db import Database
from ecredit.kit.masking import PersonalField, mask
from ecredit.models.audit import PersonalDataAccess
from ecredit.models.org import OrgKind
from ecredit.models.subject import Subject, VerificationStatus
from tests.factories import subjects as make
from tests.factories.api import Api, running_app
from tests.factories.website import ProofServer

SUBJECTS = "/api/v1/subjects"


def _count(db: Database, model: type[Any]) -> int:
    with db.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _enterprise(**values: Any) -> dict[str, Any]:
    return make.subject_create(**values).model_dump(mode="json", exclude_none=True)


def _person(number: str, phone: str) -> dict[str, Any]:
    return {"kind": "merchant", "merchant_form": "natural_person", "name": "张三丰"} | {
        "id_number": number,
        "phone": phone,
    }


def _prefix(key: str) -> str:
    return key.split("_")[1]


class TestRegisterApi:
    def test_created_when_valid_enterprise_posted(self, api: Api) -> None:
        body = _enterprise(name="本溪市明达电子商务有限公司")
        response = api.client.post(SUBJECTS, json=body, headers=api.headers(Scope.SUBJECT_WRITE))
        assert response.status_code == 201, response.text
        created = response.json()
        assert (created["uscc"], created["verification"]["status"]) == (body["uscc"], "unverified")
        fetched = api.client.get(
            f"{SUBJECTS}/{created['id']}", headers=api.headers(Scope.SUBJECT_READ)
        )
        assert fetched.json()["name"] == "本溪市明达电子商务有限公司"

    def test_masks_personal_data_when_person_registered(self, api: Api) -> None:
        number, phone = make.id_number(), make.phone_number()
        response = api.client.post(
            SUBJECTS, json=_person(number, phone), headers=api.headers(Scope.SUBJECT_WRITE)
        )
        assert response.status_code == 201
        assert response.json()["id_number_masked"] == mask(PersonalField.ID_NUMBER, number)
        assert response.json()["phone_masked"] == mask(PersonalField.PHONE, phone)
        assert number not in response.text
        assert phone not in response.text

    def test_names_rule_and_stores_nothing_when_uscc_check_wrong(self, api: Api) -> None:
        bad, expected = make.with_wrong_check_character(make.uscc_number())
        response = api.client.post(
            SUBJECTS, json=_enterprise(uscc=bad), headers=api.headers(Scope.SUBJECT_WRITE)
        )
        assert response.status_code == 422
        body = response.json()
        assert body["error"] == "invalid_input"
        [problem] = body["problems"]
        assert (problem["field"], problem["rule"]) == ("uscc", "check_character")
        assert f"should be '{expected}', got '{bad[-1]}'" in problem["message"]
        assert _count(api.db, Subject) == 0

    def test_names_field_when_payload_misses_kind(self, api: Api) -> None:
        body = _enterprise()
        del body["kind"]
        response = api.client.post(SUBJECTS, json=body, headers=api.headers(Scope.SUBJECT_WRITE))
        assert response.status_code == 422
        assert response.json()["error"] == "invalid_input"
        assert [(p["field"], p["rule"]) for p in response.json()["problems"]] == [
            ("kind", "missing")
        ]

    def test_conflict_when_uscc_registered_twice(self, api: Api) -> None:
        body, headers = _enterprise(), api.headers(Scope.SUBJECT_WRITE)
        assert api.client.post(SUBJECTS, json=body, headers=headers).status_code == 201
        response = api.client.post(SUBJECTS, json=body | {"name": "另一家公司"}, headers=headers)
        assert (response.status_code, response.json()["error"]) == (409, "conflict")
        assert _count(api.db, Subject) == 1

    @pytest.mark.parametrize("path", ["/999999", "/999999/shops", "/999999/history"])
    def test_not_found_when_subject_unknown(self, api: Api, path: str) -> None:
        response = api.client.get(SUBJECTS + path, headers=api.headers())
        assert (response.status_code, response.json()["error"]) == (404, "not_found")

    def test_pages_when_listing(self, api: Api) -> None:
        with api.db.unit_of_work() as session:
            ids = [make.enterprise(session, api.vault).id for _ in range(5)]
        headers = api.headers(Scope.SUBJECT_READ)
        page = api.client.get(SUBJECTS, params={"page": 2, "size": 2}, headers=headers).json()
        assert (page["total"], page["page"], page["size"]) == (5, 2, 2)
        assert [item["id"] for item in page["items"]] == ids[2:4]
        too_big = api.client.get(SUBJECTS, params={"size": 201}, headers=headers)
        assert too_big.status_code == 422
        assert too_big.json()["problems"][0]["field"] == "query.size"

    def test_finds_by_id_number_only_when_key_may_read_personal_data(self, api: Api) -> None:
        number = make.id_number()
        with api.db.unit_of_work() as session:
            make.natural_person(session, api.vault, id_number=number)
        plain = api.client.get(
            f"{SUBJECTS}/search", params={"q": number}, headers=api.headers(Scope.SUBJECT_READ)
        )
        personal = api.client.get(
            f"{SUBJECTS}/search",
            params={"q": number},
            headers=api.headers(Scope.SUBJECT_READ, Scope.PERSONAL_READ),
        )
        assert plain.json() == []
        assert [hit["matched_by"] for hit in personal.json()] == ["code"]


class TestAuditTrailApi:
    def test_history_shows_changes_by_api_key_when_subject_registered(self, api: Api) -> None:
        key = api.key([Scope.SUBJECT_WRITE, Scope.AUDIT_READ])
        number = make.id_number()
        created = api.client.post(
            SUBJECTS, json=_person(number, make.phone_number()), headers={"X-API-Key": key}
        ).json()
        api.client.patch(
            f"{SUBJECTS}/{created['id']}", json={"address": "平山区1号"}, headers={"X-API-Key": key}
        )
        response = api.client.get(f"{SUBJECTS}/{created['id']}/history", headers={"X-API-Key": key})
        assert response.status_code == 200
        changes, timeline = response.json()["changes"], response.json()["timeline"]
        assert [(c["action"], c["actor"]) for c in changes] == [
            ("create", f"apikey:{_prefix(key)}"),
            ("update", f"apikey:{_prefix(key)}"),
        ]
        assert changes[0]["after"]["id_number_sealed"] == "[redacted]"
        assert (changes[1]["before"], changes[1]["after"]) == (
            {"address": None},
            {"address": "平山区1号"},
        )
        assert [event["kind"] for event in timeline] == ["registered"]
        assert number not in response.text

    def test_requires_purpose_when_reading_personal_data(self, api: Api) -> None:
        with api.db.unit_of_work() as session:
            subject_id = make.natural_person(session, api.vault).id
        response = api.client.get(
            f"{SUBJECTS}/{subject_id}/personal-data", headers=api.headers(Scope.PERSONAL_READ)
        )
        assert response.status_code == 422
        assert response.json()["problems"][0]["field"] == "query.purpose"
        assert _count(api.db, PersonalDataAccess) == 0

    def test_returns_plaintext_and_logs_when_purpose_given(self, api: Api) -> None:
        number, phone = make.id_number(), make.phone_number()
        with api.db.unit_of_work() as session:
            subject_id = make.natural_person(session, api.vault, id_number=number, phone=phone).id
        key = api.key([Scope.PERSONAL_READ])
        response = api.client.get(
            f"{SUBJECTS}/{subject_id}/personal-data",
            params={"purpose": "投诉处理 2024-17"},
            headers={"X-API-Key": key},
        )
        assert response.json() == {"id_number": number, "phone": phone}
        with api.db.unit_of_work() as session:
            [access] = session.scalars(select(PersonalDataAccess)).all()
            assert (access.actor, access.subject_id, access.purpose) == (
                f"apikey:{_prefix(key)}",
                subject_id,
                "投诉处理 2024-17",
            )


class TestVerificationApi:
    def test_submits_and_decides_when_keys_hold_scopes(self, api: Api) -> None:
        with api.db.unit_of_work() as session:
            subject_id = make.enterprise(session, api.vault).id
        url = f"{SUBJECTS}/{subject_id}/verification"
        submitted = api.client.post(
            url,
            json={"method": "licence_check", "evidence_ref": "license.pdf"},
            headers=api.headers(Scope.SUBJECT_WRITE),
        )
        assert submitted.status_code == 200, submitted.text
        decided = api.client.post(
            f"{url}/decision",
            json={"decision": "verified"},
            headers=api.headers(Scope.SUBJECT_VERIFY, kind=OrgKind.DEPARTMENT),
        )
        assert decided.json()["to_status"] == "verified"
        events = api.client.get(f"{url}/events", headers=api.headers(Scope.SUBJECT_READ)).json()
        assert [(e["from_status"], e["to_status"]) for e in events] == [
            ("unverified", "pending"),
            ("pending", "verified"),
        ]
        mark = api.client.get(f"/api/v1/public/subjects/{subject_id}/verification-mark").json()
        assert (mark["verified"], mark["method"]) == (True, "licence_check")

    @pytest.mark.parametrize(
        ("kind", "body", "status"),
        [
            (OrgKind.PLATFORM, {"decision": "verified"}, 403),
            (OrgKind.DEPARTMENT, {"decision": "revoked", "reason": "x"}, 409),
            (OrgKind.DEPARTMENT, {"decision": "rejected"}, 422),
        ],
        ids=["platform", "forbidden-move", "no-reason"],
    )
    def test_refuses_decision_when_rule_broken(
        self, api: Api, kind: OrgKind, body: dict[str, str], status: int
    ) -> None:
        with api.db.unit_of_work() as session:
            subject = make.enterprise(session, api.vault)
            subject.verification_status = VerificationStatus.PENDING
            subject_id = subject.id
        response = api.client.post(
            f"{SUBJECTS}/{subject_id}/verification/decision",
            json=body,
            headers=api.headers(Scope.SUBJECT_VERIFY, kind=kind),
        )
        assert response.status_code == status, response.text


class TestShopsApi:
    def test_forbidden_when_platform_key_adds_shop_elsewhere(self, api: Api) -> None:
        with api.db.unit_of_work() as session:
            own, rival = make.platform(session, api.vault), make.platform(session, api.vault)
            merchant = make.enterprise(session, api.vault)
            ids = own.id, rival.id, merchant.id
        key = api.key([Scope.SUBJECT_WRITE], OrgKind.PLATFORM, subject_id=ids[0])
        shop = {"merchant_id": ids[2], "shop_code": "S1", "name": "旗舰店"}
        elsewhere = api.client.post(
            "/api/v1/shops", json=shop | {"platform_id": ids[1]}, headers={"X-API-Key": key}
        )
        at_home = api.client.post(
            "/api/v1/shops", json=shop | {"platform_id": ids[0]}, headers={"X-API-Key": key}
        )
        assert (elsewhere.status_code, at_home.status_code) == (403, 201)
        listed = api.client.get(f"{SUBJECTS}/{ids[2]}/shops", headers=api.headers()).json()
        assert [s["platform_id"] for s in listed] == [ids[0]]


class TestWebsiteApi:
    def test_verifies_claim_and_flags_lookalike_report(
        self, db: Database, website_settings: Settings, proof_server: ProofServer
    ) -> None:
        with running_app(website_settings, db) as api:
            with db.unit_of_work() as session:
                owner_id = make.enterprise(session, api.vault, name="淘宝网络有限公司").id
            headers = api.headers(Scope.SUBJECT_WRITE, Scope.SUBJECT_READ)
            claimed = api.client.post(
                f"{SUBJECTS}/{owner_id}/domains", json={"domain": "taobao.com"}, headers=headers
            )
            assert claimed.status_code == 201, claimed.text
            claim = claimed.json()["claim"]
            proof_server.content = claim["token"]
            checked = api.client.post(f"/api/v1/domain-claims/{claim['id']}/check", headers=headers)
            assert (checked.json()["status"], checked.json()["last_error"]) == ("verified", None)

            report = api.client.post("/api/v1/public/domain-reports", json={"domain": "ta0bao.com"})
            genuine = api.client.post(
                "/api/v1/public/domain-reports", json={"domain": "taobao.com"}
            )
            flags = api.client.get("/api/v1/domain-flags", headers=headers).json()
        assert report.status_code == 200
        assert (report.json()["verified"], report.json()["lookalikes"][0]["rule"]) == (
            False,
            "homoglyph",
        )
        assert (genuine.json()["owner_id"], genuine.json()["owner_name"]) == (
            owner_id,
            "淘宝网络有限公司",
        )
        assert [(f["domain"], f["resembles"]) for f in flags] == [("ta0bao.com", "taobao.com")]

    def test_names_rule_when_reported_domain_garbage(self, api: Api) -> None:
        response = api.client.post("/api/v1/public/domain-reports", json={"domain": "no domain"})
        assert response.status_code == 422
        assert response.json()["problems"][0] == {
            "field": "domain",
            "rule": "format",
            "message": "domain: 'no domain' is not a domain name like shop.example.cn",
        }
