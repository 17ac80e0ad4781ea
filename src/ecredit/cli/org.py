"""`ecredit org|user|apikey create`: organisations, staff users and API keys."""

from __future__ import annotations

import typer
from rich.console import Console

from ecredit.authz.principals import Role, Scope
from ecredit.cli.context import load
from ecredit.cli.errors import friendly
from ecredit.models.org import OrgKind
from ecredit.org.schemas import ApiKeyCreate, OrganisationCreate, UserCreate
from ecredit.org.service import organisation_service

org_app = typer.Typer(help="Organisations / 机构", no_args_is_help=True)
user_app = typer.Typer(help="Staff users / 用户", no_args_is_help=True)
apikey_app = typer.Typer(help="API keys / 接口密钥", no_args_is_help=True)
console = Console()


@org_app.command("create")
@friendly
def create_org(
    name: str,
    kind: OrgKind = typer.Option(..., help="credit_office, department, platform, ..."),
    department: str = typer.Option(None, help="For departments: samr, commerce, post, ..."),
    uscc: str = typer.Option(None, help="The organisation's unified social credit code"),
) -> None:
    """Create an organisation."""
    ctx = load()
    with ctx.unit_of_work() as session:
        data = OrganisationCreate(name=name, kind=kind, department=department, uscc=uscc)
        org = organisation_service.create(session, data)
        console.print(f"organisation {org.id}: {org.name} ({org.kind.value})")


@org_app.command("list")
def list_orgs() -> None:
    """List organisations."""
    ctx = load()
    with ctx.unit_of_work() as session:
        for org in organisation_service.list(session):
            console.print(f"{org.id}\t{org.kind.value}\t{org.name}")


@user_app.command("create")
@friendly
def create_user(
    username: str,
    org: str = typer.Option(..., help="Organisation name"),
    display_name: str = typer.Option(None),
    role: list[Role] = typer.Option([Role.VIEWER], help="Repeat for several roles"),
    password: str = typer.Option(
        ..., prompt=True, hide_input=True, confirmation_prompt=True, help="At least 10 chars"
    ),
) -> None:
    """Create a staff user who logs in to the portal."""
    ctx = load()
    with ctx.unit_of_work() as session:
        organisation = organisation_service.get_by_name(session, org)
        data = UserCreate(
            organisation_id=organisation.id,
            username=username,
            display_name=display_name or username,
            password=password,
            roles=role,
        )
        user = organisation_service.create_user(session, data)
        console.print(f"user {user.id}: {user.username} roles={','.join(user.roles)}")


@apikey_app.command("create")
@friendly
def create_apikey(
    name: str,
    org: str = typer.Option(..., help="Organisation name"),
    scope: list[Scope] = typer.Option(..., help="Repeat for several scopes"),
) -> None:
    """Create an API key; it is printed once and stored only as a hash."""
    ctx = load()
    with ctx.unit_of_work() as session:
        organisation = organisation_service.get_by_name(session, org)
        data = ApiKeyCreate(organisation_id=organisation.id, name=name, scopes=scope)
        api_key, plaintext = organisation_service.create_api_key(session, data)
        console.print(f"API key {api_key.id} ({', '.join(api_key.scopes)}), shown once:")
        console.print(plaintext, soft_wrap=True, highlight=False)
