"""The check: memberships, grade and the measures of the caller's kind, on both databases."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ecredit.kit.crypto import Vault
from ecredit.models.listing import ListStatus
from ecredit.models.measure import CheckLog
from ecredit.models.org import OrgKind
from ecredit.models.scoring import Grade
from ecredit.models.subject import Subject, SubjectKind
from tests.factories import subjects
from tests.factories.api import Api, running_app
from tests.measure import helpers

CHECKS = "/api/v1/checks"


def _subject(api: Api, vault: Vault, **values: Any) -> Subject:
    with api.db.unit_of_work() as session:
        return subjects.enterprise(session, vault, **values)


def _codes(body: dict[str, Any]) -> list[str]:
    return sorted(measure["code"] for measure in body["measures"])


class TestCheckAnswer:
    def test_department_gets_its_punishments_when_subject_black_listed(
        self, api: Api, vault: Vault
    ) -> None:
        subject = _subject(api, vault)
        with api.db.unit_of_work() as session:
            entry = helpers.list_entry(session, subject.id)
            helpers.grade(session, subject.id, Grade.D, 310)
        _org, headers = helpers.org_key(api, OrgKind.DEPARTMENT, "samr")
        response = api.client.get(CHECKS, params={"code": subject.uscc}, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["subject"] == {
            "id": subject.id, "name": subject.name, "code": subject.uscc, "kind": "merchant"
        }  # fmt: skip
        assert body["grade"]["grade"] == "D"
        assert body["grade"]["score"] == 310
        [membership] = body["memberships"]
        assert membership["entry_id"] == entry.id
        assert membership["colour"] == "black"
        assert _codes(body) == [
            "ban_senior_positions", "business_restriction", "more_frequent_inspection"
        ]  # fmt: skip
        assert {m["entry_id"] for m in body["measures"]} == {entry.id}
        assert body["check_id"]
        assert body["checked_at"]

    def test_department_sees_only_its_department_measures_when_commerce(
        self, api: Api, vault: Vault
    ) -> None:
        subject = _subject(api, vault)
        with api.db.unit_of_work() as session:
            helpers.list_entry(session, subject.id)
        _org, headers = helpers.org_key(api, OrgKind.DEPARTMENT, "commerce")
        body = api.client.get(CHECKS, params={"code": subject.uscc}, headers=headers).json()
        assert _codes(body) == ["business_restriction", "more_frequent_inspection"]

    def test_platform_gets_platform_measures_when_black_listed(
        self, api: Api, vault: Vault
    ) -> None:
        subject = _subject(api, vault)
        with api.db.unit_of_work() as session:
            helpers.list_entry(session, subject.id)
        _org, headers = helpers.org_key(api, OrgKind.PLATFORM)
        body = api.client.get(CHECKS, params={"code": subject.uscc}, headers=headers).json()
        assert _codes(body) == [
            "platform_block_or_close_shop", "platform_lower_grade", "platform_restrict_entry",
            "platform_seal_shop", "public_exposure",
        ]  # fmt: skip

    def test_platform_is_told_to_refuse_carrier_when_logistics_black_listed(
        self, api: Api, vault: Vault
    ) -> None:
        with api.db.unit_of_work() as session:
            carrier = subjects.register(session, vault, SubjectKind.LOGISTICS)
            helpers.list_entry(session, carrier.id, "logistics_blacklist")
        _org, headers = helpers.org_key(api, OrgKind.PLATFORM)
        body = api.client.get(CHECKS, params={"code": carrier.uscc}, headers=headers).json()
        assert _codes(body) == ["platform_refuse_carrier", "public_exposure"]

    def test_platform_gets_rewards_when_red_listed(self, api: Api, vault: Vault) -> None:
        subject = _subject(api, vault)
        with api.db.unit_of_work() as session:
            helpers.list_entry(session, subject.id, "honest_merchant_redlist")
        _org, headers = helpers.org_key(api, OrgKind.PLATFORM)
        body = api.client.get(CHECKS, params={"code": subject.uscc}, headers=headers).json()
        assert body["memberships"][0]["colour"] == "red"
        assert _codes(body) == [
            "marketing_priority",
            "search_ranking_priority",
            "traffic_allocation",
        ]
        assert {m["kind"] for m in body["measures"]} == {"reward"}

    def test_nothing_applies_when_unlisted_or_not_yet_effective(
        self, api: Api, vault: Vault
    ) -> None:
        subject = _subject(api, vault)
        with api.db.unit_of_work() as session:
            helpers.list_entry(session, subject.id, status=ListStatus.PUBLICISED)
            helpers.list_entry(session, subject.id, status=ListStatus.EXPIRED)
        _org, headers = helpers.org_key(api, OrgKind.PLATFORM)
        body = api.client.get(CHECKS, params={"code": subject.uscc}, headers=headers).json()
        assert body["memberships"] == []
        assert body["measures"] == []
        assert body["grade"] is None

    def test_found_by_exact_name(self, api: Api, vault: Vault) -> None:
        subject = _subject(api, vault, name="本溪精确名称商贸有限公司")
        _org, headers = helpers.org_key(api, OrgKind.PLATFORM)
        response = api.client.get(CHECKS, params={"name": subject.name}, headers=headers)
        assert response.status_code == 200
        assert response.json()["subject"]["id"] == subject.id


class TestCheckErrors:
    def test_not_found_when_code_unknown(self, api: Api) -> None:
        _org, headers = helpers.org_key(api, OrgKind.PLATFORM)
        response = api.client.get(CHECKS, params={"code": subjects.uscc_number()}, headers=headers)
        assert response.status_code == 404
        assert "no subject is registered" in response.json()["message"]

    def test_not_found_when_name_unknown(self, api: Api) -> None:
        _org, headers = helpers.org_key(api, OrgKind.PLATFORM)
        response = api.client.get(CHECKS, params={"name": "查无此名有限公司"}, headers=headers)
        assert response.status_code == 404

    def test_conflict_lists_codes_when_name_ambiguous(self, api: Api, vault: Vault) -> None:
        with api.db.unit_of_work() as session:
            first = subjects.enterprise(session, vault, name="本溪同名商贸有限公司")
            second = subjects.enterprise(session, vault, name="本溪同名商贸有限公司")
        _org, headers = helpers.org_key(api, OrgKind.PLATFORM)
        response = api.client.get(CHECKS, params={"name": first.name}, headers=headers)
        assert response.status_code == 409
        assert first.uscc in response.json()["message"]
        assert second.uscc in response.json()["message"]

    def test_invalid_when_code_and_name_both_or_neither(self, api: Api) -> None:
        _org, headers = helpers.org_key(api, OrgKind.PLATFORM)
        assert api.client.get(CHECKS, headers=headers).status_code == 422
        both = {"code": subjects.uscc_number(), "name": "x"}
        assert api.client.get(CHECKS, params=both, headers=headers).status_code == 422

    def test_invalid_when_code_malformed(self, api: Api) -> None:
        _org, headers = helpers.org_key(api, OrgKind.PLATFORM)
        response = api.client.get(CHECKS, params={"code": "91210502ABC"}, headers=headers)
        assert response.status_code == 422

    def test_forbidden_without_check_scope(self, api: Api) -> None:
        _org, headers = helpers.org_key(api, OrgKind.PLATFORM, scopes=(helpers.Scope.RECORD_READ,))
        response = api.client.get(CHECKS, params={"code": subjects.uscc_number()}, headers=headers)
        assert response.status_code == 403


class TestCheckLog:
    def test_checks_are_logged_when_app_stops(self, settings, db, vault: Vault) -> None:  # type: ignore[no-untyped-def]
        with running_app(settings, db) as api:
            subject = _subject(api, vault)
            with api.db.unit_of_work() as session:
                entry = helpers.list_entry(session, subject.id)
            org_id, headers = helpers.org_key(api, OrgKind.PLATFORM)
            for _ in range(3):
                api.client.get(CHECKS, params={"code": subject.uscc}, headers=headers)
            assert api.app.state.checks.runtime.pending() >= 1
        with db.unit_of_work() as session:
            rows = session.scalars(select(CheckLog).where(CheckLog.organisation_id == org_id)).all()
        assert len(rows) == 3
        assert rows[0].subject_id == subject.id
        assert rows[0].list_entry_ids == [entry.id]
        assert "platform_restrict_entry" in rows[0].measure_codes
        assert rows[0].query == f"code:{subject.uscc}"
