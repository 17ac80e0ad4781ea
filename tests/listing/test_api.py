"""The list API: public list pages with search, filters and masking; staff proposals,
transitions (409 on a forbidden or stale move), the queue, an entry's timeline, notices."""

from __future__ import annotations

from typing import Any

import pytest

from ecredit.authz.principals import Scope
from ecredit.models.listing import ListStatus
from ecredit.models.org import OrgKind
from ecredit.models.subject import SubjectKind
from tests.factories import lists
from tests.factories import subjects as make
from tests.factories.api import Api

PUBLIC = "/api/v1/public"
ENTRIES = "/api/v1/list-entries"
KIND = "ecommerce_serious_dishonesty"


@pytest.fixture
def listed(api: Api) -> dict[str, int]:
    """A company (region 210502) and a natural person (region 210503) on the e-commerce black
    list, a company proposed only (not public), and the same company publicised for red."""
    service = lists.service_on()
    with api.db.unit_of_work() as session:
        company = make.enterprise(session, api.vault, name="本溪市明达电子商务有限公司",
                                  region_code="210502")  # fmt: skip
        person = make.natural_person(session, api.vault, name="张三丰", region_code="210503")
        hidden = make.enterprise(session, api.vault, name="本溪市隐秘商贸有限公司")
        for subject in (company, person):
            lists.entry_in(session, service, subject.id, ListStatus.EFFECTIVE)
        lists.propose(session, service, hidden.id)
        lists.entry_in(session, service, company.id, ListStatus.PUBLICISED,
                       "honest_merchant_redlist")  # fmt: skip
        return {"company": company.id, "person": person.id, "hidden": hidden.id}


def _names(body: dict[str, Any]) -> list[str]:
    return sorted(item["subject_name"] for item in body["items"])


class TestPublicLists:
    def test_lists_public_kinds_with_parameters_when_asked(self, api: Api) -> None:
        kinds = {k["code"]: k for k in api.client.get(f"{PUBLIC}/lists").json()}
        assert set(kinds) == {"order_brushing_blacklist", "logistics_blacklist", KIND,
                              "honest_merchant_redlist"}  # fmt: skip
        assert (kinds[KIND]["colour"], kinds[KIND]["validity_months"]) == ("black", 36)
        assert kinds["honest_merchant_redlist"]["publicity_workdays"] == 7

    def test_shows_members_masked_when_list_page_read(
        self, api: Api, listed: dict[str, int]
    ) -> None:
        body = api.client.get(f"{PUBLIC}/lists/{KIND}/entries").json()
        assert body["total"] == 2
        assert _names(body) == ["张**", "本溪市明达电子商务有限公司"]
        person = next(i for i in body["items"] if i["subject_id"] == listed["person"])
        assert person["uscc"] is None
        assert "张三丰" not in str(body)

    @pytest.mark.parametrize(
        ("params", "names"),
        [
            ({"q": "明达"}, ["本溪市明达电子商务有限公司"]),
            ({"q": "mingda"}, ["本溪市明达电子商务有限公司"]),
            ({"region": "210503"}, ["张**"]),
            ({"region": "2105"}, ["张**", "本溪市明达电子商务有限公司"]),
            ({"subject_kind": "platform"}, []),
            ({"q": "隐秘"}, []),
        ],
    )
    def test_filters_entries_when_searched(
        self, api: Api, listed: dict[str, int], params: dict[str, str], names: list[str]
    ) -> None:
        body = api.client.get(f"{PUBLIC}/lists/{KIND}/entries", params=params).json()
        assert _names(body) == names

    def test_pages_entries_when_size_small(self, api: Api, listed: dict[str, int]) -> None:
        body = api.client.get(f"{PUBLIC}/lists/{KIND}/entries", params={"size": 1, "page": 2})
        assert (body.json()["total"], len(body.json()["items"])) == (2, 1)

    def test_not_found_when_list_not_public(self, api: Api) -> None:
        assert api.client.get(f"{PUBLIC}/lists/watch_list/entries").status_code == 404
        assert api.client.get(f"{PUBLIC}/lists/no_such_list/entries").status_code == 404

    def test_shows_memberships_when_subject_asked(self, api: Api, listed: dict[str, int]) -> None:
        body = api.client.get(f"{PUBLIC}/subjects/{listed['company']}/lists").json()
        assert sorted((i["list_kind"], i["status"]) for i in body) == [
            (KIND, "effective"), ("honest_merchant_redlist", "publicised")]  # fmt: skip
        assert api.client.get(f"{PUBLIC}/subjects/{listed['hidden']}/lists").json() == []


