"""`ecredit serve` and `ecredit worker`."""

from __future__ import annotations

import time

import typer
import uvicorn
from rich.console import Console

from ecredit.app import create_app
from ecredit.cli.context import load
from ecredit.commitment.templates import load_templates
from ecredit.demo.seed import is_seeded, seed_demo
from ecredit.jobs.registry import registry
from ecredit.jobs.service import JobService
from ecredit.kit import migrate
from ecredit.lake.store import LakeStore
from ecredit.worker import load_job_handlers, run_once

console = Console()


def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on"),
    port: int = typer.Option(8000, help="Port to listen on"),
    demo: bool = typer.Option(False, "--demo", help="Load the demo city on first start"),
    migrate_first: bool = typer.Option(True, "--migrate/--no-migrate", help="Apply migrations"),
) -> None:
    """Start the API and portal (and, on the embedded default, the job runner)."""
    ctx = load()
    ctx.settings.data_dir.mkdir(parents=True, exist_ok=True)
    if migrate_first:
        migrate.upgrade(ctx.settings.resolved_database_url)
    if demo:
        with ctx.db.unit_of_work() as session:
            seeded = is_seeded(session)
        if not seeded:
            console.print("loading the demo city (first start only)…")
            credentials = seed_demo(
                ctx.db,
                ctx.vault,
                signer=ctx.signer,
                records=ctx.records,
                templates=load_templates(ctx.settings.catalog_dir),
                lake=LakeStore(ctx.settings.resolved_lake_url),
            )
            console.print(credentials.as_table())
    base = f"http://{host}:{port}"
    console.print(f"portal / 门户:        {base}/")
    console.print(f"API docs / 接口文档:  {base}/api/docs")
    uvicorn.run(create_app(ctx.settings, ctx.db), host=host, port=port, log_config=None)


def worker(
    interval: float = typer.Option(5.0, help="Seconds between polls"),
    once: bool = typer.Option(False, "--once", help="Run what is due now, then exit"),
) -> None:
    """Run due jobs and the schedule until stopped (Ctrl-C)."""
    ctx = load()
    load_job_handlers()
    jobs = JobService(registry, settings=ctx.settings)
    while True:
        ran = run_once(ctx.db, jobs)
        if once:
            console.print(f"ran {ran} job(s)")
            return
        time.sleep(interval)
