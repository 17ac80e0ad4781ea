"""The subject's own filing from its public page: proof of identity by its code, errors at the
fields, nothing stored on refusal, and the case number with its deadlines once filed."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import func, select
from starlette.testclient import TestClient

from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.notice import Notice
from ecredit.models.repair import RepairCase
from tests.factories import records as rec
from tests.web import factories
from tests.web import standing as st


def _count(db: Database, model: type[RepairCase] | type[Notice]) -> int:
    with db.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _merchant(app: FastAPI, db: Database, vault: Vault) -> tuple[int, str, int]:
    st.on_day(app)
    with db.unit_of_work() as session:
        shop = factories.enterprise(session, vault, "本溪市恒通商贸有限公司")
        by = factories.staff_user(session, "registrar", factories.Role.REGISTRAR)
        record = st.records(app).submit(session, rec.penalty(shop.id, st.DAY - st.days(10)), by)
        return shop.id, shop.uscc or "", record.id


def _form(client: TestClient, subject_id: int, **values: str) -> dict[str, str]:
    token = factories.csrf_token(client, f"/subjects/{subject_id}/cases/new")
    return {"kind": "objection", "grounds": "处罚金额计算有误，应为三千元",
            "contact_name": "王经理", "contact_phone": "13900001111",
            "csrf_token": token, **values}  # fmt: skip


class TestPublicFiling:
    def test_files_objection_and_shows_case_number_and_deadlines(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        subject_id, uscc, record_id = _merchant(app, db, vault)
        form = _form(client, subject_id, target=f"record:{record_id}", identifier=uscc)
        response = client.post(f"/subjects/{subject_id}/cases/new", data=form)
        assert response.status_code == 201, response.text
        html = response.text
        assert 'data-testid="case-number"' in html
        assert "申请已提交" in html
        assert 'data-testid="acknowledge-due">2026-03-05<' in html  # 3 working days
        assert 'data-testid="decision-due">2026-03-16<' in html  # 10 working days
        assert _count(db, RepairCase) == 1

    def test_refuses_wrong_code_at_its_field_and_stores_nothing(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        subject_id, _uscc, record_id = _merchant(app, db, vault)
        notices = _count(db, Notice)
        form = _form(client, subject_id, target=f"record:{record_id}",
                     identifier=factories.new_uscc())  # fmt: skip
        response = client.post(f"/subjects/{subject_id}/cases/new", data=form)
        assert response.status_code == 403
        assert 'id="error-identifier"' in response.text
        assert "身份核验未通过" in response.text
        assert _count(db, RepairCase) == 0
        assert _count(db, Notice) == notices

    def test_names_missing_fields_and_keeps_values(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        subject_id, uscc, _record_id = _merchant(app, db, vault)
        form = _form(client, subject_id, target="", identifier=uscc, grounds="短",
                     contact_phone="123")  # fmt: skip
        response = client.post(f"/subjects/{subject_id}/cases/new", data=form)
        assert response.status_code == 422
        for field in ("target", "grounds", "contact_phone"):
            assert f'id="error-{field}"' in response.text, field
        assert 'value="王经理"' in response.text
        assert _count(db, RepairCase) == 0

    def test_refuses_post_without_csrf_token(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        subject_id, uscc, record_id = _merchant(app, db, vault)
        form = _form(client, subject_id, target=f"record:{record_id}", identifier=uscc)
        del form["csrf_token"]
        assert client.post(f"/subjects/{subject_id}/cases/new", data=form).status_code == 403
        assert _count(db, RepairCase) == 0

    def test_links_form_from_public_page(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        subject_id, _uscc, record_id = _merchant(app, db, vault)
        page = client.get(f"/subjects/{subject_id}").text
        assert f'href="/subjects/{subject_id}/cases/new"' in page
        assert "申请信用修复 / 提出异议" in page
        form = client.get(f"/subjects/{subject_id}/cases/new").text
        assert f'value="record:{record_id}"' in form
