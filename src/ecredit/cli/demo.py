"""`ecredit demo seed`: a plausible city to explore and test against."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ecredit.cli.context import load
from ecredit.cli.errors import friendly
from ecredit.commitment.templates import load_templates
from ecredit.demo.plan import MINGDA_NAME
from ecredit.demo.seed import is_seeded, seed_demo
from ecredit.kit import migrate
from ecredit.lake.store import LakeStore

app = typer.Typer(help="Demo data / 演示数据", no_args_is_help=True)
console = Console()
err = Console(stderr=True)


@app.command()
@friendly
def seed(
    merchants: int = typer.Option(2000, "--merchants", min=1, help="How many merchants"),
    seed: int = typer.Option(2017, "--seed", help="Random seed: same seed, same city"),
) -> None:
    """Load the demo city (once): organisations, platforms, merchants, shops, staff, API keys."""
    ctx = load()
    ctx.settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(ctx.settings.resolved_database_url)
    with ctx.db.unit_of_work() as session:
        seeded = is_seeded(session)
    if seeded:
        err.print(
            "[red]refused[/red]: this database already holds the demo city; "
            "point ECREDIT_DATA_DIR or ECREDIT_DATABASE_URL at an empty one to seed again"
        )
        raise typer.Exit(1)
    with Progress(
        TextColumn("seeding merchants / 生成商户"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as bar:
        task = bar.add_task("seed", total=merchants)
        credentials = seed_demo(
            ctx.db,
            ctx.vault,
            merchants=merchants,
            seed=seed,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
            signer=ctx.signer,
            records=ctx.records,
            templates=load_templates(ctx.settings.catalog_dir),
            lake=LakeStore(ctx.settings.resolved_lake_url),
        )
    console.print(credentials.as_table())
    console.print("[bold]These secrets are shown once; only their hashes are stored.[/bold]")
    console.print(f"Try the well-known merchant: {MINGDA_NAME} (search 'bxsmd').")
    console.print("Start the server with `ecredit serve`, then open:")
    console.print("  portal / 门户:        http://127.0.0.1:8000/")
    console.print("  API docs / 接口文档:  http://127.0.0.1:8000/api/docs")
