"""Organisations, users and API keys: passwords, principals, revocation."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from ecredit.authz.principals import Role, Scope, principal_for_api_key, principal_for_user
from ecredit.kit.errors import NotFound, Unauthorized
from ecredit.models.org import OrgKind
from ecredit.org.service import organisation_service
from tests.factories import orgs


class TestUsers:
    def test_authenticates_when_password_right(self, session: Session) -> None:
        user = orgs.user(
            session, orgs.organisation(session), username="zhao", password="pass-word-1"
        )
        assert organisation_service.authenticate_user(session, "zhao", "pass-word-1") is user
        assert user.password_hash != "pass-word-1"

    @pytest.mark.parametrize(
        ("username", "password", "active"),
        [
            ("zhao", "wrong-password", True),
            ("nobody", "pass-word-1", True),
            ("zhao", "pass-word-1", False),
        ],
        ids=["wrong-password", "unknown-user", "inactive"],
    )
    def test_unauthorized_when_credentials_fail(
        self, session: Session, username: str, password: str, active: bool
    ) -> None:
        user = orgs.user(
            session, orgs.organisation(session), username="zhao", password="pass-word-1"
        )
        user.is_active = active
        with pytest.raises(Unauthorized):
            organisation_service.authenticate_user(session, username, password)

    def test_principal_unites_role_scopes_when_user_has_roles(self, session: Session) -> None:
        org = orgs.organisation(session, OrgKind.DEPARTMENT)
        user = orgs.user(session, org, roles=[Role.VERIFIER, Role.AUDITOR], username="qian")
        principal = principal_for_user(user)
        assert principal.scopes == {
            Scope.SUBJECT_READ, Scope.SUBJECT_VERIFY, Scope.AUDIT_READ, Scope.RECORD_READ,
            Scope.REPAIR_DECIDE, Scope.LIST_DECIDE, Scope.ALERT_READ, Scope.ALERT_REVIEW,
            Scope.COMPLAINT_HANDLE, Scope.WARNING_READ,
        }  # fmt: skip
        assert (principal.actor, principal.org_kind) == ("user:qian", OrgKind.DEPARTMENT)


class TestApiKeys:
    def test_principal_holds_only_key_scopes_when_key_created(self, session: Session) -> None:
        org = orgs.organisation(session, OrgKind.PLATFORM)
        key, plaintext = orgs.api_key(session, org, [Scope.SUBJECT_WRITE])
        principal = principal_for_api_key(key)
        assert principal.scopes == {Scope.SUBJECT_WRITE}
        assert principal.actor == f"apikey:{key.prefix}"
        assert plaintext not in key.key_hash

    def test_revocation_keeps_first_time_when_revoked_twice(self, session: Session) -> None:
        key, _ = orgs.api_key(session, orgs.organisation(session), [Scope.SUBJECT_READ])
        first = organisation_service.revoke_api_key(session, key.id).revoked_at
        assert first is not None
        assert organisation_service.revoke_api_key(session, key.id).revoked_at == first

    def test_not_found_when_key_or_organisation_unknown(self, session: Session) -> None:
        with pytest.raises(NotFound):
            organisation_service.revoke_api_key(session, 999_999)
        with pytest.raises(NotFound):
            organisation_service.get_by_name(session, "不存在的机构")
