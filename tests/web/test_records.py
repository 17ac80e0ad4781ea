"""Credit records and commitments in the portal: the public file, the staff file, entry forms."""

from __future__ import annotations

import re

from fastapi import FastAPI
from sqlalchemy import func, select
from starlette.testclient import TestClient

from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.commitment import Commitment
from ecredit.models.record import CreditRecord
from tests.web import credit, factories

MERCHANT = "本溪市明达电子商务有限公司"


def _record_count(db: Database) -> int:
    with db.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(CreditRecord)) or 0


def _record_form(client: TestClient, subject_id: int, **fields: str) -> dict[str, str]:
    return {
        "subject_id": str(subject_id),
        "type_code": "administrative_penalty",
        "severity": "general",
        "legal_basis": "《中华人民共和国电子商务法》第八十一条",
        "decision_no": "本市监罚〔2026〕88号",
        "decision_date": credit.today(client.app).isoformat(),  # type: ignore[arg-type]
        "penalty_kind": "fine",
        "amount": "20000",
        "summary": "虚构交易、编造用户评价，欺骗、误导消费者",
        "evidence_refs": "案卷-2026-088\n现场检查笔录-01",
        "valid_until": "",
        "csrf_token": factories.csrf_token(client, f"/staff/records/new?subject_id={subject_id}"),
        **fields,
    }


