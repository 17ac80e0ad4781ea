"""`ecredit records import|export`: a department's 双公示 licence and penalty files."""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ecredit.authz.principals import Principal, Scope
from ecredit.cli.context import load
from ecredit.cli.errors import friendly
from ecredit.exchange.columns import ExchangeKind
from ecredit.exchange.export import ExportFormat, export_records
from ecredit.exchange.parse import open_sheet
from ecredit.exchange.report import STATUS_LABELS, report_csv
from ecredit.exchange.schemas import ImportReport, RowStatus
from ecredit.exchange.service import import_rows
from ecredit.models.org import Organisation
from ecredit.org.service import organisation_service

app = typer.Typer(
    help="双公示 licence and penalty files / 双公示数据导入导出", no_args_is_help=True
)
console = Console()
SHOWN_PROBLEMS = 20


def acting_for(org: Organisation) -> Principal:
    """The operator acting as `org`, with every scope (the CLI runs on the server)."""
    return Principal(
        actor=f"cli:{getpass.getuser()}",
        organisation_id=org.id,
        org_kind=org.kind,
        org_subject_id=org.subject_id,
        scopes=frozenset(Scope),
    )


@app.command("import")
@friendly
def import_file(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help=".csv or .xlsx"),
    kind: ExchangeKind = typer.Option(
        ..., "--kind", help="penalty (行政处罚) or licence (行政许可)"
    ),
    org: str = typer.Option(..., "--org", help="The importing organisation's name"),
    report: Path | None = typer.Option(None, "--report", help="Where to write the row report"),
) -> None:
    """Record a 双公示 file's rows as ORG; writes a per-row report CSV (default: next to FILE)."""
    ctx = load()
    with ctx.unit_of_work() as session:
        organisation = organisation_service.get_by_name(session, org)
        with open_sheet(file) as sheet, _progress(sheet.size) as advance:
            result = import_rows(
                session, ctx.records, kind, sheet, acting_for(organisation),
                vault=ctx.vault, progress=advance,
            )  # fmt: skip
    target = report or file.with_name(f"{file.stem}.report.csv")
    target.write_text(report_csv(result), encoding="utf-8")
    console.print(summary_table(result))
    console.print(problems_table(result))
    console.print(f"per-row report / 逐行报告: {target}", soft_wrap=True)


@app.command("export")
@friendly
def export_file(
    kind: ExchangeKind = typer.Option(
        ..., "--kind", help="penalty (行政处罚) or licence (行政许可)"
    ),
    org: str = typer.Option(..., "--org", help="Export as this organisation (信用办: all)"),
    fmt: ExportFormat = typer.Option(ExportFormat.XLSX, "--format", help="xlsx or csv"),
    columns: str = typer.Option("current", "--columns", help="current or older column set"),
    output: Path = typer.Option(..., "-o", "--output", help="The file to write"),
) -> None:
    """Write ORG's standing records (current values, revoked ones left out) in national columns."""
    ctx = load()
    with ctx.unit_of_work() as session:
        organisation = organisation_service.get_by_name(session, org)
        exported = export_records(
            session, ctx.vault, kind, acting_for(organisation),
            fmt=fmt, columns=columns, today=ctx.records.today(),
        )  # fmt: skip
    output.write_bytes(exported.content)
    console.print(f"written / 已导出: {output}", soft_wrap=True)


@contextmanager
def _progress(size: int | None) -> Iterator[Callable[[int], None]]:
    with Progress(
        TextColumn("importing rows / 导入"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("import", total=size or None)
        yield lambda done: bar.update(task, completed=done)


def summary_table(report: ImportReport) -> Table:
    table = Table(title=f"{report.type_code} ({report.columns} columns / 列)")
    table.add_column("结果 / result")
    table.add_column("rows", justify="right")
    totals = report.totals
    counts = {
        RowStatus.CREATED: totals.created,
        RowStatus.DUPLICATE: totals.duplicate,
        RowStatus.UNKNOWN_SUBJECT: totals.unknown_subject,
        RowStatus.ERROR: totals.error,
    }
    for status, count in counts.items():
        table.add_row(f"{STATUS_LABELS[status]} / {status.value}", str(count))
    table.add_row("合计 / total", str(totals.rows))
    return table


def problems_table(report: ImportReport) -> Table:
    """The first rows that were not stored, and why."""
    table = Table(title="not stored / 未入库 (first rows)")
    table.add_column("行 / row", justify="right")
    table.add_column("result")
    table.add_column("problem / 问题")
    unstored = [row for row in report.rows if row.status in _UNSTORED]
    for row in unstored[:SHOWN_PROBLEMS]:
        detail = "; ".join(p.message for p in row.problems) or (
            f"{row.subject_name or ''} {row.subject_code or ''} is not registered"
        )
        table.add_row(str(row.row), row.status.value, detail)
    return table


_UNSTORED = frozenset({RowStatus.UNKNOWN_SUBJECT, RowStatus.ERROR})
