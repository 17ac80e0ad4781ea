"""`ecredit detect run`: run the detectors over the lake now, raise their findings as alerts and
record the run; `ecredit detect runs`: the recent runs with their counts and timings;
`ecredit detect show ID`: one run, detector by detector."""

from __future__ import annotations

from datetime import datetime

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ecredit.alert.run_schemas import DetectionRunRead
from ecredit.alert.runs import RunRequest, detection_runs
from ecredit.audit.context import acting_as
from ecredit.cli.context import actor, load, operator
from ecredit.cli.errors import friendly
from ecredit.detection.engine import EngineKind, open_lake
from ecredit.detection.run import NAMES
from ecredit.kit.clock import SHANGHAI
from ecredit.kit.paging import PageRequest
from ecredit.models.detection import DetectionStep, RunStatus, RunTrigger

app = typer.Typer(help="Detectors / 大数据监测: runs over the lake", no_args_is_help=True)
console = Console()
STATUS = {RunStatus.RUNNING: "running / 运行中", RunStatus.SUCCEEDED: "succeeded / 成功",
          RunStatus.FAILED: "failed / 失败"}  # fmt: skip


class _Bar:
    """A run's progress as a Rich bar: one step per detector, the current one named, and the
    findings so far."""

    def __init__(self, bar: Progress) -> None:
        self.bar, self.findings = bar, 0
        self.task = bar.add_task("", total=None, findings=0)

    def planned(self, detectors: list[str]) -> None:
        self.bar.update(self.task, total=len(detectors))

    def started(self, detector: str) -> None:
        self.bar.update(self.task, description=detector)

    def finished(self, step: DetectionStep) -> None:
        self.findings += step.findings
        self.bar.update(self.task, advance=1, findings=self.findings)


@app.command("run")
@friendly
def run(
    detector: list[str] = typer.Option(
        [], "--detector", help=f"Detector, repeatable (default: all): {', '.join(NAMES)}"
    ),
    engine: EngineKind | None = typer.Option(None, "--engine", help="Default: the setting"),
) -> None:
    """Run the detectors over the lake now and raise their findings as alerts (each once)."""
    unknown = sorted(set(detector) - set(NAMES))
    if unknown:
        raise typer.BadParameter(f"unknown {', '.join(unknown)} (known: {', '.join(NAMES)})",
                                 param_hint="--detector")  # fmt: skip
    ctx = load()
    lake = open_lake(ctx.settings.resolved_lake_url, engine or ctx.settings.detection_engine)
    request = RunRequest(RunTrigger.CLI, tuple(detector))
    found = TextColumn("findings / 发现 {task.fields[findings]:,}")
    columns = (TextColumn("[bold]{task.description:<14}"), BarColumn(), MofNCompleteColumn(),
               found, TimeElapsedColumn())  # fmt: skip
    with acting_as(actor()), Progress(*columns, console=console, transient=True) as bar:
        recorded = detection_runs.run(ctx.db, lake, request, _Bar(bar))
    shown = DetectionRunRead.model_validate(recorded)
    _summary(shown)
    if shown.status is RunStatus.FAILED:
        raise typer.Exit(1)


def _summary(run: DetectionRunRead) -> None:
    console.print(_steps(run))
    console.print(
        f"alerts raised / 新预警 {run.raised}, already raised / 已有 {run.duplicate}, "
        f"repeated in the run / 本次重复 {run.repeated}, platform not registered / 平台未登记 "
        f"{run.unregistered_platform}, unknown shop / 未登记店铺 {run.unknown_shop}",
        highlight=False,
    )  # fmt: skip
    if run.error:
        console.print(f"[red]failed / 失败[/red] in {run.failed_detector}: {run.error}",
                      soft_wrap=True, highlight=False)  # fmt: skip


def _steps(run: DetectionRunRead) -> Table:
    title = f"detection run / 监测运行 {run.id} ({run.engine}): {STATUS[run.status]}"
    table = Table(title=title)
    for column in ("detector / 模型", "findings / 发现", "alerts / 新预警", "seconds / 秒"):
        table.add_column(column, justify="left" if "detector" in column else "right")
    table.add_column("note / 说明")
    for step in run.steps:
        table.add_row(step.detector, str(step.findings), str(step.raised), f"{step.seconds:.2f}",
                      step.skipped or "")  # fmt: skip
    if run.failed_detector:
        table.add_row(run.failed_detector, "", "", "", "failed / 失败")
    return table


@app.command("runs")
@friendly
def runs(limit: int = typer.Option(20, "--limit", min=1, max=200, help="How many")) -> None:
    """The recent detection runs, newest first: status, seconds, findings and new alerts (each
    run's detectors: `ecredit detect show ID`)."""
    ctx = load()
    with ctx.unit_of_work() as session:
        found = detection_runs.page(session, operator(), PageRequest(1, limit))
        shown = [DetectionRunRead.model_validate(run) for run in found.items]
    table = Table(title=f"detection runs / 监测运行 ({found.total})")
    for column in ("run\n编号", "started\n开始", "trigger\n触发", "status\n状态"):
        table.add_column(column, no_wrap=True)
    for column in ("seconds\n秒", "findings\n发现", "alerts\n新预警"):
        table.add_column(column, justify="right")
    for run in shown:
        seconds = f"{run.seconds:.1f}" if run.seconds is not None else ""
        status = run.status.value + (f" ({run.failed_detector})" if run.failed_detector else "")
        table.add_row(str(run.id), _local(run.started_at), f"{run.trigger.value} {run.engine}",
                      status, seconds, str(run.findings), str(run.raised))  # fmt: skip
    console.print(table)


@app.command("show")
@friendly
def show(run_id: int = typer.Argument(..., help="The run's number")) -> None:
    """One run: each detector's findings, new alerts, seconds, and why it was skipped or failed;
    then the thresholds its detectors used."""
    ctx = load()
    with ctx.unit_of_work() as session:
        shown = DetectionRunRead.model_validate(detection_runs.get(session, run_id, operator()))
    _summary(shown)
    console.print(_thresholds(shown))


def _thresholds(run: DetectionRunRead) -> Table:
    """The thresholds the run's detectors used, as `ecredit param` names them."""
    table = Table(title="thresholds used / 所用阈值")
    table.add_column("parameter / 参数")
    table.add_column("value / 取值", justify="right")
    for key, value in (run.parameters or {}).items():
        table.add_row(key, str(value))
    if run.parameters is None:
        table.add_row("not recorded / 未记录 (run before thresholds were parameters)", "")
    return table


def _local(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
