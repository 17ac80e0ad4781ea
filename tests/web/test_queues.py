"""Staff queues: list moves and case decisions from the queue (CSRF-protected, scoped, a 409
shown on the page), and deadlines coloured by urgency against a fixed today."""

from __future__ import annotations

import re
from datetime import date

from fastapi import FastAPI
from sqlalchemy import select
from starlette.testclient import TestClient

from ecredit.authz.principals import SYSTEM, Role
from ecredit.kit.clock import WorkCalendar
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.listing import ListEntry, ListStatus
from ecredit.models.record import CreditRecord
from ecredit.models.repair import CaseKind, CaseStatus, CaseTarget, RepairCase
from ecredit.repair.schemas import CaseCreate
from ecredit.web.urgency import NORMAL, OVERDUE, SOON, urgency
from tests.factories import records as rec
from tests.web import factories
from tests.web import standing as st


def _entry(app: FastAPI, db: Database, vault: Vault) -> int:
    st.on_day(app)
    with db.unit_of_work() as session:
        st.decider(session)
        shop = factories.enterprise(session, vault, "本溪市恒通商贸有限公司")
        return st.propose(app, session, shop.id).id


def _post(client: TestClient, path: str, form: dict[str, str], page: str) -> object:
    token = factories.csrf_token(client, page)
    return client.post(path, data={**form, "csrf_token": token}, follow_redirects=False)


def _status(db: Database, entry_id: int) -> ListStatus:
    with db.unit_of_work() as session:
        return session.get_one(ListEntry, entry_id).status


