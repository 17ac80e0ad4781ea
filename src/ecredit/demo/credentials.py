"""The demo's staff users and API keys, and the one-time table that shows their secrets."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from rich import box
from rich.markup import escape
from rich.table import Table
from sqlalchemy.orm import Session

from ecredit.authz.principals import Role, Scope
from ecredit.models.org import Organisation, User
from ecredit.org.schemas import ApiKeyCreate, UserCreate
from ecredit.org.service import organisation_service

PLATFORM_KEY_SCOPES = (Scope.SUBJECT_READ, Scope.SUBJECT_WRITE)


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    organisation: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class DemoApiKey:
    name: str
    organisation: str
    key: str
    scopes: tuple[str, ...] = ()


@dataclass
class DemoCredentials:
    """Secrets created by the seed; shown once, only their hashes are stored."""

    users: list[DemoUser] = field(default_factory=list)
    api_keys: list[DemoApiKey] = field(default_factory=list)

    def add_user(
        self, session: Session, org: Organisation, username: str, display: str, roles: list[Role]
    ) -> User:
        password = secrets.token_urlsafe(15)
        data = UserCreate(
            organisation_id=org.id,
            username=username,
            display_name=display,
            password=password,
            roles=roles,
        )
        user = organisation_service.create_user(session, data)
        self.users.append(DemoUser(username, password, org.name, tuple(r.value for r in roles)))
        return user

    def add_api_key(
        self, session: Session, org: Organisation, name: str, scopes: tuple[Scope, ...]
    ) -> None:
        data = ApiKeyCreate(organisation_id=org.id, name=name, scopes=list(scopes))
        _stored, plaintext = organisation_service.create_api_key(session, data)
        self.api_keys.append(DemoApiKey(name, org.name, plaintext, tuple(s.value for s in scopes)))

    def as_table(self) -> Table:
        """Two columns, so that secrets never wrap and copy whole even at 80 columns."""
        table = Table(
            title="演示账号 / demo credentials (shown once, stored only as hashes)",
            box=box.SIMPLE_HEAD,
        )
        table.add_column("account · organisation · roles / scopes", overflow="fold")
        widest = max((len(s) for s in self._secrets()), default=10)
        table.add_column("password / API key", no_wrap=True, min_width=widest)
        for user in self.users:
            roles = " ".join(user.roles)
            table.add_row(_who("user", user.username, user.organisation, roles), user.password)
        table.add_section()
        for key in self.api_keys:
            scopes = "all" if set(key.scopes) == {s.value for s in Scope} else " ".join(key.scopes)
            table.add_row(_who("API key", key.name, key.organisation, scopes), key.key)
        return table

    def _secrets(self) -> list[str]:
        return [u.password for u in self.users] + [k.key for k in self.api_keys]


def _who(kind: str, name: str, organisation: str, grants: str) -> str:
    return f"[bold]{escape(name)}[/bold] ({kind})\n{escape(organisation)} · {escape(grants)}"
