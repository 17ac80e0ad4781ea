"""Organisations, users and API keys: creation, authentication, revocation."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecredit.kit.crypto import hash_password, new_api_key, verify_password
from ecredit.kit.errors import Conflict, InvalidInput, NotFound, Unauthorized
from ecredit.kit.ids import validate_uscc
from ecredit.models.base import utcnow
from ecredit.models.org import ApiKey, Organisation, User
from ecredit.models.subject import Subject
from ecredit.org.schemas import ApiKeyCreate, OrganisationCreate, UserCreate


class OrganisationService:
    def create(self, session: Session, data: OrganisationCreate) -> Organisation:
        uscc = validate_uscc(data.uscc) if data.uscc else None
        if session.scalar(select(Organisation.id).where(Organisation.name == data.name)):
            raise Conflict(f"name: an organisation named '{data.name}' already exists")
        # Checked here so bad input is a 409 / 422 naming the field, never an IntegrityError.
        if uscc and session.scalar(select(Organisation.id).where(Organisation.uscc == uscc)):
            raise Conflict(f"uscc: an organisation with code {uscc} already exists")
        if data.subject_id is not None and session.get(Subject, data.subject_id) is None:
            raise InvalidInput(
                "subject_id", "exists", f"subject_id: subject {data.subject_id} does not exist"
            )
        org = Organisation(
            name=data.name,
            kind=data.kind,
            department=data.department,
            uscc=uscc,
            subject_id=data.subject_id,
        )
        session.add(org)
        session.flush()
        return org

    def get(self, session: Session, org_id: int) -> Organisation:
        org = session.get(Organisation, org_id)
        if org is None:
            raise NotFound(f"organisation {org_id} does not exist")
        return org

    def get_by_name(self, session: Session, name: str) -> Organisation:
        org = session.scalar(select(Organisation).where(Organisation.name == name))
        if org is None:
            raise NotFound(f"organisation '{name}' does not exist")
        return org

    def list(self, session: Session) -> list[Organisation]:
        return list(session.scalars(select(Organisation).order_by(Organisation.id)))

    def create_user(self, session: Session, data: UserCreate) -> User:
        self.get(session, data.organisation_id)
        if session.scalar(select(User.id).where(User.username == data.username)):
            raise Conflict(f"username: '{data.username}' is taken")
        user = User(
            organisation_id=data.organisation_id,
            username=data.username,
            display_name=data.display_name,
            password_hash=hash_password(data.password),
            roles=[role.value for role in data.roles],
        )
        session.add(user)
        session.flush()
        return user

    def authenticate_user(self, session: Session, username: str, password: str) -> User:
        user = session.scalar(select(User).where(User.username == username))
        if user is None or not user.is_active or not verify_password(user.password_hash, password):
            raise Unauthorized("wrong username or password")
        return user

    def get_user(self, session: Session, user_id: int) -> User:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound(f"user {user_id} does not exist")
        return user

    def create_api_key(self, session: Session, data: ApiKeyCreate) -> tuple[ApiKey, str]:
        """Returns the stored key and the plaintext, which is never available again."""
        self.get(session, data.organisation_id)
        plaintext, prefix, key_hash = new_api_key()
        api_key = ApiKey(
            organisation_id=data.organisation_id,
            name=data.name,
            prefix=prefix,
            key_hash=key_hash,
            scopes=sorted(scope.value for scope in data.scopes),
        )
        session.add(api_key)
        session.flush()
        return api_key, plaintext

    def revoke_api_key(self, session: Session, key_id: int) -> ApiKey:
        api_key = session.get(ApiKey, key_id)
        if api_key is None:
            raise NotFound(f"API key {key_id} does not exist")
        if api_key.revoked_at is None:
            api_key.revoked_at = utcnow()
            session.flush()
        return api_key


organisation_service = OrganisationService()
