"""Complaint and report pages: the public forms (errors at their fields, in Chinese first), the
receipt and the tracking page (no contact data), and the staff desk coloured by urgency with
one-row and bulk moves reported row by row."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from ecredit.audit.service import audit_service
from ecredit.authz.principals import Role
from ecredit.complaint.deadlines import Step
from ecredit.complaint.schemas import ComplaintCreate
from ecredit.complaint.service import ComplaintService
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.complaint import TRANSITIONS, ComplaintCategory, ComplaintStatus
from ecredit.web import i18n
from tests.web import factories
from tests.web import standing as st

PHONE = "13912345678"


def _merchant(db: Database, vault: Vault) -> int:
    with db.unit_of_work() as session:
        return factories.enterprise(session, vault, "本溪市恒通商贸有限公司").id


def _form(client: TestClient, path: str, **values: str) -> dict[str, str]:
    token = factories.csrf_token(client, path)
    return {"category": "quality", "order_ref": "ORD-77", "amount": "399.00",
            "description": "收到的电饭煲无法加热，商家拒绝退货。", "name": "欧阳娜娜",
            "phone": PHONE, "csrf_token": token, **values}  # fmt: skip


def _file(app: FastAPI, db: Database, vault: Vault, merchant_id: int) -> str:
    data = ComplaintCreate(respondent_subject_id=merchant_id, category=ComplaintCategory.PRICE,
                           order_ref="O-1", description="先涨价后打折，价格欺诈。",
                           name="张三", phone=PHONE)  # fmt: skip
    with db.unit_of_work() as session:
        return ComplaintService(st.records(app)).file_complaint(session, vault, data).tracking_no


class TestPublicForms:
    def test_files_complaint_and_tracks_it_when_form_valid(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        st.on_day(app)
        merchant = _merchant(db, vault)
        page = f"/complaints/new?respondent={merchant}"
        assert "本溪市恒通商贸有限公司" in client.get(page).text
        form = _form(client, page, respondent_subject_id=str(merchant))
        response = client.post("/complaints/new", data=form)
        assert response.status_code == 201, response.text
        number = response.text.split('data-testid="tracking-number">')[1].split("<")[0]
        tracked = client.get(f"/track?no={number.lower()}")
        assert tracked.status_code == 200
        assert "待部门受理" in tracked.text  # no platform: straight to the department
        assert PHONE not in tracked.text
        assert "欧阳" not in tracked.text

    def test_names_each_bad_field_when_form_invalid(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        merchant = _merchant(db, vault)
        page = f"/complaints/new?respondent={merchant}"
        form = _form(client, page, respondent_subject_id=str(merchant), phone="12345",
                     description="太差", order_ref="")  # fmt: skip
        response = client.post("/complaints/new", data=form)
        assert response.status_code == 422
        for field in ("phone", "description"):
            assert f'id="error-{field}"' in response.text
        assert "请填写 11 位手机号码" in response.text

    def test_anonymous_report_refuses_contact_when_given(
        self, client: TestClient, db: Database, vault: Vault
    ) -> None:
        merchant = _merchant(db, vault)
        page = f"/reports/new?respondent={merchant}"
        form = _form(client, page, respondent_subject_id=str(merchant), anonymous="1",
                     category="fake_reviews")  # fmt: skip
        response = client.post("/reports/new", data=form)
        assert response.status_code == 422
        assert 'id="error-anonymous"' in response.text

    def test_not_found_page_when_number_unknown(self, client: TestClient) -> None:
        response = client.get("/track/TS-0000-0000-0000")
        assert response.status_code == 404
        assert 'data-testid="not-found"' in response.text

    def test_refused_without_csrf_token(self, client: TestClient) -> None:
        assert client.post("/complaints/new", data={"category": "quality"}).status_code == 403


class TestDesk:
    def test_colours_rows_and_moves_in_bulk_row_by_row(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        clock = st.on_day(app)  # Monday 2 March 2026: accept due 11 March
        merchant = _merchant(db, vault)
        late, fresh = _file(app, db, vault, merchant), None
        st.move_to(clock, date(2026, 3, 12))
        fresh = _file(app, db, vault, merchant)
        with db.unit_of_work() as session:
            factories.staff_user(session, "handler", Role.VERIFIER)
        factories.login(client, "handler")
        html = client.get("/staff/complaints").text
        assert f'data-urgency="overdue" data-number="{late}"' in html
        assert f'data-urgency="normal" data-number="{fresh}"' in html
        token = factories.csrf_token(client, "/staff/complaints")
        form = {"numbers": [late, fresh, "TS-0000-0000-0000"], "action": "mediation",
                "reason": "符合受理条件", "csrf_token": token}  # fmt: skip
        response = client.post("/staff/complaints/bulk", data=form)
        assert response.status_code == 200
        assert response.text.count('data-ok="yes"') == 2
        assert 'data-number="TS-0000-0000-0000" data-ok="no"' in response.text

    def test_forbidden_without_complaint_scope(self, client: TestClient, db: Database) -> None:
        with db.unit_of_work() as session:
            factories.staff_user(session, "viewer", Role.VIEWER)
        factories.login(client, "viewer")
        assert client.get("/staff/complaints").status_code == 403


@pytest.mark.parametrize(
    ("prefix", "values"),
    [
        ("cpstatus", [s.value for s in ComplaintStatus] + ["open"]),
        ("cpcat", [c.value for c in ComplaintCategory]),
        ("cpstep", [s.value for s in Step]),
        ("cpevent", [s.value for s in ComplaintStatus]
         + ["overdue", "extended", "notified", "compensated"]),
        ("cpaction", [target.value for table in TRANSITIONS.values()
                      for targets in table.allowed.values() for target in targets]
         + ["notified"]),
    ],
)  # fmt: skip
def test_labels_every_value_when_built_at_run_time(prefix: str, values: list[str]) -> None:
    assert {f"{prefix}.{v}" for v in values} - i18n.MESSAGES.keys() == set()


class TestDetail:
    def test_masks_contact_until_revealed_and_logs_the_reveal(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        st.on_day(app)
        merchant = _merchant(db, vault)
        number = _file(app, db, vault, merchant)
        with db.unit_of_work() as session:
            factories.staff_user(session, "chief", Role.ADMIN)
        factories.login(client, "chief")
        page = client.get(f"/staff/complaints/{number}")
        assert page.status_code == 200
        assert "139****5678" in page.text
        assert PHONE not in page.text
        token = factories.csrf_token(client, f"/staff/complaints/{number}")
        revealed = client.post(f"/staff/complaints/{number}/contact", data={"csrf_token": token})
        assert PHONE in revealed.text
        with db.unit_of_work() as session:
            logged = audit_service.personal_accesses(session, merchant)
        assert [entry.fields for entry in logged] == [["complainant.name", "complainant.phone"]]

    def test_not_found_page_when_number_unknown(self, client: TestClient, db: Database) -> None:
        with db.unit_of_work() as session:
            factories.staff_user(session, "chief2", Role.ADMIN)
        factories.login(client, "chief2")
        assert client.get("/staff/complaints/TS-0000-0000-0000").status_code == 404
