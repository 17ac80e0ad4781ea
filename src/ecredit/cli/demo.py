"""`ecredit demo seed`: a plausible city to explore and test against."""

from __future__ import annotations

import typer

app = typer.Typer(help="Demo data / 演示数据", no_args_is_help=True)
