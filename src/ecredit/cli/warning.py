"""`ecredit warnings [--subject ID]`: recompute credit-risk early warnings now (the daily job's
work, on demand), then show how many subjects stand at each level."""

from __future__ import annotations

import typer
from rich.console import Console

from ecredit.cli.context import load
from ecredit.cli.errors import friendly
from ecredit.models.warning import WarningLevel
from ecredit.warning.service import WarningService

console = Console()


@friendly
def warnings(
    subject: int = typer.Option(None, "--subject", help="Only this subject, by id."),
) -> None:
    """Recompute early warnings (风险预警): every subject with an input in the window and every
    subject warned now, or one subject."""
    ctx = load()
    service = WarningService(ctx.records.catalog, ctx.records.clock)
    with ctx.unit_of_work() as session:
        if subject is not None:
            warning = service.recompute(session, subject)
            console.print(f"subject {subject}: {warning.level.value} ({warning.score})",
                          highlight=False)  # fmt: skip
            return
        counts = service.recompute_all(session)
        levels = service.level_counts(session)
    console.print(f"recomputed {counts.subjects:,} subjects, {counts.changed:,} changed level",
                  highlight=False)  # fmt: skip
    shown = [level for level in WarningLevel if level is not WarningLevel.NONE]
    console.print("  ".join(f"{lv.value}: {levels[lv]:,}" for lv in shown), highlight=False)
