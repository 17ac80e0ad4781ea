"""Turn business errors into a clear message and exit code 2 instead of a traceback."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console

from ecredit.kit.errors import AppError

P = ParamSpec("P")
R = TypeVar("R")
err = Console(stderr=True)


def friendly(command: Callable[P, R]) -> Callable[P, R]:
    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except AppError as exc:
            err.print(f"[red]error[/red] ({exc.code}): {exc.message}", soft_wrap=True)
            raise typer.Exit(2) from exc

    return wrapper
