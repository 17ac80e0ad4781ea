"""`ecredit db …`: migrations."""

from __future__ import annotations

import typer

from ecredit.cli.context import load
from ecredit.kit import migrate

app = typer.Typer(help="Database migrations / 数据库迁移", no_args_is_help=True)


@app.command()
def upgrade(revision: str = typer.Argument("head")) -> None:
    """Apply migrations up to REVISION (default: head)."""
    ctx = load()
    ctx.settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(ctx.settings.resolved_database_url, revision)
    typer.echo(f"database at {revision}")


@app.command()
def check() -> None:
    """Fail when the models and the migrated schema differ (like `alembic check`)."""
    ctx = load()
    diff = migrate.check(ctx.settings.resolved_database_url)
    if diff:
        typer.echo("\n".join(str(item) for item in diff), err=True)
        raise typer.Exit(1)
    typer.echo("models and migrations agree")
