"""Staff pages: login, CSRF, scopes, registration with field errors, verification decisions."""

from __future__ import annotations

from html import unescape

from sqlalchemy import select
from starlette.testclient import TestClient

from ecredit.authz.principals import Role
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.kit.paging import PageRequest
from ecredit.models.org import User
from ecredit.models.subject import VerificationStatus
from ecredit.subject.service import subject_service
from tests.web import factories


def _enterprise_form(client: TestClient, **fields: str) -> dict[str, str]:
    """The registration form as a browser would post it, with this session's CSRF token."""
    return {
        "kind": "merchant",
        "merchant_form": "enterprise",
        "name": "本溪市明达电子商务有限公司",
        "uscc": factories.new_uscc(),
        "csrf_token": factories.csrf_token(client, "/staff/subjects/new"),
        **fields,
    }


def _subject_count(db: Database) -> int:
    with db.unit_of_work() as session:
        return subject_service.page(session, PageRequest(1, 1)).total


class TestLogin:
    def test_reaches_dashboard_when_password_right(self, client: TestClient, db: Database) -> None:
        with db.unit_of_work() as session:
            factories.staff_user(session, "registrar", Role.REGISTRAR)
        factories.login(client, "registrar")
        response = client.get("/staff")
        assert response.status_code == 200
        assert "工作台" in response.text
        assert factories.REGULATOR in response.text

    def test_shows_error_when_password_wrong(self, client: TestClient, db: Database) -> None:
        with db.unit_of_work() as session:
            factories.staff_user(session, "registrar", Role.REGISTRAR)
        form = {"username": "registrar", "password": "wrong-password",
                "csrf_token": factories.csrf_token(client)}  # fmt: skip
        response = client.post("/staff/login", data=form, follow_redirects=False)
        assert response.status_code == 401
        assert "用户名或密码错误" in response.text
        assert client.get("/staff", follow_redirects=False).status_code == 303

    def test_redirects_to_login_when_not_logged_in(self, client: TestClient) -> None:
        response = client.get("/staff/verifications", follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/staff/login?next=/staff/verifications"

    def test_logs_out_when_logout_posted(self, client: TestClient, db: Database) -> None:
        with db.unit_of_work() as session:
            factories.staff_user(session, "registrar", Role.REGISTRAR)
        factories.login(client, "registrar")
        token = factories.csrf_token(client, "/staff")
        client.post("/staff/logout", data={"csrf_token": token}, follow_redirects=False)
        assert client.get("/staff", follow_redirects=False).status_code == 303

    def test_logs_out_at_once_when_user_is_deactivated(
        self, client: TestClient, db: Database
    ) -> None:
        with db.unit_of_work() as session:
            factories.staff_user(session, "registrar", Role.REGISTRAR)
        factories.login(client, "registrar")
        assert client.get("/staff").status_code == 200
        with db.unit_of_work() as session:
            user = session.scalars(select(User).where(User.username == "registrar")).one()
            user.is_active = False
        assert client.get("/staff", follow_redirects=False).status_code == 303

    def test_loses_scope_at_once_when_roles_change(self, client: TestClient, db: Database) -> None:
        with db.unit_of_work() as session:
            factories.staff_user(session, "registrar", Role.REGISTRAR)
        factories.login(client, "registrar")
        assert client.get("/staff/subjects/new").status_code == 200
        with db.unit_of_work() as session:
            user = session.scalars(select(User).where(User.username == "registrar")).one()
            user.roles = [Role.VIEWER.value]
        assert client.get("/staff/subjects/new").status_code == 403

    def test_answers_403_when_scope_missing(self, client: TestClient, db: Database) -> None:
        with db.unit_of_work() as session:
            factories.staff_user(session, "viewer", Role.VIEWER)
        factories.login(client, "viewer")
        assert client.get("/staff/subjects/new").status_code == 403
        assert client.get("/staff/verifications").status_code == 403


class TestCsrf:
    def test_answers_403_when_token_missing(self, client: TestClient, db: Database) -> None:
        with db.unit_of_work() as session:
            factories.staff_user(session, "registrar", Role.REGISTRAR)
        factories.login(client, "registrar")
        form = _enterprise_form(client)
        del form["csrf_token"]
        response = client.post("/staff/subjects/new", data=form)
        assert response.status_code == 403
        assert _subject_count(db) == 0

    def test_answers_403_when_token_belongs_to_other_session(
        self, app: object, client: TestClient
    ) -> None:
        other = TestClient(app)  # type: ignore[arg-type]
        stolen = factories.csrf_token(other)
        factories.csrf_token(client)
        form = {"username": "x", "password": "y", "csrf_token": stolen}
        assert client.post("/staff/login", data=form).status_code == 403


class TestRegistration:
    def test_shows_check_character_next_to_field_when_uscc_bad(
        self, client: TestClient, db: Database
    ) -> None:
        with db.unit_of_work() as session:
            factories.staff_user(session, "registrar", Role.REGISTRAR)
        factories.login(client, "registrar")
        good = factories.new_uscc()
        bad = good[:-1] + ("0" if good[-1] != "0" else "1")
        form = _enterprise_form(client, uscc=bad)
        response = client.post("/staff/subjects/new", data=form)
        assert response.status_code == 422
        html = unescape(response.text)
        error_start = html.index('id="error-uscc"')
        assert f"check character should be '{good[-1]}'" in html[error_start : error_start + 300]
        assert f'value="{bad}"' in html
        assert 'value="本溪市明达电子商务有限公司"' in html
        assert _subject_count(db) == 0

    def test_registers_and_shows_subject_when_input_valid(
        self, client: TestClient, db: Database
    ) -> None:
        with db.unit_of_work() as session:
            factories.staff_user(session, "registrar", Role.REGISTRAR)
        factories.login(client, "registrar")
        form = _enterprise_form(client, legal_representative="王建国")
        response = client.post("/staff/subjects/new", data=form, follow_redirects=False)
        assert response.status_code == 303
        page = client.get(response.headers["location"])
        assert "本溪市明达电子商务有限公司" in page.text
        assert "登记成功" in page.text
        assert _subject_count(db) == 1


class TestVerificationDecision:
    def test_verifies_and_records_history_when_pending_approved(
        self, client: TestClient, db: Database, vault: Vault
    ) -> None:
        with db.unit_of_work() as session:
            factories.staff_user(session, "chief", Role.VERIFIER, Role.AUDITOR)
            subject = factories.pending(
                session, factories.enterprise(session, vault, "本溪市明达电子商务有限公司")
            )
        factories.login(client, "chief")
        listing = client.get("/staff/verifications").text
        assert f'id="pending-{subject.id}"' in listing
        token = factories.csrf_token(client, "/staff/verifications")
        response = client.post(
            f"/staff/verifications/{subject.id}/decision",
            data={"decision": "verified", "csrf_token": token},
            follow_redirects=False,
        )
        assert response.status_code == 303
        with db.unit_of_work() as session:
            stored = subject_service.get(session, subject.id)
            assert stored.verification_status is VerificationStatus.VERIFIED
        history = client.get(f"/staff/subjects/{subject.id}").text
        table = history[history.index('data-testid="history"') :]
        assert "user:chief" in table
        assert '<td class="after">verified</td>' in table
        assert "pending → verified" in history

    def test_stays_pending_when_rejected_without_reason(
        self, client: TestClient, db: Database, vault: Vault
    ) -> None:
        with db.unit_of_work() as session:
            factories.staff_user(session, "chief", Role.VERIFIER)
            subject = factories.pending(
                session, factories.enterprise(session, vault, "本溪市明远物流有限公司")
            )
        factories.login(client, "chief")
        token = factories.csrf_token(client, "/staff/verifications")
        response = client.post(
            f"/staff/verifications/{subject.id}/decision",
            data={"decision": "rejected", "reason": " ", "csrf_token": token},
        )
        assert response.status_code == 422
        assert "reason: required" in response.text
        with db.unit_of_work() as session:
            status = subject_service.get(session, subject.id).verification_status
            assert status is VerificationStatus.PENDING

    def test_submits_for_verification_when_registrar_asks(
        self, client: TestClient, db: Database, vault: Vault
    ) -> None:
        with db.unit_of_work() as session:
            factories.staff_user(session, "registrar", Role.REGISTRAR)
            subject = factories.enterprise(session, vault, "本溪市明达电子商务有限公司")
        factories.login(client, "registrar")
        token = factories.csrf_token(client, f"/staff/subjects/{subject.id}")
        response = client.post(
            f"/staff/subjects/{subject.id}/verification",
            data={
                "method": "licence_check",
                "evidence_ref": "营业执照-2024-001",
                "csrf_token": token,
            },
        )
        assert response.status_code == 200  # followed the redirect to the subject page
        assert "已提交认证申请" in response.text
        assert "营业执照-2024-001" in response.text
