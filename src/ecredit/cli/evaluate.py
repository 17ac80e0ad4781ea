"""`ecredit evaluate --all | --subject ID`: credit evaluation in bulk or of one subject."""

from __future__ import annotations

import time
from datetime import date

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ecredit.cli.context import load
from ecredit.cli.errors import friendly
from ecredit.scoring.platform import evaluate_platforms
from ecredit.scoring.service import ScoringService

console = Console()


@friendly
def evaluate(
    all_subjects: bool = typer.Option(
        False, "--all", help="Every subject, then every platform from the new grades."
    ),
    subject: int = typer.Option(None, "--subject", help="One subject, by id."),
    as_of: str = typer.Option(None, "--as-of", help="Evaluate as on this day (YYYY-MM-DD)."),
) -> None:
    """Evaluate credit (信用评价): a new snapshot per subject with every fact's contribution."""
    if all_subjects == (subject is not None):
        raise typer.BadParameter("give either --all or --subject ID", param_hint="--all")
    day = _day(as_of)
    ctx = load()
    scoring = ScoringService.create(ctx.records.catalog)
    with ctx.unit_of_work() as session:
        if subject is not None:
            evaluation = scoring.evaluate_subject(session, subject, day)
            console.print(f"subject {subject}: {evaluation.grade.value} ({evaluation.score})",
                          highlight=False)  # fmt: skip
            return
        started, total = time.perf_counter(), scoring.count_subjects(session)
        with Progress(
            TextColumn("evaluating"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=console, transient=True,
        ) as progress:  # fmt: skip
            task = progress.add_task("subjects", total=total)
            summary = scoring.evaluate_all(
                session, day, lambda done: progress.update(task, completed=done)
            )
        platforms = evaluate_platforms(scoring, session, day)
    seconds = time.perf_counter() - started
    grades = "  ".join(f"{g}: {summary.grades.get(g, 0):,}" for g in "ABCD")
    console.print(f"evaluated {summary.subjects:,} subjects and {platforms:,} platforms "
                  f"in {seconds:.1f} s", highlight=False)  # fmt: skip
    console.print(grades, highlight=False)


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        message = f"'{text}' is not a date (YYYY-MM-DD)"
        raise typer.BadParameter(message, param_hint="--as-of") from None
