"""`ecredit lake upload`: load a platform's orders, reviews, traffic, prices or shipments (the
detectors run over the lake with `ecredit detect run`)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ecredit.cli.context import load, operator
from ecredit.cli.errors import friendly
from ecredit.lake.datasets import DATASETS
from ecredit.lake.readers import format_of
from ecredit.lake.service import Upload, hash_file, lake_service
from ecredit.lake.store import LakeStore
from ecredit.models.lake import LakeBatch

app = typer.Typer(help="The data lake / 数据湖: platform data uploads", no_args_is_help=True)
console = Console()


@contextmanager
def _progress(label: str, total: int) -> Iterator[Callable[[int], None]]:
    with Progress(TextColumn(label), BarColumn(), TextColumn("{task.completed:,}"),
                  TimeElapsedColumn(), console=console, transient=True) as bar:  # fmt: skip
        task = bar.add_task(label, total=total or None)
        yield lambda done: bar.update(task, completed=done)


@app.command("upload")
@friendly
def upload(
    dataset: str = typer.Argument(..., help=f"One of {', '.join(DATASETS)}"),
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help=".ndjson, .csv, .parquet"),
    platform: int = typer.Option(..., "--platform", help="The platform's subject id"),
    batch_key: str | None = typer.Option(
        None, "--batch-key", help="Retry-safe key (default: the file's SHA-256)"
    ),
    fmt: str | None = typer.Option(None, "--format", help="ndjson, csv or parquet"),
    report: Path | None = typer.Option(None, "--report", help="Where to copy the error report"),
) -> None:
    """Validate FILE row by row and append its accepted rows to the lake."""
    ctx = load()
    file_format = format_of(fmt, file.name)
    with _progress("hashing / 校验", file.stat().st_size) as advance:
        content_hash = hash_file(file, advance)
    store = LakeStore(ctx.settings.resolved_lake_url)
    with ctx.unit_of_work() as session, _progress("rows / 行", 0) as advance:
        batch, created = lake_service.upload(
            session, store, operator(), platform, dataset, batch_key,
            Upload(file, content_hash, file_format), progress=advance,
        )  # fmt: skip
    console.print(_summary(batch, created))
    if batch.error_report:
        target = report or file.with_name(f"{file.stem}.errors.csv")
        with store.open_read(batch.error_report) as source, target.open("wb") as copy:
            shutil.copyfileobj(source, copy)
        console.print(f"per-row errors / 逐行错误: {target}", soft_wrap=True)


def _summary(batch: LakeBatch, created: bool) -> Table:
    title = f"batch {batch.id} ({batch.dataset}, key {batch.batch_key})"
    table = Table(title=title if created else f"{title}: already uploaded / 已上传过")
    table.add_column("")
    table.add_column("rows / 行", justify="right")
    table.add_row("accepted / 入湖", str(batch.rows_accepted))
    table.add_row("rejected / 拒收", str(batch.rows_rejected))
    table.add_row("total / 合计", str(batch.rows_total))
    table.add_row("status / 状态", batch.status.value)
    return table