class TestListQueue:
    def test_moves_entry_when_allowed_button_posted(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        entry_id = _entry(app, db, vault)
        factories.login(client, "decider")
        html = client.get("/staff/lists?status=proposed").text
        assert f'action="/staff/lists/{entry_id}/transition"' in html
        assert 'value="under_review"' in html
        assert 'value="rejected"' in html
        assert 'value="effective"' not in html  # not allowed from proposed
        response = _post(client, f"/staff/lists/{entry_id}/transition",
                         {"status": "under_review", "version": "1"}, "/staff/lists")  # fmt: skip
        assert response.status_code == 303  # type: ignore[attr-defined]
        assert _status(db, entry_id) is ListStatus.UNDER_REVIEW

    def test_shows_conflict_when_move_forbidden_or_stale(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        entry_id = _entry(app, db, vault)
        factories.login(client, "decider")
        forbidden = _post(client, f"/staff/lists/{entry_id}/transition",
                          {"status": "effective"}, "/staff/lists")  # fmt: skip
        assert forbidden.status_code == 409  # type: ignore[attr-defined]
        assert "操作冲突" in forbidden.text  # type: ignore[attr-defined]
        assert "cannot move from &#39;proposed&#39; to &#39;effective&#39;" in forbidden.text  # type: ignore[attr-defined]
        stale = _post(client, f"/staff/lists/{entry_id}/transition",
                      {"status": "under_review", "version": "7"}, "/staff/lists")  # fmt: skip
        assert stale.status_code == 409  # type: ignore[attr-defined]
        assert _status(db, entry_id) is ListStatus.PROPOSED

    def test_names_missing_reason_when_rejecting(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        entry_id = _entry(app, db, vault)
        factories.login(client, "decider")
        response = _post(client, f"/staff/lists/{entry_id}/transition",
                         {"status": "rejected"}, "/staff/lists")  # fmt: skip
        assert response.status_code == 422  # type: ignore[attr-defined]
        assert "reason: required" in response.text  # type: ignore[attr-defined]

    def test_refuses_without_csrf_or_scope(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        entry_id = _entry(app, db, vault)
        with db.unit_of_work() as session:
            factories.staff_user(session, "auditor", Role.AUDITOR)
        factories.login(client, "decider")
        no_token = client.post(
            f"/staff/lists/{entry_id}/transition", data={"status": "under_review"}
        )
        assert no_token.status_code == 403
        client.cookies.clear()
        factories.login(client, "auditor")
        assert client.get("/staff/lists").status_code == 403
        assert client.get("/staff/cases").status_code == 403
        assert "/staff/lists" not in client.get("/staff").text
        assert _status(db, entry_id) is ListStatus.PROPOSED


def _cases(app: FastAPI, db: Database, vault: Vault) -> dict[str, int]:
    """Three cases filed 10, 1 and 0 days before today (2026-03-02)."""
    clock = st.on_day(app, st.DAY - st.days(10))
    ids: dict[str, int] = {}
    with db.unit_of_work() as session:
        st.decider(session)
        by = factories.staff_user(session, "registrar", Role.REGISTRAR)
        shop = factories.enterprise(session, vault, "本溪市恒通商贸有限公司")
        for name, filed in (("old", st.DAY - st.days(10)), ("recent", st.DAY - st.days(1)),
                            ("new", st.DAY)):  # fmt: skip
            st.move_to(clock, filed)
            record = st.records(app).submit(session, rec.penalty(shop.id, filed), by)
            data = CaseCreate(kind=CaseKind.OBJECTION, target=CaseTarget.RECORD,
                              record_id=record.id, grounds="处罚金额计算有误")  # fmt: skip
            ids[name] = st.repairs(app).file(session, data, SYSTEM).id
    st.move_to(clock, st.DAY)
    return ids


def _row_urgency(html: str, case_id: int) -> str:
    match = re.search(rf'id="case-{case_id}" data-urgency="(\w+)"', html)
    assert match, case_id
    return match.group(1)


class TestCaseQueue:
    def test_colours_deadlines_by_urgency_on_fixed_today(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        ids = _cases(app, db, vault)
        factories.login(client, "decider")
        html = client.get("/staff/cases").text
        assert "今天 2026-03-02" in html
        assert _row_urgency(html, ids["old"]) == "overdue"  # acknowledge due 2026-02-25
        assert _row_urgency(html, ids["recent"]) == "soon"  # acknowledge due 2026-03-04
        assert _row_urgency(html, ids["new"]) == "normal"  # acknowledge due 2026-03-05
        assert "已逾期" in html
        assert "剩 2 个工作日" in html

    def test_acknowledges_and_decides_objection_from_queue(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        ids = _cases(app, db, vault)
        factories.login(client, "decider")
        case_id = ids["new"]
        ack = _post(client, f"/staff/cases/{case_id}/acknowledge", {}, "/staff/cases")
        assert ack.status_code == 303  # type: ignore[attr-defined]
        form = {"decision": "granted", "reason": "金额核算错误，予以更正", "outcome": "correct",
                "amount": "3000"}  # fmt: skip
        decided = _post(client, f"/staff/cases/{case_id}/decision", form, "/staff/cases")
        assert decided.status_code == 303, decided.text  # type: ignore[attr-defined]
        with db.unit_of_work() as session:
            case = session.get_one(RepairCase, case_id)
            assert case.status is CaseStatus.GRANTED
            correction = session.get_one(CreditRecord, case.outcome_record_id)
            assert correction.amends_id == case.record_id
            assert correction.amount == 3000

    def test_shows_error_when_upheld_objection_has_no_outcome(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        ids = _cases(app, db, vault)
        factories.login(client, "decider")
        case_id = ids["new"]
        _post(client, f"/staff/cases/{case_id}/acknowledge", {}, "/staff/cases")
        response = _post(client, f"/staff/cases/{case_id}/decision",
                         {"decision": "granted", "reason": "异议成立"}, "/staff/cases")  # fmt: skip
        assert response.status_code == 422  # type: ignore[attr-defined]
        assert "correction" in response.text  # type: ignore[attr-defined]
        with db.unit_of_work() as session:
            status = session.scalar(select(RepairCase.status).where(RepairCase.id == case_id))
        assert status is CaseStatus.ACKNOWLEDGED

    def test_refuses_decision_without_csrf(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        ids = _cases(app, db, vault)
        factories.login(client, "decider")
        response = client.post(f"/staff/cases/{ids['new']}/acknowledge", data={})
        assert response.status_code == 403


class TestUrgency:
    def test_grades_deadlines_in_working_days(self) -> None:
        calendar, friday = WorkCalendar(), date(2026, 3, 13)
        assert urgency(calendar, friday - st.days(1), friday) == OVERDUE
        assert urgency(calendar, friday, friday) == SOON
        assert urgency(calendar, friday + st.days(4), friday) == SOON  # Mon, Tue: 2 WD
        assert urgency(calendar, friday + st.days(5), friday) == NORMAL
        # 2026-02-28 (Saturday) is a make-up working day after the Spring Festival
        assert urgency(calendar, date(2026, 3, 3), date(2026, 2, 27)) == NORMAL
