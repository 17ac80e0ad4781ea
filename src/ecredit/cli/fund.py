"""`ecredit fund check`: reconcile the consumer-protection funds' double-entry ledger."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape

from ecredit.cli.context import load
from ecredit.cli.errors import friendly
from ecredit.fund.reconcile import reconcile

app = typer.Typer(help="Consumer-protection fund / 消费者权益保障金", no_args_is_help=True)
console = Console()


@app.command()
@friendly
def check(
    fund: int = typer.Option(None, help="Check this fund only (default: every fund)"),
) -> None:
    """Reconcile the ledger; exit 1 and name the first imbalance when any."""
    with load().unit_of_work() as session:
        problems = reconcile(session, fund)
    if not problems:
        console.print("[bold green]fund ledger balanced[/bold green]")
        raise typer.Exit(0)
    console.print(
        f"[bold red]FUND LEDGER IMBALANCE[/bold red] — first: {escape(problems[0].line())}",
        soft_wrap=True, highlight=False,
    )  # fmt: skip
    for problem in problems[1:]:
        console.print(f"  {escape(problem.line())}", soft_wrap=True, highlight=False)
    raise typer.Exit(1)
