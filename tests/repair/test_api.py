"""The repair routes: filing by organisations and by the subject itself (with proof of identity),
the staff queue, acknowledgement and decision, and what the public file shows afterwards."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from ecredit.authz.principals import SYSTEM, Scope
from ecredit.kit.clock import FixedClock
from ecredit.models.notice import Notice
from ecredit.models.org import OrgKind
from ecredit.models.repair import RepairCase
from ecredit.parameters.registry import SPECS
from ecredit.repair import identity
from tests.factories import records as rec
from tests.factories import subjects as make
from tests.factories.api import Api
from tests.factories.records import fixed_service

V1, PUBLIC = "/api/v1/repair-cases", "/api/v1/public"
FAILURES_PER_TARGET = SPECS["throttle.failures_per_target"].default
TODAY = date(2026, 9, 30)


@pytest.fixture
def clock(api: Api) -> FixedClock:
    api.app.state.records, fixed = fixed_service(TODAY)
    return fixed


def _merchant(api: Api, person: bool = False, decided: date = date(2026, 3, 2)) -> dict[str, Any]:
    number = make.id_number()
    with api.db.unit_of_work() as session:
        if person:
            subject = make.natural_person(session, api.vault, id_number=number)
        else:
            subject = make.enterprise(session, api.vault)
        data = rec.penalty(subject.id, decided)
        record = api.app.state.records.submit(session, data, SYSTEM)
        return {"id": subject.id, "uscc": subject.uscc, "id_number": number,
                "record_id": record.id}  # fmt: skip


def _body(record_id: int, **values: Any) -> dict[str, Any]:
    return {"kind": "repair", "target": "record", "record_id": record_id,
            "grounds": "已全额缴纳罚款并完成整改", "evidence_refs": ["receipt:1"],
            "contact_name": "王经理", "contact_phone": "13900001111"} | values  # fmt: skip


def _count(api: Api, model: type[Any]) -> int:
    with api.db.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


class TestPublicFiling:
    def test_filed_with_deadlines_when_uscc_matches(self, api: Api, clock: FixedClock) -> None:
        m = _merchant(api)
        url = f"{PUBLIC}/subjects/{m['id']}/cases"
        response = api.client.post(url, json=_body(m["record_id"], uscc=m["uscc"]))
        assert response.status_code == 201, response.text
        body = response.json()
        assert (body["status"], body["acknowledge_due"], body["decision_due"]) == (
            "filed", "2026-10-10", "2026-10-20",
        )  # fmt: skip
        assert "13900001111" not in response.text
        assert "王经理" not in response.text
        with api.db.unit_of_work() as session:
            case = session.get_one(RepairCase, body["id"])
            assert case.applicant.startswith("self")
            assert "13900001111" not in case.applicant
            assert session.scalar(select(Notice.title).where(Notice.entity_id == case.id))

    def test_forbidden_and_nothing_stored_when_uscc_wrong(
        self, api: Api, clock: FixedClock
    ) -> None:
        m, other = _merchant(api), _merchant(api)
        before = (_count(api, RepairCase), _count(api, Notice))
        response = api.client.post(
            f"{PUBLIC}/subjects/{m['id']}/cases", json=_body(m["record_id"], uscc=other["uscc"])
        )
        assert (response.status_code, response.json()["message"]) == (403, identity.REFUSAL)
        unknown = api.client.post(
            f"{PUBLIC}/subjects/999999/cases", json=_body(m["record_id"], uscc=m["uscc"])
        )
        assert (unknown.status_code, unknown.json()["message"]) == (403, identity.REFUSAL)
        assert (_count(api, RepairCase), _count(api, Notice)) == before

    def test_invalid_when_uscc_malformed(self, api: Api, clock: FixedClock) -> None:
        m = _merchant(api)
        bad, _ = make.with_wrong_check_character(m["uscc"])
        response = api.client.post(f"{PUBLIC}/subjects/{m['id']}/cases",
                                   json=_body(m["record_id"], uscc=bad))  # fmt: skip
        assert response.status_code == 422

    def test_not_found_when_record_of_another_subject(self, api: Api, clock: FixedClock) -> None:
        m, other = _merchant(api), _merchant(api)
        response = api.client.post(
            f"{PUBLIC}/subjects/{m['id']}/cases", json=_body(other["record_id"], uscc=m["uscc"])
        )
        missing = api.client.post(
            f"{PUBLIC}/subjects/{m['id']}/cases", json=_body(987654, uscc=m["uscc"])
        )
        assert response.status_code == missing.status_code == 404
        assert response.json()["message"] == missing.json()["message"]

    def test_person_files_with_id_number(self, api: Api, clock: FixedClock) -> None:
        m = _merchant(api, person=True)
        url = f"{PUBLIC}/subjects/{m['id']}/cases"
        wrong = api.client.post(url, json=_body(m["record_id"], id_number=make.id_number()))
        assert wrong.status_code == 403
        by_uscc = api.client.post(url, json=_body(m["record_id"], uscc=make.uscc_number()))
        assert by_uscc.status_code == 403
        right = api.client.post(url, json=_body(m["record_id"], id_number=m["id_number"]))
        assert right.status_code == 201, right.text

    def test_refused_for_a_while_when_proofs_keep_failing(
        self, api: Api, clock: FixedClock
    ) -> None:
        m = _merchant(api)
        url, wrong = f"{PUBLIC}/subjects/{m['id']}/cases", make.uscc_number()
        codes = [
            api.client.post(url, json=_body(m["record_id"], uscc=wrong)).status_code
            for _ in range(FAILURES_PER_TARGET)
        ]
        right = api.client.post(url, json=_body(m["record_id"], uscc=m["uscc"]))
        assert (codes, right.status_code) == ([403] * FAILURES_PER_TARGET, 429)

    def test_too_early_is_422_with_the_date(self, api: Api, clock: FixedClock) -> None:
        m = _merchant(api, decided=date(2026, 8, 31))
        response = api.client.post(
            f"{PUBLIC}/subjects/{m['id']}/cases", json=_body(m["record_id"], uscc=m["uscc"])
        )
        assert response.status_code == 422
        assert response.json()["problems"][0]["rule"] == "minimum_period"
        assert "2026-12-01" in response.json()["message"]

    def test_subject_withdraws_own_case(self, api: Api, clock: FixedClock) -> None:
        m = _merchant(api)
        base = f"{PUBLIC}/subjects/{m['id']}/cases"
        case_id = api.client.post(base, json=_body(m["record_id"], uscc=m["uscc"])).json()["id"]
        wrong = api.client.post(f"{base}/{case_id}/withdraw",
                                json={"uscc": make.uscc_number(), "reason": "撤回"})  # fmt: skip
        assert wrong.status_code == 403
        done = api.client.post(f"{base}/{case_id}/withdraw",
                               json={"uscc": m["uscc"], "reason": "撤回"})  # fmt: skip
        assert (done.status_code, done.json()["status"]) == (200, "withdrawn")


class TestStaffRoutes:
    def test_repair_hides_record_from_public_file_when_granted(
        self, api: Api, clock: FixedClock
    ) -> None:
        m = _merchant(api)
        filer = api.headers(Scope.REPAIR_FILE, Scope.RECORD_READ)
        decider = api.headers(Scope.REPAIR_DECIDE, Scope.RECORD_READ)
        body = {k: v for k, v in _body(m["record_id"]).items() if not k.startswith("contact")}
        filed = api.client.post(V1, json=body, headers=filer)
        assert filed.status_code == 201, filed.text
        case_id = filed.json()["id"]
        ack = api.client.post(f"{V1}/{case_id}/acknowledge", headers=decider)
        assert ack.json()["status"] == "acknowledged"
        decision = {"decision": "granted", "reason": "已履行处罚决定"}
        granted = api.client.post(f"{V1}/{case_id}/decision", json=decision, headers=decider)
        assert granted.status_code == 200, granted.text
        detail = api.client.get(f"{V1}/{case_id}", headers=decider).json()
        assert [e["kind"] for e in detail["timeline"]] == [
            "repair_case_filed", "repair_case_acknowledged", "repair_case_granted",
        ]  # fmt: skip
        public = api.client.get(f"{PUBLIC}/subjects/{m['id']}/file").json()
        assert [r["id"] for g in public["groups"] for r in g["records"]] == []
        internal = api.client.get(f"/api/v1/subjects/{m['id']}/records", headers=decider).json()
        assert [r["status"] for r in internal] == ["repaired"]

    def test_queue_lists_overdue_cases_when_asked(self, api: Api, clock: FixedClock) -> None:
        m = _merchant(api)
        filer = api.headers(Scope.REPAIR_FILE)
        body = {k: v for k, v in _body(m["record_id"]).items() if not k.startswith("contact")}
        case_id = api.client.post(V1, json=body, headers=filer).json()["id"]
        reader = api.headers(Scope.RECORD_READ)
        assert api.client.get(V1, params={"overdue": True}, headers=reader).json() == []
        clock.at = rec.noon(date(2026, 10, 12))
        overdue = api.client.get(V1, params={"overdue": True}, headers=reader).json()
        assert [(c["id"], c["overdue"]) for c in overdue] == [(case_id, ["acknowledge"])]
        listed = api.client.get(V1, params={"status": "filed", "kind": "repair"}, headers=reader)
        assert [c["id"] for c in listed.json()] == [case_id]

    def test_platform_may_not_decide(self, api: Api, clock: FixedClock) -> None:
        m = _merchant(api)
        body = {k: v for k, v in _body(m["record_id"]).items() if not k.startswith("contact")}
        case_id = api.client.post(V1, json=body, headers=api.headers()).json()["id"]
        platform = api.headers(Scope.REPAIR_DECIDE, kind=OrgKind.PLATFORM)
        response = api.client.post(f"{V1}/{case_id}/acknowledge", headers=platform)
        assert response.status_code == 403
