"""`ecredit ledger verify|checkpoint|public-key`: check the tamper-evident ledger, sign it."""

from __future__ import annotations

import base64

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from ecredit.cli.context import Context, load
from ecredit.cli.errors import friendly
from ecredit.kit.crypto import SIGNING_KEY_FILE
from ecredit.kit.merkle import HashName
from ecredit.ledger.service import ledger_service
from ecredit.ledger.verify import Finding, Report, verify_ledger

app = typer.Typer(help="Tamper-evident ledger / 信用记录账本", no_args_is_help=True)
console = Console()


@app.command()
@friendly
def verify(
    public_key: str = typer.Option(
        None, help="Check checkpoint signatures with this key (base64); default: the platform's"
    ),
) -> None:
    """Recompute every hash and signature; exit 1 and name the first finding when any fails."""
    ctx = load()
    key = base64.b64decode(public_key) if public_key else _own_public_key(ctx)
    with ctx.unit_of_work() as session:
        total = ledger_service.size(session)
        with Progress(
            TextColumn("verifying"), BarColumn(), MofNCompleteColumn(),
            console=console, transient=True,
        ) as progress:  # fmt: skip
            task = progress.add_task("entries", total=total)
            report = verify_ledger(session, key, lambda n: progress.update(task, completed=n))
            progress.update(task, completed=report.entries)
    _print_report(report)
    raise typer.Exit(0 if report.ok else 1)


def _own_public_key(ctx: Context) -> bytes:
    """This deployment's key; verifying must never mint a new one (every checkpoint would then
    look forged), so a missing key is an error that says what to pass instead."""
    settings = ctx.settings
    if not settings.ledger_signing_key and not (settings.data_dir / SIGNING_KEY_FILE).exists():
        raise typer.BadParameter(
            "no ledger signing key is configured here; pass the deployment's key with "
            "--public-key (GET /api/v1/public/ledger/public-key)",
            param_hint="--public-key",
        )
    return ctx.signer.public_key


def _print_report(report: Report) -> None:
    console.print(f"entries: {report.entries}  checkpoints: {report.checkpoints}")
    first = report.first
    if first is None:
        console.print("[bold green]ledger intact[/bold green]")
        return
    console.print(
        f"[bold red]LEDGER TAMPERED[/bold red] — first finding: {_line(first)}",
        soft_wrap=True, highlight=False,
    )  # fmt: skip
    console.print(f"all findings ({len(report.findings)}):")
    for finding in report.findings:
        console.print(f"  {_line(finding)}", soft_wrap=True, highlight=False)


def _line(finding: Finding) -> str:
    where = f"entry {finding.seq}" if finding.seq is not None else "ledger"
    return escape(f"[{where}] {finding.kind}: {finding.message}")


@app.command()
@friendly
def checkpoint() -> None:
    """Sign the ledger as it is now (nothing new since the last checkpoint: shows that one)."""
    ctx = load()
    hash_name = HashName(ctx.settings.ledger_hash.value)
    with ctx.unit_of_work() as session:
        signed = ledger_service.checkpoint(session, ctx.signer, hash_name)
        console.print(f"checkpoint {signed.id}", highlight=False)
        console.print(f"tree size: {signed.tree_size}", highlight=False)
        console.print(f"root ({signed.hash_name}): {signed.root_hash}", highlight=False)
        console.print(f"signed at: {signed.signed_at.isoformat()}", highlight=False)
        console.print(f"key id: {signed.key_id}", highlight=False)


@app.command("public-key")
def public_key() -> None:
    """The Ed25519 key that signs checkpoints (raw 32 bytes, base64), and its key id."""
    signer = load().signer
    console.print(base64.b64encode(signer.public_key).decode(), highlight=False)
    console.print(f"key id: {signer.key_id}", highlight=False)