class TestPublicCreditFile:
    def test_shows_penalty_in_window_and_hides_revoked_and_expired_ones(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        with db.unit_of_work() as session:
            by = credit.registrar(session)
            shop = factories.enterprise(session, vault, MERCHANT)
            shown = credit.penalty(
                app, session, by, shop.id, 30, decision_no="本市监罚〔2026〕12号"
            )
            revoked = credit.revoked_penalty(app, session, by, shop.id)
            old = credit.old_minor_penalty(app, session, by, shop.id)
        html = client.get(f"/subjects/{shop.id}").text
        section = html[html.index('data-testid="credit-file"') :]
        assert "本市监罚〔2026〕12号" in section
        assert f'data-testid="record-{shown.id}"' in section
        assert shown.public_from
        assert shown.public_until
        assert f"{shown.public_from.isoformat()} 至 {shown.public_until.isoformat()}" in section
        assert factories.REGULATOR in section  # 来源机关
        assert "《中华人民共和国电子商务法》第七十七条" in section  # 依据
        assert "5,000.00 元" in section
        assert "罚款" in section
        assert f"/ledger?record={shown.id}" in section
        for hidden in (revoked, old):
            assert f'data-testid="record-{hidden.id}"' not in html
            assert hidden.decision_no
            assert hidden.decision_no not in html

    def test_hides_personal_data_when_subject_is_natural_person(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        id_number = factories.new_id_number()
        with db.unit_of_work() as session:
            by = credit.registrar(session)
            person = factories.natural_person(session, vault, "王小明", id_number=id_number)
            summary = f"当事人王小明（身份证号{id_number}，电话13812345678）虚构交易"
            credit.penalty(app, session, by, person.id, 10, summary=summary)
        html = client.get(f"/subjects/{person.id}").text
        section = html[html.index('data-testid="credit-file"') :]
        assert "虚构交易" in section
        for plaintext in ("王小明", id_number, "13812345678"):
            assert plaintext not in html
        assert "/ledger?record=" not in section  # no public proof for a natural person


class TestStaffRecordEntry:
    def test_records_fact_when_form_valid(
        self, client: TestClient, db: Database, vault: Vault
    ) -> None:
        with db.unit_of_work() as session:
            credit.registrar(session)
            shop = factories.enterprise(session, vault, MERCHANT)
        factories.login(client, "registrar")
        page = client.get(f"/staff/subjects/{shop.id}").text
        assert f"/staff/records/new?subject_id={shop.id}" in page
        assert "录入信用记录" in page
        response = client.post("/staff/records/new", data=_record_form(client, shop.id),
                               follow_redirects=False)  # fmt: skip
        assert response.status_code == 303, response.text
        page = client.get(response.headers["location"]).text
        internal = page[page.index('data-testid="internal-file"') :]
        assert "本市监罚〔2026〕88号" in internal
        assert "案卷-2026-088" in internal
        assert "有效" in internal
        assert "信用记录已录入" in page

    def test_shows_error_next_to_field_and_stores_nothing_when_required_field_missing(
        self, client: TestClient, db: Database, vault: Vault
    ) -> None:
        with db.unit_of_work() as session:
            credit.registrar(session)
            shop = factories.enterprise(session, vault, MERCHANT)
        factories.login(client, "registrar")
        before = _record_count(db)
        form = _record_form(client, shop.id, legal_basis="")
        response = client.post("/staff/records/new", data=form)
        assert response.status_code == 422
        assert re.search(r'id="error-legal_basis"[^>]*>legal_basis: required', response.text)
        assert 'value="本市监罚〔2026〕88号"' in response.text  # the form keeps what was typed
        bad_amount = client.post(
            "/staff/records/new", data=_record_form(client, shop.id, amount="abc")
        )
        assert bad_amount.status_code == 422
        assert 'id="error-amount"' in bad_amount.text
        assert _record_count(db) == before

    def test_shows_forbidden_next_to_type_when_department_may_not_submit_it(
        self, client: TestClient, db: Database, vault: Vault
    ) -> None:
        with db.unit_of_work() as session:
            credit.registrar(session)
            shop = factories.enterprise(session, vault, MERCHANT)
        factories.login(client, "registrar")
        form = _record_form(client, shop.id, type_code="no_such_type")
        response = client.post("/staff/records/new", data=form)
        assert response.status_code == 422
        assert 'id="error-type_code"' in response.text


class TestCsrf:
    def test_refuses_forms_without_token(
        self, client: TestClient, db: Database, vault: Vault
    ) -> None:
        with db.unit_of_work() as session:
            credit.registrar(session)
            shop = factories.enterprise(session, vault, MERCHANT)
        factories.login(client, "registrar")
        form = _record_form(client, shop.id)
        del form["csrf_token"]
        assert client.post("/staff/records/new", data=form).status_code == 403
        sign = {"template_code": "ecommerce_merchant"}
        assert client.post(f"/staff/subjects/{shop.id}/commitments", data=sign).status_code == 403
        breach = {"summary": "违诺", "evidence_refs": "x"}
        assert client.post("/staff/commitments/1/breach", data=breach).status_code == 403
        assert _record_count(db) == 0


class TestCommitments:
    def test_signs_and_breaches_commitment_from_staff_page(
        self, client: TestClient, db: Database, vault: Vault
    ) -> None:
        with db.unit_of_work() as session:
            credit.registrar(session)
            shop = factories.enterprise(session, vault, MERCHANT)
        factories.login(client, "registrar")
        token = factories.csrf_token(client, f"/staff/subjects/{shop.id}")
        form = {"template_code": "ecommerce_merchant", "param_return_days": "15",
                "param_term_months": "", "csrf_token": token}  # fmt: skip
        response = client.post(f"/staff/subjects/{shop.id}/commitments", data=form,
                               follow_redirects=False)  # fmt: skip
        assert response.status_code == 303, response.text
        public = client.get(f"/subjects/{shop.id}").text
        assert "电子商务经营者信用承诺书" in public
        assert "15日内无理由退货" in public
        assert "履行中" in public
        with db.unit_of_work() as session:
            commitment = session.scalars(select(Commitment)).one()
        breach = {"summary": "承诺期内虚构交易", "evidence_refs": "平台巡查-2026-01",
                  "csrf_token": token}  # fmt: skip
        done = client.post(f"/staff/commitments/{commitment.id}/breach", data=breach,
                           follow_redirects=False)  # fmt: skip
        assert done.status_code == 303, done.text
        public = client.get(f"/subjects/{shop.id}").text
        assert "已违诺" in public
        assert "违背信用承诺" in public

    def test_shows_error_next_to_parameter_when_out_of_bounds(
        self, client: TestClient, db: Database, vault: Vault
    ) -> None:
        with db.unit_of_work() as session:
            credit.registrar(session)
            shop = factories.enterprise(session, vault, MERCHANT)
        factories.login(client, "registrar")
        token = factories.csrf_token(client, f"/staff/subjects/{shop.id}")
        form = {"template_code": "ecommerce_merchant", "param_return_days": "3",
                "csrf_token": token}  # fmt: skip
        response = client.post(f"/staff/subjects/{shop.id}/commitments", data=form)
        assert response.status_code == 422
        assert 'id="error-params.return_days"' in response.text
        past = client.post(
            f"/staff/subjects/{shop.id}/commitments",
            data={**form, "param_return_days": "", "term_start": "2000-01-01"},
        )
        assert past.status_code == 422
        assert 'id="error-term_start"' in past.text
        with db.unit_of_work() as session:
            assert session.scalar(select(func.count()).select_from(Commitment)) == 0
