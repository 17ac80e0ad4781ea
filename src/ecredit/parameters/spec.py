"""What the registry declares of one parameter: its key, default, type, meaning and bounds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ParameterSpec:
    key: str
    default: Any
    kind: type
    description: str
    minimum: float | None = None
    maximum: float | None = None