class TestStaffApi:
    def _propose(self, api: Api, subject_id: int, headers: dict[str, str]) -> Any:
        body = {"subject_id": subject_id, "list_kind": KIND, "legal_basis": lists.BASIS,
                "reason": "组织刷单炒信，情节严重"}  # fmt: skip
        return api.client.post(ENTRIES, json=body, headers=headers)

    def _subject(self, api: Api) -> int:
        with api.db.unit_of_work() as session:
            return make.enterprise(session, api.vault).id

    def test_walks_workflow_when_decided_by_department(self, api: Api) -> None:
        subject_id = self._subject(api)
        proposer = api.headers(Scope.LIST_PROPOSE, kind=OrgKind.DEPARTMENT)
        decider = api.headers(Scope.LIST_DECIDE, Scope.RECORD_READ, kind=OrgKind.DEPARTMENT)
        created = self._propose(api, subject_id, proposer)
        assert created.status_code == 201, created.text
        entry = created.json()
        url = f"{ENTRIES}/{entry['id']}/transitions"
        moved = api.client.post(url, json={"status": "under_review", "version": 1},
                                headers=decider)  # fmt: skip
        assert (moved.status_code, moved.json()["version"]) == (200, 2)
        stale = api.client.post(url, json={"status": "rejected", "reason": "x", "version": 1},
                                headers=decider)  # fmt: skip
        assert stale.status_code == 409
        forbidden = api.client.post(url, json={"status": "effective"}, headers=decider)
        assert forbidden.status_code == 409
        assert "allowed from here" in forbidden.json()["message"]
        detail = api.client.get(f"{ENTRIES}/{entry['id']}", headers=decider).json()
        assert [e["kind"] for e in detail["timeline"]] == ["list_proposed", "list_under_review"]
        notices = api.client.get(f"/api/v1/subjects/{subject_id}/notices", headers=decider)
        assert [n["kind"] for n in notices.json()] == ["list_proposed", "list_under_review"]

    def test_conflict_when_proposed_twice(self, api: Api) -> None:
        subject_id = self._subject(api)
        headers = api.headers(Scope.LIST_PROPOSE, kind=OrgKind.DEPARTMENT)
        assert self._propose(api, subject_id, headers).status_code == 201
        assert self._propose(api, subject_id, headers).status_code == 409

    def test_forbidden_when_platform_proposes_or_decides(self, api: Api) -> None:
        subject_id = self._subject(api)
        platform = api.headers(Scope.LIST_PROPOSE, Scope.LIST_DECIDE, kind=OrgKind.PLATFORM)
        assert self._propose(api, subject_id, platform).status_code == 403
        entry = self._propose(api, subject_id, api.headers(Scope.LIST_PROPOSE)).json()
        moved = api.client.post(f"{ENTRIES}/{entry['id']}/transitions",
                                json={"status": "under_review"}, headers=platform)  # fmt: skip
        assert moved.status_code == 403

    def test_invalid_when_kind_unknown_or_subject_missing(self, api: Api) -> None:
        headers = api.headers(Scope.LIST_PROPOSE)
        body = {"subject_id": 999999, "list_kind": "nope", "legal_basis": "依据", "reason": "理由"}
        assert api.client.post(ENTRIES, json=body, headers=headers).status_code == 422
        body["list_kind"] = KIND
        response = api.client.post(ENTRIES, json=body, headers=headers)
        assert (response.status_code, response.json()["problems"][0]["field"]) == (
            422, "subject_id")  # fmt: skip

    def test_filters_queue_when_status_and_kind_given(
        self, api: Api, listed: dict[str, int]
    ) -> None:
        headers = api.headers(Scope.RECORD_READ)
        body = api.client.get(ENTRIES, params={"status": "proposed", "kind": KIND},
                              headers=headers).json()  # fmt: skip
        assert [i["subject_id"] for i in body["items"]] == [listed["hidden"]]
        unknown = api.client.get(ENTRIES, params={"kind": "nope"}, headers=headers)
        assert unknown.status_code == 422

    def test_created_when_carrier_proposed_for_logistics_list(self, api: Api) -> None:
        with api.db.unit_of_work() as session:
            carrier = make.register(session, api.vault, SubjectKind.LOGISTICS).id
        body = {"subject_id": carrier, "list_kind": "logistics_blacklist",
                "legal_basis": lists.BASIS, "reason": "寄递空包裹"}  # fmt: skip
        response = api.client.post(ENTRIES, json=body, headers=api.headers(Scope.LIST_PROPOSE))
        assert response.status_code == 201
