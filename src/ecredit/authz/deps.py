"""FastAPI dependencies shared by every route: the unit of work, the vault, the caller.

The session dependency commits when the route returns and before the response is sent
(scope="function"), so a client never sees a success whose data was not stored.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session

from ecredit.audit.context import bind_session
from ecredit.authz.keycache import PrincipalCache, current_generation
from ecredit.authz.principals import Principal, Scope, principal_for_api_key
from ecredit.config import Settings
from ecredit.kit.crypto import Vault, hash_api_key
from ecredit.kit.db import Database
from ecredit.kit.errors import Forbidden, Unauthorized
from ecredit.models.org import ApiKey

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, scheme_name="ApiKey")
bearer = HTTPBearer(auto_error=False, scheme_name="Bearer")


def get_session(request: Request) -> Iterator[Session]:
    database: Database = request.app.state.db
    with database.unit_of_work() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_vault(request: Request) -> Vault:
    vault: Vault = request.app.state.vault
    return vault


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


VaultDep = Annotated[Vault, Depends(get_vault)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def require(*scopes: Scope) -> Callable[..., Principal]:
    """A dependency that admits only an API key holding every one of `scopes`."""

    def dependency(
        request: Request,
        session: SessionDep,
        header_key: Annotated[str | None, Security(api_key_header)] = None,
        bearer_key: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)] = None,
    ) -> Principal:
        plaintext = header_key or (bearer_key.credentials if bearer_key else None)
        if not plaintext:
            raise Unauthorized("credentials required: send an API key in X-API-Key")
        principal = _principal(request, session, hash_api_key(plaintext))
        if principal is None:
            raise Unauthorized("API key is unknown or revoked")
        missing = [scope.value for scope in scopes if not principal.has(scope)]
        if missing:
            raise Forbidden(f"this API key lacks the scope {', '.join(missing)}")
        # The id the ops middleware accepted or made (and echoes), not the raw header.
        request_id = getattr(request.state, "request_id", None)
        bind_session(session, principal.actor, request_id)
        return principal

    dependency.required_scopes = scopes  # type: ignore[attr-defined]
    return dependency


def _principal(request: Request, session: Session, key_hash: str) -> Principal | None:
    """The key's principal, from the app's short-lived cache (authz.keycache) or the database."""
    cache: PrincipalCache | None = getattr(request.app.state, "principal_cache", None)
    if cache is None:
        cache = request.app.state.principal_cache = PrincipalCache()
    principal = cache.get(key_hash)
    if principal is not None:
        return principal
    generation, loaded_at = current_generation(), time.monotonic()
    key = session.scalar(select(ApiKey).where(ApiKey.key_hash == key_hash))
    if key is None or key.revoked_at is not None:
        return None
    principal = principal_for_api_key(key)
    cache.put(key_hash, principal, generation, loaded_at)
    return principal


def Requires(*scopes: Scope) -> Any:  # noqa: N802 - reads as a type in signatures
    """`principal: Principal = Requires(Scope.SUBJECT_WRITE)` in a route signature."""
    return Depends(require(*scopes))
