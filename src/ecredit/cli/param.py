"""`ecredit param …`: runtime parameters and their revisions."""

from __future__ import annotations

import json

import typer
from rich.console import Console

from ecredit.cli.context import load
from ecredit.cli.errors import friendly
from ecredit.parameters.registry import SPECS
from ecredit.parameters.service import parameter_service

app = typer.Typer(help="Runtime parameters / 运行参数", no_args_is_help=True)
console = Console()


@app.command("list")
def list_parameters() -> None:
    """Every parameter with its current value."""
    ctx = load()
    with ctx.unit_of_work() as session:
        for key, spec in SPECS.items():
            value = parameter_service.get(session, key)
            console.print(f"{key} = {json.dumps(value)}  [dim]{spec.description}[/dim]")


@app.command("set")
@friendly
def set_parameter(key: str, value: str, reason: str = typer.Option(..., "--reason")) -> None:
    """Set KEY to VALUE (a new revision, with the reason recorded)."""
    ctx = load()
    with ctx.unit_of_work() as session:
        stored = parameter_service.set(session, key, json.loads(value), reason)
        console.print(f"{key} = {json.dumps(stored.value)} (revision {stored.revision})")
